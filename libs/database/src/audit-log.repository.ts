import { Inject, Injectable } from '@nestjs/common';
import type { Knex } from 'knex';
import { isUniqueViolation } from './database-errors';
import { KNEX } from './database.constants';

/** A stored audit row: the entry as canonical JSON, chained by SHA-256 to the row before it. */
export interface AuditRow {
  position: number;
  workflowId: string;
  runId: string;
  eventId: number;
  entry: string;
  prevHash: string;
  hash: string;
}

export interface AuditRead {
  candidacyId: string;
  what: 'TIMELINE' | 'RAW_HISTORY' | 'DOSSIER' | 'VERIFICATION';
  readerId: string;
  readerRole: string;
  readerOrganisation: string;
  sha256?: string;
}

interface AuditLogRow {
  position: number;
  workflow_id: string;
  run_id: string;
  event_id: number;
  entry: string;
  prev_hash: string;
  hash: string;
}

/** Rows of the append-only audit log. Writes only ever add rows after the last one. */
@Injectable()
export class AuditLogRepository {
  constructor(@Inject(KNEX) private readonly knex: Knex) {}

  async rows(candidacyId: string): Promise<AuditRow[]> {
    const rows: AuditLogRow[] = await this.knex('audit_log').where({ candidacy_id: candidacyId }).orderBy('position');
    return rows.map((r) => ({
      position: Number(r.position),
      workflowId: r.workflow_id,
      runId: r.run_id,
      eventId: Number(r.event_id),
      entry: r.entry,
      prevHash: r.prev_hash,
      hash: r.hash,
    }));
  }

  /**
   * Appends rows after the current last one, in one transaction, and says how many it added. The
   * unique positions make a concurrent append of the same rows lose (0) instead of forking the chain.
   */
  async append(candidacyId: string, rows: AuditRow[]): Promise<number> {
    if (rows.length === 0) return 0;
    try {
      await this.knex.transaction((trx) => insertRows(trx, candidacyId, rows));
      return rows.length;
    } catch (err) {
      if (isUniqueViolation(err)) return 0;
      throw err;
    }
  }

  /** For the rebuild command only: the log is replaced by one derived anew from the histories. */
  async replace(candidacyId: string, rows: AuditRow[]): Promise<void> {
    await this.knex.transaction(async (trx) => {
      await trx('audit_log').where({ candidacy_id: candidacyId }).delete();
      await insertRows(trx, candidacyId, rows);
    });
  }

  async candidacies(): Promise<string[]> {
    const rows = await this.knex('audit_log').distinct('candidacy_id').orderBy('candidacy_id');
    return rows.map((r: { candidacy_id: string }) => r.candidacy_id);
  }

  async logRead(read: AuditRead): Promise<void> {
    await this.knex('audit_reads').insert({
      candidacy_id: read.candidacyId,
      what: read.what,
      reader_id: read.readerId,
      reader_role: read.readerRole,
      reader_organisation: read.readerOrganisation,
      sha256: read.sha256 ?? null,
      read_at: new Date(),
    });
  }

  async reads(candidacyId: string): Promise<AuditRead[]> {
    const rows = await this.knex('audit_reads').where({ candidacy_id: candidacyId }).orderBy('id');
    return rows.map((r: Record<string, string>) => ({
      candidacyId: r.candidacy_id,
      what: r.what as AuditRead['what'],
      readerId: r.reader_id,
      readerRole: r.reader_role,
      readerOrganisation: r.reader_organisation,
      sha256: r.sha256 ?? undefined,
    }));
  }
}

async function insertRows(trx: Knex.Transaction, candidacyId: string, rows: AuditRow[]): Promise<void> {
  const appendedAt = new Date();
  for (let i = 0; i < rows.length; i += 200) {
    await trx('audit_log').insert(
      rows.slice(i, i + 200).map((r) => ({
        candidacy_id: candidacyId,
        position: r.position,
        workflow_id: r.workflowId,
        run_id: r.runId,
        event_id: r.eventId,
        entry: r.entry,
        prev_hash: r.prevHash,
        hash: r.hash,
        appended_at: appendedAt,
      })),
    );
  }
}
