/**
 * The patch ids of issue 9's process changes, as recorded in workflow histories. The workflows
 * branch on them (workflows/shared/process-patches.ts); the audit timeline reads a run's markers
 * to derive lines only for runs that carry a change, so the logs of older runs stay as they were.
 */
export const PROCESS_PATCHES = {
  /**
   * Every deadline the candidacy waits on is an open task: the next evaluation (for committee
   * members and Ministry officers), the renewal, and each open obligation (its party's, and the
   * administrators' once overdue).
   */
  tasksForEveryDeadline: 'tasks-for-every-deadline',
  /** Whoever gets a new task is told (TASK_ASSIGNED), once per task. */
  taskAssignedNotices: 'task-assigned-notices',
  /** A named committee's vote stays open until every member has voted, the outcome is settled, or its deadline. */
  committeeWaitsForMembers: 'committee-waits-for-members',
} as const;

export type ProcessChange = keyof typeof PROCESS_PATCHES;
