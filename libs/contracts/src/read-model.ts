// The read model: what people list (open tasks, candidacies) as a projection in Kudak's database,
// written by the workflows through the projection activity and rebuilt from their histories.
import type { Role } from './actor.types';
import type { CandidacyStage, CandidacyState, OpenTask } from './candidacy.types';

/**
 * Marks workflows that project their open tasks and summary into the read model. Runs recorded
 * before it replay without the projection activity; a rebuild backfills them.
 */
export const READ_MODEL_PATCH = 'read-model-projection';

/** An open task as the read model lists it (without its notices' counters). */
export type ProjectedTask = Pick<
  OpenTask,
  'kind' | 'stage' | 'assigneeRole' | 'assignees' | 'districtId' | 'obligationId' | 'openedAt' | 'dueAt' | 'overdue'
> & {
  taskId: string;
  /** Every role it waits for (one or more). */
  assigneeRoles: Role[];
};

/** Whether the candidacy's workflow still runs (a renewal continues the same candidacy). */
export type CandidacyRunStatus = 'RUNNING' | 'COMPLETED';

/** A candidacy as its list shows it. */
export interface CandidacySummary {
  cityName: string;
  stage: CandidacyStage;
  cycle: number;
  overdue: boolean;
  /** The soonest deadline of its open tasks and unsettled district plans. */
  nextDueAt?: string;
  status: CandidacyRunStatus;
  startedAt: string;
}

/**
 * One workflow's part of the read model at a point of its history: its open tasks, and for a
 * candidacy its summary. Versions order the writes as the history does: a run that started later
 * wins, then the higher sequence within a run; an older or repeated write changes nothing.
 */
export interface ReadModelSnapshot {
  /** The projected workflow (a candidacy, or a district plan). */
  workflowId: string;
  runId: string;
  /** The run's start (ISO-8601): each continue-as-new starts a later run. */
  runStartedAt: string;
  /** Counts the run's projections from 1. */
  sequence: number;
  /** The candidacy the workflow belongs to (itself for a candidacy). */
  candidacyWorkflowId: string;
  cityId: string;
  country: string;
  /** Workflow time of the state projected: how current the rows are. */
  updatedAt: string;
  tasks: ProjectedTask[];
  /** Only for a candidacy. */
  candidacy?: CandidacySummary;
}

export interface ProjectionResult {
  /** False when a write of the same or a later version had already been applied. */
  applied: boolean;
}

/** The read model's view of a workflow's open tasks. */
export function projectedTasks(tasks: readonly OpenTask[]): ProjectedTask[] {
  return tasks.map((t) => ({
    taskId: t.id,
    kind: t.kind,
    stage: t.stage,
    assigneeRole: t.assigneeRole,
    assigneeRoles: t.assigneeRoles ?? [t.assigneeRole],
    ...(t.assignees ? { assignees: [...t.assignees] } : {}),
    ...(t.districtId ? { districtId: t.districtId } : {}),
    ...(t.obligationId ? { obligationId: t.obligationId } : {}),
    openedAt: t.openedAt,
    ...(t.dueAt ? { dueAt: t.dueAt } : {}),
    overdue: t.overdue,
  }));
}

/** What a workflow shows in the read model; its projector adds the version and the time. */
export type ReadModelView = Omit<ReadModelSnapshot, 'workflowId' | 'runId' | 'runStartedAt' | 'sequence' | 'updatedAt'>;

/** What the read model shows of a candidacy: its open tasks and its line in the list. */
export function candidacyReadModelView(workflowId: string, state: CandidacyState): ReadModelView {
  const deadlines = [
    ...state.openTasks.map((t) => t.dueAt),
    ...state.districts.filter((d) => d.status !== 'APPROVED' && d.status !== 'WAIVED').map((d) => d.dueAt),
  ].filter((at): at is string => at !== undefined);
  const nextDueAt = deadlines.sort((a, b) => Date.parse(a) - Date.parse(b))[0];
  return {
    candidacyWorkflowId: workflowId,
    cityId: state.cityId,
    country: state.country,
    tasks: projectedTasks(state.openTasks),
    candidacy: {
      cityName: state.cityName,
      stage: state.stage,
      cycle: state.cycle,
      overdue: state.overdue,
      ...(nextDueAt ? { nextDueAt } : {}),
      status: state.closedAt ? 'COMPLETED' : 'RUNNING',
      startedAt: state.startedAt,
    },
  };
}
