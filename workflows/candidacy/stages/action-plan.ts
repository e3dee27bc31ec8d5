import { setHandler } from '@temporalio/workflow';
import { ACTION_PLAN_INPUT_SOURCES, addPolicyDuration, DECISIONS, iso } from '@kudak/contracts';
import { nowIso, nowMs } from '../../shared/clock';
import { refuse, requireActor, requireOneOf, requireText } from '../../shared/refusals';
import type { CandidacyRun, StepOutcome } from '../candidacy-run';

// The action plan: inputs from partner bodies, the think tank and the children's council, then the
// operational plan sent to the Ministry.

export function registerActionPlanHandlers(run: CandidacyRun): void {
  const { state } = run;
  const input = DECISIONS.recordActionPlanInput;
  setHandler(
    input.update,
    (update) => {
      state.actionPlanInputs.push({
        source: update.source,
        party: update.party,
        summary: update.summary,
        recordedBy: update.actor,
        recordedAt: nowIso(),
      });
      return run.decide('ACTION_PLAN_INPUT_RECORDED', update.actor, update.reason, {
        source: update.source,
        party: update.party,
      });
    },
    {
      validator: (update) => {
        requireActor(update, ...input.roles);
        run.requireStage(...input.stages);
        run.requireTask('SUBMIT_ACTION_PLAN', 'action plan');
        requireOneOf(update.source, ACTION_PLAN_INPUT_SOURCES, 'source');
        requireText(update.party, 'party', input.limits.party);
        requireText(update.summary, 'summary', input.limits.summary);
      },
    },
  );

  const submission = DECISIONS.submitActionPlan;
  setHandler(
    submission.update,
    (update) => {
      state.actionPlan = { summary: update.summary, submittedBy: update.actor, submittedAt: nowIso() };
      return run.decide('ACTION_PLAN_SUBMITTED', update.actor, update.reason, {
        inputs: state.actionPlanInputs.length,
      });
    },
    {
      validator: (update) => {
        requireActor(update, ...submission.roles);
        run.requireStage(...submission.stages);
        run.requireTask('SUBMIT_ACTION_PLAN', 'action plan');
        requireText(update.summary, 'summary', submission.limits.summary);
        if (!state.actionPlanInputs.some((i) => i.source === 'CHILDREN_COUNCIL')) {
          refuse(
            "the action plan cannot go to the Ministry without recorded child participation (children's council input)",
          );
        }
      },
    },
  );
}

export async function actionPlan(run: CandidacyRun): Promise<StepOutcome> {
  run.state.actionPlan = undefined;
  const task = run.board.open({
    kind: 'SUBMIT_ACTION_PLAN',
    assigneeRole: 'administrator',
    dueAt: iso(addPolicyDuration(nowMs(), run.policy, 'actionPlanMonths')),
  });
  await run.board.await(task, () => run.state.actionPlan !== undefined, ['administrator', 'ministry_officer']);
  run.enter('MINISTRY_REVIEW', ['ministry_officer']);
}
