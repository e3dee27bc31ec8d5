import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { temporal } from '@temporalio/proto';
import {
  ACTIVITY_NAMES,
  addObligationUpdate,
  endorseCandidacyUpdate,
  fulfilObligationUpdate,
  withdrawCandidacyUpdate,
  type KudakActivities,
  type NotificationRequest,
  type RecordAwardRequest,
} from '@kudak/contracts';
import { actors, CandidacyDriver, cityInput, UNICEF_FUNDING } from './support/candidacy-fixtures';
import { committeeApproves, toCommitteeVote } from './support/candidacy-steps';
import { startTimeSkippingServer } from './support/temporal-servers';
import { startTestActivities, type TestActivities } from './support/test-activities';
import { createTestWorker } from './support/test-worker';

// Two decisions accepted in the same workflow activation: the ledger's decision, accepted after
// UNICEF's, must not be taken for UNICEF's (the logo's endorser, a rejection's cause). The worker
// is stopped while both updates are sent, so the server hands them to the next worker together.

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

/** Whether two updates were accepted in one workflow task (no task started between them). */
function acceptedTogether(events: HistoryEvent[], first: string, second: string): boolean {
  const accepted = (name: string) =>
    events.findIndex((e) => e.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input?.name === name);
  const [a, b] = [accepted(first), accepted(second)];
  return a >= 0 && b > a && !events.slice(a, b).some((e) => e.workflowTaskStartedEventAttributes);
}

describe('decisions accepted in the same activation', () => {
  let env: TestWorkflowEnvironment;
  let acts: TestActivities;
  const awards: RecordAwardRequest[] = [];
  const notices: NotificationRequest[] = [];
  let activities: KudakActivities;
  beforeAll(async () => {
    env = await startTimeSkippingServer();
    acts = await startTestActivities({});
    const real = acts.activities as unknown as KudakActivities;
    activities = {
      ...real,
      [ACTIVITY_NAMES.recordAward]: (req) => (awards.push(req), real.recordAward(req)),
      [ACTIVITY_NAMES.notify]: (req) => (notices.push(req), real.notify(req)),
    };
  });
  afterAll(async () => {
    await acts?.close();
    await env?.teardown();
  });

  /**
   * Drives a candidacy to UNICEF's endorsement, stops the worker, sends UNICEF's decision and then
   * an administrator's, and lets a new worker take both in one activation.
   */
  async function unicefDecidesWithAnotherDecision(
    cityId: string,
    unicef: (c: CandidacyDriver) => Promise<unknown>,
    administrator: (c: CandidacyDriver) => Promise<unknown>,
  ): Promise<HistoryEvent[]> {
    const first = await createTestWorker(env, activities, { maxCachedWorkflows: 0 });
    const c = await first.worker.runUntil(async () => {
      const started = await CandidacyDriver.start(
        env.client,
        first.taskQueue,
        cityInput({ cityId, districts: 1, obligations: [{ ...UNICEF_FUNDING, gatesStage: undefined }] }),
      );
      await toCommitteeVote(started, ['d1']);
      await committeeApproves(started);
      await started.task('ENDORSE_CANDIDACY');
      return started;
    });
    const decided = [unicef(c), new Promise((r) => setTimeout(r, 300)).then(() => administrator(c))];
    await new Promise((r) => setTimeout(r, 1000)); // both wait on the server
    const second = await createTestWorker(env, activities, { taskQueue: first.taskQueue });
    await second.worker.runUntil(async () => {
      await Promise.all(decided);
      await c.until((s) => s.stage !== 'CANDIDACY_REVIEW', 'the candidacy decided');
      await acts.settled();
      await c.update(withdrawCandidacyUpdate, { actor: actors.admin, reason: 'scenario finished' });
      await c.handle.result();
    });
    return (await c.handle.fetchHistory()).events ?? [];
  }

  it("credits the candidacy logo to UNICEF's endorser, not to a ledger decision taken with it", async () => {
    const events = await unicefDecidesWithAnotherDecision(
      'logo-city',
      (c) => c.update(endorseCandidacyUpdate, { actor: actors.unicef, decision: 'ENDORSE' }),
      (c) =>
        c.update(addObligationUpdate, {
          actor: actors.admin,
          obligation: { ...UNICEF_FUNDING, id: 'venue', gatesStage: undefined },
        }),
    );
    expect(acceptedTogether(events, 'endorseCandidacy', 'addObligation')).toBe(true);
    const logo = awards.filter((a) => a.workflowId === 'candidacy-logo-city' && a.award.kind === 'CANDIDACY_LOGO');
    expect(logo.map((a) => a.actor)).toEqual([actors.unicef]);
  });

  it("gives UNICEF's decline as the rejection's cause, not a ledger decision taken with it", async () => {
    const events = await unicefDecidesWithAnotherDecision(
      'decline-city',
      (c) => c.update(endorseCandidacyUpdate, { actor: actors.unicef, decision: 'DECLINE', reason: 'No budget' }),
      (c) => c.update(fulfilObligationUpdate, { actor: actors.admin, obligationId: 'unicef-funding', evidence: 'T-1' }),
    );
    expect(acceptedTogether(events, 'endorseCandidacy', 'fulfilObligation')).toBe(true);
    const rejection = notices.filter(
      (n) => n.cityId === 'decline-city' && n.template === 'DECISION_RECORDED' && n.params.previousStage,
    );
    expect(rejection.map((n) => n.params)).toEqual([
      { decisionKind: 'UNICEF_DECLINED', previousStage: 'CANDIDACY_REVIEW', reason: 'No budget' },
    ]);
  });
});
