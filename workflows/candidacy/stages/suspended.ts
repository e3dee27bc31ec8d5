import { setHandler } from '@temporalio/workflow';
import { DECISIONS } from '@kudak/contracts';
import { requireActor, requireText } from '../../shared/refusals';
import type { CandidacyRun, StepOutcome } from '../candidacy-run';

// Suspended after a failed corrective action: the Ministry reinstates (or the city withdraws).

export function registerSuspensionHandlers(run: CandidacyRun): void {
  const rule = DECISIONS.reinstateCandidacy;
  setHandler(
    rule.update,
    (update) => {
      run.reinstated = true;
      return run.decide('REINSTATED', update.actor, update.reason);
    },
    {
      validator: (update) => {
        requireActor(update, ...rule.roles);
        run.requireStage(...rule.stages);
        requireText(update.reason, 'reason', rule.limits.reason);
      },
    },
  );
}

export async function suspended(run: CandidacyRun): Promise<StepOutcome> {
  run.reinstated = false;
  const task = run.board.open({ kind: 'REINSTATE_OR_WITHDRAW', assigneeRole: 'ministry_officer' });
  await run.board.await(task, () => run.reinstated);
  run.enter('IMPLEMENTATION', ['committee_member']);
}
