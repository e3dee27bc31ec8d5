import { addMonths, addYears, iso } from './time';

describe('calendar arithmetic', () => {
  it('adds calendar months, clamping to the end of a shorter month', () => {
    expect(iso(addMonths(Date.parse('2026-01-31T10:00:00Z'), 1))).toBe('2026-02-28T10:00:00.000Z');
    expect(iso(addMonths(Date.parse('2028-01-31T10:00:00Z'), 1))).toBe('2028-02-29T10:00:00.000Z');
    expect(iso(addMonths(Date.parse('2026-11-28T00:00:00Z'), 18))).toBe('2028-05-28T00:00:00.000Z');
    expect(iso(addMonths(Date.parse('2026-05-31T00:00:00Z'), -6))).toBe('2025-11-30T00:00:00.000Z');
  });

  it('adds years as twelve months', () => {
    expect(iso(addYears(Date.parse('2028-02-29T00:00:00Z'), 4))).toBe('2032-02-29T00:00:00.000Z');
    expect(iso(addYears(Date.parse('2028-02-29T00:00:00Z'), 1))).toBe('2029-02-28T00:00:00.000Z');
  });
});
