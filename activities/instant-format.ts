// Renders instants for people: every date in both the Gregorian and the Solar Hijri (Persian)
// calendar, through ICU (Intl) rather than hand-written calendar arithmetic. Pure functions.
import { isISO8601 } from 'class-validator';

export type NoticeLocale = 'fa' | 'en';

export interface CalendarDate {
  year: number;
  month: number;
  day: number;
}

/** Instants are shown in UTC, and say so: recipients in several time zones read the same text. */
const TIME_ZONE = 'UTC';

/**
 * Parses an ISO-8601 instant: a valid calendar date and time with its offset ("Z" or "+03:30").
 * Anything else (no offset, 30 February, "next week") is a RangeError naming the value.
 */
export function parseInstant(value: unknown, name = 'instant'): Date {
  const text = typeof value === 'string' ? value : '';
  // isISO8601 (strict) rejects impossible dates; an instant must also carry a time and an offset.
  const ok = isISO8601(text, { strict: true, strictSeparator: true }) && /T.*(?:Z|[+-]\d{2}(?::?\d{2})?)$/i.test(text);
  const date = new Date(ok ? text : NaN);
  if (Number.isNaN(date.getTime())) {
    throw new RangeError(
      `${name} must be an ISO-8601 instant such as 2026-11-28T12:00:00Z, got ${JSON.stringify(value)}`,
    );
  }
  return date;
}

function parts(locale: string, instant: Date, options: Intl.DateTimeFormatOptions): Record<string, string> {
  const formatter = new Intl.DateTimeFormat(locale, { timeZone: TIME_ZONE, ...options });
  return Object.fromEntries(formatter.formatToParts(instant).map((p) => [p.type, p.value]));
}

/** The Solar Hijri date of an instant, as numbers (month 1 = Farvardin). */
export function solarHijriDate(instant: Date): CalendarDate {
  const p = parts('en-u-ca-persian-nu-latn', instant, { year: 'numeric', month: 'numeric', day: 'numeric' });
  return { year: Number(p.year), month: Number(p.month), day: Number(p.day) };
}

/**
 * One instant, in both calendars, for the recipient's language:
 *   fa: "۱۴۰۵/۰۹/۰۷ (۲۸ نوامبر ۲۰۲۶)، ساعت ۱۲:۰۰ به وقت UTC"
 *   en: "28 November 2026 (7 Azar 1405 SH), 12:00 UTC"
 */
export function formatInstant(iso: string, locale: NoticeLocale): string {
  const instant = parseInstant(iso);
  const time = { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' } as const;
  if (locale === 'fa') {
    const hijri = new Intl.DateTimeFormat('fa-IR-u-ca-persian', {
      timeZone: TIME_ZONE,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    }).format(instant);
    const gregorian = new Intl.DateTimeFormat('fa-IR-u-ca-gregory', {
      timeZone: TIME_ZONE,
      dateStyle: 'long',
    }).format(instant);
    const clock = new Intl.DateTimeFormat('fa-IR', { timeZone: TIME_ZONE, ...time }).format(instant);
    return `${hijri} (${gregorian})، ساعت ${clock} به وقت UTC`;
  }
  if (locale === 'en') {
    const gregorian = parts('en-GB', instant, { year: 'numeric', month: 'long', day: 'numeric' });
    const hijri = parts('en-u-ca-persian-nu-latn', instant, { year: 'numeric', month: 'long', day: 'numeric' });
    const clock = new Intl.DateTimeFormat('en-GB', { timeZone: TIME_ZONE, ...time }).format(instant);
    return `${gregorian.day} ${gregorian.month} ${gregorian.year} (${hijri.day} ${hijri.month} ${hijri.year} SH), ${clock} UTC`;
  }
  throw new RangeError(`locale must be "fa" or "en", got ${JSON.stringify(locale)}`);
}
