// A due date as an administrator types it. A Solar Hijri day (۱۴۰۵/۱۲/۱۰, 1405-12-10) means the
// end of that day in Tehran; anything else goes to the API as typed (an RFC 3339 date-time), and
// the API says what is wrong with it.
import { CalendarDate, PersianCalendar, toZoned } from '@internationalized/date';
import { asciiDigits } from './digits';

const SOLAR_HIJRI_DAY = /^(1[34]\d\d)[/\-.](\d{1,2})[/\-.](\d{1,2})$/;
/** Where the Solar Hijri calendar's days are counted: Iran's official time. */
const SOLAR_HIJRI_TIME_ZONE = 'Asia/Tehran';

/** The instant (ISO 8601, UTC) a typed due date stands for; the text itself if it is no Solar Hijri day. */
export function dueAtFromInput(typed: string): string {
  const text = typed.trim();
  const match = SOLAR_HIJRI_DAY.exec(asciiDigits(text));
  if (!match) return text;
  const [year, month, day] = match.slice(1).map(Number);
  const date = new CalendarDate(new PersianCalendar(), year, month, day);
  // The calendar moves a day that does not exist (month 13, 31 Esfand) to one that does: refused instead.
  if (date.year !== year || date.month !== month || date.day !== day) return text;
  const nextDay = toZoned(date.add({ days: 1 }), SOLAR_HIJRI_TIME_ZONE).toDate();
  return new Date(nextDay.getTime() - 1000).toISOString();
}
