/** The failure type of a decision refused by a workflow's update validator. */
export const DECISION_REFUSED = 'DecisionRefused';

/**
 * Why it was refused; carried as the failure's first detail so the API can answer 403 (not
 * entitled), 422 (the decision itself is malformed) or 409 (not possible in the current state).
 */
export type RefusalCategory = 'FORBIDDEN' | 'INVALID' | 'CONFLICT';
