import { condition, setHandler, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import {
  CITY_SEARCH_ATTRIBUTE,
  COUNTRY_SEARCH_ATTRIBUTE,
  STAGE_SEARCH_ATTRIBUTE,
  getCandidacyStateQuery,
  type CandidacyState,
  type StartCandidacyInput,
} from '@kudak/contracts';

/** A city's candidacy for the Child Friendly Cities network, from commitment onwards. */
export async function candidacyWorkflow(input: StartCandidacyInput): Promise<CandidacyState> {
  const state: CandidacyState = {
    cityId: input.cityId,
    cityName: input.cityName,
    country: input.country,
    stage: 'COMMITMENT',
    districts: input.districts,
    startedBy: input.startedBy,
    startedAt: workflowInfo().startTime.toISOString(),
  };
  setHandler(getCandidacyStateQuery, () => state);
  upsertSearchAttributes([
    { key: CITY_SEARCH_ATTRIBUTE, value: input.cityId },
    { key: COUNTRY_SEARCH_ATTRIBUTE, value: input.country },
    { key: STAGE_SEARCH_ATTRIBUTE, value: state.stage },
  ]);
  // The lifecycle's later stages arrive with their decisions; until then the candidacy waits.
  await condition(() => state.stage !== 'COMMITMENT');
  return state;
}
