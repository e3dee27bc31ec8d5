import { createHash } from 'node:crypto';

/**
 * A page token in the API's earlier format: `bytes` behind an unkeyed SHA-256 digest of them and
 * the visibility query, which anyone could compute. The API must refuse it now (it is not signed
 * with the server's secret); it once let such bytes through to Temporal.
 */
export function unkeyedPageToken(visibilityQuery: string, bytes: Buffer): string {
  const digest = createHash('sha256')
    .update(`kudak-page-token\u0000${visibilityQuery}\u0000`)
    .update(bytes)
    .digest()
    .subarray(0, 12);
  return Buffer.concat([digest, bytes]).toString('base64url');
}
