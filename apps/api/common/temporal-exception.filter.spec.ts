import { ServiceUnavailableException } from '@nestjs/common';
import { ServiceError, WorkflowUpdateRPCTimeoutOrCancelledError } from '@temporalio/client';
import { temporalErrorToHttp } from './temporal-exception.filter';

/** An error as @grpc/grpc-js rejects a call with: code, details, metadata. */
function grpcError(code: number, details: string): Error {
  return Object.assign(new Error(`${code} ${details}`), { code, details, metadata: {} });
}

describe(temporalErrorToHttp.name, () => {
  it.each([
    [14, 'No connection established. Last error: connect ECONNREFUSED 127.0.0.1:7233', 'Temporal is not reachable'],
    [4, 'Deadline exceeded after 5.001s', 'Temporal did not answer in time'],
    [8, 'consistent query buffer is full', 'Temporal is busy'],
    [9, 'Unable to query workflow due to Workflow Task in failed state.', 'The candidacy cannot be read right now'],
    [
      9,
      'Unable to perform workflow execution update due to unexpected workflow task failure.',
      'The decision could not be taken just now',
    ],
  ])('gRPC status %i (raw or wrapped by the SDK) is a 503 in its own words', (code, details, reason) => {
    for (const err of [
      grpcError(code, details),
      new ServiceError('Failed to query Workflow', { cause: grpcError(code, details) }),
    ]) {
      const http = temporalErrorToHttp(err);
      expect(http).toBeInstanceOf(ServiceUnavailableException);
      expect(http?.message).toMatch(new RegExp(`^${reason}`));
      expect(http?.message).not.toContain(details);
    }
  });

  it('an Update that no worker took in time is a 503 that says to retry under the same key', () => {
    const http = temporalErrorToHttp(
      new WorkflowUpdateRPCTimeoutOrCancelledError('timeout', { cause: grpcError(4, 'x') }),
    );
    expect(http).toBeInstanceOf(ServiceUnavailableException);
    expect(http?.message).toMatch(/retry with the same Idempotency-Key/);
  });

  it('leaves a FAILED_PRECONDITION other than a query, and other codes, to the 500 handler', () => {
    expect(temporalErrorToHttp(grpcError(9, 'Namespace is not active'))).toBeUndefined();
    expect(temporalErrorToHttp(grpcError(13, 'internal'))).toBeUndefined();
    expect(temporalErrorToHttp(new Error('boom'))).toBeUndefined();
  });
});
