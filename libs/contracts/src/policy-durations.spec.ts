import {
  addPolicyDuration,
  DEFAULT_POLICY,
  evaluationsPlanned,
  policyProblems,
  resolvePolicy,
} from './candidacy-policy';
import { addDuration, durationProblem, ISO_DURATION_PATTERN, nominalMs, parseIsoDuration } from './policy-durations';
import { addDays, addMonths, addYears, DAY_MS, MINUTE_MS } from './time';

const at = (instant: string) => Date.parse(instant);
const iso = (ms: number) => new Date(ms).toISOString();

describe('addDuration', () => {
  const start = at('2026-01-31T10:00:00.000Z');

  it("counts a number in the field's unit exactly as the article's calendar does", () => {
    expect(addDuration(start, 60, 'days')).toBe(addDays(start, 60));
    expect(addDuration(start, 1, 'months')).toBe(addMonths(start, 1));
    expect(addDuration(start, 6, 'months', 3)).toBe(addMonths(start, 18));
    expect(addDuration(start, 4, 'years')).toBe(addYears(start, 4));
    expect(addDuration(start, 7, 'days', -1)).toBe(start - 7 * DAY_MS);
    expect(addDuration(start, 6, 'months', -1)).toBe(addMonths(start, -6));
  });

  it('adds an ISO 8601 duration: calendar months first (clamped), then weeks, days and time', () => {
    expect(iso(addDuration(start, 'PT20M', 'months'))).toBe('2026-01-31T10:20:00.000Z');
    expect(iso(addDuration(start, 'P1M', 'days'))).toBe('2026-02-28T10:00:00.000Z');
    expect(iso(addDuration(start, 'P1Y1M1DT1H1M1S', 'days'))).toBe('2027-03-01T11:01:01.000Z');
    expect(iso(addDuration(start, 'P1W', 'days'))).toBe('2026-02-07T10:00:00.000Z');
    expect(iso(addDuration(start, 'PT0.5S', 'days'))).toBe('2026-01-31T10:00:00.500Z');
  });

  it('repeats a duration and goes back with a negative count', () => {
    expect(addDuration(start, 'PT5M', 'months', 3)).toBe(start + 15 * MINUTE_MS);
    expect(addDuration(start, 'PT30S', 'days', -1)).toBe(start - 30_000);
    expect(iso(addDuration(start, 'P1M', 'months', 2))).toBe('2026-03-31T10:00:00.000Z');
  });

  it('refuses a string that is not a duration', () => {
    expect(() => addDuration(start, 'five minutes', 'days')).toThrow(RangeError);
  });
});

describe('parseIsoDuration', () => {
  it('reads ISO 8601 durations, and nothing else', () => {
    expect(parseIsoDuration('PT20M')).toEqual({ minutes: 20 });
    expect(parseIsoDuration('P2Y6M')).toEqual({ years: 2, months: 6 });
    for (const bad of ['', 'P', 'PT', '20M', 'PT20', '-P1D', 'P1.5M', 'P0.5Y', 'pt5m', '1 day']) {
      expect({ bad, parsed: parseIsoDuration(bad) }).toEqual({ bad, parsed: undefined });
    }
  });

  it('agrees with the pattern the API documents', () => {
    for (const good of ['PT20M', 'P1M', 'P1Y2M3W4DT5H6M7.5S', 'PT0S', 'P0D']) {
      expect({ good, parsed: !!parseIsoDuration(good), documented: ISO_DURATION_PATTERN.test(good) }).toEqual({
        good,
        parsed: true,
        documented: true,
      });
    }
    for (const bad of ['P', 'PT', 'P1DT', '-P1D', 'PT5']) expect(ISO_DURATION_PATTERN.test(bad)).toBe(false);
  });
});

describe('nominalMs', () => {
  it('compares months with months whatever their lengths, and minutes with minutes', () => {
    expect(nominalMs('P18M', 'months') / nominalMs('P6M', 'months')).toBeCloseTo(3, 12);
    expect(nominalMs(18, 'months') / nominalMs('P6M', 'months')).toBeCloseTo(3, 12);
    expect(nominalMs(1, 'years')).toBe(nominalMs('P12M', 'months'));
    expect(nominalMs('PT20M', 'months')).toBe(20 * MINUTE_MS);
    expect(nominalMs(3, 'days')).toBe(3 * DAY_MS);
  });
});

