import { Inject, Injectable } from '@nestjs/common';
import type { Knex } from 'knex';
import type {
  CandidacyRunStatus,
  CandidacySummary,
  CandidacyStage,
  ProjectedTask,
  ReadModelSnapshot,
  Role,
  TaskKind,
} from '@kudak/contracts';
import { KNEX } from './database.constants';
import { toIsoInstant } from './instants';

/** Sorts after every ISO-8601 instant: tasks without a deadline come last. */
const NO_DEADLINE = '9999-12-31T23:59:59.999Z';

/** Which tasks a person may see: their role, name, country, cities and (for a district submitter) districts. */
export interface TaskScope {
  role: Role;
  personId: string;
  country: string;
  /** City ids, or ['*'] for every city of the country. */
  cities: string[];
  /** Only tasks of these districts or of no district (a district submitter's token districts). */
  districts?: string[];
}

export interface TaskFilter {
  city?: string;
  districtId?: string;
  /** Only tasks due before this instant. */
  dueBefore?: string;
  overdue?: boolean;
}

/** An open task as listed, with the workflow and city it belongs to. */
export interface ListedTask extends ProjectedTask {
  workflowId: string;
  cityId: string;
  /** The city's name, as its candidacy was started with. */
  cityName: string;
  updatedAt: string;
}

export interface CandidacyScope {
  country: string;
  /** City ids, or ['*'] for every city of the country. */
  cities: string[];
}

export interface CandidacyFilter {
  city?: string;
  stage?: CandidacyStage;
  overdue?: boolean;
  startedAfter?: string;
  startedBefore?: string;
}

/** Where a page of candidacies (newest first) goes on: after this one. */
export interface CandidacyCursor {
  startedAt: string;
  workflowId: string;
}

export interface ListedCandidacy extends CandidacySummary {
  workflowId: string;
  cityId: string;
  country: string;
  updatedAt: string;
}

interface TaskRow {
  workflow_id: string;
  task_id: string;
  role: Role;
  assignee: string;
  candidacy_workflow_id: string;
  city_id: string;
  country: string;
  district_id: string | null;
  obligation_id: string | null;
  kind: TaskKind;
  stage: CandidacyStage;
  assignee_role: Role;
  assignee_roles: string;
  opened_at: string;
  due_at: string | null;
  due_order: string;
  overdue: boolean | number;
  updated_at: string;
}

/** A task's row with its candidacy's city name (the task list's join). */
type ListedTaskRow = TaskRow & { city_name: string };

interface CandidacyRow {
  workflow_id: string;
  city_id: string;
  city_name: string;
  country: string;
  stage: CandidacyStage;
  cycle: number;
  overdue: boolean | number;
  next_due_at: string | null;
  status: CandidacyRunStatus;
  started_at: string;
  updated_at: string;
}

/**
 * The read model (migration 007): written by the projection activity, one workflow's snapshot at a
 * time, and read by the lists. A snapshot applies only when its version is later than the one
 * applied, so a retried, repeated or overtaken write changes nothing.
 */
@Injectable()
export class ReadModelRepository {
  constructor(@Inject(KNEX) private readonly knex: Knex) {}

  /** Applies a workflow's snapshot if it is newer than what the read model holds; true if it did. */
  async apply(snapshot: ReadModelSnapshot, projectedAt: Date = new Date()): Promise<boolean> {
    const s = snapshot;
    const runStartedAt = toIsoInstant(s.runStartedAt);
    const updatedAt = toIsoInstant(s.updatedAt);
    return this.knex.transaction(async (trx) => {
      await trx('read_model_versions')
        .insert({
          workflow_id: s.workflowId,
          run_id: '',
          run_started_at: '',
          sequence: 0,
          updated_at: updatedAt,
          projected_at: projectedAt.toISOString(),
        })
        .onConflict('workflow_id')
        .ignore();
      // The update locks the row (PostgreSQL re-checks the condition once a concurrent writer commits).
      const advanced = await trx('read_model_versions')
        .where({ workflow_id: s.workflowId })
        .andWhere((v) =>
          v
            .where('run_started_at', '<', runStartedAt)
            .orWhere((same) => same.where('run_started_at', runStartedAt).andWhere('sequence', '<', s.sequence)),
        )
        .update({
          run_id: s.runId,
          run_started_at: runStartedAt,
          sequence: s.sequence,
          updated_at: updatedAt,
          projected_at: projectedAt.toISOString(),
        });
      if (advanced === 0) return false;
      await trx('read_open_tasks').where({ workflow_id: s.workflowId }).delete();
      const rows = s.tasks.flatMap((t) => taskRows(s, t, updatedAt));
      // Chunked: SQLite binds at most 999 values per statement.
      for (let i = 0; i < rows.length; i += 40) await trx('read_open_tasks').insert(rows.slice(i, i + 40));
      if (s.candidacy) {
        const c = s.candidacy;
        await trx('read_candidacies')
          .insert({
            workflow_id: s.workflowId,
            city_id: s.cityId,
            city_name: c.cityName,
            country: s.country,
            stage: c.stage,
            cycle: c.cycle,
            overdue: c.overdue,
            next_due_at: c.nextDueAt ? toIsoInstant(c.nextDueAt) : null,
            status: c.status,
            started_at: toIsoInstant(c.startedAt),
            updated_at: updatedAt,
          })
          .onConflict('workflow_id')
          .merge();
      }
      return true;
    });
  }

