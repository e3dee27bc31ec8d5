import { Inject, Injectable } from '@nestjs/common';
import type { Knex } from 'knex';
import { KNEX } from './database.constants';
import { toIsoInstant } from './instants';

/** The Idempotency-Keys the API has seen, each bound to the request it first came with. */
@Injectable()
export class IdempotencyKeysRepository {
  constructor(@Inject(KNEX) private readonly knex: Knex) {}

  /**
   * Binds `id` to `requestSha256` unless it is bound already; returns the request it is bound to.
   * Atomic: of two first uses at once, one binds and the other reads that binding.
   */
  async bind(id: string, requestSha256: string, at: Date = new Date()): Promise<string> {
    await this.knex('idempotency_keys')
      .insert({ id, request_sha256: requestSha256, created_at: toIsoInstant(at) })
      .onConflict('id')
      .ignore();
    const row = await this.knex('idempotency_keys').where({ id }).first<{ request_sha256: string } | undefined>();
    if (!row) throw new Error(`Idempotency key ${id} was not stored`);
    return row.request_sha256;
  }
}
