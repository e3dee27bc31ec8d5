// @ts-check
// The console's build: Vite's own JSX transform (automatic runtime), the output in dist/console,
// which the API serves at `/`. Routes are split into chunks so the first load stays small.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/** @param {string} relative */
const here = (relative) => fileURLToPath(new URL(relative, import.meta.url));

export default defineConfig({
  root: here('.'),
  base: '/',
  oxc: { jsx: { runtime: 'automatic' } },
  resolve: {
    alias: {
      '@kudak/contracts': here('../../libs/contracts/src'),
      // The decision table names its workflow Updates; the browser needs only their names.
      '@temporalio/workflow': here('src/shims/temporal-workflow.ts'),
    },
  },
  build: {
    outDir: here('../../dist/console'),
    emptyOutDir: true,
    sourcemap: false,
    // The budget is 300 kB compressed for a first load, checked by npm run console:report.
    chunkSizeWarningLimit: 600,
    manifest: true,
    rolldownOptions: {
      // MUI marks its modules 'use client' (for React Server Components), which means nothing here.
      onwarn(warning, warn) {
        if (warning.code !== 'MODULE_LEVEL_DIRECTIVE') warn(warning);
      },
    },
  },
});
