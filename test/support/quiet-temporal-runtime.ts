import { DefaultLogger, Runtime } from '@temporalio/worker';

// Jest's setupFiles: runs in each test file before its first Worker, connection or test server.
// Workers log their start, bundling and state changes at INFO, and the SDK's native core warns of
// expected things (a test server's missing capabilities, the deliberate non-determinism of the
// patch specs' old code), all of which would bury the results. Tests assert what matters.
Runtime.install({
  logger: new DefaultLogger('WARN'),
  telemetryOptions: { logging: { filter: { core: 'ERROR', other: 'ERROR' }, forward: {} } },
});
