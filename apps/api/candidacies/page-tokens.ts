import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Injectable, type OnModuleInit } from '@nestjs/common';
import { KudakConfig, type PageTokenSettings } from '@kudak/config';
import { readIfExists, writeAtomically } from '../common/atomic-file';

const MAC_BYTES = 32;

/**
 * The list's page tokens: where the next page starts (the last item's place in the read model)
 * behind an HMAC-SHA256, keyed by a server secret, of those bytes and the query (scope and filters)
 * it pages through. A token this API did not hand out for this very query (forged, edited, or from
 * another caller's scope) is a 400 at once and never reaches the database. The secret is PAGE_TOKEN_SECRET or one generated once and kept in
 * KUDAK_DATA_DIR, so tokens survive a restart and work on every API process sharing either.
 */
@Injectable()
export class PageTokens implements OnModuleInit {
  private secret?: Buffer;

  constructor(private readonly config: KudakConfig) {}

  onModuleInit(): void {
    this.key();
  }

  encode(raw: Uint8Array, query: string): string {
    return Buffer.concat([this.mac(raw, query), raw]).toString('base64url');
  }

  /** The bytes inside, or undefined when the API did not issue `token` for this query. */
  decode(token: string, query: string): Buffer | undefined {
    const bytes = Buffer.from(token, 'base64url');
    if (bytes.length <= MAC_BYTES) return undefined;
    const raw = bytes.subarray(MAC_BYTES);
    return timingSafeEqual(this.mac(raw, query), bytes.subarray(0, MAC_BYTES)) ? raw : undefined;
  }

  private mac(raw: Uint8Array, query: string): Buffer {
    return createHmac('sha256', this.key())
      .update('kudak-page-token\u0000')
      .update(query)
      .update('\u0000')
      .update(raw)
      .digest();
  }

  private key(): Buffer {
    this.secret ??= loadPageTokenSecret(this.config.pageTokens);
    return this.secret;
  }
}

/** PAGE_TOKEN_SECRET, else the secret file, made on first use (mode 0600; the first process's wins). */
export function loadPageTokenSecret(settings: PageTokenSettings): Buffer {
  if (settings.secret) return Buffer.from(settings.secret, 'utf8');
  const existing = readIfExists(settings.secretFile);
  if (existing === undefined) {
    fs.mkdirSync(path.dirname(settings.secretFile), { recursive: true, mode: 0o700 });
    writeAtomically(settings.secretFile, `${randomBytes(32).toString('hex')}\n`, 0o600, 'keep-existing');
  }
  const text = (existing ?? fs.readFileSync(settings.secretFile, 'utf8')).trim();
  if (!/^[0-9a-f]{64}$/.test(text)) {
    throw new Error(`${settings.secretFile} is not a page-token secret (64 hex digits); delete it to generate one`);
  }
  return Buffer.from(text, 'hex');
}
