import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { DecisionInput } from './actor.types';
import type { DecisionRecord } from './candidacy.types';
import type { DistrictPlanState } from './district-plan.types';

export const getDistrictPlanStateQuery = defineQuery<DistrictPlanState>('getDistrictPlanState');

export interface SubmitDistrictPlanInput extends DecisionInput {
  summary: string;
  documentUrl?: string;
}
export const submitDistrictPlanUpdate = defineUpdate<DecisionRecord, [SubmitDistrictPlanInput]>('submitDistrictPlan');

export interface ReviewDistrictPlanInput extends DecisionInput {
  decision: 'APPROVE' | 'RETURN';
}
export const reviewDistrictPlanUpdate = defineUpdate<DecisionRecord, [ReviewDistrictPlanInput]>('reviewDistrictPlan');

/** An administrator lets the city move on without this district's plan; the reason is recorded. */
export const waiveDistrictPlanUpdate = defineUpdate<DecisionRecord, [DecisionInput]>('waiveDistrictPlan');
