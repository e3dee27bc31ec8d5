import { setHandler } from '@temporalio/workflow';
import { addPolicyDuration, DECISIONS, iso } from '@kudak/contracts';
import { nowMs } from '../../shared/clock';
import { requireActor, requireOneOf, requireText } from '../../shared/refusals';
import type { CandidacyRun, StepOutcome } from '../candidacy-run';

// The Ministry of Interior approves the action plan or returns it with a reason.

export function registerMinistryReviewHandlers(run: CandidacyRun): void {
  const rule = DECISIONS.reviewActionPlan;
  setHandler(
    rule.update,
    (update) => {
      run.ministryDecision = update.decision;
      return run.decide(
        update.decision === 'APPROVE' ? 'MINISTRY_APPROVED' : 'MINISTRY_RETURNED',
        update.actor,
        update.reason,
      );
    },
    {
      validator: (update) => {
        requireActor(update, ...rule.roles);
        run.requireStage(...rule.stages);
        run.requireTask('REVIEW_ACTION_PLAN', 'Ministry review');
        const choice = requireOneOf(update.decision, ['APPROVE', 'RETURN'] as const, 'decision');
        if (choice === 'RETURN') requireText(update.reason, 'reason (why the plan is returned)', rule.limits.reason);
      },
    },
  );
}

export async function ministryReview(run: CandidacyRun): Promise<StepOutcome> {
  run.ministryDecision = undefined;
  const task = run.board.open({
    kind: 'REVIEW_ACTION_PLAN',
    assigneeRole: 'ministry_officer',
    dueAt: iso(addPolicyDuration(nowMs(), run.policy, 'ministryReviewDays')),
  });
  await run.board.await(task, () => run.ministryDecision !== undefined);
  if (run.ministryDecision === 'RETURN') run.enter('ACTION_PLAN');
  // A renewal cycle is already a network member: no new candidacy decision.
  else if (run.state.cycle > 1) run.enter('IMPLEMENTATION', ['committee_member']);
  else run.enter('CANDIDACY_REVIEW', ['committee_member']);
}
