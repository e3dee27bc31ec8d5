import type { Knex } from 'knex';

/** A migration as Kudak lists it: named, imported statically (no file-system scan). */
export interface KudakMigration {
  /** Recorded in knex_migrations: never rename a migration that has shipped. */
  name: string;
  up(knex: Knex): Promise<void>;
  down(knex: Knex): Promise<void>;
}
