import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { ACTIVITY_NAMES } from '@kudak/contracts';
import { buildTimeline } from '../apps/api/audit/timeline.builder';
import { storedHistories } from './replay/replay-histories';
import { startTestActivities, type TestActivities } from './support/test-activities';

// The activity names are part of every history: the worker must register exactly them, the
// stored histories must hold only them, and the audit timeline must read each of them but the
// read model's projection (a copy of the state for the lists, not something that happened).

const names = Object.values(ACTIVITY_NAMES).sort();
const stored = ['candidacy-workflow', 'district-plan-workflow'].flatMap((type) =>
  storedHistories(type).map((h) => ({ type, name: h.name, events: historyFromJSON(h.history).events ?? [] })),
);
const scheduledTypes = (events: (typeof stored)[number]['events']) =>
  events.flatMap((e) => {
    const name = e.activityTaskScheduledEventAttributes?.activityType?.name;
    return name ? [name] : [];
  });

describe('activity names', () => {
  let acts: TestActivities;
  beforeAll(async () => {
    acts = await startTestActivities({});
  });
  afterAll(async () => {
    await acts?.close();
  });

  it('the worker registers exactly the named activities', () => {
    expect(Object.keys(acts.activities).sort()).toEqual(names);
  });

  it('the stored histories schedule only named activities, and every named activity is in them', () => {
    const seen = new Set(stored.flatMap((h) => scheduledTypes(h.events)));
    expect([...seen].sort()).toEqual(names);
  });

  it.each(stored.filter((h) => scheduledTypes(h.events).length > 0).map((h) => [`${h.type}/${h.name}`, h] as const))(
    'the timeline of %s has a line for every activity it scheduled but the projections',
    (_name, h) => {
      const timeline = buildTimeline([{ workflowId: 'w', runId: 'r', events: h.events }]);
      const lineTypes = timeline.flatMap((e) => {
        const ev = h.events.find((x) => Number(x.eventId) === e.eventId);
        const name = ev?.activityTaskScheduledEventAttributes?.activityType?.name;
        return name ? [name] : [];
      });
      const audited = scheduledTypes(h.events).filter((name) => name !== ACTIVITY_NAMES.projectReadModel);
      expect(lineTypes.sort()).toEqual(audited.sort());
    },
  );
});
