// The embedded default's signing key: an RS256 pair kept in AUTH_LOCAL_KEY_DIR, made on first use.
// `npm run token` signs with the private half; the API verifies with the public JWKS, exactly as
// it would with an identity provider's.
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  calculateJwkThumbprint,
  exportJWK,
  generateKeyPair,
  importJWK,
  type JSONWebKeySet,
  type JWK,
  type KeyLike,
} from 'jose';
import { readIfExists, writeAtomically } from '../common/atomic-file';

export const LOCAL_SIGNING_ALG = 'RS256';
export const PRIVATE_KEY_FILE = 'signing-key.private.jwk.json';
export const PUBLIC_JWKS_FILE = 'jwks.json';

export interface LocalSigningKey {
  kid: string;
  privateKey: KeyLike;
}

/**
 * Makes sure the key pair exists and the public JWKS matches the private key; returns the JWKS.
 * Idempotent, and safe when several processes start at once: the first private key to land wins
 * (exclusive link of a fully written temp file) and everyone derives the JWKS from that one.
 */
export async function ensureLocalSigningKey(dir: string): Promise<JSONWebKeySet> {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const privateFile = path.join(dir, PRIVATE_KEY_FILE);
  if (!fs.existsSync(privateFile)) await createPrivateKey(privateFile);
  const jwks = publicJwksOf(readPrivateJwk(privateFile));
  const publicFile = path.join(dir, PUBLIC_JWKS_FILE);
  const text = `${JSON.stringify(jwks, null, 2)}\n`;
  // Rewritten when missing or stale (e.g. someone replaced the private key by hand).
  if (readIfExists(publicFile) !== text) writeAtomically(publicFile, text, 0o644, 'replace');
  return jwks;
}

/** The public JWKS the API verifies local tokens with (creating the key pair if needed). */
export async function loadLocalJwks(dir: string): Promise<JSONWebKeySet> {
  return ensureLocalSigningKey(dir);
}

/** The private key `npm run token` signs with (creating the key pair if needed). */
export async function loadLocalPrivateKey(dir: string): Promise<LocalSigningKey> {
  await ensureLocalSigningKey(dir);
  const jwk = readPrivateJwk(path.join(dir, PRIVATE_KEY_FILE));
  return { kid: jwk.kid, privateKey: (await importJWK(jwk, LOCAL_SIGNING_ALG)) as KeyLike };
}

async function createPrivateKey(file: string): Promise<void> {
  const { privateKey } = await generateKeyPair(LOCAL_SIGNING_ALG, { modulusLength: 2048, extractable: true });
  const jwk = await exportJWK(privateKey);
  // RFC 7638 thumbprint: a stable kid derived from the public part.
  const kid = await calculateJwkThumbprint(jwk, 'sha256');
  const text = `${JSON.stringify({ ...jwk, kid, alg: LOCAL_SIGNING_ALG, use: 'sig' }, null, 2)}\n`;
  writeAtomically(file, text, 0o600, 'keep-existing');
}

function readPrivateJwk(file: string): JWK & { kid: string } {
  const jwk = JSON.parse(fs.readFileSync(file, 'utf8')) as JWK;
  if (jwk.kty !== 'RSA' || !jwk.d || !jwk.n || !jwk.e || !jwk.kid) {
    throw new Error(`${file} is not an RSA private JWK with a kid; delete it to generate a new key`);
  }
  return { ...jwk, kid: jwk.kid };
}

function publicJwksOf(jwk: JWK): JSONWebKeySet {
  const { kty, n, e, kid } = jwk;
  return { keys: [{ kty, n, e, kid, alg: LOCAL_SIGNING_ALG, use: 'sig' }] };
}
