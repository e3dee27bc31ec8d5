import { condition, sleep, upsertMemo } from '@temporalio/workflow';
import {
  addDuration,
  DEADLINES_MEMO_KEY,
  deadlinesOf,
  iso,
  taskRoles,
  type CandidacyPolicy,
  type Contact,
  type OpenTask,
  type Role,
  type TaskLedger,
} from '@kudak/contracts';
import { nowIso, nowMs } from './clock';
import { keepsDeadlinesInMemo } from './deadlines-patch';
import type { SideEffects } from './side-effects';

export type TaskSpec = Pick<OpenTask, 'kind' | 'assigneeRole'> &
  Partial<Pick<OpenTask, 'assigneeRoles' | 'dueAt' | 'districtId' | 'obligationId' | 'assignees'>>;

export interface TaskBoardContext {
  stage(): OpenTask['stage'];
  policy(): CandidacyPolicy;
  /** Called whenever a task becomes overdue or closes, to keep the Overdue search attribute true. */
  onOverdueChanged(): void;
  /** Tell the assignees of each task opened (TASK_ASSIGNED); runs from before it tell nobody. */
  announcesNewTasks?: boolean;
}

/** The contacts a task's notices go to: in its district (if any), and by name when it names them. */
function forAssignees(task: OpenTask): (c: Contact) => boolean {
  return (c) =>
    (!task.districtId || !c.districtId || c.districtId === task.districtId) &&
    (!task.assignees || task.assignees.includes(c.id));
}

/** The highest number in the tasks' ids (`<kind>-<number>`), 0 if none. */
function highestTaskNumber(tasks: OpenTask[]): number {
  return Math.max(0, ...tasks.map((t) => Number(/-(\d+)$/.exec(t.id)?.[1] ?? 0)));
}

/**
 * The open tasks of a workflow: what waits for whom, by when. Deadlines send reminders before
 * and escalations after, as the policy says; an overdue task stays open until it is done.
 */
export class TaskBoard {
  constructor(
    private readonly ledger: TaskLedger,
    private readonly ctx: TaskBoardContext,
    private readonly effects: SideEffects,
  ) {}

  private get tasks(): OpenTask[] {
    return this.ledger.openTasks;
  }

  open(spec: TaskSpec): OpenTask {
    // A state from before tasksOpened was kept goes on after its open tasks' ids.
    this.ledger.tasksOpened = (this.ledger.tasksOpened ?? highestTaskNumber(this.tasks)) + 1;
    const task: OpenTask = {
      id: `${spec.kind.toLowerCase()}-${this.ledger.tasksOpened}`,
      stage: this.ctx.stage(),
      openedAt: nowIso(),
      overdue: false,
      remindersSent: 0,
      escalations: 0,
      ...spec,
    };
    this.tasks.push(task);
    if (task.dueAt) this.publishDeadlines();
    if (this.ctx.announcesNewTasks) {
      this.effects.notify(
        taskRoles(task),
        'TASK_ASSIGNED',
        {
          taskKind: task.kind,
          taskId: task.id,
          ...(task.dueAt ? { dueAt: task.dueAt } : {}),
          ...(task.districtId ? { districtId: task.districtId } : {}),
          ...(task.obligationId ? { obligationId: task.obligationId } : {}),
        },
        forAssignees(task),
      );
    }
    return task;
  }

  find(kind: OpenTask['kind'], districtId?: string): OpenTask | undefined {
    return this.tasks.find((t) => t.kind === kind && (districtId === undefined || t.districtId === districtId));
  }

  /** The task of an obligation's party, if open. */
  forObligation(obligationId: string): OpenTask | undefined {
    return this.tasks.find((t) => t.kind === 'FULFIL_OBLIGATION' && t.obligationId === obligationId);
  }

  close(task: OpenTask): void {
    const i = this.tasks.indexOf(task);
    if (i >= 0) this.tasks.splice(i, 1);
    if (i >= 0 && task.dueAt) this.publishDeadlines();
    if (task.overdue) this.ctx.onOverdueChanged();
  }

  /** Marks a task overdue without an escalation (its own notices say so), for these roles too. */
  overdue(task: OpenTask, alsoFor: Role[]): void {
    const roles = [...new Set([...taskRoles(task), ...alsoFor])];
    if (task.overdue && roles.length === taskRoles(task).length) return;
    task.overdue = true;
    task.assigneeRoles = roles;
    if (task.dueAt) this.publishDeadlines();
    this.ctx.onOverdueChanged();
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

  /** The policy's reminders for a deadline: those still ahead, soonest first. */
  private reminderTimes(due: number): number[] {
    const openedAt = nowMs();
    return this.ctx
      .policy()
      .reminderDaysBefore.map((d) => addDuration(due, d, 'days', -1))
      .filter((at) => at > openedAt)
      .sort((a, b) => a - b);
  }

  /**
   * Waits until `done()` holds, sending the policy's reminders before the task's deadline and its
   * escalations (to the assignees and the city's administrators) after it. `onDue` runs when the
   * deadline passes (before that day's escalation). Closes the task.
   */
  async await(
    task: OpenTask,
    done: () => boolean,
    escalateTo: Role[] = ['administrator'],
    onDue?: () => void,
  ): Promise<void> {
    if (task.dueAt) {
      const due = Date.parse(task.dueAt);
      const steps: Array<{ at: number; step: 'remind' | 'due' | 'escalate' }> = [
        ...this.reminderTimes(due).map((at) => ({ at, step: 'remind' as const })),
        ...(onDue ? [{ at: due, step: 'due' as const }] : []),
        ...this.ctx
          .policy()
          .escalationDaysAfter.map((d) => ({ at: addDuration(due, d, 'days'), step: 'escalate' as const })),
      ].sort((a, b) => a.at - b.at); // stable: the deadline itself before an escalation on the day
      for (const { at, step } of steps) {
        const wait = at - nowMs();
        if (wait > 0 ? await condition(done, wait) : done()) break;
        if (step === 'due') onDue!();
        else this.fire(task, step === 'escalate', escalateTo);
      }
    }
    await condition(done);
    this.close(task);
  }

  /** Holds a task open until its due date (a period that ends by itself), reminding before it. Closes it. */
  async until(task: OpenTask): Promise<void> {
    const due = Date.parse(task.dueAt!);
    for (const at of this.reminderTimes(due)) {
      await sleep(at - nowMs());
      this.fire(task, false, []);
    }
    if (due > nowMs()) await sleep(due - nowMs());
    this.close(task);
  }

  private fire(task: OpenTask, escalate: boolean, escalateTo: Role[]): void {
    const params = {
      taskKind: task.kind,
      taskId: task.id,
      dueAt: task.dueAt ?? iso(nowMs()),
      ...(task.districtId ? { districtId: task.districtId } : {}),
    };
    const roles = taskRoles(task);
    if (!escalate) {
      task.remindersSent++;
      this.effects.notify(roles, 'TASK_REMINDER', params, forAssignees(task));
      return;
    }
    task.escalations++;
    const wasOverdue = task.overdue;
    task.overdue = true;
    this.effects.notify(roles, 'TASK_ESCALATION', { ...params, escalation: task.escalations }, forAssignees(task));
    const others = escalateTo.filter((r) => !roles.includes(r));
    this.effects.notify(others, 'TASK_ESCALATION', { ...params, escalation: task.escalations });
    if (!wasOverdue) this.ctx.onOverdueChanged();
  }
}
