import { setHandler, sleep, uuid4 } from '@temporalio/workflow';
import {
  addPolicyDuration,
  DECISIONS,
  evaluationsPlanned,
  iso,
  SCORE_RANGE,
  sitsOnCommittee,
  type EvaluationRecord,
  type OpenTask,
} from '@kudak/contracts';
import { nowIso, nowMs } from '../../shared/clock';
import { refuse, requireActor, requireText } from '../../shared/refusals';
import { STEERING_COMMITTEE, type CandidacyRun, type StepOutcome } from '../candidacy-run';
import { isSatisfactory, isScore } from '../evaluation-scoring';

// Implementation: the programme's monitoring evaluations; an unsatisfactory one calls for a
// corrective plan and a follow-up evaluation, and failing that suspends the candidacy.

export function registerImplementationHandlers(run: CandidacyRun): void {
  const { state, policy } = run;
  const requireScore = (value: unknown, field: string) => {
    if (!isScore(value)) refuse(`${field} must be an integer from ${SCORE_RANGE.min} to ${SCORE_RANGE.max}`, 'INVALID');
  };

  const evaluating = DECISIONS.recordEvaluation;
  setHandler(
    evaluating.update,
    (update) => {
      const { kind, sequence } = run.pendingEvaluation!;
      const evaluation: EvaluationRecord = {
        id: uuid4(),
        kind,
        sequence,
        scores: update.scores,
        satisfactory: isSatisfactory(update.scores, policy.evaluationPassScore),
        evaluatedBy: update.actor,
        reason: update.reason,
        at: nowIso(),
      };
      state.evaluations.push(evaluation);
      run.pendingEvaluation = undefined;
      run.effects.recordEvaluation(evaluation);
      return run.decide('EVALUATION_RECORDED', update.actor, update.reason, {
        evaluationId: evaluation.id,
        kind,
        sequence,
        satisfactory: evaluation.satisfactory,
      });
    },
    {
      validator: (update) => {
        const actor = requireActor(update, ...evaluating.roles);
        if (actor.role === 'committee_member' && !sitsOnCommittee(policy.committee, actor.id)) {
          refuse(`${actor.id} is not a member of the steering committee`, 'FORBIDDEN');
        }
        run.requireStage(...evaluating.stages);
        run.requireTask('RECORD_EVALUATION', 'evaluation');
        const scores = update.scores;
        if (!scores || typeof scores !== 'object') refuse('scores are required', 'INVALID');
        requireScore(scores.resultsForChildren, 'scores.resultsForChildren');
        requireScore(scores.childParticipation, 'scores.childParticipation');
        requireScore(scores.nonDiscrimination, 'scores.nonDiscrimination');
        const maxIndicators = evaluating.limits['scores.localIndicators'];
        if (!Array.isArray(scores.localIndicators) || scores.localIndicators.length > maxIndicators) {
          refuse(`scores.localIndicators must be a list of at most ${maxIndicators} indicators`, 'INVALID');
        }
        scores.localIndicators.forEach((indicator: { name: unknown; score: unknown } | undefined, i: number) => {
          const name = `scores.localIndicators.${i}.name`;
          requireText(indicator?.name, name, evaluating.limits['scores.localIndicators.name']);
          requireScore(indicator?.score, `scores.localIndicators.${i}.score`);
        });
        if (!isSatisfactory(scores, policy.evaluationPassScore)) {
          requireText(update.reason, 'reason (an unsatisfactory evaluation must say why)', evaluating.limits.reason);
        }
      },
    },
  );

  const correcting = DECISIONS.submitCorrectivePlan;
  setHandler(
    correcting.update,
    (update) => {
      const action = state.correctiveActions[state.correctiveActions.length - 1];
      Object.assign(action, { plan: update.plan, submittedBy: update.actor, submittedAt: nowIso() });
      return run.decide('CORRECTIVE_PLAN_SUBMITTED', update.actor, update.reason, {
        evaluationId: action.evaluationId,
      });
    },
    {
      validator: (update) => {
        requireActor(update, ...correcting.roles);
        run.requireStage(...correcting.stages);
        run.requireTask('SUBMIT_CORRECTIVE_PLAN', 'corrective-action plan');
        requireText(update.plan, 'plan', correcting.limits.plan);
      },
    },
  );
}