  /**
   * The open tasks waiting for a person, soonest deadline first (those without one last). A
   * district plan's tasks count only while its candidacy runs at DISTRICT_PLANNING, and every task
   * only while its candidacy runs.
   */
  async tasks(scope: TaskScope, filter: TaskFilter, page: { limit: number; offset: number }): Promise<ListedTask[]> {
    // One index range per assignee value (anyone, or this person), each already in deadline order,
    // merged here: a single IN over both would make the database sort every match for each page.
    const upTo = page.offset + page.limit;
    const [forAnyone, forPerson] = await Promise.all(
      ['', scope.personId].map((assignee) => this.tasksFor(scope, filter, assignee).limit(upTo)),
    );
    const rows = [...forAnyone, ...forPerson].sort(byDeadline);
    return rows.slice(page.offset, upTo).map(toTask);
  }

  private tasksFor(
    scope: TaskScope,
    filter: TaskFilter,
    assignee: string,
  ): Knex.QueryBuilder<ListedTaskRow, ListedTaskRow[]> {
    const query = this.knex<TaskRow>('read_open_tasks as t')
      .join('read_candidacies as c', 'c.workflow_id', 't.candidacy_workflow_id')
      .select<ListedTaskRow[]>('t.*', 'c.city_name')
      .where({ 't.country': scope.country, 't.role': scope.role, 't.assignee': assignee, 'c.status': 'RUNNING' })
      .andWhere(
        (own) =>
          void own.where('t.workflow_id', this.knex.ref('c.workflow_id')).orWhere('c.stage', 'DISTRICT_PLANNING'),
      );
    if (!scope.cities.includes('*')) query.whereIn('t.city_id', scope.cities);
    if (scope.districts) {
      const districts = scope.districts;
      query.andWhere((d) => void d.whereNull('t.district_id').orWhereIn('t.district_id', districts));
    }
    if (filter.city) query.where('t.city_id', filter.city);
    if (filter.districtId) query.where('t.district_id', filter.districtId);
    if (filter.dueBefore) query.where('t.due_at', '<', toIsoInstant(filter.dueBefore));
    if (filter.overdue !== undefined) query.where('t.overdue', filter.overdue);
    return query.orderBy([
      { column: 't.due_order', order: 'asc' },
      { column: 't.workflow_id', order: 'asc' },
      { column: 't.task_id', order: 'asc' },
    ]);
  }

  /** A page of the candidacies in scope, newest first, after the cursor if given. */
  async candidacies(
    scope: CandidacyScope,
    filter: CandidacyFilter,
    limit: number,
    after?: CandidacyCursor,
  ): Promise<ListedCandidacy[]> {
    const query = this.knex<CandidacyRow>('read_candidacies').where({ country: scope.country });
    if (!scope.cities.includes('*')) query.whereIn('city_id', scope.cities);
    if (filter.city) query.where('city_id', filter.city);
    if (filter.stage) query.where('stage', filter.stage);
    if (filter.overdue !== undefined) query.where('overdue', filter.overdue);
    if (filter.startedAfter) query.where('started_at', '>=', toIsoInstant(filter.startedAfter));
    if (filter.startedBefore) query.where('started_at', '<', toIsoInstant(filter.startedBefore));
    if (after) {
      query.andWhere((older) =>
        older
          .where('started_at', '<', after.startedAt)
          .orWhere((same) => same.where('started_at', after.startedAt).andWhere('workflow_id', '<', after.workflowId)),
      );
    }
    const rows = await query
      .orderBy([
        { column: 'started_at', order: 'desc' },
        { column: 'workflow_id', order: 'desc' },
      ])
      .limit(limit);
    return rows.map(toCandidacy);
  }

