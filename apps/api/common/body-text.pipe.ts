import { BadRequestException, Injectable, type ArgumentMetadata, type PipeTransform } from '@nestjs/common';

// C0 controls and DEL, except tab, line feed and carriage return (multi-line reasons keep theirs).
// PostgreSQL cannot store U+0000 in text at all: an accepted name holding one would fail every
// write of the read model and the records, retried for ever. Persian's ZWNJ and the direction marks
// (U+200C, U+200E, U+200F) are not controls here and pass.
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;

/**
 * Refuses (400) a body with a control character in any of its texts or keys, naming where it is,
 * before validation. Runs as a global pipe after {@link BodyDepthPipe} (so the walk is bounded).
 */
@Injectable()
export class BodyTextPipe implements PipeTransform {
  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    if (metadata.type !== 'body') return value;
    const where = controlCharacterIn(value);
    if (where !== undefined) {
      throw new BadRequestException([`${where || 'the request body'} must not contain control characters`]);
    }
    return value;
  }
}

/** The path (`districts[0].name`) of the first text or key holding a control character, if any. */
export function controlCharacterIn(value: unknown): string | undefined {
  const pending: Array<[unknown, string]> = [[value, '']];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const [node, path] = next;
    if (typeof node === 'string') {
      if (CONTROL.test(node)) return path;
      continue;
    }
    if (typeof node !== 'object' || node === null) continue;
    for (const [key, child] of Object.entries(node)) {
      const childPath = Array.isArray(node) ? `${path}[${key}]` : path ? `${path}.${key}` : key;
      if (CONTROL.test(key)) return path || 'a key of the request body';
      pending.push([child, childPath]);
    }
  }
  return undefined;
}
