// The open deadlines of a workflow, kept in its memo: the Web UI and `describe` show what is due,
// and each change is a WorkflowPropertiesModified event, so the audit timeline lists every deadline
// when it is set, met before a reminder or not.
import type { OpenTask } from './candidacy.types';

/** The memo field that holds the open deadlines (absent when none is open). */
export const DEADLINES_MEMO_KEY = 'kudakDeadlines';

export type DeadlineMemoEntry = Pick<
  OpenTask,
  'kind' | 'stage' | 'assigneeRole' | 'assigneeRoles' | 'districtId' | 'obligationId'
> & {
  taskId: string;
  dueAt: string;
};

/** The memo value for a set of open tasks: those with a due date, in opening order. */
export function deadlinesOf(tasks: readonly OpenTask[]): DeadlineMemoEntry[] {
  return tasks.flatMap((t) =>
    t.dueAt
      ? [
          {
            taskId: t.id,
            kind: t.kind,
            stage: t.stage,
            assigneeRole: t.assigneeRole,
            ...(t.assigneeRoles ? { assigneeRoles: t.assigneeRoles } : {}),
            dueAt: t.dueAt,
            ...(t.districtId ? { districtId: t.districtId } : {}),
            ...(t.obligationId ? { obligationId: t.obligationId } : {}),
          },
        ]
      : [],
  );
}