  /**
   * Every row of the read model in a stable order (booleans as booleans, without the time of the
   * write): what a rebuild is compared by.
   */
  async dump(): Promise<Record<'versions' | 'candidacies' | 'tasks', Array<Record<string, unknown>>>> {
    const bools = (row: Record<string, unknown>) => ({ ...row, overdue: Boolean(row.overdue) });
    const [versions, candidacies, tasks] = await Promise.all([
      this.knex('read_model_versions')
        .select('workflow_id', 'run_id', 'run_started_at', 'sequence', 'updated_at')
        .orderBy('workflow_id'),
      this.knex('read_candidacies').orderBy('workflow_id'),
      this.knex('read_open_tasks').orderBy(['workflow_id', 'task_id', 'role', 'assignee']),
    ]);
    return { versions, candidacies: candidacies.map(bools), tasks: tasks.map(bools) };
  }

  /** Empties the read model (before a rebuild). */
  async clear(): Promise<void> {
    await this.knex.transaction(async (trx) => {
      await trx('read_open_tasks').delete();
      await trx('read_candidacies').delete();
      await trx('read_model_versions').delete();
    });
  }
}

/** The tasks' order: soonest deadline first, then by workflow and task id (as the index holds them). */
function byDeadline(a: TaskRow, b: TaskRow): number {
  const key = (r: TaskRow) => [r.due_order, r.workflow_id, r.task_id];
  const [ka, kb] = [key(a), key(b)];
  for (let i = 0; i < ka.length; i++) if (ka[i] !== kb[i]) return ka[i] < kb[i] ? -1 : 1;
  return 0;
}

function taskRows(s: ReadModelSnapshot, t: ProjectedTask, updatedAt: string): TaskRow[] {
  const dueAt = t.dueAt ? toIsoInstant(t.dueAt) : null;
  const people = t.assignees ?? [''];
  return t.assigneeRoles.flatMap((role) =>
    people.map((assignee) => ({
      workflow_id: s.workflowId,
      task_id: t.taskId,
      role,
      assignee,
      candidacy_workflow_id: s.candidacyWorkflowId,
      city_id: s.cityId,
      country: s.country,
      district_id: t.districtId ?? null,
      obligation_id: t.obligationId ?? null,
      kind: t.kind,
      stage: t.stage,
      assignee_role: t.assigneeRole,
      assignee_roles: JSON.stringify(t.assigneeRoles),
      opened_at: toIsoInstant(t.openedAt),
      due_at: dueAt,
      due_order: dueAt ?? NO_DEADLINE,
      overdue: t.overdue,
      updated_at: updatedAt,
    })),
  );
}

function toTask(row: ListedTaskRow): ListedTask {
  return {
    workflowId: row.workflow_id,
    cityId: row.city_id,
    cityName: row.city_name,
    taskId: row.task_id,
    kind: row.kind,
    stage: row.stage,
    assigneeRole: row.assignee_role,
    assigneeRoles: JSON.parse(row.assignee_roles) as Role[],
    ...(row.district_id ? { districtId: row.district_id } : {}),
    ...(row.obligation_id ? { obligationId: row.obligation_id } : {}),
    openedAt: row.opened_at,
    ...(row.due_at ? { dueAt: row.due_at } : {}),
    overdue: Boolean(row.overdue),
    updatedAt: row.updated_at,
  };
}

function toCandidacy(row: CandidacyRow): ListedCandidacy {
  return {
    workflowId: row.workflow_id,
    cityId: row.city_id,
    cityName: row.city_name,
    country: row.country,
    stage: row.stage,
    cycle: Number(row.cycle),
    overdue: Boolean(row.overdue),
    ...(row.next_due_at ? { nextDueAt: row.next_due_at } : {}),
    status: row.status,
    startedAt: row.started_at,
    updatedAt: row.updated_at,
  };
}
