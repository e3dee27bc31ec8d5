import { sleep } from '@temporalio/workflow';
import { addPolicyDuration, iso } from '@kudak/contracts';
import { nowMs } from '../../shared/clock';
import { STEERING_COMMITTEE, type CandidacyRun, type StepOutcome } from '../candidacy-run';

/** Accession: recognition, then wait until the renewal cycle opens. */
export async function accession(run: CandidacyRun): Promise<StepOutcome> {
  const { state, policy } = run;
  let recognition = state.awards.find((a) => a.kind === 'RECOGNITION' && a.cycle === state.cycle);
  if (!recognition) {
    const assessedBy = state.finalAssessments[state.finalAssessments.length - 1]?.assessedBy ?? STEERING_COMMITTEE;
    run.award('RECOGNITION', assessedBy, iso(addPolicyDuration(nowMs(), policy, 'recognitionYears')));
    recognition = state.awards[state.awards.length - 1];
  }
  const renewalOpensAt = addPolicyDuration(Date.parse(recognition.expiresAt!), policy, 'renewalLeadMonths', -1);
  if (renewalOpensAt <= nowMs()) return 'renew';
  if (run.features.tasksForEveryDeadline) {
    // The administrators prepare the renewal cycle, which opens on the task's due date.
    const task = run.board.open({ kind: 'PREPARE_RENEWAL', assigneeRole: 'administrator', dueAt: iso(renewalOpensAt) });
    await run.board.until(task);
  } else {
    await sleep(renewalOpensAt - nowMs());
  }
  return 'renew';
}
