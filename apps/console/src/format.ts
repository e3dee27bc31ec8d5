// Numbers, dates and relative times in the person's language, by the platform's Intl (the Persian
// calendar included): no calendar arithmetic here.
import type { Language } from './i18n/i18n';

const locales: Record<Language, string> = { fa: 'fa-IR', en: 'en-GB' };

export function formatNumber(value: number, language: Language): string {
  return new Intl.NumberFormat(locales[language]).format(value);
}

/** "a, b and c", "a، b، و c". */
export function formatList(items: string[], language: Language): string {
  return new Intl.ListFormat(locales[language], { type: 'conjunction' }).format(items);
}

function dateIn(calendar: 'persian' | 'gregory', language: Language, time: boolean, date: Date): string {
  return new Intl.DateTimeFormat(`${locales[language]}-u-ca-${calendar}`, {
    dateStyle: 'medium',
    // The reader's own time zone (the browser's).
    ...(time ? { timeStyle: 'short' } : {}),
  }).format(date);
}

/** Solar Hijri first with Gregorian beside it in Persian; the other way round in English. */
export function formatDate(iso: string | undefined, language: Language, time = false): string {
  if (!iso) return '';
  const date = new Date(iso);
  const [first, second]: Array<'persian' | 'gregory'> =
    language === 'fa' ? ['persian', 'gregory'] : ['gregory', 'persian'];
  return `${dateIn(first, language, time, date)} (${dateIn(second, language, false, date)})`;
}

const UNITS: Array<[Intl.RelativeTimeFormatUnit, number]> = [
  ['year', 365 * 24 * 3600],
  ['month', 30 * 24 * 3600],
  ['day', 24 * 3600],
  ['hour', 3600],
  ['minute', 60],
  ['second', 1],
];

/** "in 3 days", "۲ ساعت پیش": the largest unit that fits. */
export function formatRelative(iso: string | undefined, language: Language, now = Date.now()): string {
  if (!iso) return '';
  const seconds = (Date.parse(iso) - now) / 1000;
  const [unit, size] = UNITS.find(([, s]) => Math.abs(seconds) >= s) ?? UNITS[UNITS.length - 1];
  return new Intl.RelativeTimeFormat(locales[language], { numeric: 'auto' }).format(Math.round(seconds / size), unit);
}
