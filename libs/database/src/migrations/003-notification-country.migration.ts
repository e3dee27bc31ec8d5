import type { Knex } from 'knex';
import type { KudakMigration } from './kudak-migration';

// Inbox rows carry the candidacy's country, so a token for another country never reads them.
// Rows written before stay without one: they match on the city alone.

async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('notifications', (t) => {
    t.string('country', 2);
  });
}

async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('notifications', (t) => {
    t.dropColumn('country');
  });
}

export const notificationCountry: KudakMigration = { name: '003-notification-country', up, down };
