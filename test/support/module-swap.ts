import type { WorkerOptions } from '@temporalio/worker';
import { workflowBundleOptions } from '@kudak/temporal';

// The bundler the SDK uses (its own webpack), for the plugin that swaps one module.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const webpack = require(require.resolve('webpack', { paths: [require.resolve('@temporalio/worker')] })) as {
  NormalModuleReplacementPlugin: new (pattern: RegExp, replacement: string) => object;
};

/**
 * Worker options bundling today's workflows with one module of workflows/shared replaced by a
 * fixture: the code as it was before a change, to run candidacies the old code started.
 */
export function withSharedModuleReplaced(moduleName: string, fixture: string): Partial<WorkerOptions> {
  const { webpackConfigHook } = workflowBundleOptions();
  const pattern = new RegExp(`[\\\\/]shared[\\\\/]${moduleName}(\\.ts)?$`);
  return {
    bundlerOptions: {
      webpackConfigHook: (config) => {
        const hooked = webpackConfigHook!(config);
        hooked.plugins = [
          ...(hooked.plugins ?? []),
          new webpack.NormalModuleReplacementPlugin(pattern, fixture),
        ] as typeof hooked.plugins;
        return hooked;
      },
    },
  };
}
