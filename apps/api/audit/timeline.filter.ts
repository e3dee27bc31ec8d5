import { candidacyWorkflowId, districtPlanWorkflowId, type TimelineKind } from '@kudak/contracts';
import type { TimelineEntry } from './timeline.builder';

/** Which lines of a timeline to keep: of these kinds (any when none), about this district. */
export interface TimelineFilter {
  kinds?: readonly TimelineKind[];
  districtId?: string;
}

/**
 * A line is a district's when its plan's workflow wrote it, or when a line of the candidacy's own
 * names the district in its details (a decision about it, such as a waiver).
 */
export function timelineFilter(cityId: string, { kinds, districtId }: TimelineFilter) {
  const districtWorkflow = districtId && districtPlanWorkflowId(candidacyWorkflowId(cityId), districtId);
  return (entry: TimelineEntry): boolean =>
    (!kinds?.length || kinds.includes(entry.kind)) &&
    (!districtId || entry.workflowId === districtWorkflow || entry.details?.districtId === districtId);
}
