import { setHandler, upsertSearchAttributes } from '@temporalio/workflow';
import { DECISIONS, STAGE_SEARCH_ATTRIBUTE } from '@kudak/contracts';
import { nowIso } from '../../shared/clock';
import { refuse, requireActor, requireText } from '../../shared/refusals';
import type { CandidacyRun, StepOutcome } from '../candidacy-run';

// The city may withdraw at any stage; the lifecycle's scope is then cancelled (see lifecycle.ts).

export function registerWithdrawalHandlers(run: CandidacyRun): void {
  const { state } = run;
  const rule = DECISIONS.withdrawCandidacy;
  setHandler(
    rule.update,
    (update) => {
      const from = state.stage;
      const decision = run.decide('WITHDRAWN', update.actor, update.reason, { from });
      state.previousStage = from;
      state.stage = 'WITHDRAWN';
      state.stageEnteredAt = nowIso();
      upsertSearchAttributes([{ key: STAGE_SEARCH_ATTRIBUTE, value: 'WITHDRAWN' }]);
      return decision;
    },
    {
      validator: (update) => {
        requireActor(update, ...rule.roles);
        if (state.stage === 'WITHDRAWN' || run.closing) refuse(`the candidacy is closed (${state.stage})`);
        requireText(update.reason, 'reason (why the city withdraws)', rule.limits.reason);
      },
    },
  );
}

/** A withdrawn candidacy has nothing left to do. */
export async function withdrawn(): Promise<StepOutcome> {
  return 'closed';
}
