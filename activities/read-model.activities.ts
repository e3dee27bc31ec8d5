import { Injectable } from '@nestjs/common';
import {
  ACTIVITY_NAMES,
  CANDIDACY_STAGES,
  ROLES,
  TASK_KINDS,
  type KudakActivities,
  type ProjectionResult,
  type ReadModelSnapshot,
} from '@kudak/contracts';
import { ReadModelRepository } from '@kudak/database';
import { InputCheck } from './activity-input';

/**
 * Writes a workflow's snapshot into the read model (what /me/tasks and the candidacy list read).
 * Idempotent by the snapshot's version: a retry, or a write overtaken by a later one, is a no-op.
 */
@Injectable()
export class ReadModelActivities implements Pick<KudakActivities, 'projectReadModel'> {
  constructor(private readonly readModel: ReadModelRepository) {}

  async projectReadModel(snapshot: ReadModelSnapshot): Promise<ProjectionResult> {
    checkSnapshot(snapshot);
    return { applied: await this.readModel.apply(snapshot) };
  }
}

function checkSnapshot(s: ReadModelSnapshot): void {
  const check = new InputCheck(ACTIVITY_NAMES.projectReadModel);
  if (check.object(s, 'snapshot')) {
    for (const field of ['workflowId', 'runId', 'candidacyWorkflowId', 'cityId', 'country'] as const) {
      check.text(s[field], field);
    }
    check.instant(s.runStartedAt, 'runStartedAt');
    check.instant(s.updatedAt, 'updatedAt');
    check.positiveInteger(s.sequence, 'sequence');
    if (!Array.isArray(s.tasks)) check.problem('tasks must be an array');
    else s.tasks.forEach((t, i) => checkTask(check, t, `tasks[${i}]`));
    const c = s.candidacy;
    if (c !== undefined && check.object(c, 'candidacy')) {
      check.text(c.cityName, 'candidacy.cityName');
      check.oneOf(c.stage, CANDIDACY_STAGES, 'candidacy.stage');
      check.positiveInteger(c.cycle, 'candidacy.cycle');
      check.boolean(c.overdue, 'candidacy.overdue');
      check.instant(c.nextDueAt, 'candidacy.nextDueAt', true);
      check.oneOf(c.status, ['RUNNING', 'COMPLETED'], 'candidacy.status');
      check.instant(c.startedAt, 'candidacy.startedAt');
    }
  }
  check.done();
}

function checkTask(check: InputCheck, t: ReadModelSnapshot['tasks'][number], path: string): void {
  if (!check.object(t, path)) return;
  check.text(t.taskId, `${path}.taskId`);
  check.oneOf(t.kind, TASK_KINDS, `${path}.kind`);
  check.oneOf(t.stage, CANDIDACY_STAGES, `${path}.stage`);
  check.oneOf(t.assigneeRole, ROLES, `${path}.assigneeRole`);
  if (!Array.isArray(t.assigneeRoles) || t.assigneeRoles.length === 0) {
    check.problem(`${path}.assigneeRoles must be a non-empty array`);
  } else t.assigneeRoles.forEach((r, i) => check.oneOf(r, ROLES, `${path}.assigneeRoles[${i}]`));
  if (t.assignees !== undefined) {
    if (!Array.isArray(t.assignees)) check.problem(`${path}.assignees must be an array`);
    else t.assignees.forEach((a, i) => check.text(a, `${path}.assignees[${i}]`));
  }
  check.text(t.districtId, `${path}.districtId`, true);
  check.text(t.obligationId, `${path}.obligationId`, true);
  check.instant(t.openedAt, `${path}.openedAt`);
  check.instant(t.dueAt, `${path}.dueAt`, true);
  check.boolean(t.overdue, `${path}.overdue`);
}
