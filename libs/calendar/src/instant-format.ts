// Renders instants for people: every date in both the Gregorian and the Solar Hijri (Persian)
// calendar, through ICU (Intl) rather than hand-written calendar arithmetic. Pure functions, shared
// by the notifications (activities) and what the API shows people (tasks, the audit timeline).
import { isISO8601 } from 'class-validator';

export type NoticeLocale = 'fa' | 'en';

export interface CalendarDate {
  year: number;
  month: number;
  day: number;
}

/** One instant as a person reads it, in each language Kudak writes. */
export type InstantDisplay = Record<NoticeLocale, string>;

/** Instants are shown in UTC, and say so: recipients in several time zones read the same text. */
const TIME_ZONE = 'UTC';
const TIME = { timeZone: TIME_ZONE, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' } as const;

// Built once: an ICU formatter costs far more to build than to use (the timeline formats thousands).
const FORMATTERS = {
  hijriNumeric: new Intl.DateTimeFormat('en-u-ca-persian-nu-latn', {
    timeZone: TIME_ZONE,
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
  }),
  hijriLong: new Intl.DateTimeFormat('en-u-ca-persian-nu-latn', {
    timeZone: TIME_ZONE,
    year: 'numeric',
    month: 'long',
    day: 'numeric',
  }),
  gregorianLong: new Intl.DateTimeFormat('en-GB', {
    timeZone: TIME_ZONE,
    year: 'numeric',
    month: 'long',
    day: 'numeric',
  }),
  clockEn: new Intl.DateTimeFormat('en-GB', TIME),
  hijriFa: new Intl.DateTimeFormat('fa-IR-u-ca-persian', {
    timeZone: TIME_ZONE,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }),
  gregorianFa: new Intl.DateTimeFormat('fa-IR-u-ca-gregory', { timeZone: TIME_ZONE, dateStyle: 'long' }),
  clockFa: new Intl.DateTimeFormat('fa-IR', TIME),
};

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

function parts(formatter: Intl.DateTimeFormat, instant: Date): Record<string, string> {
  return Object.fromEntries(formatter.formatToParts(instant).map((p) => [p.type, p.value]));
}

/** The Solar Hijri date of an instant, as numbers (month 1 = Farvardin). */
export function solarHijriDate(instant: Date): CalendarDate {
  const p = parts(FORMATTERS.hijriNumeric, instant);
  return { year: Number(p.year), month: Number(p.month), day: Number(p.day) };
}

/** The Solar Hijri day of an instant as YYYY/MM/DD in Latin digits, e.g. "1405/09/07". */
export function solarHijriDay(instant: Date): string {
  const { year, month, day } = solarHijriDate(instant);
  return `${year}/${String(month).padStart(2, '0')}/${String(day).padStart(2, '0')}`;
}

/**
 * One instant, in both calendars, for the recipient's language:
 *   fa: "۱۴۰۵/۰۹/۰۷ (۲۸ نوامبر ۲۰۲۶)، ساعت ۱۲:۰۰ به وقت UTC"
 *   en: "28 November 2026 (7 Azar 1405 SH), 12:00 UTC"
 */
export function formatInstant(iso: string, locale: NoticeLocale): string {
  const instant = parseInstant(iso);
  if (locale === 'fa') {
    const hijri = FORMATTERS.hijriFa.format(instant);
    const gregorian = FORMATTERS.gregorianFa.format(instant);
    return `${hijri} (${gregorian})، ساعت ${FORMATTERS.clockFa.format(instant)} به وقت UTC`;
  }
  if (locale === 'en') {
    const gregorian = parts(FORMATTERS.gregorianLong, instant);
    const hijri = parts(FORMATTERS.hijriLong, instant);
    const clock = FORMATTERS.clockEn.format(instant);
    return `${gregorian.day} ${gregorian.month} ${gregorian.year} (${hijri.day} ${hijri.month} ${hijri.year} SH), ${clock} UTC`;
  }
  throw new RangeError(`locale must be "fa" or "en", got ${JSON.stringify(locale)}`);
}

/** {@link formatInstant} in every locale: what the API hands people beside the ISO instant. */
export function displayInstant(iso: string): InstantDisplay {
  return { fa: formatInstant(iso, 'fa'), en: formatInstant(iso, 'en') };
}
