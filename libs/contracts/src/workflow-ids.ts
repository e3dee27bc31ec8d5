/** One candidacy per city: the workflow id is derived from the city's id, so a second start is refused. */
export function candidacyWorkflowId(cityId: string): string {
  return `candidacy-${cityId}`;
}

/** City ids end up in workflow ids and URLs: keep them to a safe, readable alphabet. */
export const CITY_ID_PATTERN = /^[a-z0-9][a-z0-9-]{1,62}$/;
/** CITY_ID_PATTERN in words, for the commands that refuse an argument. */
export const CITY_ID_RULE = '2-63 lowercase letters, digits and dashes';

/** Countries are ISO 3166-1 alpha-2 codes in capitals, e.g. IR. */
export const COUNTRY_CODE_PATTERN = /^[A-Z]{2}$/;

/** A district's plan runs as a child of its candidacy. */
export function districtPlanWorkflowId(candidacyWorkflowId: string, districtId: string): string {
  return `${candidacyWorkflowId}/district/${districtId}`;
}
