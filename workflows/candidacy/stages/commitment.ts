import { setHandler } from '@temporalio/workflow';
import { DECISIONS } from '@kudak/contracts';
import { nowIso } from '../../shared/clock';
import { optionalText, requireActor } from '../../shared/refusals';
import type { CandidacyRun, StepOutcome } from '../candidacy-run';

// Commitment: the city and UNICEF sign the memorandum of understanding.

export function registerCommitmentHandlers(run: CandidacyRun): void {
  const { state } = run;
  const rule = DECISIONS.signMemorandum;
  setHandler(
    rule.update,
    (update) => {
      state.memorandumSignedAt = nowIso();
      return run.decide('MOU_SIGNED', update.actor, update.reason, { obligations: state.obligations.length });
    },
    {
      validator: (update) => {
        requireActor(update, ...rule.roles);
        run.requireStage(...rule.stages);
        run.requireTask('SIGN_MEMORANDUM', 'memorandum signature');
        optionalText(update.reason, 'reason', rule.limits.reason);
      },
    },
  );
}

export async function commitment(run: CandidacyRun): Promise<StepOutcome> {
  const task = run.board.open({ kind: 'SIGN_MEMORANDUM', assigneeRole: 'administrator' });
  await run.board.await(task, () => run.state.memorandumSignedAt !== undefined);
  run.enter('DISTRICT_PLANNING', ['district_submitter']);
}
