import type { CandidacyStage } from '@kudak/contracts';
import type { CandidacyRun, StepOutcome } from './candidacy-run';
import { accession } from './stages/accession';
import { actionPlan, registerActionPlanHandlers } from './stages/action-plan';
import { appealWindow, registerAppealHandlers } from './stages/appeal';
import { candidacyReview, registerCandidacyReviewHandlers } from './stages/candidacy-review';
import { commitment, registerCommitmentHandlers } from './stages/commitment';
import { districtPlanning, registerDistrictPlanningHandlers } from './stages/district-planning';
import { finalAssessment, registerFinalAssessmentHandlers } from './stages/final-assessment';
import { implementation, registerImplementationHandlers } from './stages/implementation';
import { ministryReview, registerMinistryReviewHandlers } from './stages/ministry-review';
import { registerObligationHandlers } from './stages/obligations';
import { registerSuspensionHandlers, suspended } from './stages/suspended';
import { registerWithdrawalHandlers, withdrawn } from './stages/withdrawal';

/** A stage's step: runs the stage until it has entered the next one, or says how the run ends. */
export type StageStep = (run: CandidacyRun) => Promise<StepOutcome>;

/** What the lifecycle runs at each stage. */
export const STAGE_STEPS: Record<CandidacyStage, StageStep> = {
  COMMITMENT: commitment,
  DISTRICT_PLANNING: districtPlanning,
  ACTION_PLAN: actionPlan,
  MINISTRY_REVIEW: ministryReview,
  CANDIDACY_REVIEW: candidacyReview,
  IMPLEMENTATION: implementation,
  SUSPENDED: suspended,
  FINAL_ASSESSMENT: finalAssessment,
  ACCEDED: accession,
  REJECTED: appealWindow,
  WITHDRAWN: withdrawn,
};

/**
 * Every module's handlers, registered at the start of each run in this order (the order in which
 * messages that arrived before the run started are delivered).
 */
export const HANDLER_REGISTRATIONS: ReadonlyArray<(run: CandidacyRun) => void> = [
  registerDistrictPlanningHandlers,
  registerCommitmentHandlers,
  registerObligationHandlers,
  registerActionPlanHandlers,
  registerMinistryReviewHandlers,
  registerCandidacyReviewHandlers,
  registerImplementationHandlers,
  registerSuspensionHandlers,
  registerFinalAssessmentHandlers,
  registerAppealHandlers,
  registerWithdrawalHandlers,
];
