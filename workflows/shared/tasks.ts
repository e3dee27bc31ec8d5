import { condition, upsertMemo } from '@temporalio/workflow';
import {
  addDuration,
  DEADLINES_MEMO_KEY,
  deadlinesOf,
  iso,
  type CandidacyPolicy,
  type OpenTask,
  type Role,
} from '@kudak/contracts';
import { nowIso, nowMs } from './clock';
import { keepsDeadlinesInMemo } from './deadlines-patch';
import type { SideEffects } from './side-effects';

export type TaskSpec = Pick<OpenTask, 'kind' | 'assigneeRole'> &
  Partial<Pick<OpenTask, 'dueAt' | 'districtId' | 'obligationId' | 'assignees'>>;

export interface TaskBoardContext {
  stage(): OpenTask['stage'];
  policy(): CandidacyPolicy;
  /** Called whenever a task becomes overdue or closes, to keep the Overdue search attribute true. */
  onOverdueChanged(): void;
}

/**
 * The open tasks of a workflow: what waits for whom, by when. Deadlines send reminders before
 * and escalations after, as the policy says; an overdue task stays open until it is done.
 */
export class TaskBoard {
  private seq = 0;

  constructor(
    readonly tasks: OpenTask[],
    private readonly ctx: TaskBoardContext,
    private readonly effects: SideEffects,
    seqStart = 0,
  ) {
    this.seq = seqStart;
  }

  get sequence(): number {
    return this.seq;
  }

  open(spec: TaskSpec): OpenTask {
    const task: OpenTask = {
      id: `${spec.kind.toLowerCase()}-${++this.seq}`,
      stage: this.ctx.stage(),
      openedAt: nowIso(),
      overdue: false,
      remindersSent: 0,
      escalations: 0,
      ...spec,
    };
    this.tasks.push(task);
    if (task.dueAt) this.publishDeadlines();
    return task;
  }

  find(kind: OpenTask['kind'], districtId?: string): OpenTask | undefined {
    return this.tasks.find((t) => t.kind === kind && (districtId === undefined || t.districtId === districtId));
  }

  close(task: OpenTask): void {
    const i = this.tasks.indexOf(task);
    if (i >= 0) this.tasks.splice(i, 1);
    if (i >= 0 && task.dueAt) this.publishDeadlines();
    if (task.overdue) this.ctx.onOverdueChanged();
  }

  closeAll(): void {
    const hadOverdue = this.tasks.some((t) => t.overdue);
    const hadDeadlines = this.tasks.some((t) => t.dueAt);
    this.tasks.splice(0, this.tasks.length);
    if (hadDeadlines) this.publishDeadlines();
    if (hadOverdue) this.ctx.onOverdueChanged();
  }

  /** The memo's open deadlines follow the board (see DEADLINES_MEMO_KEY). */
  private publishDeadlines(): void {
    if (!keepsDeadlinesInMemo()) return;
    const deadlines = deadlinesOf(this.tasks);
    // None open: the field goes (undefined removes a memo field), as servers drop an empty list.
    upsertMemo({ [DEADLINES_MEMO_KEY]: deadlines.length > 0 ? deadlines : undefined });
  }

  /**
   * Waits until `done()` holds, sending the policy's reminders before the task's deadline and its
   * escalations (to the assignees and the city's administrators) after it. Closes the task.
   */
  async await(task: OpenTask, done: () => boolean, escalateTo: Role[] = ['administrator']): Promise<void> {
    if (task.dueAt) {
      const due = Date.parse(task.dueAt);
      const policy = this.ctx.policy();
      const openedAt = nowMs();
      const steps = [
        ...policy.reminderDaysBefore
          .map((d) => ({ at: addDuration(due, d, 'days', -1), escalate: false }))
          .filter((s) => s.at > openedAt),
        ...policy.escalationDaysAfter.map((d) => ({ at: addDuration(due, d, 'days'), escalate: true })),
      ].sort((a, b) => a.at - b.at);
      for (const step of steps) {
        const wait = step.at - nowMs();
        if (wait > 0 ? await condition(done, wait) : done()) break;
        this.fire(task, step.escalate, escalateTo);
      }
    }
    await condition(done);
    this.close(task);
  }

  private fire(task: OpenTask, escalate: boolean, escalateTo: Role[]): void {
    const params = {
      taskKind: task.kind,
      taskId: task.id,
      dueAt: task.dueAt ?? iso(nowMs()),
      ...(task.districtId ? { districtId: task.districtId } : {}),
    };
    const forAssignee = (c: { districtId?: string; id: string }) =>
      (!task.districtId || !c.districtId || c.districtId === task.districtId) &&
      (!task.assignees || task.assignees.includes(c.id));
    if (!escalate) {
      task.remindersSent++;
      this.effects.notify([task.assigneeRole], 'TASK_REMINDER', params, forAssignee);
      return;
    }
    task.escalations++;
    const wasOverdue = task.overdue;
    task.overdue = true;
    this.effects.notify(
      [task.assigneeRole],
      'TASK_ESCALATION',
      { ...params, escalation: task.escalations },
      forAssignee,
    );
    const others = escalateTo.filter((r) => r !== task.assigneeRole);
    this.effects.notify(others, 'TASK_ESCALATION', { ...params, escalation: task.escalations });
    if (!wasOverdue) this.ctx.onOverdueChanged();
  }
}
