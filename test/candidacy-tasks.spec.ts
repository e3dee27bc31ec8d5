import { WorkflowUpdateFailedError } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import {
  addMonths,
  addObligationUpdate,
  appealDecisionUpdate,
  castCommitteeVoteUpdate,
  DEADLINES_MEMO_KEY,
  fulfilObligationUpdate,
  recordEvaluationUpdate,
  recordFinalAssessmentUpdate,
  reviewDistrictPlanUpdate,
  submitCorrectivePlanUpdate,
  submitDistrictPlanUpdate,
  type CandidacyState,
  type CandidacyWorkflowInput,
  type DeadlineMemoEntry,
  type ObligationInput,
  type OpenTask,
} from '@kudak/contracts';
import { buildTimeline } from '../apps/api/audit/timeline.builder';
import { actors, CandidacyDriver, ScenarioCities } from './support/candidacy-fixtures';
import {
  approveDistricts,
  committeeApproves,
  evaluateAfter,
  finalAssessmentPasses,
  GOOD_SCORES,
  ministryApproves,
  POOR_SCORES,
  prepareActionPlan,
  signMemorandum,
  submitActionPlan,
  toCommitteeVote,
  unicefEndorses,
} from './support/candidacy-steps';
import { startLifecycleHarness, type LifecycleHarness } from './support/lifecycle-harness';
import { startSmtpSink, type SmtpSink } from './support/smtp-sink';
import { storedHistories } from './replay/replay-histories';
import { defaultPayloadConverter } from '@temporalio/common';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import type { temporal } from '@temporalio/proto';

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

/** An obligation of the MoU owed by UNICEF that gates nothing. */
const TRAINING: ObligationInput = {
  id: 'unicef-training',
  party: 'UNICEF',
  partyRole: 'unicef_officer',
  owedTo: 'Isfahan Municipality',
  description: "Training for the city's focal points",
  dueAt: '2100-01-01T00:00:00.000Z',
};

/** From the approved district plans to the candidacy logo. */
async function toCandidacyLogo(c: CandidacyDriver): Promise<void> {
  await prepareActionPlan(c);
  await submitActionPlan(c);
  await ministryApproves(c);
  await committeeApproves(c);
  await unicefEndorses(c);
  await c.stage('IMPLEMENTATION');
}

const taskOf = (state: CandidacyState, kind: OpenTask['kind']) => state.openTasks.find((t) => t.kind === kind);

