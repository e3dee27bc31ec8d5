import {
  allHandlersFinished,
  ApplicationFailure,
  CancellationScope,
  condition,
  continueAsNew,
  executeChild,
  isCancellation,
  ParentClosePolicy,
  patched,
  setHandler,
  sleep,
  upsertSearchAttributes,
  uuid4,
  workflowInfo,
} from '@temporalio/workflow';
import {
  ACTION_PLAN_INPUT_SOURCES,
  addDays,
  addMonths,
  addObligationUpdate,
  addYears,
  appealDecisionUpdate,
  CANDIDACY_STAGES,
  castCommitteeVoteUpdate,
  CITY_SEARCH_ATTRIBUTE,
  COUNTRY_SEARCH_ATTRIBUTE,
  districtPlanChangedSignal,
  districtPlanWorkflowId,
  endorseCandidacyUpdate,
  fulfilObligationUpdate,
  getCandidacyStateQuery,
  iso,
  policyProblems,
  recordActionPlanInputUpdate,
  recordEvaluationUpdate,
  recordFinalAssessmentUpdate,
  reinstateCandidacyUpdate,
  resolvePolicy,
  reviewActionPlanUpdate,
  ROLES,
  signMemorandumUpdate,
  STAGE_SEARCH_ATTRIBUTE,
  submitActionPlanUpdate,
  submitCorrectivePlanUpdate,
  VOTES,
  withdrawCandidacyUpdate,
  type Actor,
  type Award,
  type CandidacyStage,
  type CandidacyState,
  type CandidacyWorkflowInput,
  type CommitteeRound,
  type DecisionKind,
  type DecisionRecord,
  type EvaluationRecord,
  type Role,
  type StartCandidacyInput,
} from '@kudak/contracts';
import { committeeOutcome } from './candidacy/committee-outcome';
import { isSatisfactory, isScore, SCORE_RANGE } from './candidacy/evaluation-scoring';
import { districtPlanWorkflow } from './district-plan.workflow';
import { legacyCommitmentOnlyCandidacy, type LegacyStartCandidacyInput } from './legacy/commitment-only-candidacy';
import { nowIso, nowMs } from './shared/clock';
import { logDecision, overduePublisher } from './shared/decisions';
import { optionalText, refuse, requireActor, requireOneOf, requireText } from './shared/refusals';
import { SideEffects } from './shared/side-effects';
import { TaskBoard } from './shared/tasks';

/**
 * Marks the full lifecycle. Candidacies started by the first release (commitment only) replay
 * without it and keep their old behaviour; see legacy/commitment-only-candidacy.ts.
 */
export const FULL_LIFECYCLE_PATCH = 'candidacy-full-lifecycle';

/** Continue as new at a stage boundary before a run's history gets long. */
const HISTORY_SOFT_LIMIT = 4000;

/** Outcomes computed by the workflow are attributed to the body whose rule computed them. */
const STEERING_COMMITTEE: Actor = {
  id: 'steering-committee',
  role: 'committee_member',
  organisation: 'National steering committee',
};

function initialState(start: StartCandidacyInput): CandidacyState {
  const policy = resolvePolicy(start.policy);
  const problems = policyProblems(policy);
  if (problems.length > 0) {
    throw ApplicationFailure.create({ type: 'InvalidPolicy', message: problems.join('; '), nonRetryable: true });
  }
  const now = nowIso();
  return {
    cityId: start.cityId,
    cityName: start.cityName,
    country: start.country,
    stage: 'COMMITMENT',
    cycle: 1,
    policy,
    contacts: start.contacts ?? [],
    districts: start.districts.map((d) => ({ id: d.id, name: d.name, status: 'NOT_SUBMITTED', overdue: false })),
    obligations: (start.obligations ?? []).map((o) => ({ ...o, status: 'OPEN' })),
    actionPlanInputs: [],
    committeeRounds: [],
    evaluations: [],
    correctiveActions: [],
    finalAssessments: [],
    awards: [],
    decisions: [],
    openTasks: [],
    overdue: false,
    startedBy: start.startedBy,
    startedAt: workflowInfo().startTime.toISOString(),
    stageEnteredAt: now,
  };
}

/** A renewal cycle keeps the city, its parties, ledger and awards, and starts a new action plan. */
function renewalState(previous: CandidacyState): CandidacyState {
  return {
    ...previous,
    stage: 'ACTION_PLAN',
    previousStage: undefined,
    cycle: previous.cycle + 1,
    actionPlanInputs: [],
    actionPlan: undefined,
    programme: undefined,
    committeeRounds: [],
    evaluations: [],
    correctiveActions: [],
    finalAssessments: [],
    decisions: [],
    openTasks: [],
    appealDeadline: undefined,
    stageEnteredAt: nowIso(),
  };
}