/** Who records an evaluation: a member of the committee or an officer of the Ministry. */
const evaluators = (): Pick<OpenTask, 'assigneeRole' | 'assigneeRoles'> => ({
  assigneeRole: 'committee_member',
  assigneeRoles: ['committee_member', 'ministry_officer'],
});

/** Waits until an evaluation falls due: a task of its evaluators until then (before the change, a timer). */
async function untilEvaluationFallsDue(run: CandidacyRun, dueAt: number): Promise<void> {
  if (dueAt <= nowMs()) return;
  if (!run.features.tasksForEveryDeadline) {
    await sleep(dueAt - nowMs());
    return;
  }
  await run.board.until(run.board.open({ kind: 'PREPARE_EVALUATION', ...evaluators(), dueAt: iso(dueAt) }));
}

/** Opens the evaluation that is due and waits for it; the administrators hear of a poor one. */
async function evaluate(
  run: CandidacyRun,
  kind: EvaluationRecord['kind'],
  sequence: number,
): Promise<EvaluationRecord> {
  const { state, board } = run;
  run.pendingEvaluation = { kind, sequence };
  const task = board.open({
    kind: 'RECORD_EVALUATION',
    ...(run.features.tasksForEveryDeadline ? evaluators() : { assigneeRole: 'committee_member' }),
    dueAt: iso(addPolicyDuration(nowMs(), run.policy, 'evaluationWindowDays')),
  });
  await board.await(task, () => run.pendingEvaluation === undefined, ['administrator', 'ministry_officer']);
  const evaluation = state.evaluations[state.evaluations.length - 1];
  if (!evaluation.satisfactory) {
    run.effects.notify(['administrator', 'ministry_officer'], 'EVALUATION_UNSATISFACTORY', {
      sequence,
      kind,
      reason: evaluation.reason ?? '',
    });
  }
  return evaluation;
}

export async function implementation(run: CandidacyRun): Promise<StepOutcome> {
  const { state, policy, board } = run;
  if (!state.programme) {
    const start = nowMs();
    state.programme = {
      startedAt: iso(start),
      endsAt: iso(addPolicyDuration(start, policy, 'programmeMonths')),
      evaluationsDone: 0,
      evaluationsPlanned: evaluationsPlanned(policy)!,
    };
  }
  const programme = state.programme;
  while (programme.evaluationsDone < programme.evaluationsPlanned) {
    const sequence = programme.evaluationsDone + 1;
    const dueAt = addPolicyDuration(Date.parse(programme.startedAt), policy, 'evaluationIntervalMonths', sequence);
    await untilEvaluationFallsDue(run, dueAt);
    const evaluation = await evaluate(run, 'MONITORING', sequence);
    if (!evaluation.satisfactory) {
      const action = {
        evaluationId: evaluation.id,
        dueAt: iso(addPolicyDuration(nowMs(), policy, 'correctiveActionDays')),
      };
      state.correctiveActions.push(action);
      const task = board.open({ kind: 'SUBMIT_CORRECTIVE_PLAN', assigneeRole: 'administrator', dueAt: action.dueAt });
      await board.await(task, () => state.correctiveActions.at(-1)?.submittedAt !== undefined);
      await untilEvaluationFallsDue(run, Date.parse(action.dueAt));
      const followUp = await evaluate(run, 'CORRECTIVE_FOLLOW_UP', sequence);
      if (!followUp.satisfactory) {
        // Failing the corrective action suspends; a reinstatement resumes at the next evaluation.
        programme.evaluationsDone = sequence;
        state.previousStage = 'IMPLEMENTATION';
        run.decide('SUSPENDED', STEERING_COMMITTEE, 'corrective action failed its follow-up evaluation', {
          evaluationId: followUp.id,
          sequence,
        });
        run.enter('SUSPENDED', ['ministry_officer']);
        return;
      }
    }
    programme.evaluationsDone = sequence;
  }
  run.enter('FINAL_ASSESSMENT', ['unicef_officer']);
}
