import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { bundleWorkflowCode, DefaultLogger, type WorkerOptions, type WorkflowBundlePath } from '@temporalio/worker';
import { workflowBundleOptions } from '@kudak/temporal';

/** Names the file with the run's bundle of the project's workflows, for the test files' workers. */
const BUNDLE_PATH_VARIABLE = 'KUDAK_TEST_WORKFLOW_BUNDLE';

/**
 * Bundles the project's workflows once for the whole run (the global setup calls this), instead of
 * once per worker and replay. Returns the folder to remove at the end.
 */
export async function bundleWorkflowsForTheRun(): Promise<string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kudak-test-workflows-'));
  const { code } = await bundleWorkflowCode({ ...workflowBundleOptions(), logger: new DefaultLogger('WARN') });
  const codePath = path.join(dir, 'workflow-bundle.js');
  fs.writeFileSync(codePath, code);
  process.env[BUNDLE_PATH_VARIABLE] = codePath;
  return dir;
}

/** The run's bundle of today's workflows (see bundleWorkflowsForTheRun). */
export function runWorkflowBundle(): WorkflowBundlePath {
  const codePath = process.env[BUNDLE_PATH_VARIABLE];
  if (!codePath || !fs.existsSync(codePath)) {
    throw new Error(`${BUNDLE_PATH_VARIABLE} names no workflow bundle: the tests run under jest's global setup`);
  }
  return { codePath };
}

/**
 * The project's workflows for a worker: the run's bundle under jest, else (the benchmarks, which
 * reuse the test workers outside jest) bundled by the worker itself.
 */
export function projectWorkflowCode(): Pick<WorkerOptions, 'workflowBundle' | 'workflowsPath' | 'bundlerOptions'> {
  return process.env[BUNDLE_PATH_VARIABLE] ? { workflowBundle: runWorkflowBundle() } : workflowsFromSource();
}

/** Workflow code that a worker (or replay worker) bundles itself, by default the project's. */
export function workflowsFromSource(
  workflowsPath = workflowBundleOptions().workflowsPath,
): Pick<WorkerOptions, 'workflowsPath' | 'bundlerOptions'> {
  return { workflowsPath, bundlerOptions: { webpackConfigHook: workflowBundleOptions().webpackConfigHook } };
}
