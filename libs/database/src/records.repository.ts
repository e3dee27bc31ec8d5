import { Inject, Injectable } from '@nestjs/common';
import type { Knex } from 'knex';
import type { Actor, Award, DecisionRecord, EvaluationRecord, RecordContext } from '@kudak/contracts';
import { KNEX } from './database.constants';
import { toIsoInstant } from './instants';

/**
 * Writes the candidacy's decisions, evaluations and awards. Each row carries the writing activity's
 * idempotency key; a second insert with the same key is ignored, so a retried activity writes once.
 */
@Injectable()
export class RecordsRepository {
  constructor(@Inject(KNEX) private readonly knex: Knex) {}

  /** True when this call inserted the row, false when the key was already there. */
  async insertDecision(key: string, at: RecordContext, decision: DecisionRecord): Promise<boolean> {
    return this.insertOnce('decisions', {
      key,
      workflow_id: at.workflowId,
      city_id: at.cityId,
      decision_id: decision.id,
      kind: decision.kind,
      stage: decision.stage,
      ...actorColumns('actor', decision.actor),
      reason: decision.reason ?? null,
      decided_at: toIsoInstant(decision.at),
      details: decision.details === undefined ? null : JSON.stringify(decision.details),
    });
  }

  async insertEvaluation(key: string, at: RecordContext, evaluation: EvaluationRecord): Promise<boolean> {
    return this.insertOnce('evaluations', {
      key,
      workflow_id: at.workflowId,
      city_id: at.cityId,
      evaluation_id: evaluation.id,
      kind: evaluation.kind,
      sequence: evaluation.sequence,
      scores: JSON.stringify(evaluation.scores),
      satisfactory: evaluation.satisfactory,
      ...actorColumns('evaluated_by', evaluation.evaluatedBy),
      reason: evaluation.reason ?? null,
      evaluated_at: toIsoInstant(evaluation.at),
    });
  }

  async insertAward(key: string, at: RecordContext, award: Award, actor: Actor): Promise<boolean> {
    return this.insertOnce('awards', {
      key,
      workflow_id: at.workflowId,
      city_id: at.cityId,
      kind: award.kind,
      cycle: award.cycle,
      awarded_at: toIsoInstant(award.awardedAt),
      expires_at: award.expiresAt === undefined ? null : toIsoInstant(award.expiresAt),
      ...actorColumns('actor', actor),
    });
  }

  private async insertOnce(table: string, row: Record<string, unknown>): Promise<boolean> {
    const inserted = await this.knex(table)
      .insert({ ...row, recorded_at: new Date().toISOString() })
      .onConflict('key')
      .ignore()
      .returning('id');
    return inserted.length > 0;
  }
}

function actorColumns(prefix: 'actor' | 'evaluated_by', actor: Actor): Record<string, string | null> {
  return {
    [`${prefix}_id`]: actor.id,
    [`${prefix}_role`]: actor.role,
    [`${prefix}_organisation`]: actor.organisation,
    [`${prefix}_name`]: actor.name ?? null,
  };
}
