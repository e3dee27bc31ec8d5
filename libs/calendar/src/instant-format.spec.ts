import { displayInstant, formatInstant, parseInstant, solarHijriDate, solarHijriDay } from './instant-format';

describe('solarHijriDate', () => {
  it.each([
    // Nowruz 1399 fell on 20 March 2020.
    ['2020-03-20T12:00:00Z', { year: 1399, month: 1, day: 1 }],
    ['2020-03-19T12:00:00Z', { year: 1398, month: 12, day: 29 }],
    // 1403 is a leap year: its Esfand has a 30th day, and 1404 began on 21 March 2025.
    ['2025-03-20T12:00:00Z', { year: 1403, month: 12, day: 30 }],
    ['2025-03-21T12:00:00Z', { year: 1404, month: 1, day: 1 }],
    ['1979-02-11T12:00:00Z', { year: 1357, month: 11, day: 22 }],
    ['2000-01-01T00:00:00Z', { year: 1378, month: 10, day: 11 }],
    ['2026-11-28T12:00:00Z', { year: 1405, month: 9, day: 7 }],
  ])('converts %s', (iso, expected) => {
    expect(solarHijriDate(new Date(iso))).toEqual(expected);
  });
});

describe('formatInstant', () => {
  it('writes Persian with the Solar Hijri date first, in Persian digits, and the Gregorian date beside it', () => {
    expect(formatInstant('2026-11-28T12:00:00Z', 'fa')).toBe('۱۴۰۵/۰۹/۰۷ (۲۸ نوامبر ۲۰۲۶)، ساعت ۱۲:۰۰ به وقت UTC');
  });

  it('writes English with the Gregorian date first and the Solar Hijri date beside it', () => {
    expect(formatInstant('2026-11-28T12:00:00Z', 'en')).toBe('28 November 2026 (7 Azar 1405 SH), 12:00 UTC');
    expect(formatInstant('2020-03-20T00:30:00Z', 'en')).toBe('20 March 2020 (1 Farvardin 1399 SH), 00:30 UTC');
  });

  it('shows instants given with an offset in UTC', () => {
    expect(formatInstant('2026-11-29T02:00:00+03:30', 'en')).toBe('28 November 2026 (7 Azar 1405 SH), 22:30 UTC');
  });

  it('refuses an unknown locale', () => {
    expect(() => formatInstant('2026-11-28T12:00:00Z', 'de' as never)).toThrow('locale must be "fa" or "en", got "de"');
  });
});

describe('parseInstant', () => {
  it('accepts instants with an offset', () => {
    expect(parseInstant('2026-11-28T12:00:00.250Z').toISOString()).toBe('2026-11-28T12:00:00.250Z');
    expect(parseInstant('2026-11-28T15:30+03:30').toISOString()).toBe('2026-11-28T12:00:00.000Z');
  });

  it.each([['2026-11-28'], ['2026-11-28T12:00:00'], ['2026-02-30T00:00:00Z'], ['28/11/2026'], [''], [42], [undefined]])(
    'names the value when it is not an instant: %p',
    (value) => {
      expect(() => parseInstant(value, 'params.dueAt')).toThrow(
        `params.dueAt must be an ISO-8601 instant such as 2026-11-28T12:00:00Z, got ${JSON.stringify(value)}`,
      );
    },
  );
});

describe('solarHijriDay and displayInstant', () => {
  it('gives the Solar Hijri day as YYYY/MM/DD, and an instant in both locales', () => {
    expect(solarHijriDay(new Date('2026-11-28T12:00:00Z'))).toBe('1405/09/07');
    expect(solarHijriDay(new Date('2020-03-20T00:00:00Z'))).toBe('1399/01/01');
    expect(displayInstant('2026-11-28T12:00:00Z')).toEqual({
      fa: '۱۴۰۵/۰۹/۰۷ (۲۸ نوامبر ۲۰۲۶)، ساعت ۱۲:۰۰ به وقت UTC',
      en: '28 November 2026 (7 Azar 1405 SH), 12:00 UTC',
    });
  });
});
