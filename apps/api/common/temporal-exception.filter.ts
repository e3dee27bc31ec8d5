import {
  ArgumentsHost,
  Catch,
  ConflictException,
  ForbiddenException,
  HttpException,
  Logger,
  NotFoundException,
  ServiceUnavailableException,
  UnprocessableEntityException,
  type ExceptionFilter,
} from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import {
  isGrpcServiceError,
  ServiceError,
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  WorkflowUpdateRPCTimeoutOrCancelledError,
} from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { DECISION_REFUSED, type RefusalCategory } from '@kudak/contracts';
import { databaseUnavailableReason } from '@kudak/database';

/** A refused decision's HTTP answer, by the category its workflow validator gave. */
export function refusalToHttp(failure: ApplicationFailure): HttpException {
  const category = (failure.details?.[0] ?? 'CONFLICT') as RefusalCategory;
  if (category === 'FORBIDDEN') return new ForbiddenException(failure.message);
  if (category === 'INVALID') return new UnprocessableEntityException(failure.message);
  return new ConflictException(failure.message);
}

/** Temporal's answers as HTTP answers. Anything else unexpected is a 500 without details. */
export function temporalErrorToHttp(err: unknown): HttpException | undefined {
  if (err instanceof HttpException) return err;
  // Errors of the body parser (malformed JSON, too large) carry their own 4xx status.
  const status = (err as { status?: unknown; expose?: unknown } | null)?.status;
  if (typeof status === 'number' && status >= 400 && status < 500 && (err as { expose?: unknown }).expose) {
    return new HttpException((err as Error).message, status);
  }
  if (err instanceof WorkflowNotFoundError) return new NotFoundException('No such candidacy or district');
  if (err instanceof WorkflowExecutionAlreadyStartedError) return new ConflictException(err.message);
  if (err instanceof WorkflowUpdateFailedError) {
    const cause = err.cause;
    if (cause instanceof ApplicationFailure && cause.type === DECISION_REFUSED) return refusalToHttp(cause);
    return new ConflictException(cause?.message ?? err.message);
  }
  // Updates to a workflow that has already closed, e.g. a withdrawn candidacy.
  if (err instanceof ServiceError && /workflow execution already completed/i.test(err.message)) {
    return new ConflictException('The candidacy is closed');
  }
  const unavailable = temporalUnavailableReason(err) ?? databaseUnavailableReason(err);
  if (unavailable) return new ServiceUnavailableException(unavailable);
  return undefined;
}

/** gRPC status codes (https://grpc.github.io/grpc/core/md_doc_statuscodes.html) that mean "not now". */
const GRPC = { CANCELLED: 1, DEADLINE_EXCEEDED: 4, RESOURCE_EXHAUSTED: 8, FAILED_PRECONDITION: 9, UNAVAILABLE: 14 };

/** How long a caller should wait before retrying a 503 (the `Retry-After` header, in seconds). */
export const RETRY_AFTER_SECONDS = 5;

/**
 * Why Temporal cannot answer now but may in a moment (a 503 the caller should retry), in words
 * that are safe to show: never the raw gRPC text. Undefined for every other error.
 */
export function temporalUnavailableReason(err: unknown): string | undefined {
  // An Update's own deadline passed: no worker took the decision in time.
  if (err instanceof WorkflowUpdateRPCTimeoutOrCancelledError) {
    return 'The decision was not taken up in time (no worker answered); retry with the same Idempotency-Key';
  }
  const grpc = grpcErrorIn(err);
  switch (grpc?.code) {
    case GRPC.UNAVAILABLE:
      return 'Temporal is not reachable; try again shortly';
    case GRPC.DEADLINE_EXCEEDED:
    case GRPC.CANCELLED:
      return 'Temporal did not answer in time; try again shortly';
    case GRPC.RESOURCE_EXHAUSTED:
      return 'Temporal is busy; try again shortly';
    case GRPC.FAILED_PRECONDITION:
      // The workflow task that carried the Update failed (e.g. another event arrived as the workflow
      // closed): the Update was not applied, and a retry is safe.
      if (/update/i.test(grpc.details) && /workflow task failure/i.test(grpc.details)) {
        return 'The decision could not be taken just now (the candidacy was busy); retry with the same Idempotency-Key';
      }
      // A query to a workflow whose task is failing (e.g. its worker cannot reach the database).
      if (/quer/i.test(`${(err as Error).message} ${grpc.details}`)) {
        return 'The candidacy cannot be read right now (its workflow is not making progress); try again later';
      }
      return undefined;
    default:
      return undefined;
  }
}

/**
 * Whether a call was sent but Temporal did not answer in time (a hung frontend or history service):
 * unlike a refused connection, what it asked for may still happen once Temporal catches up.
 */
export function sentButNotAnswered(err: unknown): boolean {
  const code = grpcErrorIn(err)?.code;
  return code === GRPC.DEADLINE_EXCEEDED || code === GRPC.CANCELLED;
}

/** The gRPC error itself, or the one the SDK wrapped (ServiceError's cause). */
function grpcErrorIn(err: unknown): { code: number; details: string } | undefined {
  const grpc = causeChain(err).find(isGrpcServiceError);
  return grpc && { code: grpc.code, details: grpc.details ?? '' };
}

/** The error and the errors it wraps, outermost first. */
function causeChain(err: unknown): unknown[] {
  const chain: unknown[] = [];
  for (let e = err; e && chain.length < 5; e = (e as { cause?: unknown }).cause) chain.push(e);
  return chain;
}

@Catch()
export class TemporalExceptionFilter extends BaseExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger(TemporalExceptionFilter.name);

  override catch(exception: unknown, host: ArgumentsHost): void {
    const mapped = temporalErrorToHttp(exception);
    if (!mapped) this.logger.error(exception instanceof Error ? (exception.stack ?? exception.message) : exception);
    if (mapped?.getStatus() === 503) {
      if (!(exception instanceof HttpException)) this.logger.warn(`503: ${describe(exception)}`);
      const response = host.switchToHttp().getResponse<{ setHeader(name: string, value: string): void }>();
      response.setHeader('Retry-After', String(RETRY_AFTER_SECONDS));
    }
    super.catch(mapped ?? exception, host);
  }
}

/** The error and its causes on one line, for the log (the caller gets only the safe reason). */
function describe(err: unknown): string {
  return causeChain(err)
    .map((e) => (e instanceof Error ? e.message : String(e)))
    .join(' <- ');
}
