import { Inject, Injectable, Logger } from '@nestjs/common';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import type { Knex } from 'knex';
import { KNEX } from '@kudak/database';

/** Kudak's database is up when it answers a trivial query within the timeout. */
@Injectable()
export class DatabaseHealthIndicator {
  private readonly logger = new Logger(DatabaseHealthIndicator.name);

  constructor(
    @Inject(KNEX) private readonly knex: Knex,
    private readonly health: HealthIndicatorService,
  ) {}

  async isHealthy(key = 'database', timeoutMs = 3000): Promise<HealthIndicatorResult> {
    const indicator = this.health.check(key);
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        this.knex.raw('select 1'),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
        }),
      ]);
      return indicator.up();
    } catch (err) {
      // The driver's text (host names, file paths) goes to the log; the answer says only what is wrong.
      this.logger.warn(`The database is down: ${(err as Error).message}`);
      return indicator.down({ message: 'The database did not answer' });
    } finally {
      clearTimeout(timer);
    }
  }
}
