// The workflow bundle's entry point: every workflow type the worker registers.
export { candidacyWorkflow } from './candidacy/candidacy.workflow';
export { districtPlanWorkflow } from './district-plan.workflow';
