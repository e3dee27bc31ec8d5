// Bearer tokens for tests: good ones signed by the local key the API verifies with (the key folder
// configured through AUTH_LOCAL_KEY_DIR, else <KUDAK_DATA_DIR>/auth), and each kind of bad one the
// API must refuse with 401, so unit specs and the e2e matrix share one set of builders.
import { createPublicKey, type JsonWebKey } from 'node:crypto';
import { generateKeyPair, SignJWT, type JWTPayload } from 'jose';
import { KudakConfig } from '@kudak/config';
import type { Role } from '@kudak/contracts';
import { KUDAK_CLAIM, type Identity, type KudakClaim } from '../../apps/api/auth/identity';
import { loadLocalJwks, loadLocalPrivateKey, type LocalSigningKey } from '../../apps/api/auth/local-signing-key';

export type TestIdentity = Partial<Identity> & { role: Role };

export interface TestTokenOptions {
  /** Lifetime from `issuedAt` (default 600); negative: already expired. */
  ttlSeconds?: number;
  /** Unix seconds (default now). */
  issuedAt?: number;
  /** Default: the configured AUTH_ISSUER. */
  issuer?: string;
  /** Default: the configured AUTH_AUDIENCE. */
  audience?: string;
  /** Default: the local signing key. */
  key?: LocalSigningKey;
  /** Leave out `exp` (the API requires it). */
  withoutExpiry?: boolean;
}

/** The identity's defaults: an IR-wide scope in a test organisation. */
export function testIdentity(identity: TestIdentity): Identity {
  return {
    sub: `test-${identity.role}`,
    organisation: 'Test Organisation',
    country: 'IR',
    cities: ['*'],
    ...identity,
  };
}

/** The private claim for an identity, as an identity provider would issue it. */
export function kudakClaimOf(identity: Identity): KudakClaim {
  return {
    role: identity.role,
    org: identity.organisation,
    country: identity.country,
    cities: identity.cities,
    ...(identity.districts !== undefined ? { districts: identity.districts } : {}),
    ...(identity.name !== undefined ? { name: identity.name } : {}),
  };
}

/** A token the API accepts (in local mode) for this identity. */
export async function mintTestToken(identity: TestIdentity, options: TestTokenOptions = {}): Promise<string> {
  const full = testIdentity(identity);
  return signTestClaims({ sub: full.sub, [KUDAK_CLAIM]: kudakClaimOf(full) }, options);
}

/** Signs any payload (iss, aud, iat and exp added per the options): for tokens with bad claims. */
export async function signTestClaims(payload: JWTPayload, options: TestTokenOptions = {}): Promise<string> {
  const config = KudakConfig.fromEnvironment();
  const key = options.key ?? (await loadLocalPrivateKey(config.auth.localKeyDir));
  const issuedAt = options.issuedAt ?? Math.floor(Date.now() / 1000);
  const jwt = new SignJWT(payload)
    .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: key.kid })
    .setIssuer(options.issuer ?? config.auth.issuer)
    .setAudience(options.audience ?? config.auth.audience)
    .setIssuedAt(issuedAt);
  if (!options.withoutExpiry) jwt.setExpirationTime(issuedAt + (options.ttlSeconds ?? 600));
  return jwt.sign(key.privateKey);
}

const ADMINISTRATOR: TestIdentity = { role: 'administrator' };

/** Expired an hour ago: well past the verifier's clock tolerance. */
export function expiredToken(identity: TestIdentity = ADMINISTRATOR, options: TestTokenOptions = {}): Promise<string> {
  return mintTestToken(identity, { ...options, issuedAt: Math.floor(Date.now() / 1000) - 7200, ttlSeconds: 3600 });
}

export function wrongIssuerToken(
  identity: TestIdentity = ADMINISTRATOR,
  options: TestTokenOptions = {},
): Promise<string> {
  return mintTestToken(identity, { ...options, issuer: 'https://not-kudak.example.org' });
}

export function wrongAudienceToken(
  identity: TestIdentity = ADMINISTRATOR,
  options: TestTokenOptions = {},
): Promise<string> {
  return mintTestToken(identity, { ...options, audience: 'some-other-api' });
}

/** Unsigned (`alg: none`) with otherwise perfect claims: must never be accepted. */
export async function algNoneToken(
  identity: TestIdentity = ADMINISTRATOR,
  options: TestTokenOptions = {},
): Promise<string> {
  const signed = await mintTestToken(identity, options);
  const [, payload] = signed.split('.');
  return `${base64url({ alg: 'none', typ: 'JWT' })}.${payload}.`;
}

/**
 * Key confusion: HS256 with the RSA public key (PEM, which anyone can fetch) as the HMAC secret
 * and the real kid. A verifier that let the token pick its algorithm would accept it.
 */
export async function hs256PublicKeyToken(
  identity: TestIdentity = ADMINISTRATOR,
  options: TestTokenOptions = {},
): Promise<string> {
  const config = KudakConfig.fromEnvironment();
  const [jwk] = (await loadLocalJwks(config.auth.localKeyDir)).keys;
  const publicPem = createPublicKey({ key: jwk as JsonWebKey, format: 'jwk' }).export({ type: 'spki', format: 'pem' });
  const full = testIdentity(identity);
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ [KUDAK_CLAIM]: kudakClaimOf(full) })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT', kid: jwk.kid })
    .setSubject(full.sub)
    .setIssuer(options.issuer ?? config.auth.issuer)
    .setAudience(options.audience ?? config.auth.audience)
    .setIssuedAt(now)
    .setExpirationTime(now + 600)
    .sign(Buffer.from(publicPem));
}

/** Signed by a key the API has never seen, under a kid it does not know. */
export async function unknownKeyToken(
  identity: TestIdentity = ADMINISTRATOR,
  options: TestTokenOptions = {},
): Promise<string> {
  return mintTestToken(identity, { ...options, key: { ...(await otherSigningKey()), kid: 'unknown-test-key' } });
}

/** Signed by another RSA key but claiming the local key's kid: the signature does not verify. */
export async function foreignKeyToken(
  identity: TestIdentity = ADMINISTRATOR,
  options: TestTokenOptions = {},
): Promise<string> {
  const { kid } = await localKey();
  return mintTestToken(identity, { ...options, key: { ...(await otherSigningKey()), kid } });
}

/** A genuine token whose payload was then edited (raised to a country-wide administrator). */
export async function tamperedToken(
  identity: TestIdentity = { role: 'auditor', cities: ['isfahan'] },
  options: TestTokenOptions = {},
): Promise<string> {
  const [header, payload, signature] = (await mintTestToken(identity, options)).split('.');
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  claims[KUDAK_CLAIM] = { ...claims[KUDAK_CLAIM], role: 'administrator', cities: ['*'] };
  return `${header}.${base64url(claims)}.${signature}`;
}

let other: Promise<LocalSigningKey> | undefined;

/** One extra RSA key per test process (generating keys is slow). */
export function otherSigningKey(): Promise<LocalSigningKey> {
  other ??= generateKeyPair('RS256', { modulusLength: 2048 }).then(({ privateKey }) => ({
    kid: 'other-test-key',
    privateKey,
  }));
  return other;
}

function localKey(): Promise<LocalSigningKey> {
  return loadLocalPrivateKey(KudakConfig.fromEnvironment().auth.localKeyDir);
}

function base64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}
