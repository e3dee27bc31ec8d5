import { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { startTestActivities, type TestActivities } from './test-activities';
import { startTimeSkippingServer } from './temporal-servers';
import { createTestWorker } from './test-worker';

export interface LifecycleHarness {
  env: TestWorkflowEnvironment;
  acts: TestActivities;
  worker: Worker;
  taskQueue: string;
  close(): Promise<void>;
}

/** The time-skipping server, the real activities on a fresh database, and a running worker. */
export async function startLifecycleHarness(options: { smtpUrl?: string } = {}): Promise<LifecycleHarness> {
  return startHarnessOn(await startTimeSkippingServer(), options);
}

/** The run's real dev server (no time skipping), the real activities on a fresh database, and a running worker. */
export async function startDevServerHarness(options: { smtpUrl?: string } = {}): Promise<LifecycleHarness> {
  const env = await TestWorkflowEnvironment.createFromExistingServer({ address: process.env.TEMPORAL_ADDRESS });
  return startHarnessOn(env, options);
}

async function startHarnessOn(env: TestWorkflowEnvironment, options: { smtpUrl?: string }): Promise<LifecycleHarness> {
  const acts = await startTestActivities(options);
  const { worker, taskQueue } = await createTestWorker(env, acts.activities);
  const running = worker.run();
  return {
    env,
    acts,
    worker,
    taskQueue,
    async close() {
      worker.shutdown();
      await running;
      await acts.close();
      await env.teardown();
    },
  };
}
