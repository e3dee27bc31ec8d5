import { execFileSync } from 'node:child_process';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { TEST_POSTGRES_SCRIPT } from './global-setup';

/** Stops what the global setup started, so nothing is left running. */
export default async function globalTeardown(): Promise<void> {
  const env = (globalThis as { __KUDAK_DEV_SERVER__?: TestWorkflowEnvironment }).__KUDAK_DEV_SERVER__;
  await env?.teardown();
  if (process.env.KUDAK_TEST_POSTGRES_STARTED === '1') {
    execFileSync('bash', [TEST_POSTGRES_SCRIPT, 'stop'], { stdio: ['ignore', 'ignore', 'inherit'] });
  }
}
