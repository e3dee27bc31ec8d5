import { ApplicationFailure, workflowInfo } from '@temporalio/workflow';
import { policyProblems, resolvePolicy, type CandidacyState, type StartCandidacyInput } from '@kudak/contracts';
import { nowIso } from '../shared/clock';

/** A new candidacy at its first stage, with the policy it keeps for life (refused if unusable). */
export function initialState(start: StartCandidacyInput): CandidacyState {
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
export function renewalState(previous: CandidacyState): CandidacyState {
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
    // An unfulfilled obligation's task goes on into the new cycle (there are none before the change).
    openTasks: previous.openTasks.filter((t) => t.kind === 'FULFIL_OBLIGATION'),
    appealDeadline: undefined,
    stageEnteredAt: nowIso(),
  };
}
