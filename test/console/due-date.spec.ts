import { dueAtFromInput } from '../../apps/console/src/due-date';

describe('dueAtFromInput', () => {
  it.each([
    // 1 Farvardin 1405 is 21 March 2026; Tehran is UTC+03:30 all year since 2022.
    ['1405/01/01', '2026-03-21T20:29:59.000Z'],
    ['۱۴۰۵/۱۲/۱۰', '2027-03-01T20:29:59.000Z'],
    ['١٤٠٥-١٢-١٠', '2027-03-01T20:29:59.000Z'],
    [' 1405.9.8 ', '2026-11-29T20:29:59.000Z'],
    // 1403 is a leap year: 30 Esfand exists.
    ['1403/12/30', '2025-03-20T20:29:59.000Z'],
  ])('reads the Solar Hijri day %j as the end of that day in Tehran', (typed, iso) => {
    expect(dueAtFromInput(typed)).toBe(iso);
  });

  it.each([
    ['2026-12-31T00:00:00Z', '2026-12-31T00:00:00Z'],
    ['1405/13/01', '1405/13/01'],
    ['1404/12/30', '1404/12/30'],
    ['1405/07/31', '1405/07/31'],
    ['tomorrow', 'tomorrow'],
    ['', ''],
  ])('leaves %j as typed for the API to judge', (typed, sent) => {
    expect(dueAtFromInput(typed)).toBe(sent);
  });
});
