// The first release's candidacy (commitment stage only). Kept so that candidacies it started
// replay unchanged under the FULL_LIFECYCLE_PATCH; delete with the patch once none remain.
import { condition, defineQuery, setHandler, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import { CITY_SEARCH_ATTRIBUTE, COUNTRY_SEARCH_ATTRIBUTE, STAGE_SEARCH_ATTRIBUTE } from '@kudak/contracts';

export interface LegacyStartCandidacyInput {
  cityId: string;
  cityName: string;
  country: string;
  districts: Array<{ id: string; name: string }>;
  startedBy: string;
}

export interface LegacyCandidacyState extends Omit<LegacyStartCandidacyInput, 'startedBy'> {
  stage: 'COMMITMENT';
  startedBy: string;
  startedAt: string;
}

/** Same query name as today's; old candidacies answer it with their old shape. */
const getLegacyCandidacyStateQuery = defineQuery<LegacyCandidacyState>('getCandidacyState');

export async function legacyCommitmentOnlyCandidacy(input: LegacyStartCandidacyInput): Promise<LegacyCandidacyState> {
  const state: LegacyCandidacyState = {
    cityId: input.cityId,
    cityName: input.cityName,
    country: input.country,
    stage: 'COMMITMENT',
    districts: input.districts,
    startedBy: input.startedBy,
    startedAt: workflowInfo().startTime.toISOString(),
  };
  setHandler(getLegacyCandidacyStateQuery, () => state);
  upsertSearchAttributes([
    { key: CITY_SEARCH_ATTRIBUTE, value: input.cityId },
    { key: COUNTRY_SEARCH_ATTRIBUTE, value: input.country },
    { key: STAGE_SEARCH_ATTRIBUTE, value: state.stage },
  ]);
  await condition(() => (state.stage as string) !== 'COMMITMENT');
  return state;
}
