import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import { runResources, TEST_POSTGRES_SCRIPT } from './global-setup';

/** Stops what the global setup started, so nothing is left running. */
export default async function globalTeardown(): Promise<void> {
  const { devServer, workflowBundleDir } = runResources();
  await devServer?.teardown();
  if (workflowBundleDir) fs.rmSync(workflowBundleDir, { recursive: true, force: true });
  if (process.env.KUDAK_TEST_POSTGRES_STARTED === '1') {
    execFileSync('bash', [TEST_POSTGRES_SCRIPT, 'stop'], { stdio: ['ignore', 'ignore', 'inherit'] });
  }
}
