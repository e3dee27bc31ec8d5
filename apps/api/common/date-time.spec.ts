import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { IsDateTime, isDateTime } from './date-time';

class Probe {
  @IsDateTime()
  at!: string;
}

describe(IsDateTime.name, () => {
  it.each(['2026-06-01T00:00:00Z', '2026-06-01T10:30:00.123+03:30', '2024-02-29T23:59:59-05:00'])(
    'accepts the RFC 3339 date-time %s',
    (value) => {
      expect(isDateTime(value)).toBe(true);
      expect(validateSync(plainToInstance(Probe, { at: value }))).toEqual([]);
    },
  );

  it.each([
    '2026-W01-1', // ISO week date: IsISO8601 took it, Date cannot read it
    '2026-123', // ordinal date, likewise
    '2026-01-01T10:00:00,5Z', // decimal comma, likewise
    '2026-06-01', // a date, not an instant
    '2026-06-01t00:00:00z',
    '2025-02-29T00:00:00Z',
    '2026-06-01T24:00:00Z',
    '',
    20260601,
  ])('refuses %p, naming the field', (value) => {
    const [error] = validateSync(plainToInstance(Probe, { at: value }));
    expect(error.constraints).toEqual({ isDateTime: 'at must be an RFC 3339 date-time such as 2026-06-01T00:00:00Z' });
  });
});
