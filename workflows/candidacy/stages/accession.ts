import { sleep } from '@temporalio/workflow';
import { addPolicyDuration, iso } from '@kudak/contracts';
import { nowMs } from '../../shared/clock';
import { STEERING_COMMITTEE, type CandidacyRun, type StepOutcome } from '../candidacy-run';

/** Accession: recognition, then sleep until the renewal cycle opens. */
export async function accession(run: CandidacyRun): Promise<StepOutcome> {
  const { state, policy } = run;
  let recognition = state.awards.find((a) => a.kind === 'RECOGNITION' && a.cycle === state.cycle);
  if (!recognition) {
    const assessedBy = state.finalAssessments[state.finalAssessments.length - 1]?.assessedBy ?? STEERING_COMMITTEE;
    run.award('RECOGNITION', assessedBy, iso(addPolicyDuration(nowMs(), policy, 'recognitionYears')));
    recognition = state.awards[state.awards.length - 1];
  }
  const renewalOpensAt = addPolicyDuration(Date.parse(recognition.expiresAt!), policy, 'renewalLeadMonths', -1);
  if (renewalOpensAt > nowMs()) await sleep(renewalOpensAt - nowMs());
  return 'renew';
}