describe('durationProblem', () => {
  it('accepts whole units from 1 to 3650 and durations longer than zero; offsets may be zero', () => {
    expect(durationProblem(30, 'policy.x', 'days')).toBeUndefined();
    expect(durationProblem('PT5M', 'policy.x', 'days')).toBeUndefined();
    expect(durationProblem(0, 'policy.o.0', 'days', true)).toBeUndefined();
    expect(durationProblem('PT0S', 'policy.o.0', 'days', true)).toBeUndefined();
  });

  it('names the field and the reason', () => {
    expect(durationProblem(0, 'policy.x', 'days')).toBe(
      'policy.x must be a whole number of days from 1 to 3650, or an ISO 8601 duration such as "PT5M"',
    );
    expect(durationProblem(1.5, 'policy.x', 'months')).toMatch(/^policy.x must be a whole number of months/);
    expect(durationProblem('soon', 'policy.x', 'days')).toBe(
      'policy.x must be a whole number of days or an ISO 8601 duration such as "PT5M" (got "soon")',
    );
    expect(durationProblem('PT0S', 'policy.x', 'days')).toBe('policy.x must be longer than zero');
    // A string is held to the same longest duration as a number (no instant beyond the calendar).
    expect(durationProblem('P3650D', 'policy.x', 'days')).toBeUndefined();
    expect(durationProblem('P99999999999D', 'policy.x', 'days')).toBe('policy.x must be at most 3650 days');
    expect(durationProblem('P11Y', 'policy.x', 'days')).toBe('policy.x must be at most 3650 days');
    expect(durationProblem(null, 'policy.x', 'days')).toMatch(/^policy.x must be a whole number of days or/);
  });
});

describe('a rehearsal policy', () => {
  const rehearsal = resolvePolicy({
    districtPlanDays: 'PT5M',
    programmeMonths: 'PT20M',
    evaluationIntervalMonths: 'PT5M',
    recognitionYears: 'PT10M',
    renewalLeadMonths: 'PT5M',
    reminderDaysBefore: ['PT1M'],
    escalationDaysAfter: ['PT0S', 'PT2M'],
  });

  it('is sound, and its programme holds round(programme / interval) evaluations', () => {
    expect(policyProblems(rehearsal)).toEqual([]);
    expect(evaluationsPlanned(rehearsal)).toBe(4);
  });

  it('keeps the numbers and the count of the default calendar', () => {
    expect(evaluationsPlanned(DEFAULT_POLICY)).toBe(3);
    expect(evaluationsPlanned(resolvePolicy({ programmeMonths: 12, evaluationIntervalMonths: 'P6M' }))).toBe(2);
  });

  it('sets each deadline from its own field', () => {
    const start = at('2026-03-01T08:00:00.000Z');
    expect(iso(addPolicyDuration(start, rehearsal, 'districtPlanDays'))).toBe('2026-03-01T08:05:00.000Z');
    expect(iso(addPolicyDuration(start, rehearsal, 'evaluationIntervalMonths', 2))).toBe('2026-03-01T08:10:00.000Z');
    expect(addPolicyDuration(start, rehearsal, 'appealWindowDays')).toBe(addDays(start, 30));
  });

  it('names a programme that is not a whole number of intervals, and every unusable duration', () => {
    expect(policyProblems(resolvePolicy({ programmeMonths: 'PT20M', evaluationIntervalMonths: 'PT7M' }))).toEqual([
      'policy.programmeMonths must be a multiple of policy.evaluationIntervalMonths',
    ]);
    expect(policyProblems(resolvePolicy({ programmeMonths: 'PT20M', evaluationIntervalMonths: 6 }))).toEqual([
      'policy.programmeMonths must be a multiple of policy.evaluationIntervalMonths',
    ]);
    expect(policyProblems(resolvePolicy({ districtPlanDays: 'tomorrow', reminderDaysBefore: [7, 'PT-1M'] }))).toEqual([
      'policy.districtPlanDays must be a whole number of days or an ISO 8601 duration such as "PT5M" (got "tomorrow")',
      'policy.reminderDaysBefore.1 must be a whole number of days or an ISO 8601 duration such as "PT5M" (got "PT-1M")',
    ]);
  });
});
