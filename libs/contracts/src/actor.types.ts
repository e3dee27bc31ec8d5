import type { DocumentReference } from './documents.types';

/** Who may act in a candidacy. Each role is scoped to a country and cities (checked by the API). */
export const ROLES = [
  'administrator',
  'district_submitter',
  'reviewer',
  'committee_member',
  'ministry_officer',
  'unicef_officer',
  'auditor',
] as const;
export type Role = (typeof ROLES)[number];

/**
 * The person behind a decision, taken from the caller's authenticated identity (never from the
 * request body) and recorded in history with every decision.
 */
export interface Actor {
  id: string;
  role: Role;
  organisation: string;
  name?: string;
}

/**
 * A decision's common shape: who, why, and the documents it rests on (checked and described by the
 * API). The time is the workflow's, taken when it is accepted.
 */
export interface DecisionInput {
  actor: Actor;
  reason?: string;
  documents?: DocumentReference[];
}
