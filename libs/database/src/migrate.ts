// `npm run db:migrate`: brings Kudak's database (DATABASE_URL) to the latest schema and exits.
// The worker also migrates at start-up; this is for deployments that migrate as a separate step.
import { KudakConfig } from '@kudak/config';
import { createKnex, describeDatabase } from './knex-options';
import { migrateToLatest } from './run-migrations';

async function main(): Promise<void> {
  const { database } = KudakConfig.fromEnvironment();
  const knex = createKnex(database);
  try {
    const { applied, batch } = await migrateToLatest(knex);
    const what = applied.length > 0 ? `applied ${applied.join(', ')} (batch ${batch})` : 'schema is current';
    console.log(`[db:migrate] ${describeDatabase(database)}: ${what}`);
  } finally {
    await knex.destroy();
  }
}

main().catch((err: unknown) => {
  console.error(`[db:migrate] failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
