import { applyDecorators, type Type } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTooManyRequestsResponse,
} from '@nestjs/swagger';
import { ERROR_SCHEMA } from '../common/api-errors.decorator';
import { Public } from './auth.decorators';

/** A route the console calls before anyone is signed in: no token, rate limited like the rest. */
export function SignInRoute(summary: string, answer: Type | [Type]) {
  return applyDecorators(
    Public(),
    ApiOperation({ summary }),
    ApiOkResponse({ type: answer }),
    ApiTooManyRequestsResponse({ description: 'Rate limit exceeded', schema: ERROR_SCHEMA }),
  );
}

/** A local sign-in route: only in the embedded default, never with an identity provider. */
export function LocalSignInRoute(summary: string, answer: Type | [Type]) {
  return applyDecorators(
    SignInRoute(summary, answer),
    ApiNotFoundResponse({ description: 'An identity provider is configured: no demo people', schema: ERROR_SCHEMA }),
    ApiForbiddenResponse({
      description: 'Refused in production and when an identity provider is configured',
      schema: ERROR_SCHEMA,
    }),
    ApiBadRequestResponse({ description: 'No personId, or not a demo person', schema: ERROR_SCHEMA }),
  );
}
