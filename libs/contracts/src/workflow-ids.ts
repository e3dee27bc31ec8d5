/** One candidacy per city: the workflow id is derived from the city's id, so a second start is refused. */
export function candidacyWorkflowId(cityId: string): string {
  return `candidacy-${cityId}`;
}

/** Inverse of {@link candidacyWorkflowId}; undefined when the id is not a candidacy's. */
export function cityIdFromWorkflowId(workflowId: string): string | undefined {
  return workflowId.startsWith('candidacy-') ? workflowId.slice('candidacy-'.length) : undefined;
}

/** City ids end up in workflow ids and URLs: keep them to a safe, readable alphabet. */
export const CITY_ID_PATTERN = /^[a-z0-9][a-z0-9-]{1,62}$/;

/** Countries are ISO 3166-1 alpha-2 codes in capitals, e.g. IR. */
export const COUNTRY_CODE_PATTERN = /^[A-Z]{2}$/;

/** A district's plan runs as a child of its candidacy. */
export function districtPlanWorkflowId(candidacyWorkflowId: string, districtId: string): string {
  return `${candidacyWorkflowId}/district/${districtId}`;
}
