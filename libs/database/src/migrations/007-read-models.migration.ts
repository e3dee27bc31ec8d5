import type { Knex } from 'knex';
import type { KudakMigration } from './kudak-migration';

// The read model: open tasks and candidacies as the workflows project them (see
// ReadModelRepository). Instants are ISO-8601 UTC text on both databases, so they sort and compare
// alike; a task waiting for several roles or named people has a row per role and person, so
// "what waits for me" is an index range, whatever the number of candidacies.

async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('read_model_versions', (t) => {
    t.string('workflow_id', 200).primary();
    t.string('run_id', 64).notNullable();
    t.string('run_started_at', 24).notNullable();
    t.integer('sequence').notNullable();
    t.string('updated_at', 24).notNullable();
    t.string('projected_at', 24).notNullable();
  });
  await knex.schema.createTable('read_candidacies', (t) => {
    t.string('workflow_id', 200).primary();
    t.string('city_id', 63).notNullable();
    t.string('city_name', 200).notNullable();
    t.string('country', 2).notNullable();
    t.string('stage', 40).notNullable();
    t.integer('cycle').notNullable();
    t.boolean('overdue').notNullable();
    t.string('next_due_at', 24);
    t.string('status', 20).notNullable();
    t.string('started_at', 24).notNullable();
    t.string('updated_at', 24).notNullable();
    t.index(['country', 'started_at', 'workflow_id'], 'read_candidacies_by_start');
    t.index(['country', 'city_id'], 'read_candidacies_by_city');
  });
  await knex.schema.createTable('read_open_tasks', (t) => {
    t.string('workflow_id', 200).notNullable();
    t.string('task_id', 100).notNullable();
    /** One of the roles it waits for. */
    t.string('role', 40).notNullable();
    /** A named person it waits for, or '' for anyone holding the role. */
    t.string('assignee', 200).notNullable();
    t.string('candidacy_workflow_id', 200).notNullable();
    t.string('city_id', 63).notNullable();
    t.string('country', 2).notNullable();
    t.string('district_id', 100);
    t.string('obligation_id', 100);
    t.string('kind', 40).notNullable();
    t.string('stage', 40).notNullable();
    t.string('assignee_role', 40).notNullable();
    t.text('assignee_roles').notNullable();
    t.string('opened_at', 24).notNullable();
    t.string('due_at', 24);
    /** due_at, or a sentinel after every instant: tasks without a deadline sort last on both databases. */
    t.string('due_order', 24).notNullable();
    t.boolean('overdue').notNullable();
    t.string('updated_at', 24).notNullable();
    t.primary(['workflow_id', 'task_id', 'role', 'assignee']);
    t.index(['country', 'role', 'assignee', 'due_order', 'workflow_id', 'task_id'], 'read_open_tasks_by_assignee');
  });
}

async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('read_open_tasks');
  await knex.schema.dropTable('read_candidacies');
  await knex.schema.dropTable('read_model_versions');
}

export const readModels: KudakMigration = { name: '007-read-models', up, down };
