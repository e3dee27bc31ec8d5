// Global setup runs outside jest's module mapper: resolve the @kudak/* aliases from tsconfig.json.
import 'tsconfig-paths/register';
import { startDevServer } from './temporal-servers';

/** Starts one real dev server for the run; test files connect through TEMPORAL_ADDRESS. */
export default async function globalSetup(): Promise<void> {
  const env = await startDevServer();
  (globalThis as { __KUDAK_DEV_SERVER__?: unknown }).__KUDAK_DEV_SERVER__ = env;
  process.env.TEMPORAL_ADDRESS = env.connection.options.address;
  process.env.KUDAK_TEST_DEV_SERVER = env.connection.options.address;
}
