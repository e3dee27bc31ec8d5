import { DefaultLogger, Runtime } from '@temporalio/worker';

// Jest's setupFiles: runs in each test file before its first worker, connection or test server.
// Workers log their bundling and state changes at INFO, and the SDK's native core warns of things
// the tests bring about on purpose (the test server's missing capabilities, the non-determinism of
// the patch specs' old code): all of it would bury the results, which the tests assert.
Runtime.install({
  logger: new DefaultLogger('WARN'),
  // Native logs straight to the console (forwarding them would keep the process alive), errors only.
  telemetryOptions: { logging: { filter: { core: 'ERROR', other: 'ERROR' } } },
  // Jest stops the test files; the SDK's own SIGINT/SIGTERM handling would only hold them up.
  shutdownSignals: [],
});
