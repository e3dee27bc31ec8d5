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
  ServiceError,
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
} from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { DECISION_REFUSED, type RefusalCategory } from '@kudak/contracts';

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
  if (err instanceof ServiceError && /UNAVAILABLE|DEADLINE_EXCEEDED/.test(String(err.cause ?? err.message))) {
    return new ServiceUnavailableException('Temporal is not reachable; try again');
  }
  return undefined;
}

@Catch()
export class TemporalExceptionFilter extends BaseExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger(TemporalExceptionFilter.name);

  override catch(exception: unknown, host: ArgumentsHost): void {
    const mapped = temporalErrorToHttp(exception);
    if (!mapped) this.logger.error(exception instanceof Error ? (exception.stack ?? exception.message) : exception);
    super.catch(mapped ?? exception, host);
  }
}
