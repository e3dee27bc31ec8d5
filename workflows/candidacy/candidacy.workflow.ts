import { continueAsNew, patched, setHandler } from '@temporalio/workflow';
import {
  assertValidStartInput,
  getCandidacyStateQuery,
  START_INPUT_CHECK_PATCH,
  type CandidacyState,
  type CandidacyWorkflowInput,
} from '@kudak/contracts';
import { legacyCommitmentOnlyCandidacy, type LegacyStartCandidacyInput } from '../legacy/commitment-only-candidacy';
import { CandidacyRun } from './candidacy-run';
import { renewalState } from './candidacy-state';
import { live } from './lifecycle';
import { HANDLER_REGISTRATIONS } from './stage-table';

/**
 * Marks the full lifecycle. Candidacies started by the first release (commitment only) replay
 * without it and keep their old behaviour; see legacy/commitment-only-candidacy.ts.
 */
export const FULL_LIFECYCLE_PATCH = 'candidacy-full-lifecycle';

/** A city's candidacy for the Child Friendly Cities network, from commitment to accession and renewal. */
export async function candidacyWorkflow(input: CandidacyWorkflowInput): Promise<CandidacyState> {
  if (!patched(FULL_LIFECYCLE_PATCH)) {
    return legacyCommitmentOnlyCandidacy(input as unknown as LegacyStartCandidacyInput) as never;
  }
  if (!input.continued && patched(START_INPUT_CHECK_PATCH)) assertValidStartInput(input.start);
  const run = new CandidacyRun(input);
  setHandler(getCandidacyStateQuery, () => run.state);
  for (const register of HANDLER_REGISTRATIONS) register(run);

  const outcome = await live(run);
  if (outcome === 'closed') return run.state;
  return continueAsNew<typeof candidacyWorkflow>({
    start: input.start,
    continued: outcome === 'renew' ? renewalState(run.state) : run.state,
  });
}
