import { Injectable } from '@nestjs/common';
import {
  ACTIVITY_NAMES,
  CANDIDACY_STAGES,
  DECISION_KINDS,
  type KudakActivities,
  type RecordAwardRequest,
  type RecordContext,
  type RecordDecisionRequest,
  type RecordEvaluationRequest,
  type RecordResult,
} from '@kudak/contracts';
import { RecordsRepository } from '@kudak/database';
import { activityKey, InputCheck } from './activity-input';

const EVALUATION_KINDS = ['MONITORING', 'CORRECTIVE_FOLLOW_UP'] as const;
const AWARD_KINDS = ['CANDIDACY_LOGO', 'RECOGNITION'] as const;

/**
 * Copies the candidacy's decisions, evaluations and awards into Kudak's database for reporting.
 * The workflow history stays the system of record; each row is written once per scheduled activity.
 * ActivitiesModule binds each method to its activity name.
 */
@Injectable()
export class RecordsActivities implements Pick<KudakActivities, 'recordDecision' | 'recordEvaluation' | 'recordAward'> {
  constructor(private readonly records: RecordsRepository) {}

  async recordDecision(req: RecordDecisionRequest): Promise<RecordResult> {
    const check = checkContext(ACTIVITY_NAMES.recordDecision, req);
    const d = req?.decision;
    if (check.object(d, 'decision')) {
      check.text(d.id, 'decision.id');
      check.oneOf(d.kind, DECISION_KINDS, 'decision.kind');
      check.oneOf(d.stage, CANDIDACY_STAGES, 'decision.stage');
      check.actor(d.actor, 'decision.actor');
      check.text(d.reason, 'decision.reason', true);
      check.instant(d.at, 'decision.at');
      if (d.details !== undefined) check.object(d.details, 'decision.details');
    }
    check.done();
    const { key } = activityKey(req.workflowId);
    return { key, inserted: await this.records.insertDecision(key, context(req), req.decision) };
  }

  async recordEvaluation(req: RecordEvaluationRequest): Promise<RecordResult> {
    const check = checkContext(ACTIVITY_NAMES.recordEvaluation, req);
    const e = req?.evaluation;
    if (check.object(e, 'evaluation')) {
      check.text(e.id, 'evaluation.id');
      check.oneOf(e.kind, EVALUATION_KINDS, 'evaluation.kind');
      check.positiveInteger(e.sequence, 'evaluation.sequence');
      check.object(e.scores, 'evaluation.scores');
      check.boolean(e.satisfactory, 'evaluation.satisfactory');
      check.actor(e.evaluatedBy, 'evaluation.evaluatedBy');
      check.text(e.reason, 'evaluation.reason', true);
      check.instant(e.at, 'evaluation.at');
    }
    check.done();
    const { key } = activityKey(req.workflowId);
    return { key, inserted: await this.records.insertEvaluation(key, context(req), req.evaluation) };
  }

  async recordAward(req: RecordAwardRequest): Promise<RecordResult> {
    const check = checkContext(ACTIVITY_NAMES.recordAward, req);
    const a = req?.award;
    if (check.object(a, 'award')) {
      check.oneOf(a.kind, AWARD_KINDS, 'award.kind');
      check.instant(a.awardedAt, 'award.awardedAt');
      check.instant(a.expiresAt, 'award.expiresAt', true);
      check.positiveInteger(a.cycle, 'award.cycle');
    }
    check.actor(req?.actor, 'actor');
    check.done();
    const { key } = activityKey(req.workflowId);
    return { key, inserted: await this.records.insertAward(key, context(req), req.award, req.actor) };
  }
}

function checkContext(activity: string, req: unknown): InputCheck {
  const check = new InputCheck(activity);
  if (check.object(req, 'request')) {
    check.text(req.workflowId, 'workflowId');
    check.text(req.cityId, 'cityId');
  }
  return check;
}

function context(req: RecordContext): RecordContext {
  return { workflowId: req.workflowId, cityId: req.cityId };
}
