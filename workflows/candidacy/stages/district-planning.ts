import { executeChild, ParentClosePolicy, setHandler } from '@temporalio/workflow';
import { districtPlanChangedSignal, districtPlanWorkflowId } from '@kudak/contracts';
import { districtPlanWorkflow } from '../../district-plan.workflow';
import type { CandidacyRun, StepOutcome } from '../candidacy-run';

// District planning: one child workflow per district whose plan is not settled yet; each keeps
// the candidacy informed of its status.

export function registerDistrictPlanningHandlers(run: CandidacyRun): void {
  const { state } = run;
  setHandler(districtPlanChangedSignal, (summary) => {
    const i = state.districts.findIndex((d) => d.id === summary.id);
    if (i >= 0) state.districts[i] = summary;
    run.refreshOverdue();
  });
}

export async function districtPlanning(run: CandidacyRun): Promise<StepOutcome> {
  const { state, policy, workflowId } = run;
  const pending = state.districts.filter((d) => d.status !== 'APPROVED' && d.status !== 'WAIVED');
  const results = await Promise.all(
    pending.map((d) =>
      executeChild(districtPlanWorkflow, {
        workflowId: districtPlanWorkflowId(workflowId, d.id),
        parentClosePolicy: ParentClosePolicy.REQUEST_CANCEL,
        args: [
          {
            candidacyWorkflowId: workflowId,
            cityId: state.cityId,
            cityName: state.cityName,
            country: state.country,
            district: { id: d.id, name: d.name },
            policy,
            contacts: state.contacts,
          },
        ],
      }),
    ),
  );
  for (const summary of results) {
    const i = state.districts.findIndex((d) => d.id === summary.id);
    state.districts[i] = summary;
  }
  run.refreshOverdue();
  run.enter('ACTION_PLAN');
}
