import { displayInstant, formatInstant, type InstantDisplay, type NoticeLocale } from '@kudak/calendar';
import type { TimelineEntry } from './timeline.builder';

/** A timeline line with what people read: the line in each language, every date in both calendars. */
export interface ReadableTimelineEntry extends TimelineEntry {
  /** The line's instant in both calendars (Solar Hijri first in Persian). */
  when: InstantDisplay;
  /** `when: summary`, with the summary's instants (deadlines, expiries) in both calendars too. */
  readable: InstantDisplay;
}

// The instants workflows write (Date.toISOString()): UTC, milliseconds optional.
const ISO_INSTANT = /\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,3})?Z\b/g;

function readableLine(entry: TimelineEntry, when: string, locale: NoticeLocale): string {
  return `${when}: ${entry.summary.replace(ISO_INSTANT, (instant) => formatInstant(instant, locale))}`;
}

/**
 * Adds the readable forms to a timeline line. Kept out of the timeline itself: the audit log chains
 * the timeline's entries, and a change of wording must not make every stored row look edited.
 */
export function readableEntry(entry: TimelineEntry): ReadableTimelineEntry {
  let line = readableLines.get(entry);
  if (!line) {
    const when = displayInstant(entry.at);
    line = {
      ...entry,
      when,
      readable: { fa: readableLine(entry, when.fa, 'fa'), en: readableLine(entry, when.en, 'en') },
    };
    readableLines.set(entry, line);
  }
  return line;
}

// A line kept from an earlier read (see AuditService's kept lines) is made readable once.
const readableLines = new WeakMap<TimelineEntry, ReadableTimelineEntry>();
