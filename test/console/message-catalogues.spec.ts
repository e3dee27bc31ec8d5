import {
  CANDIDACY_STAGES,
  DECISION_KINDS,
  DISTRICT_PLAN_STATUSES,
  OBLIGATION_STATUSES,
  ROLES,
  TASK_KINDS,
  TIMELINE_KINDS,
} from '@kudak/contracts';
import en from '../../apps/console/src/i18n/en.json';
import fa from '../../apps/console/src/i18n/fa.json';

interface Catalogue {
  [key: string]: Catalogue | string;
}

/** Every message's key in a catalogue, `section.key` (nested sections too). */
const keysOf = (catalogue: Catalogue, prefix = ''): string[] =>
  Object.entries(catalogue)
    .flatMap(([key, value]) => (typeof value === 'string' ? [prefix + key] : keysOf(value, `${prefix}${key}.`)))
    .sort();

describe("the console's message catalogues", () => {
  it('say the same things in Persian and in English', () => {
    expect(keysOf(fa)).toEqual(keysOf(en));
  });

  it.each([
    ['decisionKinds', DECISION_KINDS],
    ['timelineKinds', TIMELINE_KINDS],
    ['stages', CANDIDACY_STAGES],
    ['roles', ROLES],
    ['tasks', TASK_KINDS],
    ['districtStatus', DISTRICT_PLAN_STATUSES],
    ['obligationStatus', OBLIGATION_STATUSES],
  ] as const)('name every value of %s the API sends, in both languages', (section, values) => {
    for (const catalogue of [fa, en] as Catalogue[]) {
      const labels = catalogue[section] as Record<string, string>;
      expect(values.filter((value) => !labels[value]?.trim())).toEqual([]);
    }
  });
});
