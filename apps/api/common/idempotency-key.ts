import { createHash } from 'node:crypto';
import {
  BadRequestException,
  createParamDecorator,
  Injectable,
  UnprocessableEntityException,
  type ExecutionContext,
} from '@nestjs/common';
import { ApiHeader } from '@nestjs/swagger';
import stringify from 'safe-stable-stringify';
import { IdempotencyKeysRepository } from '@kudak/database';

export const IDEMPOTENCY_HEADER = 'idempotency-key';
const KEY_PATTERN = /^[A-Za-z0-9_.:-]{1,200}$/;

/** The optional `Idempotency-Key` header in the OpenAPI document, with the rules the API applies. */
export function ApiIdempotencyKey(description: string) {
  return ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description:
      `${description}. 1-200 letters, digits or _ . : - (anything else is a 400). ` +
      'A key is bound to the request it first came with: the same key with another request is a 422',
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

/**
 * Binds each Idempotency-Key to the first request it came with, as payment APIs do: a repeat with
 * the same request goes on (and acts once, through the update id or the start's memo); the same
 * key with a different request is refused with a 422 naming the key, instead of silently
 * answering with the first request's result.
 */
@Injectable()
export class IdempotencyKeys {
  constructor(private readonly keys: IdempotencyKeysRepository) {}

  /** `id` is the key's {@link idempotentId} (caller, action, key); `request` what the action acts on. */
  async assertSameRequest(id: string, key: string, request: unknown): Promise<void> {
    const requestSha256 = createHash('sha256')
      .update(stringify(request) ?? '')
      .digest('hex');
    if ((await this.keys.bind(id, requestSha256)) !== requestSha256) {
      throw new UnprocessableEntityException(
        `Idempotency-Key '${key}' was already used with a different request; use a new key for a new request`,
      );
    }
  }
}
