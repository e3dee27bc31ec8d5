import { randomUUID } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker, type WorkerOptions } from '@temporalio/worker';
import { projectWorkflowCode, workflowsFromSource } from './workflow-bundle';

/**
 * A real worker on the given environment, on a fresh task queue. It runs the run's bundle of the
 * project's workflows, unless the options name other code (`workflowsPath`, or `bundlerOptions`
 * that change a module), which is then bundled for this worker.
 */
export async function createTestWorker(
  env: TestWorkflowEnvironment,
  activities: WorkerOptions['activities'],
  options: Partial<WorkerOptions> = {},
): Promise<{ worker: Worker; taskQueue: string }> {
  const taskQueue = `kudak-test-${randomUUID()}`;
  const otherCode = options.workflowsPath !== undefined || options.bundlerOptions !== undefined;
  const worker = await Worker.create({
    connection: env.nativeConnection,
    namespace: env.namespace ?? 'default',
    taskQueue,
    ...(otherCode ? workflowsFromSource() : projectWorkflowCode()),
    activities,
    ...options,
  });
  return { worker, taskQueue };
}
