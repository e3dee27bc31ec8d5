import * as path from 'node:path';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { DEADLINES_MEMO_KEY, withdrawCandidacyUpdate, type DeadlineMemoEntry } from '@kudak/contracts';
import { buildTimeline } from '../../apps/api/audit/timeline.builder';
import { actors, CandidacyDriver, cityInput } from '../support/candidacy-fixtures';
import { approveDistricts, prepareActionPlan, signMemorandum } from '../support/candidacy-steps';
import { startTimeSkippingServer } from '../support/temporal-servers';
import { startTestActivities, type TestActivities } from '../support/test-activities';
import { createTestWorker } from '../support/test-worker';
import { withSharedModuleReplaced } from '../support/module-swap';
import { markersOf, storedHistories, WORKFLOW_TYPES, type HistoryEvent } from './replay-histories';
import { DEADLINES_MEMO_PATCH } from '../../workflows/shared/deadlines-patch';

/** Today's workflows with the deadlines patch as it was before: never patched, no memo. */
const codeBeforeTheDeadlinesMemo = () =>
  withSharedModuleReplaced(
    'deadlines-patch',
    path.resolve(__dirname, '..', 'fixtures', 'before-deadlines-memo', 'deadlines-patch.ts'),
  );

/** The markers of this change in a history. */
const patchMarkers = (events: HistoryEvent[]) => markersOf(events, DEADLINES_MEMO_PATCH);

describe('patched(deadlines-in-memo): candidacies started before it keep running', () => {
  let env: TestWorkflowEnvironment;
  let acts: TestActivities;
  beforeAll(async () => {
    env = await startTimeSkippingServer();
    acts = await startTestActivities({});
  });
  afterAll(async () => {
    await acts?.close();
    await env?.teardown();
  });

  it("a candidacy and its district started on the old code continue on today's under the same ids", async () => {
    // No sticky cache: each next workflow task goes to the shared queue, where today's worker polls.
    const oldCode = await createTestWorker(env, acts.activities, {
      ...codeBeforeTheDeadlinesMemo(),
      maxCachedWorkflows: 0,
    });
    const c = await oldCode.worker.runUntil(async () => {
      const started = await CandidacyDriver.start(
        env.client,
        oldCode.taskQueue,
        cityInput({ cityId: 'before-deadlines', districts: 1 }),
      );
      await signMemorandum(started);
      await started.districtTask('d1', 'SUBMIT_DISTRICT_PLAN'); // opened with a deadline, on the old code
      return started;
    });
    const oldDistrict = await c.district('d1').fetchHistory();
    expect((await c.district('d1').describe()).memo?.[DEADLINES_MEMO_KEY]).toBeUndefined();
    expect(patchMarkers(oldDistrict.events!)).toEqual([]);

    const newCode = await createTestWorker(env, acts.activities, { taskQueue: oldCode.taskQueue });
    let whileActionPlanDue: unknown;
    await newCode.worker.runUntil(async () => {
      await approveDistricts(c, ['d1']); // the district replays its old history, then goes on
      await prepareActionPlan(c);
      whileActionPlanDue = (await c.handle.describe()).memo?.[DEADLINES_MEMO_KEY];
      await c.update(withdrawCandidacyUpdate, { actor: actors.admin, reason: 'patch test finished' });
      await c.handle.result();
    });

    expect(whileActionPlanDue).toEqual([expect.objectContaining({ kind: 'SUBMIT_ACTION_PLAN', stage: 'ACTION_PLAN' })]);
    const candidacy = await c.handle.fetchHistory();
    const district = await c.district('d1').fetchHistory();
    for (const history of [candidacy, district]) {
      expect(history.events!.filter((e) => e.workflowTaskFailedEventAttributes)).toEqual([]);
      expect(patchMarkers(history.events!)).toHaveLength(1); // recorded once, by today's code
    }
    // The timeline shows the deadlines set after the change, and only those.
    const timeline = buildTimeline([
      {
        workflowId: c.workflowId,
        runId: candidacy.events![0].workflowExecutionStartedEventAttributes!.originalExecutionRunId!,
        events: candidacy.events!,
      },
      { workflowId: `${c.workflowId}/district/d1`, runId: 'd1', events: district.events! },
    ]);
    const deadlines = timeline
      .filter((e) => e.kind === 'DEADLINE')
      .flatMap((e) => (e.details!.deadlines as DeadlineMemoEntry[]).map((d) => d.kind));
    expect(deadlines).toEqual(['REVIEW_DISTRICT_PLAN', 'SUBMIT_ACTION_PLAN']);
  });

  it('the stored histories from v3 on carry the patch and the memo, the older ones neither', () => {
    for (const workflowType of WORKFLOW_TYPES) {
      for (const { name, version, history } of storedHistories(workflowType)) {
        const events = historyFromJSON(history).events ?? [];
        const since = version >= 3;
        expect({
          name,
          markers: patchMarkers(events).length,
          memo: events.some((e) => e.workflowPropertiesModifiedEventAttributes),
        }).toEqual({ name, markers: since ? 1 : 0, memo: since });
      }
    }
  });
});
