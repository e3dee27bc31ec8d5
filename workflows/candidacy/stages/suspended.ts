import { setHandler } from '@temporalio/workflow';
import { reinstateCandidacyUpdate } from '@kudak/contracts';
import { requireActor, requireText } from '../../shared/refusals';
import type { CandidacyRun, StepOutcome } from '../candidacy-run';

// Suspended after a failed corrective action: the Ministry reinstates (or the city withdraws).

export function registerSuspensionHandlers(run: CandidacyRun): void {
  setHandler(
    reinstateCandidacyUpdate,
    (update) => {
      run.reinstated = true;
      return run.decide('REINSTATED', update.actor, update.reason);
    },
    {
      validator: (update) => {
        requireActor(update, 'ministry_officer');
        run.requireStage('SUSPENDED');
        requireText(update.reason, 'reason');
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
