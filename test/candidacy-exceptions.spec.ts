import { WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import {
  addObligationUpdate,
  appealDecisionUpdate,
  fulfilObligationUpdate,
  OVERDUE_SEARCH_ATTRIBUTE,
  castCommitteeVoteUpdate,
  recordEvaluationUpdate,
  reinstateCandidacyUpdate,
  reviewDistrictPlanUpdate,
  signMemorandumUpdate,
  submitActionPlanUpdate,
  submitCorrectivePlanUpdate,
  submitDistrictPlanUpdate,
  waiveDistrictPlanUpdate,
  withdrawCandidacyUpdate,
  type CandidacyState,
} from '@kudak/contracts';
import { actors, CandidacyDriver, ScenarioCities, UNICEF_FUNDING } from './support/candidacy-fixtures';
import {
  approveDistricts,
  evaluateAfter,
  toCommitteeVote,
  POOR_SCORES,
  prepareActionPlan,
  signMemorandum,
  submitActionPlan,
  toImplementation,
} from './support/candidacy-steps';
import { startLifecycleHarness, type LifecycleHarness } from './support/lifecycle-harness';

/** Update events in a history: a refused update must add none. */
async function updateEvents(handle: WorkflowHandle): Promise<number> {
  const events = (await handle.fetchHistory()).events ?? [];
  return events.filter(
    (e) => e.workflowExecutionUpdateAcceptedEventAttributes || e.workflowExecutionUpdateCompletedEventAttributes,
  ).length;
}

/** The update was refused by its validator, with this message, and wrote nothing to history. */
async function expectRefused(
  c: CandidacyDriver,
  attempt: () => Promise<unknown>,
  message: string | RegExp,
  handle: WorkflowHandle = c.handle,
): Promise<void> {
  const before = await updateEvents(handle);
  const err = await attempt().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(WorkflowUpdateFailedError);
  const cause = (err as WorkflowUpdateFailedError).cause as Error & { type?: string };
  expect(cause.type).toBe('DecisionRefused');
  expect(cause.message).toMatch(message);
  expect(await updateEvents(handle)).toBe(before);
}

describe('candidacy lifecycle: returns, deadlines, votes, rejections and withdrawals', () => {
  let h: LifecycleHarness;
  let env: TestWorkflowEnvironment;
  const cities = new ScenarioCities(() => ({ client: env.client, taskQueue: h.taskQueue }), {
    prefix: 'city',
    districts: 2,
  });
  const start = (options: Parameters<ScenarioCities['start']>[0] = {}) => cities.start(options);
  const notificationsFor = async (c: CandidacyDriver, template: string) => {
    await h.acts.settled();
    return h.acts.knex('notifications').where({ template }).andWhere('workflow_id', 'like', `${c.workflowId}%`);
  };

  beforeAll(async () => {
    h = await startLifecycleHarness();
    env = h.env;
  });
  afterEach(() => cities.withdrawAll());
  afterAll(async () => {
    await h?.close();
  });

  it('a returned district plan needs a reason, then is resubmitted and approved', async () => {
    const c = await start();
    await signMemorandum(c);
    await c.districtTask('d1', 'SUBMIT_DISTRICT_PLAN');
    await c.districtUpdate('d1', submitDistrictPlanUpdate, { actor: actors.submitter('d1'), summary: 'First draft' });
    await c.districtTask('d1', 'REVIEW_DISTRICT_PLAN');

    await expectRefused(
      c,
      () => c.districtUpdate('d1', reviewDistrictPlanUpdate, { actor: actors.reviewer, decision: 'RETURN' }),
      /reason \(why the plan is returned\) is required/,
      c.district('d1'),
    );
    await expectRefused(
      c,
      () => c.districtUpdate('d1', reviewDistrictPlanUpdate, { actor: actors.submitter('d1'), decision: 'APPROVE' }),
      /district_submitter is not entitled/,
      c.district('d1'),
    );

    const returned = await c.districtUpdate('d1', reviewDistrictPlanUpdate, {
      actor: actors.reviewer,
      decision: 'RETURN',
      reason: 'No budget for play spaces',
    });
    expect(returned).toMatchObject({
      kind: 'DISTRICT_PLAN_RETURNED',
      actor: actors.reviewer,
      reason: 'No budget for play spaces',
    });
    const parent = await c.until((s) => s.districts[0].status === 'RETURNED', 'parent sees the return');
    expect(parent.districts[0].lastDecision?.reason).toBe('No budget for play spaces');

    await c.districtTask('d1', 'SUBMIT_DISTRICT_PLAN');
    await c.districtUpdate('d1', submitDistrictPlanUpdate, { actor: actors.submitter('d1'), summary: 'Revised' });
    await c.districtTask('d1', 'REVIEW_DISTRICT_PLAN');
    await c.districtUpdate('d1', reviewDistrictPlanUpdate, { actor: actors.reviewer, decision: 'APPROVE' });
    const state = await c.districtState('d1');
    expect(state.status).toBe('APPROVED');
    expect(state.submissions.map((s) => s.summary)).toEqual(['First draft', 'Revised']);
    expect(
      (await notificationsFor(c, 'DECISION_RECORDED')).map((n: { recipient_id: string }) => n.recipient_id),
    ).toContain('mayor-d1');
  });

  it('an overdue district is reminded, then escalated to the administrators; a waiver lets the city move on', async () => {
    const c = await start();
    await signMemorandum(c);
    await approveDistricts(c, ['d2']);
    await c.districtTask('d1', 'SUBMIT_DISTRICT_PLAN');

    await env.sleep('61 days'); // the district plan was due after 60
    const overdue = await c.until((s) => s.districts[0].overdue, 'district d1 overdue');
    expect(overdue.overdue).toBe(true);
    expect(overdue.stage).toBe('DISTRICT_PLANNING');
    const task = (await c.districtState('d1')).openTasks[0];
    expect(task).toMatchObject({ kind: 'SUBMIT_DISTRICT_PLAN', overdue: true, remindersSent: 2, escalations: 1 });
    const escalations = await notificationsFor(c, 'TASK_ESCALATION');
    expect(escalations.map((n: { recipient_id: string }) => n.recipient_id).sort()).toEqual([
      'focal-point',
      'mayor-d1',
    ]);
    const reminders = await notificationsFor(c, 'TASK_REMINDER');
    expect(reminders.every((n: { recipient_id: string }) => n.recipient_id === 'mayor-d1')).toBe(true);

    await expectRefused(
      c,
      () => c.districtUpdate('d1', waiveDistrictPlanUpdate, { actor: actors.admin }),
      /reason \(why the district is waived\) is required/,
    );
    await c.districtUpdate('d1', waiveDistrictPlanUpdate, { actor: actors.admin, reason: 'District merged' });
    const moved = await c.stage('ACTION_PLAN');
    expect(moved.districts.map((d) => d.status)).toEqual(['WAIVED', 'APPROVED']);
    expect(moved.overdue).toBe(false);
  });

  it('a missed action-plan deadline escalates and does not pass; no child participation, no submission', async () => {
    const c = await start();
    await signMemorandum(c);
    await approveDistricts(c, ['d1', 'd2']);
    await c.task('SUBMIT_ACTION_PLAN');
    await expectRefused(
      c,
      () => c.update(submitActionPlanUpdate, { actor: actors.admin, summary: 'Plan without children' }),
      /without recorded child participation/,
    );

    await env.sleep('32 days');
    const late = await c.until((s) => s.openTasks.some((t) => t.kind === 'SUBMIT_ACTION_PLAN' && t.overdue), 'overdue');
    expect(late.stage).toBe('ACTION_PLAN');
    expect(late.overdue).toBe(true);
    const escalated = await notificationsFor(c, 'TASK_ESCALATION');
    expect(escalated.map((n: { recipient_id: string }) => n.recipient_id).sort()).toEqual([
      'focal-point',
      'moi-officer',
    ]);

    await prepareActionPlan(c);
    await submitActionPlan(c);
    const submitted = await c.stage('MINISTRY_REVIEW');
    expect(submitted.overdue).toBe(false);
  });

  it('a failed evaluation opens corrective action; failing it again suspends; the Ministry can reinstate', async () => {
    const c = await start();
    await toImplementation(c, ['d1', 'd2']);
    await evaluateAfter(env, c, 6, POOR_SCORES, 'Participation stalled');
    const corrective = await c.task('SUBMIT_CORRECTIVE_PLAN');
    expect(corrective.evaluations[0]).toMatchObject({ satisfactory: false, reason: 'Participation stalled' });
    expect(corrective.correctiveActions).toHaveLength(1);
    expect(await notificationsFor(c, 'EVALUATION_UNSATISFACTORY')).not.toHaveLength(0);

    await c.update(submitCorrectivePlanUpdate, { actor: actors.admin, plan: 'Monthly council sessions' });
    await env.sleep('61 days');
    await c.until((s) => s.openTasks.some((t) => t.kind === 'RECORD_EVALUATION'), 'follow-up evaluation');
    await c.update(recordEvaluationUpdate, { actor: actors.member(1), scores: POOR_SCORES, reason: 'No change' });
    const suspended = await c.stage('SUSPENDED');
    expect(suspended.evaluations.map((e) => [e.kind, e.satisfactory])).toEqual([
      ['MONITORING', false],
      ['CORRECTIVE_FOLLOW_UP', false],
    ]);
    expect(suspended.decisions.at(-1)).toMatchObject({ kind: 'SUSPENDED', actor: { id: 'steering-committee' } });

    await expectRefused(
      c,
      () => c.update(reinstateCandidacyUpdate, { actor: actors.admin, reason: 'x' }),
      /not entitled/,
    );
    await c.update(reinstateCandidacyUpdate, { actor: actors.ministry, reason: 'New focal point appointed' });
    const resumed = await c.stage('IMPLEMENTATION');
    expect(resumed.programme?.evaluationsDone).toBe(1);
  });

  it('a committee without quorum decides nothing: the deadline escalates and the stage stays open', async () => {
    const c = await start({ policy: { committee: { members: ['member-1', 'member-2', 'member-3'], quorum: 3 } } });
    await toCommitteeVote(c, ['d1', 'd2']);

    await expectRefused(
      c,
      () => c.update(castCommitteeVoteUpdate, { actor: { ...actors.member(9) }, vote: 'APPROVE' }),
      /member-9 is not a member/,
    );
    await c.update(castCommitteeVoteUpdate, { actor: actors.member(1), vote: 'APPROVE' });
    await expectRefused(
      c,
      () => c.update(castCommitteeVoteUpdate, { actor: actors.member(1), vote: 'REJECT', reason: 'changed my mind' }),
      /already voted/,
    );
    await c.update(castCommitteeVoteUpdate, { actor: actors.member(2), recuse: true, reason: 'Former district mayor' });
    let state: CandidacyState = await c.state();
    expect(state.committeeRounds[0].outcome).toBeUndefined();
    expect(state.openTasks.find((t) => t.kind === 'COMMITTEE_VOTE')?.assignees).toEqual(['member-3']);

    await env.sleep('31 days');
    state = await c.until((s) => s.openTasks.some((t) => t.kind === 'COMMITTEE_VOTE' && t.overdue), 'escalation');
    expect(state.stage).toBe('CANDIDACY_REVIEW');
    expect(state.committeeRounds[0].outcome).toBeUndefined();
    expect(state.decisions.some((d) => d.kind === 'COMMITTEE_OUTCOME')).toBe(false);
    expect((await notificationsFor(c, 'TASK_ESCALATION')).length).toBeGreaterThan(0);
  });

  it('a rejection opens the appeal window; an appeal reopens the vote; dissent is recorded', async () => {
    const c = await start({ policy: { committee: { members: ['member-1', 'member-2', 'member-3'], quorum: 3 } } });
    await toCommitteeVote(c, ['d1', 'd2']);
    await expectRefused(
      c,
      () => c.update(castCommitteeVoteUpdate, { actor: actors.member(1), vote: 'REJECT' }),
      /reason \(why the member votes to reject\) is required/,
    );
    await c.update(castCommitteeVoteUpdate, { actor: actors.member(1), vote: 'REJECT', reason: 'No child budget' });
    await c.update(castCommitteeVoteUpdate, { actor: actors.member(2), vote: 'REJECT', reason: 'Agree' });
    // Two votes of a quorum of three: no outcome yet.
    expect((await c.state()).committeeRounds[0].outcome).toBeUndefined();
    await c.update(castCommitteeVoteUpdate, { actor: actors.member(3), vote: 'APPROVE' });
    const rejected = await c.stage('REJECTED');
    expect(rejected.committeeRounds[0]).toMatchObject({ outcome: 'REJECTED', dissenters: ['member-3'] });
    expect(rejected.appealDeadline).toBeDefined();
    expect(rejected.openTasks).toEqual([
      expect.objectContaining({ kind: 'APPEAL_OR_ACCEPT', assigneeRole: 'administrator' }),
    ]);

    await c.update(appealDecisionUpdate, { actor: actors.admin, reason: 'Budget line added' });
    await c.stage('CANDIDACY_REVIEW');
    await c.task('COMMITTEE_VOTE');
    await c.update(castCommitteeVoteUpdate, { actor: actors.member(1), vote: 'REJECT', reason: 'Still thin' });
    await c.update(castCommitteeVoteUpdate, { actor: actors.member(2), vote: 'APPROVE' });
    await c.update(castCommitteeVoteUpdate, { actor: actors.member(3), vote: 'APPROVE' });
    const second = await c.task('ENDORSE_CANDIDACY');
    expect(second.committeeRounds[1]).toMatchObject({ round: 2, outcome: 'APPROVED', dissenters: ['member-1'] });
    expect(second.decisions.filter((d) => d.kind === 'COMMITTEE_OUTCOME').at(-1)?.details).toMatchObject({
      approvals: 2,
      rejections: 1,
      dissenters: ['member-1'],
    });
  });

  it('a rejection not appealed within the window closes the candidacy as REJECTED', async () => {
    const c = await start();
    await toCommitteeVote(c, ['d1', 'd2']);
    await c.update(castCommitteeVoteUpdate, { actor: actors.member(1), vote: 'REJECT', reason: 'Incomplete' });
    await c.update(castCommitteeVoteUpdate, { actor: actors.member(3), vote: 'REJECT', reason: 'Incomplete' });
    await c.stage('REJECTED');
    const final = (await c.handle.result()) as CandidacyState; // waiting on the result skips time
    expect(final.stage).toBe('REJECTED');
    expect(final.closedAt).toBeDefined();
    expect(Date.parse(final.closedAt!) - Date.parse(final.stageEnteredAt)).toBeGreaterThanOrEqual(30 * 86_400_000);
  });

  it('an overdue obligation notifies its party; an unfulfilled one holds the stage it gates', async () => {
    const c = await start();
    // Due dates count from the workflow's clock (the test server's, which earlier scenarios moved on).
    const now = Date.parse((await c.task('SIGN_MEMORANDUM')).startedAt);
    const inDays = (days: number) => new Date(now + days * 86_400_000).toISOString();
    await expectRefused(
      c,
      () =>
        c.update(addObligationUpdate, { actor: actors.admin, obligation: { ...UNICEF_FUNDING, dueAt: 'next spring' } }),
      /obligation.dueAt must be an ISO-8601 date/,
    );
    await c.update(addObligationUpdate, { actor: actors.admin, obligation: { ...UNICEF_FUNDING, dueAt: inDays(10) } });
    await expectRefused(
      c,
      () =>
        c.update(addObligationUpdate, { actor: actors.admin, obligation: { ...UNICEF_FUNDING, dueAt: inDays(10) } }),
      /obligation unicef-funding already exists/,
    );
    await c.update(addObligationUpdate, {
      actor: actors.admin,
      obligation: {
        id: 'ministry-focal-point',
        party: 'Ministry of Interior',
        partyRole: 'ministry_officer',
        owedTo: 'Isfahan Municipality',
        description: 'Name a national focal point',
        dueAt: inDays(400),
      },
    });

    await env.sleep('11 days');
    const late = await c.until((s) => s.obligations[0].status === 'OVERDUE', 'obligation overdue');
    expect(late.overdue).toBe(true);
    expect(late.obligations.map((o) => [o.id, o.party, o.owedTo, o.status])).toEqual([
      ['unicef-funding', 'UNICEF', 'Isfahan Municipality', 'OVERDUE'],
      ['ministry-focal-point', 'Ministry of Interior', 'Isfahan Municipality', 'OPEN'],
    ]);
    expect((await c.handle.describe()).typedSearchAttributes.get(OVERDUE_SEARCH_ATTRIBUTE)).toBe(true);
    const notices = await notificationsFor(c, 'OBLIGATION_OVERDUE');
    expect(notices.map((n: { recipient_id: string }) => n.recipient_id).sort()).toEqual([
      'focal-point',
      'unicef-officer',
    ]);

    await toImplementation(c, ['d1', 'd2']);
    const held = await c.task('FULFIL_OBLIGATION');
    expect(held.stage).toBe('IMPLEMENTATION');
    expect(held.programme).toBeUndefined();
    expect(held.openTasks.find((t) => t.kind === 'FULFIL_OBLIGATION')).toMatchObject({
      assigneeRole: 'unicef_officer',
      obligationId: 'unicef-funding',
    });
    await expectRefused(
      c,
      () => c.update(fulfilObligationUpdate, { actor: actors.reviewer, obligationId: 'unicef-funding', evidence: 'x' }),
      /reviewer is not entitled/,
    );
    await c.update(fulfilObligationUpdate, {
      actor: actors.unicef,
      obligationId: 'unicef-funding',
      evidence: 'Transfer 2027/031',
    });
    const open = await c.until((s) => s.programme !== undefined, 'programme started');
    expect(open.overdue).toBe(false);
    expect((await c.handle.describe()).typedSearchAttributes.get(OVERDUE_SEARCH_ATTRIBUTE)).toBe(false);
  });

  it('a city can withdraw at any stage: district workflows are cancelled, later decisions refused', async () => {
    const c = await start();
    await signMemorandum(c);
    await c.districtTask('d1', 'SUBMIT_DISTRICT_PLAN');
    await expectRefused(c, () => c.update(withdrawCandidacyUpdate, { actor: actors.admin }), /reason .* is required/);
    await expectRefused(
      c,
      () => c.update(withdrawCandidacyUpdate, { actor: actors.auditor, reason: 'x' }),
      /auditor is not entitled/,
    );
    const decision = await c.update(withdrawCandidacyUpdate, { actor: actors.admin, reason: 'Council vote' });
    expect(decision).toMatchObject({ kind: 'WITHDRAWN', stage: 'DISTRICT_PLANNING', actor: actors.admin });
    const final = (await c.handle.result()) as CandidacyState;
    expect(final).toMatchObject({ stage: 'WITHDRAWN', previousStage: 'DISTRICT_PLANNING', openTasks: [] });
    expect((await c.district('d1').describe()).status.name).toBe('CANCELLED');
    await expect(c.update(signMemorandumUpdate, { actor: actors.admin })).rejects.toThrow();
  });

  it('refuses decisions at the wrong stage and by the wrong role, writing nothing', async () => {
    const c = await start();
    await c.task('SIGN_MEMORANDUM');
    await expectRefused(
      c,
      () => c.update(submitActionPlanUpdate, { actor: actors.admin, summary: 'early' }),
      /belongs to stage ACTION_PLAN; the candidacy is at COMMITMENT/,
    );
    await expectRefused(
      c,
      () => c.update(signMemorandumUpdate, { actor: actors.reviewer }),
      /reviewer is not entitled/,
    );
    await expectRefused(
      c,
      () => c.update(signMemorandumUpdate, { actor: { id: '', role: 'administrator', organisation: 'x' } }),
      /actor with id, role and organisation is required/,
    );
    await expectRefused(
      c,
      () => c.update(castCommitteeVoteUpdate, { actor: actors.member(1), vote: 'APPROVE' }),
      /belongs to stage CANDIDACY_REVIEW/,
    );
  });
});
