import type { Knex } from 'knex';
import type { KudakMigration } from './kudak-migration';

// The SMTP server's reply accepting each e-mail (e.g. `250 2.0.0 Ok: queued as 4Bq7Xh`): the
// outbox row of a sent message names the queue entry to look for in the mail server's log.

async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('email_outbox', (t) => {
    t.text('smtp_response');
  });
}

async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('email_outbox', (t) => {
    t.dropColumn('smtp_response');
  });
}

export const emailSmtpResponse: KudakMigration = { name: '005-email-smtp-response', up, down };
