import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { isEmail } from 'class-validator';
import { parseInstant } from '@kudak/calendar';
import { ROLES } from '@kudak/contracts';

/** Failure type of an activity input that can never succeed: not retried. */
export const INVALID_ACTIVITY_INPUT = 'InvalidActivityInput';

/**
 * The idempotency key of the running activity: workflow id / run id / activity id, the same on every
 * retry of one scheduled activity and different for every other. `workflowExecution` is absent for
 * an activity not started by a workflow: then the caller's workflow id and the activity's own run id
 * stand in.
 */
export function activityKey(fallbackWorkflowId: string): { key: string; workflowId: string } {
  const { workflowExecution, activityRunId, activityId } = Context.current().info;
  const workflowId = workflowExecution?.workflowId ?? fallbackWorkflowId;
  const runId = workflowExecution?.runId ?? activityRunId ?? 'no-run';
  return { key: `${workflowId}/${runId}/${activityId}`, workflowId };
}

/**
 * Collects every problem of an activity's input, then fails once, naming them all, with a
 * non-retryable failure: retrying a malformed request only delays the workflow's own error handling.
 */
export class InputCheck {
  private readonly problems: string[] = [];

  constructor(private readonly activity: string) {}

  /** The value at `path` is an object (not null, not an array); false (with the problem noted) if not. */
  object(value: unknown, path: string): value is Record<string, unknown> {
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return true;
    this.problems.push(`${path} must be an object`);
    return false;
  }

  text(value: unknown, path: string, optional = false): void {
    if (optional && value === undefined) return;
    if (typeof value !== 'string' || value.trim() === '') this.problems.push(`${path} must be a non-empty string`);
  }

  oneOf(value: unknown, allowed: readonly string[], path: string): void {
    if (typeof value !== 'string' || !allowed.includes(value)) {
      this.problems.push(`${path} must be one of ${allowed.join(', ')}; got ${JSON.stringify(value)}`);
    }
  }

  instant(value: unknown, path: string, optional = false): void {
    if (optional && value === undefined) return;
    try {
      parseInstant(value, path);
    } catch (err) {
      this.problems.push((err as Error).message);
    }
  }

  positiveInteger(value: unknown, path: string): void {
    if (!Number.isInteger(value) || (value as number) < 1) {
      this.problems.push(`${path} must be a positive integer; got ${JSON.stringify(value)}`);
    }
  }

  boolean(value: unknown, path: string): void {
    if (typeof value !== 'boolean') this.problems.push(`${path} must be true or false; got ${JSON.stringify(value)}`);
  }

  email(value: unknown, path: string): void {
    if (value === undefined) return;
    if (typeof value !== 'string' || !isEmail(value)) {
      this.problems.push(`${path} must be an e-mail address; got ${JSON.stringify(value)}`);
    }
  }

  actor(value: unknown, path: string): void {
    if (!this.object(value, path)) return;
    this.text(value.id, `${path}.id`);
    this.oneOf(value.role, ROLES, `${path}.role`);
    this.text(value.organisation, `${path}.organisation`);
    this.text(value.name, `${path}.name`, true);
  }

  problem(message: string): void {
    this.problems.push(message);
  }

  /** Throws the non-retryable failure listing every problem found, if any. */
  done(): void {
    if (this.problems.length === 0) return;
    throw ApplicationFailure.nonRetryable(
      `${this.activity}: invalid input:\n${this.problems.map((p) => `  - ${p}`).join('\n')}`,
      INVALID_ACTIVITY_INPUT,
    );
  }
}
