// JSON-safe types shared by workflows, activities and the API. No classes, no Dates: they
// cross Temporal's payload converter and must mean the same on replay.

export const CANDIDACY_STAGES = [
  'COMMITMENT',
  'DISTRICT_PLANNING',
  'ACTION_PLAN',
  'MINISTRY_REVIEW',
  'CANDIDACY_REVIEW',
  'IMPLEMENTATION',
  'FINAL_ASSESSMENT',
  'ACCEDED',
  'WITHDRAWN',
  'SUSPENDED',
  'REJECTED',
] as const;
export type CandidacyStage = (typeof CANDIDACY_STAGES)[number];

export interface DistrictInput {
  id: string;
  name: string;
}

export interface StartCandidacyInput {
  cityId: string;
  cityName: string;
  /** ISO 3166-1 alpha-2 country code, e.g. "IR". */
  country: string;
  districts: DistrictInput[];
  /** Who started it (from the caller's identity). */
  startedBy: string;
}

export interface CandidacyState {
  cityId: string;
  cityName: string;
  country: string;
  stage: CandidacyStage;
  districts: DistrictInput[];
  startedBy: string;
  /** ISO-8601 instant, taken from workflow time. */
  startedAt: string;
}