/** A city's candidacy for the Child Friendly Cities network, from commitment to accession and renewal. */
export async function candidacyWorkflow(input: CandidacyWorkflowInput): Promise<CandidacyState> {
  if (!patched(FULL_LIFECYCLE_PATCH)) {
    return legacyCommitmentOnlyCandidacy(input as unknown as LegacyStartCandidacyInput) as never;
  }
  const info = workflowInfo();
  const state: CandidacyState = input.continued ?? initialState(input.start);
  const policy = state.policy;

  // Transient outcomes of the stage in progress; decisions themselves live in state.decisions.
  let ministryDecision: 'APPROVE' | 'RETURN' | undefined;
  let endorsement: 'ENDORSE' | 'DECLINE' | undefined;
  let pendingEvaluation: { kind: EvaluationRecord['kind']; sequence: number } | undefined;
  let finalPassed: boolean | undefined;
  let appealed = false;
  let reinstated = false;
  let closing = false;
  let obligationsVersion = 0;

  const effects = new SideEffects({
    workflowId: info.workflowId,
    cityId: state.cityId,
    cityName: state.cityName,
    stage: () => state.stage,
    contacts: () => state.contacts,
  });

  const publishOverdue = overduePublisher();
  const refreshOverdue = () => {
    state.overdue =
      state.openTasks.some((t) => t.overdue) ||
      state.obligations.some((o) => o.status === 'OVERDUE') ||
      state.districts.some((d) => d.overdue && d.status !== 'APPROVED' && d.status !== 'WAIVED');
    publishOverdue(state.overdue);
  };
  const board = new TaskBoard(
    state.openTasks,
    { stage: () => state.stage, policy: () => policy, onOverdueChanged: refreshOverdue },
    effects,
  );

  const decide = (
    kind: DecisionKind,
    actor: Actor,
    reason?: string,
    details?: DecisionRecord['details'],
  ): DecisionRecord => logDecision(state.decisions, effects, { kind, stage: state.stage, actor, reason, details });

  const enter = (stage: CandidacyStage, notifyRoles: Role[] = []) => {
    if (state.stage === 'WITHDRAWN') return; // a withdrawal wins over a transition racing it
    state.stage = stage;
    state.stageEnteredAt = nowIso();
    upsertSearchAttributes([{ key: STAGE_SEARCH_ATTRIBUTE, value: stage }]);
    effects.notify(['administrator', ...notifyRoles], 'STAGE_OPENED', { stage, cycle: state.cycle });
  };

  const reject = (from: CandidacyStage, reason: string) => {
    state.previousStage = from;
    enter('REJECTED');
    const cause = state.decisions[state.decisions.length - 1];
    effects.notify(['administrator'], 'DECISION_RECORDED', {
      decisionKind: cause.kind,
      previousStage: from,
      reason: cause.reason ?? reason,
    });
  };

  const award = (kind: Award['kind'], actor: Actor, expiresAt?: string) => {
    const granted: Award = { kind, awardedAt: nowIso(), expiresAt, cycle: state.cycle };
    state.awards.push(granted);
    effects.recordAward(granted, actor);
    effects.notify(
      ['administrator', 'ministry_officer', 'unicef_officer'],
      'AWARD_GRANTED',
      expiresAt
        ? { award: kind, awardedAt: granted.awardedAt, expiresAt }
        : { award: kind, awardedAt: granted.awardedAt },
    );
  };

  const requireStage = (...stages: CandidacyStage[]) => {
    if (!stages.includes(state.stage)) {
      refuse(`this decision belongs to stage ${stages.join(' or ')}; the candidacy is at ${state.stage}`);
    }
  };
  const requireTask = (kind: Parameters<TaskBoard['find']>[0], what: string) => {
    const task = board.find(kind);
    if (!task) refuse(`no ${what} is awaited now (stage ${state.stage})`);
    return task;
  };

  // ---- Queries and signals ------------------------------------------------------------------

  setHandler(getCandidacyStateQuery, () => state);

  setHandler(districtPlanChangedSignal, (summary) => {
    const i = state.districts.findIndex((d) => d.id === summary.id);
    if (i >= 0) state.districts[i] = summary;
    refreshOverdue();
  });

  // ---- Commitment and the obligations ledger ------------------------------------------------

  setHandler(
    signMemorandumUpdate,
    (update) => {
      state.memorandumSignedAt = nowIso();
      return decide('MOU_SIGNED', update.actor, update.reason, { obligations: state.obligations.length });
    },
    {
      validator: (update) => {
        requireActor(update, 'administrator');
        requireStage('COMMITMENT');
        requireTask('SIGN_MEMORANDUM', 'memorandum signature');
        optionalText(update.reason, 'reason');
      },
    },
  );

  setHandler(
    addObligationUpdate,
    (update) => {
      state.obligations.push({ ...update.obligation, status: 'OPEN' });
      obligationsVersion++;
      return decide('OBLIGATION_ADDED', update.actor, update.reason, {
        obligationId: update.obligation.id,
        party: update.obligation.party,
        dueAt: update.obligation.dueAt,
      });
    },
    {
      validator: (update) => {
        requireActor(update, 'administrator');
        if (state.stage === 'WITHDRAWN') refuse('the candidacy has been withdrawn');
        const o = update.obligation;
        if (!o || typeof o !== 'object') refuse('obligation is required', 'INVALID');
        requireText(o.id, 'obligation.id', 100);
        if (state.obligations.some((x) => x.id === o.id)) refuse(`obligation ${o.id} already exists`);
        requireText(o.party, 'obligation.party', 200);
        requireOneOf(o.partyRole, ROLES, 'obligation.partyRole');
        requireText(o.owedTo, 'obligation.owedTo', 200);
        requireText(o.description, 'obligation.description');
        if (typeof o.dueAt !== 'string' || Number.isNaN(Date.parse(o.dueAt))) {
          refuse('obligation.dueAt must be an ISO-8601 date', 'INVALID');
        }
        if (o.gatesStage !== undefined) requireOneOf(o.gatesStage, CANDIDACY_STAGES, 'obligation.gatesStage');
        optionalText(update.reason, 'reason');
      },
    },
  );

  setHandler(
    fulfilObligationUpdate,
    (update) => {
      const obligation = state.obligations.find((o) => o.id === update.obligationId)!;
      Object.assign(obligation, {
        status: 'FULFILLED',
        evidence: update.evidence,
        fulfilledBy: update.actor,
        fulfilledAt: nowIso(),
      });
      obligationsVersion++;
      refreshOverdue();
      return decide('OBLIGATION_FULFILLED', update.actor, update.reason, {
        obligationId: obligation.id,
        party: obligation.party,
        evidence: update.evidence,
      });
    },
    {
      validator: (update) => {
        const obligation = state.obligations.find((o) => o.id === update?.obligationId);
        if (!obligation) refuse(`no obligation ${String(update?.obligationId)}`);
        requireActor(update, ...new Set<Role>(['administrator', obligation.partyRole]));
        if (state.stage === 'WITHDRAWN') refuse('the candidacy has been withdrawn');
        if (obligation.status === 'FULFILLED') refuse(`obligation ${obligation.id} is already fulfilled`);
        requireText(update.evidence, 'evidence');
      },
    },
  );

  // ---- Action plan and Ministry review ------------------------------------------------------

  setHandler(
    recordActionPlanInputUpdate,
    (update) => {
      state.actionPlanInputs.push({
        source: update.source,
        party: update.party,
        summary: update.summary,
        recordedBy: update.actor,
        recordedAt: nowIso(),
      });
      return decide('ACTION_PLAN_INPUT_RECORDED', update.actor, update.reason, {
        source: update.source,
        party: update.party,
      });
    },
    {
      validator: (update) => {
        requireActor(update, 'administrator');
        requireStage('ACTION_PLAN');
        requireTask('SUBMIT_ACTION_PLAN', 'action plan');
        requireOneOf(update.source, ACTION_PLAN_INPUT_SOURCES, 'source');
        requireText(update.party, 'party', 200);
        requireText(update.summary, 'summary');
      },
    },
  );

  setHandler(
    submitActionPlanUpdate,
    (update) => {
      state.actionPlan = { summary: update.summary, submittedBy: update.actor, submittedAt: nowIso() };
      return decide('ACTION_PLAN_SUBMITTED', update.actor, update.reason, {
        inputs: state.actionPlanInputs.length,
      });
    },
    {
      validator: (update) => {
        requireActor(update, 'administrator');
        requireStage('ACTION_PLAN');
        requireTask('SUBMIT_ACTION_PLAN', 'action plan');
        requireText(update.summary, 'summary');
        if (!state.actionPlanInputs.some((i) => i.source === 'CHILDREN_COUNCIL')) {
          refuse(
            "the action plan cannot go to the Ministry without recorded child participation (children's council input)",
          );
        }
      },
    },
  );

  setHandler(
    reviewActionPlanUpdate,
    (update) => {
      ministryDecision = update.decision;
      return decide(
        update.decision === 'APPROVE' ? 'MINISTRY_APPROVED' : 'MINISTRY_RETURNED',
        update.actor,
        update.reason,
      );
    },
    {
      validator: (update) => {
        requireActor(update, 'ministry_officer');
        requireStage('MINISTRY_REVIEW');
        requireTask('REVIEW_ACTION_PLAN', 'Ministry review');
        const choice = requireOneOf(update.decision, ['APPROVE', 'RETURN'] as const, 'decision');
        if (choice === 'RETURN') requireText(update.reason, 'reason (why the plan is returned)');
      },
    },
  );

  // ---- Steering committee and UNICEF --------------------------------------------------------

  const currentRound = (): CommitteeRound | undefined => state.committeeRounds[state.committeeRounds.length - 1];

  setHandler(
    castCommitteeVoteUpdate,
    (update) => {
      const round = currentRound()!;
      const recused = update.recuse === true;
      round.ballots.push({
        memberId: update.actor.id,
        actor: update.actor,
        vote: recused ? undefined : update.vote,
        recused,
        reason: update.reason,
        at: nowIso(),
      });
      const task = board.find('COMMITTEE_VOTE');
      if (task?.assignees) task.assignees = task.assignees.filter((m) => m !== update.actor.id);
      const decision = decide(recused ? 'COMMITTEE_RECUSAL' : 'COMMITTEE_VOTE', update.actor, update.reason, {
        round: round.round,
        vote: recused ? null : update.vote!,
      });
      const outcome = committeeOutcome(round.ballots, policy.committee.quorum);
      if (outcome) {
        round.outcome = outcome.outcome;
        round.dissenters = outcome.dissenters;
        decide('COMMITTEE_OUTCOME', STEERING_COMMITTEE, undefined, { round: round.round, ...outcome });
      }
      return decision;
    },
    {
      validator: (update) => {
        const actor = requireActor(update, 'committee_member');
        requireStage('CANDIDACY_REVIEW');
        if (!policy.committee.members.includes(actor.id))
          refuse(`${actor.id} is not a member of the steering committee`, 'FORBIDDEN');
        const round = currentRound();
        if (!round || round.outcome || !board.find('COMMITTEE_VOTE')) refuse('no committee vote is open');
        if (round.ballots.some((b) => b.memberId === actor.id)) {
          refuse(`${actor.id} has already voted or recused in round ${round.round}`);
        }
        if (update.recuse === true) {
          if (update.vote !== undefined) refuse('a recusal carries no vote', 'INVALID');
          requireText(update.reason, 'reason (why the member recuses)');
        } else {
          const vote = requireOneOf(update.vote, VOTES, 'vote');
          if (vote === 'REJECT') requireText(update.reason, 'reason (why the member votes to reject)');
          else optionalText(update.reason, 'reason');
        }
      },
    },
  );

  setHandler(
    endorseCandidacyUpdate,
    (update) => {
      endorsement = update.decision;
      return decide(update.decision === 'ENDORSE' ? 'UNICEF_ENDORSED' : 'UNICEF_DECLINED', update.actor, update.reason);
    },
    {
      validator: (update) => {
        requireActor(update, 'unicef_officer');
        requireStage('CANDIDACY_REVIEW');
        requireTask('ENDORSE_CANDIDACY', "UNICEF's endorsement");
        const choice = requireOneOf(update.decision, ['ENDORSE', 'DECLINE'] as const, 'decision');
        if (choice === 'DECLINE') requireText(update.reason, 'reason (why UNICEF declines)');
      },
    },
  );

  // ---- Implementation: evaluations and corrective action ------------------------------------

  const requireScore = (value: unknown, field: string) => {
    if (!isScore(value)) refuse(`${field} must be an integer from ${SCORE_RANGE.min} to ${SCORE_RANGE.max}`, 'INVALID');
  };

  setHandler(
    recordEvaluationUpdate,
    (update) => {
      const { kind, sequence } = pendingEvaluation!;
      const evaluation: EvaluationRecord = {
        id: uuid4(),
        kind,
        sequence,
        scores: update.scores,
        satisfactory: isSatisfactory(update.scores, policy.evaluationPassScore),
        evaluatedBy: update.actor,
        reason: update.reason,
        at: nowIso(),
      };
      state.evaluations.push(evaluation);
      pendingEvaluation = undefined;
      effects.recordEvaluation(evaluation);
      return decide('EVALUATION_RECORDED', update.actor, update.reason, {
        evaluationId: evaluation.id,
        kind,
        sequence,
        satisfactory: evaluation.satisfactory,
      });
    },
    {
      validator: (update) => {
        const actor = requireActor(update, 'committee_member', 'ministry_officer');
        if (actor.role === 'committee_member' && !policy.committee.members.includes(actor.id)) {
          refuse(`${actor.id} is not a member of the steering committee`, 'FORBIDDEN');
        }
        requireStage('IMPLEMENTATION');
        requireTask('RECORD_EVALUATION', 'evaluation');
        const scores = update.scores;
        if (!scores || typeof scores !== 'object') refuse('scores are required', 'INVALID');
        requireScore(scores.resultsForChildren, 'scores.resultsForChildren');
        requireScore(scores.childParticipation, 'scores.childParticipation');
        requireScore(scores.nonDiscrimination, 'scores.nonDiscrimination');
        if (!Array.isArray(scores.localIndicators) || scores.localIndicators.length > 20) {
          refuse('scores.localIndicators must be a list of at most 20 indicators', 'INVALID');
        }
        scores.localIndicators.forEach((indicator: { name: unknown; score: unknown } | undefined, i: number) => {
          requireText(indicator?.name, `scores.localIndicators.${i}.name`, 200);
          requireScore(indicator?.score, `scores.localIndicators.${i}.score`);
        });
        if (!isSatisfactory(scores, policy.evaluationPassScore))
          requireText(update.reason, 'reason (an unsatisfactory evaluation must say why)');
      },
    },
  );

  setHandler(
    submitCorrectivePlanUpdate,
    (update) => {
      const action = state.correctiveActions[state.correctiveActions.length - 1];
      Object.assign(action, { plan: update.plan, submittedBy: update.actor, submittedAt: nowIso() });
      return decide('CORRECTIVE_PLAN_SUBMITTED', update.actor, update.reason, { evaluationId: action.evaluationId });
    },
    {
      validator: (update) => {
        requireActor(update, 'administrator');
        requireStage('IMPLEMENTATION');
        requireTask('SUBMIT_CORRECTIVE_PLAN', 'corrective-action plan');
        requireText(update.plan, 'plan');
      },
    },
  );

  setHandler(
    reinstateCandidacyUpdate,
    (update) => {
      reinstated = true;
      return decide('REINSTATED', update.actor, update.reason);
    },
    {
      validator: (update) => {
        requireActor(update, 'ministry_officer');
        requireStage('SUSPENDED');
        requireText(update.reason, 'reason');
      },
    },
  );

  // ---- Final assessment, appeal, withdrawal -------------------------------------------------

  setHandler(
    recordFinalAssessmentUpdate,
    (update) => {
      const passed = update.demonstratedResults && update.childParticipation && update.nonDiscrimination;
      state.finalAssessments.push({
        demonstratedResults: update.demonstratedResults,
        childParticipation: update.childParticipation,
        nonDiscrimination: update.nonDiscrimination,
        passed,
        assessedBy: update.actor,
        reason: update.reason,
        at: nowIso(),
      });
      finalPassed = passed;
      return decide('FINAL_ASSESSMENT_RECORDED', update.actor, update.reason, {
        demonstratedResults: update.demonstratedResults,
        childParticipation: update.childParticipation,
        nonDiscrimination: update.nonDiscrimination,
        passed,
      });
    },
    {
      validator: (update) => {
        requireActor(update, 'unicef_officer');
        requireStage('FINAL_ASSESSMENT');
        requireTask('RECORD_FINAL_ASSESSMENT', 'final assessment');
        for (const field of ['demonstratedResults', 'childParticipation', 'nonDiscrimination'] as const) {
          if (typeof update[field] !== 'boolean') refuse(`${field} must be true or false`, 'INVALID');
        }
        if (!(update.demonstratedResults && update.childParticipation && update.nonDiscrimination)) {
          requireText(update.reason, 'reason (a failed assessment must say why)');
        }
      },
    },
  );

  setHandler(
    appealDecisionUpdate,
    (update) => {
      appealed = true;
      return decide('APPEALED', update.actor, update.reason, { against: state.previousStage ?? null });
    },
    {
      validator: (update) => {
        requireActor(update, 'administrator');
        requireStage('REJECTED');
        if (!state.appealDeadline || nowMs() > Date.parse(state.appealDeadline) || appealed) {
          refuse('the appeal window is closed');
        }
        requireText(update.reason, 'reason (the grounds of the appeal)');
      },
    },
  );

  setHandler(
    withdrawCandidacyUpdate,
    (update) => {
      const from = state.stage;
      const decision = decide('WITHDRAWN', update.actor, update.reason, { from });
      state.previousStage = from;
      state.stage = 'WITHDRAWN';
      state.stageEnteredAt = nowIso();
      upsertSearchAttributes([{ key: STAGE_SEARCH_ATTRIBUTE, value: 'WITHDRAWN' }]);
      return decision;
    },
    {
      validator: (update) => {
        requireActor(update, 'administrator');
        if (state.stage === 'WITHDRAWN' || closing) refuse(`the candidacy is closed (${state.stage})`);
        requireText(update.reason, 'reason (why the city withdraws)');
      },
    },
  );

  // ---- The stages ---------------------------------------------------------------------------

  /** A stage gated by an obligation opens only once that obligation is fulfilled. */
  const passGate = async (stage: CandidacyStage) => {
    const gating = state.obligations.filter((o) => o.gatesStage === stage && o.status !== 'FULFILLED');
    await Promise.all(
      gating.map(async (o) => {
        // The obligations watcher sends the overdue notices; this task shows who blocks the stage.
        const task = board.open({
          kind: 'FULFIL_OBLIGATION',
          assigneeRole: o.partyRole,
          obligationId: o.id,
          dueAt: o.dueAt,
        });
        await condition(() => o.status === 'FULFILLED');
        board.close(task);
      }),
    );
  };

  const commitment = async () => {
    const task = board.open({ kind: 'SIGN_MEMORANDUM', assigneeRole: 'administrator' });
    await board.await(task, () => state.memorandumSignedAt !== undefined);
    enter('DISTRICT_PLANNING', ['district_submitter']);
  };

  const districtPlanning = async () => {
    const pending = state.districts.filter((d) => d.status !== 'APPROVED' && d.status !== 'WAIVED');
    const results = await Promise.all(
      pending.map((d) =>
        executeChild(districtPlanWorkflow, {
          workflowId: districtPlanWorkflowId(info.workflowId, d.id),
          parentClosePolicy: ParentClosePolicy.REQUEST_CANCEL,
          args: [
            {
              candidacyWorkflowId: info.workflowId,
              cityId: state.cityId,
              cityName: state.cityName,
              country: state.country,
              district: { id: d.id, name: d.name },
              policy,
              contacts: state.contacts,
            },
          ],
        }),
      ),
    );
    for (const summary of results) {
      const i = state.districts.findIndex((d) => d.id === summary.id);
      state.districts[i] = summary;
    }
    refreshOverdue();
    enter('ACTION_PLAN');
  };

  const actionPlan = async () => {
    state.actionPlan = undefined;
    const task = board.open({
      kind: 'SUBMIT_ACTION_PLAN',
      assigneeRole: 'administrator',
      dueAt: iso(addMonths(nowMs(), policy.actionPlanMonths)),
    });
    await board.await(task, () => state.actionPlan !== undefined, ['administrator', 'ministry_officer']);
    enter('MINISTRY_REVIEW', ['ministry_officer']);
  };

  const ministryReview = async () => {
    ministryDecision = undefined;
    const task = board.open({
      kind: 'REVIEW_ACTION_PLAN',
      assigneeRole: 'ministry_officer',
      dueAt: iso(addDays(nowMs(), policy.ministryReviewDays)),
    });
    await board.await(task, () => ministryDecision !== undefined);
    if (ministryDecision === 'RETURN') enter('ACTION_PLAN');
    // A renewal cycle is already a network member: no new candidacy decision.
    else if (state.cycle > 1) enter('IMPLEMENTATION', ['committee_member']);
    else enter('CANDIDACY_REVIEW', ['committee_member']);
  };

  const candidacyReview = async () => {
    const round: CommitteeRound = { round: state.committeeRounds.length + 1, openedAt: nowIso(), ballots: [] };
    state.committeeRounds.push(round);
    const vote = board.open({
      kind: 'COMMITTEE_VOTE',
      assigneeRole: 'committee_member',
      assignees: [...policy.committee.members],
      dueAt: iso(addDays(nowMs(), policy.committeeDecisionDays)),
    });
    await board.await(vote, () => round.outcome !== undefined, ['administrator', 'ministry_officer']);
    if (round.outcome === 'REJECTED')
      return reject('CANDIDACY_REVIEW', 'the steering committee rejected the candidacy');

    endorsement = undefined;
    const endorse = board.open({
      kind: 'ENDORSE_CANDIDACY',
      assigneeRole: 'unicef_officer',
      dueAt: iso(addDays(nowMs(), policy.unicefEndorsementDays)),
    });
    await board.await(endorse, () => endorsement !== undefined);
    const endorsedBy = state.decisions[state.decisions.length - 1].actor;
    if (endorsement === 'DECLINE') return reject('CANDIDACY_REVIEW', 'UNICEF declined to endorse the candidacy');
    award('CANDIDACY_LOGO', endorsedBy);
    enter('IMPLEMENTATION', ['committee_member']);
  };

  const evaluate = async (kind: EvaluationRecord['kind'], sequence: number): Promise<EvaluationRecord> => {
    pendingEvaluation = { kind, sequence };
    const task = board.open({
      kind: 'RECORD_EVALUATION',
      assigneeRole: 'committee_member',
      dueAt: iso(addDays(nowMs(), policy.evaluationWindowDays)),
    });
    await board.await(task, () => pendingEvaluation === undefined, ['administrator', 'ministry_officer']);
    const evaluation = state.evaluations[state.evaluations.length - 1];
    if (!evaluation.satisfactory) {
      effects.notify(['administrator', 'ministry_officer'], 'EVALUATION_UNSATISFACTORY', {
        sequence,
        kind,
        reason: evaluation.reason ?? '',
      });
    }
    return evaluation;
  };

  const implementation = async () => {
    if (!state.programme) {
      const start = nowMs();
      state.programme = {
        startedAt: iso(start),
        endsAt: iso(addMonths(start, policy.programmeMonths)),
        evaluationsDone: 0,
        evaluationsPlanned: policy.programmeMonths / policy.evaluationIntervalMonths,
      };
    }
    const programme = state.programme;
    while (programme.evaluationsDone < programme.evaluationsPlanned) {
      const sequence = programme.evaluationsDone + 1;
      const dueAt = addMonths(Date.parse(programme.startedAt), sequence * policy.evaluationIntervalMonths);
      if (dueAt > nowMs()) await sleep(dueAt - nowMs());
      const evaluation = await evaluate('MONITORING', sequence);
      if (!evaluation.satisfactory) {
        const action = { evaluationId: evaluation.id, dueAt: iso(addDays(nowMs(), policy.correctiveActionDays)) };
        state.correctiveActions.push(action);
        const task = board.open({ kind: 'SUBMIT_CORRECTIVE_PLAN', assigneeRole: 'administrator', dueAt: action.dueAt });
        await board.await(task, () => state.correctiveActions.at(-1)?.submittedAt !== undefined);
        const untilDue = Date.parse(action.dueAt) - nowMs();
        if (untilDue > 0) await sleep(untilDue);
        const followUp = await evaluate('CORRECTIVE_FOLLOW_UP', sequence);
        if (!followUp.satisfactory) {
          // Failing the corrective action suspends; a reinstatement resumes at the next evaluation.
          programme.evaluationsDone = sequence;
          state.previousStage = 'IMPLEMENTATION';
          decide('SUSPENDED', STEERING_COMMITTEE, 'corrective action failed its follow-up evaluation', {
            evaluationId: followUp.id,
            sequence,
          });
          enter('SUSPENDED', ['ministry_officer']);
          return;
        }
      }
      programme.evaluationsDone = sequence;
    }
    enter('FINAL_ASSESSMENT', ['unicef_officer']);
  };

  const suspended = async () => {
    reinstated = false;
    const task = board.open({ kind: 'REINSTATE_OR_WITHDRAW', assigneeRole: 'ministry_officer' });
    await board.await(task, () => reinstated);
    enter('IMPLEMENTATION', ['committee_member']);
  };

  const finalAssessment = async () => {
    finalPassed = undefined;
    const task = board.open({
      kind: 'RECORD_FINAL_ASSESSMENT',
      assigneeRole: 'unicef_officer',
      dueAt: iso(addDays(nowMs(), policy.finalAssessmentDays)),
    });
    await board.await(task, () => finalPassed !== undefined, ['administrator', 'ministry_officer']);
    if (finalPassed) enter('ACCEDED');
    else reject('FINAL_ASSESSMENT', 'the final assessment found a global minimum criterion unmet');
  };

  /** Recognition, then sleep until the renewal cycle opens. */
  const accession = async () => {
    let recognition = state.awards.find((a) => a.kind === 'RECOGNITION' && a.cycle === state.cycle);
    if (!recognition) {
      const assessedBy = state.finalAssessments[state.finalAssessments.length - 1]?.assessedBy ?? STEERING_COMMITTEE;
      award('RECOGNITION', assessedBy, iso(addYears(nowMs(), policy.recognitionYears)));
      recognition = state.awards[state.awards.length - 1];
    }
    const renewalOpensAt = addMonths(Date.parse(recognition.expiresAt!), -policy.renewalLeadMonths);
    if (renewalOpensAt > nowMs()) await sleep(renewalOpensAt - nowMs());
  };

  /** True when an appeal reopens the stage that rejected; false when the window closes. */
  const appealWindow = async (): Promise<boolean> => {
    appealed = false;
    state.appealDeadline ??= iso(addDays(nowMs(), policy.appealWindowDays));
    const task = board.open({ kind: 'APPEAL_OR_ACCEPT', assigneeRole: 'administrator', dueAt: state.appealDeadline });
    const inTime = await condition(() => appealed, Date.parse(state.appealDeadline) - nowMs());
    board.close(task);
    state.appealDeadline = undefined;
    if (inTime) enter(state.previousStage ?? 'CANDIDACY_REVIEW');
    return inTime;
  };

  /** Sends overdue notices for the ledger's commitments as their due dates pass. */
  const watchObligations = async (): Promise<void> => {
    while (!closing) {
      const version = obligationsVersion;
      const next = state.obligations
        .filter((o) => o.status === 'OPEN')
        .sort((a, b) => Date.parse(a.dueAt) - Date.parse(b.dueAt))[0];
      const changed = () => obligationsVersion !== version || closing;
      if (!next) {
        await condition(changed);
        continue;
      }
      const wait = Date.parse(next.dueAt) - nowMs();
      if (wait > 0 && (await condition(changed, wait))) continue;
      next.status = 'OVERDUE';
      refreshOverdue();
      effects.notify([next.partyRole, 'administrator'], 'OBLIGATION_OVERDUE', {
        obligationId: next.id,
        party: next.party,
        owedTo: next.owedTo,
        description: next.description,
        dueAt: next.dueAt,
      });
    }
  };

  const lifecycle = async (): Promise<'closed' | 'renew' | 'continue'> => {
    for (;;) {
      if (state.stage !== 'WITHDRAWN' && state.stage !== 'REJECTED') await passGate(state.stage);
      switch (state.stage) {
        case 'COMMITMENT':
          await commitment();
          break;
        case 'DISTRICT_PLANNING':
          await districtPlanning();
          break;
        case 'ACTION_PLAN':
          await actionPlan();
          break;
        case 'MINISTRY_REVIEW':
          await ministryReview();
          break;
        case 'CANDIDACY_REVIEW':
          await candidacyReview();
          break;
        case 'IMPLEMENTATION':
          await implementation();
          break;
        case 'SUSPENDED':
          await suspended();
          break;
        case 'FINAL_ASSESSMENT':
          await finalAssessment();
          break;
        case 'ACCEDED':
          await accession();
          return 'renew';
        case 'REJECTED':
          if (!(await appealWindow())) return 'closed';
          break;
        case 'WITHDRAWN':
          return 'closed';
      }
      const { historyLength, continueAsNewSuggested } = workflowInfo();
      if (continueAsNewSuggested || historyLength > HISTORY_SOFT_LIMIT) return 'continue';
    }
  };

  // ---- Run ----------------------------------------------------------------------------------

  upsertSearchAttributes([
    { key: CITY_SEARCH_ATTRIBUTE, value: state.cityId },
    { key: COUNTRY_SEARCH_ATTRIBUTE, value: state.country },
    { key: STAGE_SEARCH_ATTRIBUTE, value: state.stage },
  ]);
  refreshOverdue();

  // The lifecycle runs in a scope a withdrawal cancels (timers, district workflows and all).
  const scope = new CancellationScope();
  const running = scope.run(() => Promise.race([lifecycle(), watchObligations().then(() => 'closed' as const)]));
  const outcome = await Promise.race([
    running,
    condition(() => state.stage === 'WITHDRAWN').then(() => 'closed' as const),
  ]);
  closing = true;
  scope.cancel();
  await running.catch((err: unknown) => {
    if (!isCancellation(err)) throw err;
  });

  if (outcome === 'closed') {
    board.closeAll();
    state.closedAt = nowIso();
    refreshOverdue();
    effects.notify(['administrator', 'ministry_officer', 'unicef_officer'], 'CANDIDACY_CLOSED', {
      stage: state.stage,
      closedAt: state.closedAt,
    });
  }
  await effects.drained();
  await condition(allHandlersFinished);
  if (outcome === 'closed') return state;
  return continueAsNew<typeof candidacyWorkflow>({
    start: input.start,
    continued: outcome === 'renew' ? renewalState(state) : state,
  });
}
