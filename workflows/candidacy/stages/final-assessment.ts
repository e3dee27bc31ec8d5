import { setHandler } from '@temporalio/workflow';
import { addPolicyDuration, DECISIONS, iso } from '@kudak/contracts';
import { nowIso, nowMs } from '../../shared/clock';
import { refuse, requireActor, requireText } from '../../shared/refusals';
import type { CandidacyRun, StepOutcome } from '../candidacy-run';

// UNICEF's final assessment of the three global minimum criteria: accession if all are met.

const CRITERIA = ['demonstratedResults', 'childParticipation', 'nonDiscrimination'] as const;

export function registerFinalAssessmentHandlers(run: CandidacyRun): void {
  const rule = DECISIONS.recordFinalAssessment;
  setHandler(
    rule.update,
    (update) => {
      const passed = update.demonstratedResults && update.childParticipation && update.nonDiscrimination;
      run.state.finalAssessments.push({
        demonstratedResults: update.demonstratedResults,
        childParticipation: update.childParticipation,
        nonDiscrimination: update.nonDiscrimination,
        passed,
        assessedBy: update.actor,
        reason: update.reason,
        at: nowIso(),
      });
      const decision = run.decide('FINAL_ASSESSMENT_RECORDED', update.actor, update.reason, {
        demonstratedResults: update.demonstratedResults,
        childParticipation: update.childParticipation,
        nonDiscrimination: update.nonDiscrimination,
        passed,
      });
      run.finalAssessment = { passed, decision };
      return decision;
    },
    {
      validator: (update) => {
        requireActor(update, ...rule.roles);
        run.requireStage(...rule.stages);
        run.requireTask('RECORD_FINAL_ASSESSMENT', 'final assessment');
        for (const field of CRITERIA) {
          if (typeof update[field] !== 'boolean') refuse(`${field} must be true or false`, 'INVALID');
        }
        if (!(update.demonstratedResults && update.childParticipation && update.nonDiscrimination)) {
          requireText(update.reason, 'reason (a failed assessment must say why)', rule.limits.reason);
        }
      },
    },
  );
}

export async function finalAssessment(run: CandidacyRun): Promise<StepOutcome> {
  run.finalAssessment = undefined;
  const task = run.board.open({
    kind: 'RECORD_FINAL_ASSESSMENT',
    assigneeRole: 'unicef_officer',
    dueAt: iso(addPolicyDuration(nowMs(), run.policy, 'finalAssessmentDays')),
  });
  await run.board.await(task, () => run.finalAssessment !== undefined, ['administrator', 'ministry_officer']);
  const { passed, decision } = run.finalAssessment!;
  if (passed) run.enter('ACCEDED');
  else run.reject('FINAL_ASSESSMENT', decision, 'the final assessment found a global minimum criterion unmet');
}
