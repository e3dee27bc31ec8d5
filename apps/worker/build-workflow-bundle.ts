import * as fs from 'node:fs';
import * as path from 'node:path';
import { bundleWorkflowCode, DefaultLogger } from '@temporalio/worker';
import { KudakConfig } from '@kudak/config';
import { workflowBundleOptions } from '@kudak/temporal';

/** Build step: the workflow bundle production workers load (WORKFLOW_BUNDLE_PATH). */
async function main(): Promise<void> {
  const target = KudakConfig.fromEnvironment().workflowBundlePath;
  // Webpack's statistics at INFO say nothing a build needs; its warnings and errors still show.
  const { code } = await bundleWorkflowCode({ ...workflowBundleOptions(), logger: new DefaultLogger('WARN') });
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.writeFileSync(target, code);
  console.log(`Workflow bundle written to ${path.relative(process.cwd(), target)} (${code.length} bytes)`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
