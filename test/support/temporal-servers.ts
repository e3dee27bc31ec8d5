import { SearchAttributeType } from '@temporalio/common';
import { google, temporal } from '@temporalio/proto';
import { Connection } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { KUDAK_SEARCH_ATTRIBUTES } from '@kudak/contracts';
import { EAGER_ACTIVITIES_ARGS, missingTemporalBinaryMessage, resolveTemporalExecutable } from '@kudak/temporal';

/** The real Temporal dev server (CLI), in memory, with Kudak's search attributes registered. */
export async function startDevServer(): Promise<TestWorkflowEnvironment> {
  const { executable, tried } = resolveTemporalExecutable('cli');
  try {
    return await TestWorkflowEnvironment.createLocal({
      server: {
        executable,
        ip: '127.0.0.1',
        searchAttributes: KUDAK_SEARCH_ATTRIBUTES,
        log: { format: 'pretty', level: 'error' },
        extraArgs: EAGER_ACTIVITIES_ARGS,
      },
    });
  } catch (err) {
    throw new Error(missingTemporalBinaryMessage('cli', tried, err));
  }
}

/** The real time-skipping test server: long timers pass in milliseconds. */
export async function startTimeSkippingServer(): Promise<TestWorkflowEnvironment> {
  const { executable, tried } = resolveTemporalExecutable('test-server');
  let env: TestWorkflowEnvironment;
  try {
    env = await TestWorkflowEnvironment.createTimeSkipping({
      server: { executable },
    });
  } catch (err) {
    throw new Error(missingTemporalBinaryMessage('test-server', tried, err));
  }
  // The test server starts without custom search attributes; the workflows upsert Kudak's.
  await addKudakSearchAttributes(env.connection, env.namespace ?? 'default');
  return env;
}

/** Registers Kudak's search attributes in a namespace (the workflows upsert them). */
export async function addKudakSearchAttributes(connection: Connection, namespace: string): Promise<void> {
  await connection.operatorService.addSearchAttributes({
    namespace,
    searchAttributes: Object.fromEntries(
      KUDAK_SEARCH_ATTRIBUTES.map((key) => [
        key.name,
        key.type === SearchAttributeType.BOOL
          ? temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_BOOL
          : temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
      ]),
    ),
  });
}

/**
 * A namespace of its own on the run's server, with Kudak's search attributes: for tests that start
 * the seed's cities (`isfahan`), which other test files start too.
 */
export async function registerTestNamespace(address: string, namespace: string): Promise<void> {
  const connection = await Connection.connect({ address });
  try {
    await connection.workflowService.registerNamespace({
      namespace,
      workflowExecutionRetentionPeriod: google.protobuf.Duration.fromObject({ seconds: 24 * 3600 }),
    });
    await addKudakSearchAttributes(connection, namespace);
    // Usable once the server's caches know it: listing its workflows answers.
    for (let attempt = 0; ; attempt++) {
      try {
        await connection.workflowService.listWorkflowExecutions({ namespace, pageSize: 1 });
        return;
      } catch (err) {
        if (attempt >= 100) throw err;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  } finally {
    await connection.close();
  }
}
