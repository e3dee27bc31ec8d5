import { randomUUID } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker, type WorkerOptions } from '@temporalio/worker';
import { workflowBundleOptions } from '@kudak/temporal';

/** A real worker of the project's workflows on the given environment, on a fresh task queue. */
export async function createTestWorker(
  env: TestWorkflowEnvironment,
  activities: WorkerOptions['activities'],
  options: Partial<WorkerOptions> = {},
): Promise<{ worker: Worker; taskQueue: string }> {
  const taskQueue = `kudak-test-${randomUUID()}`;
  const { workflowsPath, webpackConfigHook } = workflowBundleOptions();
  const worker = await Worker.create({
    connection: env.nativeConnection,
    namespace: env.namespace ?? 'default',
    taskQueue,
    workflowsPath,
    bundlerOptions: { webpackConfigHook },
    activities,
    ...options,
  });
  return { worker, taskQueue };
}
