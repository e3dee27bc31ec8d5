import type { TestWorkflowEnvironment } from '@temporalio/testing';

export default async function globalTeardown(): Promise<void> {
  const env = (globalThis as { __KUDAK_DEV_SERVER__?: TestWorkflowEnvironment }).__KUDAK_DEV_SERVER__;
  await env?.teardown();
}
