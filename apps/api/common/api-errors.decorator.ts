import { applyDecorators } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiServiceUnavailableResponse,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { ApiIdempotencyKey } from './idempotency-key';

export const ERROR_SCHEMA = {
  type: 'object',
  properties: {
    statusCode: { type: 'integer' },
    message: { oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] },
    error: { type: 'string' },
  },
};

/** The errors every authenticated route can answer. */
export function ApiAuthenticated() {
  return applyDecorators(
    ApiBearerAuth(),
    ApiUnauthorizedResponse({ description: 'Missing, expired or invalid bearer token', schema: ERROR_SCHEMA }),
    ApiForbiddenResponse({ description: "The caller's role or city scope does not allow this", schema: ERROR_SCHEMA }),
    ApiBadRequestResponse({ description: 'Malformed request: each field and reason', schema: ERROR_SCHEMA }),
    ApiTooManyRequestsResponse({ description: 'Rate limit exceeded', schema: ERROR_SCHEMA }),
    ApiServiceUnavailableResponse({
      description: 'Temporal (or a worker) did not answer in time; retry after the Retry-After header',
      schema: ERROR_SCHEMA,
    }),
  );
}

/** A route that takes an Idempotency-Key; a key reused with another request is a 422. */
export function ApiIdempotent(
  description: string,
  refused = 'The Idempotency-Key was used before with another request',
) {
  return applyDecorators(
    ApiIdempotencyKey(description),
    ApiUnprocessableEntityResponse({ description: refused, schema: ERROR_SCHEMA }),
  );
}

/** A route under /candidacies/{cityId}: the city may have no candidacy. */
export function ApiCandidacyNotFound(description = 'No candidacy for this city') {
  return ApiNotFoundResponse({ description, schema: ERROR_SCHEMA });
}

/** A decision: it may be refused by the workflow (409/422) and repeats under an Idempotency-Key. */
export function ApiDecision() {
  return applyDecorators(
    ApiAuthenticated(),
    ApiIdempotent(
      'A repeat with the same key returns the first answer and acts once',
      'Refused by the workflow (e.g. a return without a reason), or the Idempotency-Key was used before ' +
        'with another request: the message says why',
    ),
    ApiCandidacyNotFound('No such candidacy (or district)'),
    ApiConflictResponse({ description: 'Not possible in the current stage or state', schema: ERROR_SCHEMA }),
  );
}
