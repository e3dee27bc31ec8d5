import { BadRequestException, Injectable, type ArgumentMetadata, type PipeTransform } from '@nestjs/common';

/** Deepest nesting of objects and arrays a request body may have; Kudak's own bodies need 4. */
export const MAX_BODY_DEPTH = 32;

/**
 * Refuses (400) a body nested deeper than {@link MAX_BODY_DEPTH}, before validation: the
 * ValidationPipe (class-transformer, class-validator) recurses through every level, and a body of
 * a few kilobytes nested thousands deep overflowed the stack there (a 500). Runs as a global pipe
 * ahead of the ValidationPipe; measures iteratively, so it cannot overflow itself.
 */
@Injectable()
export class BodyDepthPipe implements PipeTransform {
  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    if (metadata.type === 'body' && nestsDeeperThan(value, MAX_BODY_DEPTH)) {
      throw new BadRequestException(
        `the request body must not nest objects and arrays more than ${MAX_BODY_DEPTH} deep`,
      );
    }
    return value;
  }
}

/** Whether `value` has objects or arrays nested more than `max` levels (the top level is 1). */
export function nestsDeeperThan(value: unknown, max: number): boolean {
  const pending: Array<[unknown, number]> = [[value, 1]];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const [node, depth] = next;
    if (typeof node !== 'object' || node === null) continue;
    if (depth > max) return true;
    for (const child of Object.values(node)) pending.push([child, depth + 1]);
  }
  return false;
}
