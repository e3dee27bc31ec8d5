import { condition, setHandler } from '@temporalio/workflow';
import { addPolicyDuration, DECISIONS, iso } from '@kudak/contracts';
import { nowMs } from '../../shared/clock';
import { refuse, requireActor, requireText } from '../../shared/refusals';
import type { CandidacyRun, StepOutcome } from '../candidacy-run';

// Rejected: the city may appeal within the window, which reopens the stage that rejected it.

export function registerAppealHandlers(run: CandidacyRun): void {
  const { state } = run;
  const rule = DECISIONS.appealDecision;
  setHandler(
    rule.update,
    (update) => {
      run.appealed = true;
      return run.decide('APPEALED', update.actor, update.reason, { against: state.previousStage ?? null });
    },
    {
      validator: (update) => {
        requireActor(update, ...rule.roles);
        run.requireStage(...rule.stages);
        if (!state.appealDeadline || nowMs() > Date.parse(state.appealDeadline) || run.appealed) {
          refuse('the appeal window is closed');
        }
        requireText(update.reason, 'reason (the grounds of the appeal)', rule.limits.reason);
      },
    },
  );
}

/** Reopens the stage that rejected on an appeal in time; closes the candidacy when the window closes. */
export async function appealWindow(run: CandidacyRun): Promise<StepOutcome> {
  const { state } = run;
  run.appealed = false;
  state.appealDeadline ??= iso(addPolicyDuration(nowMs(), run.policy, 'appealWindowDays'));
  const task = run.board.open({ kind: 'APPEAL_OR_ACCEPT', assigneeRole: 'administrator', dueAt: state.appealDeadline });
  const inTime = await condition(() => run.appealed, Date.parse(state.appealDeadline) - nowMs());
  run.board.close(task);
  state.appealDeadline = undefined;
  if (inTime) run.enter(state.previousStage ?? 'CANDIDACY_REVIEW');
  return inTime ? undefined : 'closed';
}
