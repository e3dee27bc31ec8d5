import type { TestWorkflowEnvironment } from '@temporalio/testing';
import {
  castCommitteeVoteUpdate,
  fulfilObligationUpdate,
  reinstateCandidacyUpdate,
  submitCorrectivePlanUpdate,
  endorseCandidacyUpdate,
  recordActionPlanInputUpdate,
  recordEvaluationUpdate,
  recordFinalAssessmentUpdate,
  reviewActionPlanUpdate,
  reviewDistrictPlanUpdate,
  signMemorandumUpdate,
  submitActionPlanUpdate,
  submitDistrictPlanUpdate,
  type CriterionScores,
} from '@kudak/contracts';
import { actors, type CandidacyDriver } from './candidacy-fixtures';

export const GOOD_SCORES: CriterionScores = {
  resultsForChildren: 4,
  childParticipation: 4,
  nonDiscrimination: 5,
  localIndicators: [{ name: 'Safe routes to school', score: 4 }],
};

export const POOR_SCORES: CriterionScores = {
  resultsForChildren: 2,
  childParticipation: 3,
  nonDiscrimination: 3,
  localIndicators: [{ name: 'Safe routes to school', score: 2 }],
};

// The steps of the happy path, each as the responsible party would take it.

export async function signMemorandum(c: CandidacyDriver): Promise<void> {
  await c.task('SIGN_MEMORANDUM');
  await c.update(signMemorandumUpdate, { actor: actors.admin, reason: 'MoU signed by the mayor and UNICEF' });
}

export async function approveDistricts(c: CandidacyDriver, districtIds: string[]): Promise<void> {
  await Promise.all(
    districtIds.map(async (d) => {
      await c.districtTask(d, 'SUBMIT_DISTRICT_PLAN');
      await c.districtUpdate(d, submitDistrictPlanUpdate, {
        actor: actors.submitter(d),
        summary: `Child-friendly plan for ${d}`,
      });
      await c.districtTask(d, 'REVIEW_DISTRICT_PLAN');
      await c.districtUpdate(d, reviewDistrictPlanUpdate, { actor: actors.reviewer, decision: 'APPROVE' });
    }),
  );
}

export async function prepareActionPlan(c: CandidacyDriver): Promise<void> {
  await c.task('SUBMIT_ACTION_PLAN');
  for (const [source, party] of [
    ['PARTNER_BODY', 'Behzisti'],
    ['THINK_TANK', 'Think tank of child specialists'],
    ['CHILDREN_COUNCIL', "Children's city council"],
  ] as const) {
    await c.update(recordActionPlanInputUpdate, {
      actor: actors.admin,
      source,
      party,
      summary: `${party}: deliberation session`,
    });
  }
}

export async function submitActionPlan(c: CandidacyDriver): Promise<void> {
  await c.update(submitActionPlanUpdate, { actor: actors.admin, summary: 'Operational plan 1405' });
}

export async function ministryApproves(c: CandidacyDriver): Promise<void> {
  await c.task('REVIEW_ACTION_PLAN');
  await c.update(reviewActionPlanUpdate, { actor: actors.ministry, decision: 'APPROVE', reason: 'Complete' });
}

export async function committeeApproves(c: CandidacyDriver): Promise<void> {
  await c.task('COMMITTEE_VOTE');
  await c.update(castCommitteeVoteUpdate, { actor: actors.member(1), vote: 'APPROVE' });
  await c.update(castCommitteeVoteUpdate, { actor: actors.member(2), vote: 'APPROVE', reason: 'Strong plan' });
}

export async function unicefEndorses(c: CandidacyDriver): Promise<void> {
  await c.task('ENDORSE_CANDIDACY');
  await c.update(endorseCandidacyUpdate, { actor: actors.unicef, decision: 'ENDORSE' });
}

/** From the MoU to the open steering-committee vote. */
export async function toCommitteeVote(c: CandidacyDriver, districtIds: string[]): Promise<void> {
  await signMemorandum(c);
  await approveDistricts(c, districtIds);
  await prepareActionPlan(c);
  await submitActionPlan(c);
  await ministryApproves(c);
  await c.task('COMMITTEE_VOTE');
}

/** From the MoU to the candidacy logo. */
export async function toImplementation(c: CandidacyDriver, districtIds: string[]): Promise<void> {
  await toCommitteeVote(c, districtIds);
  await committeeApproves(c);
  await unicefEndorses(c);
  await c.stage('IMPLEMENTATION');
}

/** Lets six months pass on the time-skipping server and records the evaluation then due. */
export async function evaluateAfter(
  env: TestWorkflowEnvironment,
  c: CandidacyDriver,
  months: number,
  scores = GOOD_SCORES,
  reason?: string,
): Promise<void> {
  await env.sleep(`${months * 31} days`);
  await c.task('RECORD_EVALUATION');
  await c.update(recordEvaluationUpdate, { actor: actors.member(3), scores, reason });
}

export async function finalAssessmentPasses(c: CandidacyDriver): Promise<void> {
  await c.task('RECORD_FINAL_ASSESSMENT');
  await c.update(recordFinalAssessmentUpdate, {
    actor: actors.unicef,
    demonstratedResults: true,
    childParticipation: true,
    nonDiscrimination: true,
  });
}

/**
 * From a programme gated by UNICEF's funding: the funding arrives, an evaluation is poor, the
 * corrective plan does not mend it, the candidacy is suspended, and the Ministry reinstates it.
 */
export async function fundedThenSuspendedAndReinstated(
  env: TestWorkflowEnvironment,
  c: CandidacyDriver,
): Promise<void> {
  await c.task('FULFIL_OBLIGATION'); // the funding gates implementation
  await env.sleep('10 days');
  await c.update(fulfilObligationUpdate, { actor: actors.unicef, obligationId: 'unicef-funding', evidence: 'T-1' });
  await evaluateAfter(env, c, 6, POOR_SCORES, 'Participation stalled');
  await c.task('SUBMIT_CORRECTIVE_PLAN');
  await c.update(submitCorrectivePlanUpdate, { actor: actors.admin, plan: 'Monthly council sessions' });
  await env.sleep('61 days');
  await c.task('RECORD_EVALUATION');
  await c.update(recordEvaluationUpdate, { actor: actors.ministry, scores: POOR_SCORES, reason: 'No change' });
  await c.stage('SUSPENDED');
  await c.update(reinstateCandidacyUpdate, { actor: actors.ministry, reason: 'New focal point' });
  await c.stage('IMPLEMENTATION');
}
