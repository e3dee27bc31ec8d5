import * as path from 'node:path';
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import {
  ACTIVITY_NAMES,
  candidacyWorkflowId,
  withdrawCandidacyUpdate,
  type KudakActivities,
  type NotificationRequest,
  type RecordDecisionRequest,
} from '@kudak/contracts';
import { actors, CandidacyDriver, cityInput } from './support/candidacy-fixtures';
import { signMemorandum } from './support/candidacy-steps';
import { startTimeSkippingServer } from './support/temporal-servers';
import { startTestActivities, type TestActivities } from './support/test-activities';
import { withSharedModuleReplaced } from './support/module-swap';
import { createTestWorker } from './support/test-worker';

// An activity that fails for good (here refused as invalid input, as the real activities refuse a
// malformed request) must not wedge the candidacy: the failure is recorded in its state, the
// administrators are alerted, and the lifecycle goes on. On the real time-skipping server.

const refused = (activity: string) =>
  ApplicationFailure.nonRetryable(`${activity}: invalid input:\n  - refused by the test`, 'InvalidActivityInput');

describe('a side effect that fails for good', () => {
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

  /** Runs a scenario on a worker whose activities are the real ones with some replaced. */
  async function withActivities(replaced: Partial<KudakActivities>, scenario: () => Promise<void>) {
    const { worker, taskQueue } = await createTestWorker(env, { ...acts.activities, ...replaced });
    queue = taskQueue;
    await worker.runUntil(scenario);
  }
  let queue = '';

  async function workflowTaskFailures(c: CandidacyDriver): Promise<number> {
    const events = (await c.handle.fetchHistory()).events ?? [];
    return events.filter((e) => e.workflowTaskFailedEventAttributes).length;
  }

  /** The real recordDecision, except that it refuses the memorandum's record for good. */
  const refusingTheMemorandum = async (req: RecordDecisionRequest) => {
    if (req.decision.kind === 'MOU_SIGNED') throw refused(ACTIVITY_NAMES.recordDecision);
    return (acts.activities as unknown as KudakActivities)[ACTIVITY_NAMES.recordDecision](req);
  };

  it('is recorded in the state, alerts the administrators, and the candidacy goes on', async () => {
    await withActivities({ [ACTIVITY_NAMES.recordDecision]: refusingTheMemorandum }, async () => {
      const c = await CandidacyDriver.start(env.client, queue, cityInput({ cityId: 'refused-record', districts: 1 }));
      await signMemorandum(c);
      const state = await c.until((s) => (s.failedEffects?.length ?? 0) > 0, 'a failed effect in the state');
      expect(state.failedEffects).toEqual([
        expect.objectContaining({
          activity: 'recordDecision',
          subject: 'MOU_SIGNED',
          failureType: 'InvalidActivityInput',
          message: expect.stringContaining('refused by the test'),
        }),
      ]);
      await c.stage('DISTRICT_PLANNING');
      await c.districtTask('d1', 'SUBMIT_DISTRICT_PLAN');
      await acts.settled();
      const alerts = await acts.knex('notifications').where({ template: 'SIDE_EFFECT_FAILED' });
      expect(alerts.map((n: { recipient_id: string }) => n.recipient_id)).toEqual(['focal-point']);
      expect(await workflowTaskFailures(c)).toBe(0);
      await c.update(withdrawCandidacyUpdate, { actor: actors.admin, reason: 'scenario finished' });
      await c.handle.result();
    });
  });

  it('when notifying fails for good, the alert is tried once per failure and never loops', async () => {
    const cityId = 'refused-notice';
    const sent: string[] = [];
    const notify = async (req: NotificationRequest) => {
      // The candidacy's own notices (its district plans notify their submitters too).
      if (Context.current().info.workflowExecution?.workflowId === candidacyWorkflowId(cityId)) sent.push(req.template);
      throw refused(ACTIVITY_NAMES.notify);
    };
    await withActivities({ [ACTIVITY_NAMES.notify]: notify }, async () => {
      const c = await CandidacyDriver.start(env.client, queue, cityInput({ cityId, districts: 1 }));
      await signMemorandum(c);
      await c.stage('DISTRICT_PLANNING');
      await c.update(withdrawCandidacyUpdate, { actor: actors.admin, reason: 'scenario finished' });
      const final = (await c.handle.result()) as { failedEffects?: Array<{ subject: string }> };
      await acts.settled();
      const notices = sent.filter((t) => t !== 'SIDE_EFFECT_FAILED');
      const alerts = sent.filter((t) => t === 'SIDE_EFFECT_FAILED');
      expect(notices).toEqual(['TASK_ASSIGNED', 'STAGE_OPENED', 'CANDIDACY_CLOSED']);
      expect(alerts).toHaveLength(notices.length);
      expect(final.failedEffects?.map((f) => f.subject).sort()).toEqual([...notices, ...alerts].sort());
      expect(await workflowTaskFailures(c)).toBe(0);
    });
  });

  it('a candidacy the old code wedged recovers on this code, replaying its history without divergence', async () => {
    const before = path.resolve(__dirname, 'fixtures', 'before-failed-effects', 'side-effects.ts');
    const activities = { ...acts.activities, [ACTIVITY_NAMES.recordDecision]: refusingTheMemorandum };
    // No sticky cache: each next workflow task goes to the shared queue, where today's worker polls.
    const oldCode = await createTestWorker(env, activities, {
      ...withSharedModuleReplaced('side-effects', before),
      maxCachedWorkflows: 0,
    });
    const c = await oldCode.worker.runUntil(async () => {
      const started = await CandidacyDriver.start(
        env.client,
        oldCode.taskQueue,
        cityInput({ cityId: 'wedged-city', districts: 1 }),
      );
      await signMemorandum(started);
      for (let i = 0; i < 300 && (await workflowTaskFailures(started)) === 0; i++) {
        await new Promise((r) => setTimeout(r, 50));
      }
      return started;
    });
    expect(await workflowTaskFailures(c)).toBeGreaterThan(0); // wedged: every task fails

    const newCode = await createTestWorker(env, activities, { taskQueue: oldCode.taskQueue });
    await newCode.worker.runUntil(async () => {
      const recovered = await c.until((s) => s.stage === 'DISTRICT_PLANNING', 'district planning, after the wedge');
      expect(recovered.failedEffects).toEqual([expect.objectContaining({ subject: 'MOU_SIGNED' })]);
      await c.update(withdrawCandidacyUpdate, { actor: actors.admin, reason: 'scenario finished' });
      await c.handle.result();
    });
    const events = (await c.handle.fetchHistory()).events ?? [];
    const lastFailure = events.map((e) => Boolean(e.workflowTaskFailedEventAttributes)).lastIndexOf(true);
    // After the old code's failed tasks, only completed ones: the new code replayed without divergence.
    expect(events.slice(lastFailure + 1).some((e) => e.workflowTaskCompletedEventAttributes)).toBe(true);
    expect(events.slice(lastFailure + 1).filter((e) => e.workflowTaskFailedEventAttributes)).toEqual([]);
  });
});
