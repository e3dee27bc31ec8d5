import { applyDecorators } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
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
    ApiIdempotencyKey('A repeat with the same key returns the first answer and acts once'),
    ApiCandidacyNotFound('No such candidacy (or district)'),
    ApiConflictResponse({ description: 'Not possible in the current stage or state', schema: ERROR_SCHEMA }),
    ApiUnprocessableEntityResponse({
      description: 'Refused by the workflow: the reason says why',
      schema: ERROR_SCHEMA,
    }),
  );
}