// What the workflows wait on, shown as tasks; who hears of a new task; and a committee that waits
// for its members. On the real time-skipping server, with the real activities, database and SMTP.
describe('candidacy tasks: every deadline a task, every assignee told, every member heard', () => {
  let h: LifecycleHarness;
  let env: TestWorkflowEnvironment;
  let smtp: SmtpSink;
  const cities = new ScenarioCities(() => ({ client: env.client, taskQueue: h.taskQueue }), {
    prefix: 'tasks-city',
    districts: 1,
  });
  const start = (options: Parameters<ScenarioCities['start']>[0] = {}) => cities.start(options);
  const memoDeadlines = async (c: CandidacyDriver) =>
    ((await c.handle.describe()).memo?.[DEADLINES_MEMO_KEY] ?? []) as DeadlineMemoEntry[];

  beforeAll(async () => {
    smtp = await startSmtpSink();
    h = await startLifecycleHarness({ smtpUrl: smtp.url });
    env = h.env;
  });
  afterEach(() => cities.withdrawAll());
  afterAll(async () => {
    await h?.close();
    await smtp?.close();
  });

  it('every deadline the candidacy waits on is an open task with its roles and due date, to the renewal', async () => {
    const c = await start({ obligations: [TRAINING], policy: { programmeMonths: 12, recognitionYears: 1 } });

    // At start: the memorandum, and the obligation of its owing party, due when it is due.
    const begun = await c.task('SIGN_MEMORANDUM');
    expect(taskOf(begun, 'FULFIL_OBLIGATION')).toMatchObject({
      assigneeRole: 'unicef_officer',
      obligationId: 'unicef-training',
      dueAt: TRAINING.dueAt,
      overdue: false,
    });
    // An obligation added later is a task too; once overdue, the administrators' as well.
    const now = Date.parse(begun.startedAt);
    await c.update(addObligationUpdate, {
      actor: actors.admin,
      obligation: {
        id: 'focal-point',
        party: 'Ministry of Interior',
        partyRole: 'ministry_officer',
        owedTo: 'Isfahan Municipality',
        description: 'Name a national focal point',
        dueAt: new Date(now + 10 * 86_400_000).toISOString(),
      },
    });
    const added = await c.until((s) => s.openTasks.some((t) => t.obligationId === 'focal-point'), 'obligation task');
    expect(added.openTasks.find((t) => t.obligationId === 'focal-point')).toMatchObject({
      kind: 'FULFIL_OBLIGATION',
      assigneeRole: 'ministry_officer',
      overdue: false,
    });
    await signMemorandum(c);
    await env.sleep('11 days');
    const late = await c.until((s) => s.obligations[1].status === 'OVERDUE', 'obligation overdue');
    expect(late.openTasks.find((t) => t.obligationId === 'focal-point')).toMatchObject({
      overdue: true,
      assigneeRoles: ['ministry_officer', 'administrator'],
    });
    expect((await memoDeadlines(c)).find((d) => d.obligationId === 'focal-point')).toMatchObject({
      assigneeRoles: ['ministry_officer', 'administrator'],
    });
    await c.update(fulfilObligationUpdate, { actor: actors.admin, obligationId: 'focal-point', evidence: 'Decree 12' });
    await c.until((s) => !s.openTasks.some((t) => t.obligationId === 'focal-point'), 'fulfilled obligation closed');

    // Implementation: the next evaluation is the committee members' and the Ministry officers' task.
    await approveDistricts(c, ['d1']);
    await toCandidacyLogo(c);
    const implementing = await c.task('PREPARE_EVALUATION');
    const firstDue = addMonths(Date.parse(implementing.programme!.startedAt), 6);
    expect(taskOf(implementing, 'PREPARE_EVALUATION')).toMatchObject({
      stage: 'IMPLEMENTATION',
      assigneeRoles: ['committee_member', 'ministry_officer'],
      dueAt: new Date(firstDue).toISOString(),
    });
    expect((await memoDeadlines(c)).map((d) => d.kind).sort()).toEqual(['FULFIL_OBLIGATION', 'PREPARE_EVALUATION']);

    // The day it falls due, the evaluation is recorded (by either role); a poor one calls for a plan.
    await env.sleep('185 days');
    const due = await c.task('RECORD_EVALUATION');
    expect(taskOf(due, 'PREPARE_EVALUATION')).toBeUndefined();
    expect(taskOf(due, 'RECORD_EVALUATION')?.assigneeRoles).toEqual(['committee_member', 'ministry_officer']);
    await h.acts.settled();
    const reminded = await h.acts
      .knex('notifications')
      .where({ workflow_id: c.workflowId, template: 'TASK_REMINDER' })
      .andWhere('subject', 'like', '%آماده‌شدن برای ارزیابی بعدی');
    expect(new Set(reminded.map((n: { recipient_id: string }) => n.recipient_id))).toEqual(
      new Set(['member-1', 'member-2', 'member-3', 'moi-officer']),
    );
    await c.update(recordEvaluationUpdate, { actor: actors.ministry, scores: POOR_SCORES, reason: 'Stalled' });
    const corrective = await c.task('SUBMIT_CORRECTIVE_PLAN');
    expect(taskOf(corrective, 'SUBMIT_CORRECTIVE_PLAN')).toMatchObject({
      assigneeRole: 'administrator',
      dueAt: corrective.correctiveActions[0].dueAt,
    });
    await c.update(submitCorrectivePlanUpdate, { actor: actors.admin, plan: 'Monthly council sessions' });
    // The follow-up evaluation falls due when the corrective action's time is up.
    const followUp = await c.until(
      (s) => s.openTasks.some((t) => t.kind === 'PREPARE_EVALUATION'),
      'follow-up evaluation awaited',
    );
    expect(taskOf(followUp, 'PREPARE_EVALUATION')?.dueAt).toBe(followUp.correctiveActions[0].dueAt);
    await env.sleep('61 days');
    await c.task('RECORD_EVALUATION');
    await c.update(recordEvaluationUpdate, { actor: actors.member(1), scores: GOOD_SCORES });
    const second = await c.until(
      (s) => s.openTasks.some((t) => t.kind === 'PREPARE_EVALUATION') && s.evaluations.length === 2,
      'second evaluation awaited',
    );
    expect(taskOf(second, 'PREPARE_EVALUATION')?.dueAt).toBe(
      new Date(addMonths(Date.parse(second.programme!.startedAt), 12)).toISOString(),
    );
    await evaluateAfter(env, c, 4);

    // The final assessment is UNICEF's; a failed one opens the appeal window, the administrators' task.
    const assessing = await c.task('RECORD_FINAL_ASSESSMENT');
    expect(taskOf(assessing, 'RECORD_FINAL_ASSESSMENT')).toMatchObject({ assigneeRole: 'unicef_officer' });
    await c.update(recordFinalAssessmentUpdate, {
      actor: actors.unicef,
      demonstratedResults: true,
      childParticipation: false,
      nonDiscrimination: true,
      reason: 'The council met twice',
    });
    const rejected = await c.stage('REJECTED');
    expect(taskOf(rejected, 'APPEAL_OR_ACCEPT')).toMatchObject({
      assigneeRole: 'administrator',
      dueAt: rejected.appealDeadline,
    });
    await c.update(appealDecisionUpdate, { actor: actors.admin, reason: 'Minutes of twelve sessions' });
    await c.stage('FINAL_ASSESSMENT');
    await finalAssessmentPasses(c);

    // A member of the network: the administrators prepare the renewal, due when its cycle opens.
    const acceded = await c.task('PREPARE_RENEWAL');
    expect(acceded.stage).toBe('ACCEDED');
    const recognition = acceded.awards.find((a) => a.kind === 'RECOGNITION')!;
    expect(taskOf(acceded, 'PREPARE_RENEWAL')).toMatchObject({
      assigneeRole: 'administrator',
      dueAt: new Date(addMonths(Date.parse(recognition.expiresAt!), -6)).toISOString(),
    });
    expect((await memoDeadlines(c)).map((d) => d.kind).sort()).toEqual(['FULFIL_OBLIGATION', 'PREPARE_RENEWAL']);

    // The renewal cycle opens with the unfulfilled obligation's task carried over.
    await env.sleep('200 days');
    const renewed = await c.until((s) => s.cycle === 2 && s.openTasks.length === 2, 'renewal cycle');
    expect(renewed.openTasks.map((t) => [t.kind, t.obligationId])).toEqual([
      ['FULFIL_OBLIGATION', 'unicef-training'],
      ['SUBMIT_ACTION_PLAN', undefined],
    ]);
    expect(taskOf(renewed, 'FULFIL_OBLIGATION')?.id).toBe(taskOf(begun, 'FULFIL_OBLIGATION')?.id);

    // The obligation given at start is on the timeline from the start, with whoever recorded it.
    const history = await c.handle.fetchHistory();
    const firstRun = history.events![0].workflowExecutionStartedEventAttributes!.firstExecutionRunId!;
    const firstHistory = await env.client.workflow.getHandle(c.workflowId, firstRun).fetchHistory();
    const timeline = buildTimeline([{ workflowId: c.workflowId, runId: firstRun, events: firstHistory.events! }]);
    expect(timeline.slice(0, 2).map((e) => e.kind)).toEqual(['STARTED', 'OBLIGATION']);
    expect(timeline[1]).toMatchObject({
      actor: actors.admin,
      at: timeline[0].at,
      summary: `Obligation given at start: unicef-training: UNICEF (unicef_officer) owes Isfahan Municipality "Training for the city's focal points", due ${TRAINING.dueAt}`,
      details: { obligations: [TRAINING] },
    });
  });

  it('the timelines of stored candidacies that started with obligations gain no line (their audit logs stay valid)', () => {
    const older = storedHistories('candidacy-workflow').filter((h) => /^v[123]-/.test(h.name));
    const startInput = (events: HistoryEvent[]) => {
      const [input] = events[0].workflowExecutionStartedEventAttributes?.input?.payloads ?? [];
      return input ? defaultPayloadConverter.fromPayload<Partial<CandidacyWorkflowInput>>(input) : undefined;
    };
    const withObligations = older.filter(
      (h) => (startInput(historyFromJSON(h.history).events ?? [])?.start?.obligations?.length ?? 0) > 0,
    );
    expect(withObligations.map((h) => h.name)).toContain('v3-renewed-run-1.json');
    for (const stored of older) {
      const events = historyFromJSON(stored.history).events ?? [];
      const timeline = buildTimeline([{ workflowId: stored.workflowId ?? 'w', runId: stored.name, events }]);
      expect({ name: stored.name, obligations: timeline.filter((e) => e.kind === 'OBLIGATION') }).toEqual({
        name: stored.name,
        obligations: [],
      });
    }
  });

  it('whoever gets a new task is told, once per task, in their language: 15 plans, 15 notices to the reviewer', async () => {
    const districtIds = Array.from({ length: 15 }, (_, i) => `d${i + 1}`);
    const c = await start({
      districts: 15,
      obligations: [TRAINING],
      email: (id) => (id === actors.reviewer.id ? 'reviewer@kudak.test' : undefined),
    });
    const assigned = async () => {
      await h.acts.settled();
      const rows: Array<{ recipient_id: string; locale: string; subject: string; body: string; workflow_id: string }> =
        await h.acts
          .knex('notifications')
          .where({ template: 'TASK_ASSIGNED' })
          .andWhere('workflow_id', 'like', `${c.workflowId}%`)
          .orderBy('id');
      return rows;
    };
    await c.task('SIGN_MEMORANDUM');
    const atStart = await assigned();
    expect(atStart.map((n) => [n.recipient_id, n.locale])).toEqual(
      expect.arrayContaining([
        ['focal-point', 'fa'],
        ['unicef-officer', 'en'],
      ]),
    );
    expect(atStart.find((n) => n.recipient_id === 'unicef-officer')?.subject).toBe(
      'New task for Isfahan: Fulfil the obligation',
    );
    expect(atStart.find((n) => n.recipient_id === 'focal-point')?.subject).toBe(
      'کار تازه در Isfahan: امضای تفاهم‌نامه',
    );

    await signMemorandum(c);
    await Promise.all(
      districtIds.map(async (d) => {
        await c.districtTask(d, 'SUBMIT_DISTRICT_PLAN');
        await c.districtUpdate(d, submitDistrictPlanUpdate, { actor: actors.submitter(d), summary: `Plan of ${d}` });
        await c.districtTask(d, 'REVIEW_DISTRICT_PLAN');
      }),
    );
    const notices = await assigned();
    // Each district's submitter heard of its own plan's task, and only of it.
    for (const d of districtIds) {
      expect(notices.filter((n) => n.recipient_id === `mayor-${d}`).map((n) => n.workflow_id)).toEqual([
        `${c.workflowId}/district/${d}`,
      ]);
    }
    // The reviewer heard of each plan to review: 15 notices, in Persian, and 15 e-mails.
    const toReviewer = notices.filter((n) => n.recipient_id === actors.reviewer.id);
    expect(toReviewer).toHaveLength(15);
    expect(new Set(toReviewer.map((n) => n.workflow_id)).size).toBe(15);
    expect(toReviewer.every((n) => n.locale === 'fa' && n.subject === 'کار تازه در Isfahan: بررسی برنامهٔ منطقه')).toBe(
      true,
    );
    expect(toReviewer[0].body).toMatch(/مهلت: ۱۴[۰-۹]{2}\/[۰-۹]{2}\/[۰-۹]{2}/);
    const mails = smtp.received.filter((m) => m.to.includes('reviewer@kudak.test'));
    expect(mails).toHaveLength(15);
    expect(mails.every((m) => m.subject === 'کار تازه در Isfahan: بررسی برنامهٔ منطقه')).toBe(true);

    // The committee's vote is told to its members by name, and to nobody else.
    await Promise.all(
      districtIds.map((d) =>
        c.districtUpdate(d, reviewDistrictPlanUpdate, { actor: actors.reviewer, decision: 'APPROVE' }),
      ),
    );
    await prepareActionPlan(c);
    await submitActionPlan(c);
    await ministryApproves(c);
    await c.task('COMMITTEE_VOTE');
    const vote = (await assigned()).filter((n) => n.subject.includes('رأی‌دادن') || n.subject.includes('Vote'));
    expect(vote.map((n) => n.recipient_id).sort()).toEqual(['member-1', 'member-2', 'member-3']);
  });

  it('a named committee hears every member before it decides: a later vote can turn the outcome', async () => {
    const c = await start({ policy: { committee: { members: ['member-1', 'member-2', 'member-3'], quorum: 2 } } });
    await toCommitteeVote(c, ['d1']);
    await c.update(castCommitteeVoteUpdate, { actor: actors.member(1), vote: 'APPROVE' });
    await c.update(castCommitteeVoteUpdate, { actor: actors.member(2), vote: 'REJECT', reason: 'No child budget' });
    // The quorum is reached with a tie: the vote stays open for the third member.
    const split = await c.state();
    expect(split.committeeRounds[0].outcome).toBeUndefined();
    expect(taskOf(split, 'COMMITTEE_VOTE')?.assignees).toEqual(['member-3']);
    await c.update(castCommitteeVoteUpdate, { actor: actors.member(3), vote: 'APPROVE', reason: 'Strong plan' });
    const decided = await c.task('ENDORSE_CANDIDACY');
    expect(decided.committeeRounds[0]).toMatchObject({
      outcome: 'APPROVED',
      dissenters: ['member-2'],
      ballots: [
        expect.objectContaining({ memberId: 'member-1', vote: 'APPROVE', recused: false }),
        expect.objectContaining({ memberId: 'member-2', vote: 'REJECT', recused: false }),
        expect.objectContaining({ memberId: 'member-3', vote: 'APPROVE', recused: false }),
      ],
    });
    expect(decided.decisions.find((d) => d.kind === 'COMMITTEE_OUTCOME')?.details).toMatchObject({
      outcome: 'APPROVED',
      approvals: 2,
      rejections: 1,
      dissenters: ['member-2'],
      closedBecause: 'ALL_VOTED',
    });

    // Who voted how is on the timeline, with the outcome and its dissenters.
    const timeline = buildTimeline([
      { workflowId: c.workflowId, runId: 'run', events: (await c.handle.fetchHistory()).events! },
    ]);
    const committee = timeline.filter((e) => /^COMMITTEE_/.test(String(e.details?.decisionKind)));
    expect(committee.map((e) => [e.details?.decisionKind, e.actor?.id, e.details?.vote ?? e.details?.outcome])).toEqual(
      [
        ['COMMITTEE_VOTE', 'member-1', 'APPROVE'],
        ['COMMITTEE_VOTE', 'member-2', 'REJECT'],
        ['COMMITTEE_VOTE', 'member-3', 'APPROVE'],
        ['COMMITTEE_OUTCOME', 'steering-committee', 'APPROVED'],
      ],
    );
    expect(committee[3].details?.dissenters).toEqual(['member-2']);
  });

  it('a named committee closes when the votes to come cannot change the outcome, or at its deadline', async () => {
    const five = { members: [1, 2, 3, 4, 5].map((n) => `member-${n}`), quorum: 3 };
    const c = await start({ policy: { committee: five, committeeDecisionDays: 10 } });
    await toCommitteeVote(c, ['d1']);
    await c.update(castCommitteeVoteUpdate, { actor: actors.member(1), vote: 'APPROVE' });
    await c.update(castCommitteeVoteUpdate, { actor: actors.member(2), recuse: true, reason: 'Former mayor' });
    await c.update(castCommitteeVoteUpdate, { actor: actors.member(3), vote: 'REJECT', reason: 'Thin' });
    await c.update(castCommitteeVoteUpdate, { actor: actors.member(4), vote: 'APPROVE' });
    expect((await c.state()).committeeRounds[0].outcome).toBeUndefined(); // member-5 could still tie it

    // The deadline passes with the quorum reached: the vote closes on the votes cast.
    await env.sleep('11 days');
    const closed = await c.task('ENDORSE_CANDIDACY');
    expect(closed.committeeRounds[0]).toMatchObject({ outcome: 'APPROVED', dissenters: ['member-3'] });
    expect(closed.decisions.find((d) => d.kind === 'COMMITTEE_OUTCOME')?.details).toMatchObject({
      approvals: 2,
      rejections: 1,
      recusals: 1,
      closedBecause: 'DEADLINE',
    });
    const late = await c
      .update(castCommitteeVoteUpdate, { actor: actors.member(5), vote: 'REJECT', reason: 'Late' })
      .catch((e: unknown) => e);
    expect(late).toBeInstanceOf(WorkflowUpdateFailedError);
    expect(((late as WorkflowUpdateFailedError).cause as Error).message).toMatch(/no committee vote is open/);

    // A second city: three approvals of five settle it at once.
    const settled = await start({ policy: { committee: five } });
    await toCommitteeVote(settled, ['d1']);
    for (const n of [1, 2, 3])
      await settled.update(castCommitteeVoteUpdate, { actor: actors.member(n), vote: 'APPROVE' });
    const endorsing = await settled.task('ENDORSE_CANDIDACY');
    expect(endorsing.decisions.find((d) => d.kind === 'COMMITTEE_OUTCOME')?.details).toMatchObject({
      approvals: 3,
      closedBecause: 'SETTLED',
    });
  });
});
