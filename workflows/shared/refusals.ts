import { ApplicationFailure } from '@temporalio/workflow';
import {
  DECISION_REFUSED,
  ROLES,
  TEXT_MAX_LENGTH,
  type Actor,
  type DecisionInput,
  type RefusalCategory,
  type Role,
} from '@kudak/contracts';

/** Refuses an update in its validator: nothing is written to history. */
export function refuse(message: string, category: RefusalCategory = 'CONFLICT'): never {
  throw ApplicationFailure.create({ type: DECISION_REFUSED, message, nonRetryable: true, details: [category] });
}

function isNonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value.trim().length > 0;
}

/** The actor must be well formed and hold one of the roles. */
export function requireActor(input: DecisionInput | undefined, ...roles: readonly Role[]): Actor {
  const actor = input?.actor;
  if (!actor || !isNonEmptyString(actor.id) || !isNonEmptyString(actor.organisation)) {
    refuse('actor with id, role and organisation is required', 'INVALID');
  }
  if (!(ROLES as readonly string[]).includes(actor.role)) {
    refuse(`actor.role '${String(actor.role)}' is not a role`, 'INVALID');
  }
  if (!roles.includes(actor.role)) {
    refuse(`a ${actor.role} is not entitled to this decision (needs: ${roles.join(' or ')})`, 'FORBIDDEN');
  }
  return actor;
}

export function requireText(value: unknown, field: string, max: number = TEXT_MAX_LENGTH): string {
  if (!isNonEmptyString(value)) refuse(`${field} is required`, 'INVALID');
  if (value.length > max) refuse(`${field} must be at most ${max} characters`, 'INVALID');
  return value;
}

export function optionalText(value: unknown, field: string, max: number = TEXT_MAX_LENGTH): string | undefined {
  return value === undefined || value === null ? undefined : requireText(value, field, max);
}

export function requireOneOf<T extends string>(value: unknown, allowed: readonly T[], field: string): T {
  if (!allowed.includes(value as T)) refuse(`${field} must be one of ${allowed.join(', ')}`, 'INVALID');
  return value as T;
}
