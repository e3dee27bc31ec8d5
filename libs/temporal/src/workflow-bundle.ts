import * as path from 'node:path';
import type { BundleOptions } from '@temporalio/worker';

// From libs/temporal/src (source) or dist/libs/temporal/src (build) up to the tree's top.
const treeTop = path.resolve(__dirname, '..', '..', '..');

/** The workflow code the worker registers, and how the bundler resolves the contracts library. */
export function workflowBundleOptions(): Pick<BundleOptions, 'workflowsPath' | 'webpackConfigHook'> {
  return {
    workflowsPath: path.join(treeTop, 'workflows'),
    webpackConfigHook: (config) => {
      config.resolve ??= {};
      config.resolve.alias = {
        ...(config.resolve.alias as Record<string, string>),
        '@kudak/contracts': path.join(treeTop, 'libs', 'contracts', 'src'),
      };
      return config;
    },
  };
}
