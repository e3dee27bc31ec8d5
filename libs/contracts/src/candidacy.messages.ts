// The candidacy workflow's messages. Every human decision is an Update with a validator: a
// refused one (wrong stage, wrong role, second vote, missing reason) writes nothing to history.
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { DecisionInput } from './actor.types';
import type {
  ActionPlanInputSource,
  CandidacyState,
  CriterionScores,
  DecisionRecord,
  DistrictSummary,
  ObligationInput,
  Vote,
} from './candidacy.types';

/** The whole state of a candidacy, read without changing history. */
export const getCandidacyStateQuery = defineQuery<CandidacyState>('getCandidacyState');

export const signMemorandumUpdate = defineUpdate<DecisionRecord, [DecisionInput]>('signMemorandum');

export interface AddObligationInput extends DecisionInput {
  obligation: ObligationInput;
}
export const addObligationUpdate = defineUpdate<DecisionRecord, [AddObligationInput]>('addObligation');

export interface FulfilObligationInput extends DecisionInput {
  obligationId: string;
  evidence: string;
}
export const fulfilObligationUpdate = defineUpdate<DecisionRecord, [FulfilObligationInput]>('fulfilObligation');

/** A request to record a party's input to the action plan (recordActionPlanInputUpdate's argument). */
export interface RecordActionPlanInputRequest extends DecisionInput {
  source: ActionPlanInputSource;
  party: string;
  summary: string;
}
export const recordActionPlanInputUpdate = defineUpdate<DecisionRecord, [RecordActionPlanInputRequest]>(
  'recordActionPlanInput',
);

export interface SubmitActionPlanInput extends DecisionInput {
  summary: string;
}
export const submitActionPlanUpdate = defineUpdate<DecisionRecord, [SubmitActionPlanInput]>('submitActionPlan');

export interface ReviewInput extends DecisionInput {
  decision: 'APPROVE' | 'RETURN';
}
export const reviewActionPlanUpdate = defineUpdate<DecisionRecord, [ReviewInput]>('reviewActionPlan');

export interface CastVoteInput extends DecisionInput {
  /** Omit with `recuse: true`. */
  vote?: Vote;
  recuse?: boolean;
}
export const castCommitteeVoteUpdate = defineUpdate<DecisionRecord, [CastVoteInput]>('castCommitteeVote');

export interface EndorseInput extends DecisionInput {
  decision: 'ENDORSE' | 'DECLINE';
}
export const endorseCandidacyUpdate = defineUpdate<DecisionRecord, [EndorseInput]>('endorseCandidacy');

export interface RecordEvaluationInput extends DecisionInput {
  scores: CriterionScores;
}
export const recordEvaluationUpdate = defineUpdate<DecisionRecord, [RecordEvaluationInput]>('recordEvaluation');

export interface SubmitCorrectivePlanInput extends DecisionInput {
  plan: string;
}
export const submitCorrectivePlanUpdate = defineUpdate<DecisionRecord, [SubmitCorrectivePlanInput]>(
  'submitCorrectivePlan',
);

export interface RecordFinalAssessmentInput extends DecisionInput {
  demonstratedResults: boolean;
  childParticipation: boolean;
  nonDiscrimination: boolean;
}
export const recordFinalAssessmentUpdate = defineUpdate<DecisionRecord, [RecordFinalAssessmentInput]>(
  'recordFinalAssessment',
);

export const appealDecisionUpdate = defineUpdate<DecisionRecord, [DecisionInput]>('appealDecision');
export const withdrawCandidacyUpdate = defineUpdate<DecisionRecord, [DecisionInput]>('withdrawCandidacy');
export const reinstateCandidacyUpdate = defineUpdate<DecisionRecord, [DecisionInput]>('reinstateCandidacy');

/** Sent by each district workflow to its candidacy whenever the district's status changes. */
export const districtPlanChangedSignal = defineSignal<[DistrictSummary]>('districtPlanChanged');
