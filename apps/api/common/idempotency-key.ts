import { createHash } from 'node:crypto';
import { BadRequestException, createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { ApiHeader } from '@nestjs/swagger';

export const IDEMPOTENCY_HEADER = 'idempotency-key';
const KEY_PATTERN = /^[A-Za-z0-9_.:-]{1,200}$/;

/** The optional `Idempotency-Key` header in the OpenAPI document, with the rule the API applies. */
export function ApiIdempotencyKey(description: string) {
  return ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description: `${description}. 1-200 letters, digits or _ . : - (anything else is a 400)`,
    schema: { type: 'string', pattern: KEY_PATTERN.source, minLength: 1, maxLength: 200 },
  });
}

/**
 * The request's `Idempotency-Key`, if any. A repeat with the same key (from the same caller, to
 * the same action) returns the first answer and acts once: it becomes the Temporal update id or
 * the start's recorded key.
 */
export const IdempotencyKey = createParamDecorator((_: unknown, ctx: ExecutionContext): string | undefined => {
  const value = ctx.switchToHttp().getRequest<{ headers: Record<string, unknown> }>().headers[IDEMPOTENCY_HEADER];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !KEY_PATTERN.test(value)) {
    throw new BadRequestException('Idempotency-Key must be 1-200 letters, digits or _ . : -');
  }
  return value;
});

/** A stable id for one caller's one action under one key. */
export function idempotentId(parts: string[]): string {
  return createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 40);
}
