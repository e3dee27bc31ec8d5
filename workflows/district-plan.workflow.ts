import { getExternalWorkflowHandle, setHandler, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import {
  addPolicyDuration,
  CITY_SEARCH_ATTRIBUTE,
  COUNTRY_SEARCH_ATTRIBUTE,
  districtPlanChangedSignal,
  getDistrictPlanStateQuery,
  iso,
  OVERDUE_SEARCH_ATTRIBUTE,
  DECISIONS,
  STAGE_SEARCH_ATTRIBUTE,
  type Actor,
  type DecisionKind,
  type DecisionRecord,
  type DistrictPlanState,
  type DistrictPlanWorkflowInput,
  type DistrictSummary,
  projectedTasks,
} from '@kudak/contracts';
import { nowIso, nowMs } from './shared/clock';
import { logDecision, overduePublisher } from './shared/decisions';
import { processFeatures } from './shared/process-patches';
import { ReadModelProjector } from './shared/read-model-projector';
import { optionalText, refuse, requireActor, requireOneOf, requireText } from './shared/refusals';
import { SideEffects } from './shared/side-effects';
import { TaskBoard } from './shared/tasks';

/**
 * One district's plan: submitted by the district, approved or returned by a reviewer, resubmitted
 * after a return, or waived by an administrator. Child of the candidacy, which it keeps informed.
 */
export async function districtPlanWorkflow(input: DistrictPlanWorkflowInput): Promise<DistrictSummary> {
  const { taskAssignedNotices } = processFeatures(['taskAssignedNotices']);
  const { policy, district } = input;
  const state: DistrictPlanState = {
    district,
    candidacyWorkflowId: input.candidacyWorkflowId,
    status: 'NOT_SUBMITTED',
    dueAt: iso(addPolicyDuration(nowMs(), policy, 'districtPlanDays')),
    overdue: false,
    submissions: [],
    decisions: [],
    openTasks: [],
  };
  const effects = new SideEffects({
    workflowId: workflowInfo().workflowId,
    cityId: input.cityId,
    cityName: input.cityName,
    country: input.country,
    stage: () => 'DISTRICT_PLANNING',
    contacts: () => input.contacts,
    failed: (effect) => (state.failedEffects ??= []).push(effect),
  });
  // The plan's open tasks in the read model (the candidacy's own snapshot carries its line).
  const projector = ReadModelProjector.start(effects, () => ({
    candidacyWorkflowId: input.candidacyWorkflowId,
    cityId: input.cityId,
    country: input.country,
    tasks: projectedTasks(state.openTasks),
  }));
  const forDistrict = (c: { districtId?: string }) => !c.districtId || c.districtId === district.id;

  const summary = (): DistrictSummary => ({
    id: district.id,
    name: district.name,
    status: state.status,
    dueAt: state.status === 'APPROVED' || state.status === 'WAIVED' ? undefined : state.dueAt,
    overdue: state.overdue,
    lastDecision: state.decisions[state.decisions.length - 1],
  });
  const parent = getExternalWorkflowHandle(input.candidacyWorkflowId);
  let reported = '';
  const report = () => {
    const next = summary();
    const key = JSON.stringify(next);
    if (key === reported) return;
    reported = key;
    // A candidacy that was terminated (not withdrawn) no longer listens; the district's own
    // history still records its decisions.
    parent.signal(districtPlanChangedSignal, next).catch(() => undefined);
  };

  const publishOverdue = overduePublisher(false); // set with the other attributes at start
  const board = new TaskBoard(
    state,
    {
      stage: () => 'DISTRICT_PLANNING',
      policy: () => policy,
      onOverdueChanged: () => {
        state.overdue = state.openTasks.some((t) => t.overdue);
        publishOverdue(state.overdue);
        report();
      },
      // The district's submitters hear of their plan's task, every reviewer of each plan to review.
      announcesNewTasks: taskAssignedNotices,
    },
    effects,
  );

  const decide = (
    kind: DecisionKind,
    actor: Actor,
    reason?: string,
    details?: DecisionRecord['details'],
  ): DecisionRecord =>
    logDecision(state.decisions, effects, {
      kind,
      stage: 'DISTRICT_PLANNING',
      actor,
      reason,
      details: { districtId: district.id, ...details },
    });
  const settled = () => state.status === 'APPROVED' || state.status === 'WAIVED';

  setHandler(getDistrictPlanStateQuery, () => state);

  const submission = DECISIONS.submitDistrictPlan;
  setHandler(
    submission.update,
    (update) => {
      state.submissions.push({
        summary: update.summary,
        documentUrl: update.documentUrl,
        submittedBy: update.actor,
        at: nowIso(),
      });
      state.status = 'SUBMITTED';
      const decision = decide('DISTRICT_PLAN_SUBMITTED', update.actor, update.reason, {
        submission: state.submissions.length,
      });
      report();
      return decision;
    },
    {
      validator: (update) => {
        requireActor(update, ...submission.roles);
        if (state.status !== 'NOT_SUBMITTED' && state.status !== 'RETURNED') {
          refuse(`district ${district.id}'s plan is ${state.status}: nothing to submit`);
        }
        requireText(update.summary, 'summary', submission.limits.summary);
        optionalText(update.documentUrl, 'documentUrl', submission.limits.documentUrl);
      },
    },
  );

  const reviewing = DECISIONS.reviewDistrictPlan;
  setHandler(
    reviewing.update,
    (update) => {
      const approve = update.decision === 'APPROVE';
      state.status = approve ? 'APPROVED' : 'RETURNED';
      if (!approve) state.dueAt = iso(addPolicyDuration(nowMs(), policy, 'districtResubmissionDays'));
      const decision = decide(
        approve ? 'DISTRICT_PLAN_APPROVED' : 'DISTRICT_PLAN_RETURNED',
        update.actor,
        update.reason,
      );
      if (!approve) {
        effects.notify(
          ['district_submitter'],
          'DECISION_RECORDED',
          { decisionKind: decision.kind, districtId: district.id, reason: update.reason ?? '', dueAt: state.dueAt },
          forDistrict,
        );
      }
      report();
      return decision;
    },
    {
      validator: (update) => {
        requireActor(update, ...reviewing.roles);
        if (state.status !== 'SUBMITTED')
          refuse(`district ${district.id}'s plan is ${state.status}: nothing to review`);
        const choice = requireOneOf(update.decision, ['APPROVE', 'RETURN'] as const, 'decision');
        if (choice === 'RETURN')
          requireText(update.reason, 'reason (why the plan is returned)', reviewing.limits.reason);
      },
    },
  );

  const waiver = DECISIONS.waiveDistrictPlan;
  setHandler(
    waiver.update,
    (update) => {
      state.status = 'WAIVED';
      const decision = decide('DISTRICT_WAIVED', update.actor, update.reason);
      report();
      return decision;
    },
    {
      validator: (update) => {
        requireActor(update, ...waiver.roles);
        if (settled()) refuse(`district ${district.id}'s plan is already ${state.status}`);
        requireText(update.reason, 'reason (why the district is waived)', waiver.limits.reason);
      },
    },
  );

  upsertSearchAttributes([
    { key: CITY_SEARCH_ATTRIBUTE, value: input.cityId },
    { key: COUNTRY_SEARCH_ATTRIBUTE, value: input.country },
    { key: STAGE_SEARCH_ATTRIBUTE, value: 'DISTRICT_PLANNING' },
    { key: OVERDUE_SEARCH_ATTRIBUTE, value: false },
  ]);
  report();

  while (!settled()) {
    const submit = board.open({
      kind: 'SUBMIT_DISTRICT_PLAN',
      assigneeRole: 'district_submitter',
      districtId: district.id,
      dueAt: state.dueAt,
    });
    await board.await(submit, () => state.status === 'SUBMITTED' || settled());
    if (settled()) break;
    const review = board.open({
      kind: 'REVIEW_DISTRICT_PLAN',
      assigneeRole: 'reviewer',
      districtId: district.id,
      dueAt: iso(addPolicyDuration(nowMs(), policy, 'districtResubmissionDays')),
    });
    await board.await(review, () => state.status !== 'SUBMITTED');
  }
  board.closeAll();
  report();
  projector?.flush();
  await effects.drained();
  return summary();
}
