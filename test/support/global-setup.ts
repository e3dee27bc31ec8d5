// Global setup runs outside jest's module mapper: resolve the @kudak/* aliases from tsconfig.json.
import 'tsconfig-paths/register';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startDevServer } from './temporal-servers';
import { bundleWorkflowsForTheRun } from './workflow-bundle';

export const TEST_POSTGRES_SCRIPT = path.resolve(__dirname, '..', '..', 'scripts', 'test-postgres.sh');

/** What the global teardown stops or removes. */
export interface RunResources {
  devServer?: Awaited<ReturnType<typeof startDevServer>>;
  workflowBundleDir?: string;
}

export const runResources = (): RunResources => ((globalThis as { __KUDAK_RUN__?: RunResources }).__KUDAK_RUN__ ??= {});

/**
 * Starts what the run needs and nothing expected to be running: one real Temporal dev server (test
 * files connect through TEMPORAL_ADDRESS), one bundle of the workflows for every worker and replay,
 * and, unless TEST_DATABASE_URL names one, a throwaway PostgreSQL server for the database tests
 * (scripts/test-postgres.sh; it installs PostgreSQL with apt-get when run as root on Debian).
 */
export default async function globalSetup(): Promise<void> {
  startPostgres();
  const run = runResources();
  // An already running Temporal (scripts/temporal-cluster.sh) instead of a dev server of the run's own.
  const external = process.env.KUDAK_TEST_TEMPORAL_ADDRESS;
  const [env] = await Promise.all([
    external ? undefined : startDevServer().then((server) => (run.devServer = server)),
    bundleWorkflowsForTheRun().then((dir) => (run.workflowBundleDir = dir)),
  ]);
  if (!env) {
    process.env.TEMPORAL_ADDRESS = external;
    return;
  }
  process.env.TEMPORAL_ADDRESS = env.connection.options.address;
  process.env.KUDAK_TEST_DEV_SERVER = env.connection.options.address;
}

function startPostgres(): void {
  if (process.env.TEST_DATABASE_URL) return;
  if (process.env.KUDAK_TEST_POSTGRES === 'off') {
    console.warn('\n[kudak] KUDAK_TEST_POSTGRES=off: the database tests run on SQLite only, not on PostgreSQL');
    return;
  }
  // A cluster of this run's own, so two runs (two clones, say) never stop each other's server.
  process.env.KUDAK_PG_DIR = fs.mkdtempSync(path.join(os.tmpdir(), 'kudak-test-postgres-'));
  let said: string;
  try {
    said = execFileSync('bash', [TEST_POSTGRES_SCRIPT], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  } catch {
    throw new Error(
      'PostgreSQL for the database tests did not start (scripts/test-postgres.sh says why above). Install ' +
        'PostgreSQL (apt-get install postgresql), or set TEST_DATABASE_URL to a server, or set ' +
        'KUDAK_TEST_POSTGRES=off to run the database tests on SQLite only.',
    );
  }
  const url = /^TEST_DATABASE_URL=(\S+)$/m.exec(said)?.[1];
  if (!url) throw new Error(`scripts/test-postgres.sh printed no TEST_DATABASE_URL: ${said}`);
  process.env.TEST_DATABASE_URL = url;
  process.env.KUDAK_TEST_POSTGRES_STARTED = '1';
}
