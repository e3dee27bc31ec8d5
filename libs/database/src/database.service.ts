import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import type { Knex } from 'knex';
import { KudakConfig } from '@kudak/config';
import { KNEX } from './database.constants';
import { describeDatabase } from './knex-options';
import { migrateToLatest, type MigrationOutcome } from './run-migrations';

/**
 * Owns the database's lifecycle: migrates to the latest schema while the app initialises (so the
 * worker never polls against an old schema) and closes the pool when the app shuts down.
 */
@Injectable()
export class DatabaseService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(DatabaseService.name);

  constructor(
    @Inject(KNEX) private readonly knex: Knex,
    private readonly config: KudakConfig,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.migrate();
  }

  /** Runs every pending migration; fails with the database named (password hidden) and the cause. */
  async migrate(): Promise<MigrationOutcome> {
    const where = describeDatabase(this.config.database);
    let outcome: MigrationOutcome;
    try {
      outcome = await migrateToLatest(this.knex);
    } catch (err) {
      throw new Error(`Could not migrate the database (${where}): ${(err as Error).message}`, { cause: err });
    }
    if (outcome.applied.length > 0) {
      this.logger.log(`${where}: applied ${outcome.applied.join(', ')} (batch ${outcome.batch})`);
    } else {
      this.logger.log(`${where}: schema is current`);
    }
    return outcome;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.knex.destroy();
  }
}
