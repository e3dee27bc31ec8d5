// The policy's durations: a whole number of the unit its field names (days, months, years), as the
// article counts, or an ISO 8601 duration string ("PT20M") so that a rehearsal runs every stage in
// minutes. Pure and deterministic (UTC arithmetic on epoch milliseconds): safe in workflow code.
import { parse, type Duration } from 'tinyduration';
import { addDays, addMonths, addYears, DAY_MS, HOUR_MS, MINUTE_MS } from './time';

/** A whole number of the field's unit, or an ISO 8601 duration such as "P2M", "P10D" or "PT5M". */
export type PolicyDuration = number | string;

export type DurationUnit = 'days' | 'months' | 'years';

/** The unit a number means in each duration field of the policy (its name says it). */
export const POLICY_DURATION_UNITS = {
  districtPlanDays: 'days',
  districtResubmissionDays: 'days',
  actionPlanMonths: 'months',
  ministryReviewDays: 'days',
  committeeDecisionDays: 'days',
  unicefEndorsementDays: 'days',
  programmeMonths: 'months',
  evaluationIntervalMonths: 'months',
  evaluationWindowDays: 'days',
  correctiveActionDays: 'days',
  finalAssessmentDays: 'days',
  recognitionYears: 'years',
  renewalLeadMonths: 'months',
  appealWindowDays: 'days',
} as const satisfies Record<string, DurationUnit>;

export type PolicyDurationField = keyof typeof POLICY_DURATION_UNITS;

/** The reminder and escalation offsets: lists of days (or ISO 8601 durations). */
export const POLICY_OFFSET_FIELDS = ['reminderDaysBefore', 'escalationDaysAfter'] as const;

/**
 * The ISO 8601 durations the policy takes, for documents and forms: whole years, months, weeks;
 * days and times may have a fraction. (Validation parses; this only describes.)
 */
export const ISO_DURATION_PATTERN =
  /^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+(\.\d+)?D)?(T(?=\d)(\d+(\.\d+)?H)?(\d+(\.\d+)?M)?(\d+(\.\d+)?S)?)?$/;

/** The average Gregorian month, to compare a string duration with another (never to set a timer). */
const AVERAGE_MONTH_MS = (365.2425 / 12) * DAY_MS;

/** The ISO 8601 duration a string holds (whole years and months, nothing negative), or undefined. */
export function parseIsoDuration(value: string): Duration | undefined {
  let duration: Duration;
  try {
    duration = parse(value);
  } catch {
    return undefined;
  }
  // A duration counts forwards: no sign, no negative part ("PT-1M").
  const { negative, ...parts } = duration;
  if (negative || Object.values(parts).some((n) => n < 0)) return undefined;
  // Calendar months have no fraction; weeks, days and times may have one ("PT0.5S").
  if (!Number.isInteger(duration.years ?? 0) || !Number.isInteger(duration.months ?? 0)) return undefined;
  return duration;
}

export function isIsoDuration(value: unknown): value is string {
  return typeof value === 'string' && parseIsoDuration(value) !== undefined;
}

function calendarMonths(d: Duration): number {
  return (d.years ?? 0) * 12 + (d.months ?? 0);
}

function exactMs(d: Duration): number {
  return (
    ((d.weeks ?? 0) * 7 + (d.days ?? 0)) * DAY_MS +
    (d.hours ?? 0) * HOUR_MS +
    (d.minutes ?? 0) * MINUTE_MS +
    (d.seconds ?? 0) * 1000
  );
}

function parsed(value: string): Duration {
  const duration = parseIsoDuration(value);
  if (!duration) throw new RangeError(`not an ISO 8601 duration: ${JSON.stringify(value)}`);
  return duration;
}

/**
 * The instant `times` durations after `epochMs` (before it when `times` is negative). A number
 * counts whole units exactly as the article's calendar always has (days of 24 hours, calendar
 * months clamped to the month's last day); a string adds its calendar months first, then the rest.
 */
export function addDuration(epochMs: number, value: PolicyDuration, unit: DurationUnit, times = 1): number {
  if (typeof value === 'number') {
    const count = value * times;
    return unit === 'days'
      ? addDays(epochMs, count)
      : unit === 'months'
        ? addMonths(epochMs, count)
        : addYears(epochMs, count);
  }
  const duration = parsed(value);
  const months = calendarMonths(duration) * times;
  const shifted = months === 0 ? epochMs : addMonths(epochMs, months);
  return shifted + Math.round(exactMs(duration) * times);
}

/**
 * A duration's nominal length (average months and years), to compare durations with each other:
 * whether the programme holds a whole number of evaluation intervals, and how many.
 */
export function nominalMs(value: PolicyDuration, unit: DurationUnit): number {
  if (typeof value === 'number') {
    return unit === 'days' ? value * DAY_MS : value * AVERAGE_MONTH_MS * (unit === 'years' ? 12 : 1);
  }
  const duration = parsed(value);
  return calendarMonths(duration) * AVERAGE_MONTH_MS + exactMs(duration);
}

/** The longest duration of a field: this many of its unit, as a number or as a string. */
const MOST = 3650;

/** Why a duration value is unusable (`zero` allowed for offsets such as "on the day"), or undefined. */
export function durationProblem(value: unknown, field: string, unit: DurationUnit, zero = false): string | undefined {
  const least = zero ? 0 : 1;
  if (typeof value === 'number') {
    return Number.isInteger(value) && value >= least && value <= MOST
      ? undefined
      : `${field} must be a whole number of ${unit} from ${least} to ${MOST}, or an ISO 8601 duration such as "PT5M"`;
  }
  if (!isIsoDuration(value)) {
    return `${field} must be a whole number of ${unit} or an ISO 8601 duration such as "PT5M" (got ${JSON.stringify(value)})`;
  }
  const length = nominalMs(value, unit);
  if (!zero && length <= 0) return `${field} must be longer than zero`;
  return length > nominalMs(MOST, unit) ? `${field} must be at most ${MOST} ${unit}` : undefined;
}
