import {
  allHandlersFinished,
  CancellationScope,
  condition,
  isCancellation,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import { CITY_SEARCH_ATTRIBUTE, COUNTRY_SEARCH_ATTRIBUTE, STAGE_SEARCH_ATTRIBUTE } from '@kudak/contracts';
import { nowIso } from '../shared/clock';
import type { CandidacyRun, RunOutcome } from './candidacy-run';
import { STAGE_STEPS } from './stage-table';
import { openObligationTasks, passGate, watchObligations } from './stages/obligations';

/** Continue as new at a stage boundary before a run's history gets long. */
const HISTORY_SOFT_LIMIT = 4000;

/** Runs stage after stage until the candidacy closes, renews, or its history asks for a new run. */
async function lifecycle(run: CandidacyRun): Promise<RunOutcome> {
  const { state } = run;
  for (;;) {
    if (state.stage !== 'WITHDRAWN' && state.stage !== 'REJECTED') await passGate(run, state.stage);
    const outcome = await STAGE_STEPS[state.stage](run);
    if (outcome) return outcome;
    const { historyLength, continueAsNewSuggested } = workflowInfo();
    if (continueAsNewSuggested || historyLength > HISTORY_SOFT_LIMIT) return 'continue';
  }
}

/**
 * Lives one run: the lifecycle and the obligations watcher in a scope that a withdrawal cancels
 * (timers, district workflows and all); then, if the candidacy closed, its closing notice. Returns
 * once every side effect and handler has finished.
 */
export async function live(run: CandidacyRun): Promise<RunOutcome> {
  const { state } = run;
  upsertSearchAttributes([
    { key: CITY_SEARCH_ATTRIBUTE, value: state.cityId },
    { key: COUNTRY_SEARCH_ATTRIBUTE, value: state.country },
    { key: STAGE_SEARCH_ATTRIBUTE, value: state.stage },
  ]);
  openObligationTasks(run);
  run.refreshOverdue();

  const scope = new CancellationScope();
  const running = scope.run(() => Promise.race([lifecycle(run), watchObligations(run).then(() => 'closed' as const)]));
  const outcome = await Promise.race([
    running,
    condition(() => state.stage === 'WITHDRAWN').then(() => 'closed' as const),
  ]);
  run.closing = true;
  scope.cancel();
  await running.catch((err: unknown) => {
    if (!isCancellation(err)) throw err;
  });

  if (outcome === 'closed') {
    run.board.closeAll();
    state.closedAt = nowIso();
    run.refreshOverdue();
    run.effects.notify(['administrator', 'ministry_officer', 'unicef_officer'], 'CANDIDACY_CLOSED', {
      stage: state.stage,
      closedAt: state.closedAt,
    });
  }
  run.projector?.flush(); // the run's last state, before its effects drain
  await run.effects.drained();
  await condition(allHandlersFinished);
  return outcome;
}
