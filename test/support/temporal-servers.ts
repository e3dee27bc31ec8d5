import { SearchAttributeType } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { KUDAK_SEARCH_ATTRIBUTES } from '@kudak/contracts';
import { missingTemporalBinaryMessage, resolveTemporalExecutable } from '@kudak/temporal';

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
  await env.connection.operatorService.addSearchAttributes({
    namespace: env.namespace ?? 'default',
    searchAttributes: Object.fromEntries(
      KUDAK_SEARCH_ATTRIBUTES.map((key) => [
        key.name,
        key.type === SearchAttributeType.BOOL
          ? temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_BOOL
          : temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
      ]),
    ),
  });
  return env;
}
