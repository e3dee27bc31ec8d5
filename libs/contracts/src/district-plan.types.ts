import type { Actor } from './actor.types';
import type { CandidacyPolicy } from './candidacy-policy';
import type {
  Contact,
  DecisionRecord,
  DistrictInput,
  DistrictPlanStatus,
  FailedEffect,
  TaskLedger,
} from './candidacy.types';

export interface DistrictPlanWorkflowInput {
  candidacyWorkflowId: string;
  cityId: string;
  cityName: string;
  country: string;
  district: DistrictInput;
  policy: CandidacyPolicy;
  contacts: Contact[];
}

export interface DistrictPlanSubmission {
  summary: string;
  documentUrl?: string;
  submittedBy: Actor;
  at: string;
}

export interface DistrictPlanState extends TaskLedger {
  district: DistrictInput;
  candidacyWorkflowId: string;
  status: DistrictPlanStatus;
  dueAt: string;
  overdue: boolean;
  submissions: DistrictPlanSubmission[];
  decisions: DecisionRecord[];
  /** Side effects that failed for good, if any (absent until the first). */
  failedEffects?: FailedEffect[];
}
