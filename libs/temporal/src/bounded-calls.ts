import {
  defaultGrpcRetryOptions,
  makeGrpcRetryInterceptor,
  type ConnectionOptions,
  type GrpcRetryOptions,
} from '@temporalio/client';

type Interceptor = NonNullable<ConnectionOptions['interceptors']>[number];

/**
 * gRPC interceptors that bound every call to Temporal: a call made without a deadline (outside
 * `connection.withDeadline`) gets one `callDeadlineMs` away, and the SDK's usual retries of
 * UNAVAILABLE, RESOURCE_EXHAUSTED... stop at that deadline instead of going on for 20-40 s (their
 * back-off alone reaches 5 s between attempts). The caller then sees DEADLINE_EXCEEDED, or the
 * last retryable status, within the deadline.
 */
export function boundedCallInterceptors(callDeadlineMs: number): Interceptor[] {
  const usual = defaultGrpcRetryOptions();
  return [
    (options, nextCall) => {
      const deadline = deadlineMs(options.deadline) ?? Date.now() + callDeadlineMs;
      const untilDeadline: GrpcRetryOptions = {
        retryableDecider: (attempt, status) => usual.retryableDecider(attempt, status) && Date.now() < deadline,
        // Never sleep past the deadline: the attempt made then fails at once with DEADLINE_EXCEEDED.
        delayFunction: (attempt, status) =>
          Math.max(0, Math.min(usual.delayFunction(attempt, status), deadline - Date.now())),
      };
      return makeGrpcRetryInterceptor(untilDeadline)({ ...options, deadline }, nextCall);
    },
  ];
}

/** A gRPC deadline (a Date, milliseconds since the epoch, or Infinity) as milliseconds, if finite. */
function deadlineMs(deadline: Date | number | undefined): number | undefined {
  if (deadline === undefined) return undefined;
  const ms = deadline instanceof Date ? deadline.getTime() : deadline;
  return Number.isFinite(ms) ? ms : undefined;
}
