import { applyDecorators, HttpCode, HttpStatus, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOperation } from '@nestjs/swagger';
import type { DecisionRule } from '@kudak/contracts';
import { Roles } from '../auth/auth.decorators';
import { ApiDecision } from '../common/api-errors.decorator';
import { DecisionResponseDto } from './dto/decision-response.dto';

/**
 * The route of a decision, from its entry in the decision table: POST at `path`, 201 with the
 * recorded decision, only for the roles the table names (the auth guard answers 403 to others),
 * and its OpenAPI operation with every answer a decision can get.
 */
export function DecisionRoute(path: string | undefined, rule: DecisionRule): MethodDecorator {
  // In the order the separate decorators applied (bottom up): the OpenAPI document lists the
  // answers in this order.
  return applyDecorators(
    ApiCreatedResponse({ type: DecisionResponseDto }),
    ApiDecision(),
    ApiOperation({ summary: rule.summary }),
    Roles(...rule.roles),
    HttpCode(HttpStatus.CREATED),
    Post(path),
  );
}
