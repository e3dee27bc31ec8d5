import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { HttpException, UnauthorizedException } from '@nestjs/common';
import { KudakConfig } from '@kudak/config';
import {
  algNoneToken,
  expiredToken,
  foreignKeyToken,
  hs256PublicKeyToken,
  mintTestToken,
  signTestClaims,
  tamperedToken,
  unknownKeyToken,
  wrongAudienceToken,
  wrongIssuerToken,
} from '../../../test/support/tokens';
import { KUDAK_CLAIM } from './identity';
import { loadLocalJwks } from './local-signing-key';
import { TokenVerifierService } from './token-verifier.service';

/** What the caller would see: status and message, nothing else. */
async function refusal(promise: Promise<unknown>): Promise<{ status: number; message: string; response: unknown }> {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(HttpException);
    const e = err as HttpException;
    return { status: e.getStatus(), message: e.message, response: e.getResponse() };
  }
  throw new Error('expected the token to be refused');
}

const reviewer = { role: 'reviewer' as const, sub: 'u-42', organisation: 'Isfahan Municipality', cities: ['isfahan'] };

describe('TokenVerifierService', () => {
  let keyDir: string;
  let sut: TokenVerifierService;
  const previousKeyDir = process.env.AUTH_LOCAL_KEY_DIR;

  beforeAll(async () => {
    keyDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kudak-auth-'));
    // The test token builders sign with the key folder the environment configures.
    process.env.AUTH_LOCAL_KEY_DIR = keyDir;
    sut = new TokenVerifierService(KudakConfig.fromEnvironment({ AUTH_LOCAL_KEY_DIR: keyDir }));
    await sut.onModuleInit();
  });

  afterAll(() => {
    if (previousKeyDir === undefined) delete process.env.AUTH_LOCAL_KEY_DIR;
    else process.env.AUTH_LOCAL_KEY_DIR = previousKeyDir;
    fs.rmSync(keyDir, { recursive: true, force: true });
  });

  it('maps a valid token to the identity', async () => {
    const token = await mintTestToken({ ...reviewer, name: 'Maryam', country: 'IR' });
    await expect(sut.verify(token)).resolves.toEqual({
      sub: 'u-42',
      role: 'reviewer',
      organisation: 'Isfahan Municipality',
      name: 'Maryam',
      country: 'IR',
      cities: ['isfahan'],
    });
  });

  it("maps a district_submitter's districts, each once", async () => {
    const token = await signTestClaims({
      sub: 'mayor-1',
      [KUDAK_CLAIM]: {
        role: 'district_submitter',
        org: 'District 1',
        country: 'IR',
        cities: ['isfahan'],
        districts: ['district-1', 'district-2', 'district-1'],
      },
    });
    await expect(sut.verify(token)).resolves.toMatchObject({
      role: 'district_submitter',
      districts: ['district-1', 'district-2'],
    });
  });

  it('reads the token from an Authorization header, any case of "Bearer"', async () => {
    const token = await mintTestToken({ role: 'auditor', cities: ['*'] });
    await expect(sut.verifyAuthorization(`Bearer ${token}`)).resolves.toMatchObject({ role: 'auditor' });
    await expect(sut.verifyAuthorization(`bearer  ${token} `)).resolves.toMatchObject({ cities: ['*'] });
  });

  it('tolerates a few seconds of clock skew but no more', async () => {
    const now = Math.floor(Date.now() / 1000);
    const justExpired = await mintTestToken(reviewer, { issuedAt: now - 60, ttlSeconds: 58 });
    await expect(sut.verify(justExpired)).resolves.toMatchObject({ sub: 'u-42' });
    const expiredLonger = await mintTestToken(reviewer, { issuedAt: now - 60, ttlSeconds: 30 });
    expect((await refusal(sut.verify(expiredLonger))).message).toBe('token expired');
  });

  it.each([
    ['an absent header', undefined, 'missing bearer token'],
    ['an empty header', '', 'missing bearer token'],
    ['"Bearer" alone', 'Bearer ', 'missing bearer token'],
    ['another scheme', 'Basic a2luZzpzZWNyZXQ=', 'authorization must be a bearer token'],
    ['a token that is not a JWT', 'Bearer not-a-jwt', 'token is not a valid JWT'],
    ['three segments of garbage', 'Bearer a.b.c', 'token is not a valid JWT'],
  ])('refuses %s with 401', async (_case, header, reason) => {
    const result = await refusal(sut.verifyAuthorization(header));
    expect(result).toMatchObject({ status: 401, message: reason });
    // The body is Nest's plain 401: no stack, no library error text.
    expect(result.response).toEqual({ statusCode: 401, error: 'Unauthorized', message: reason });
  });

  it.each([
    ['an expired token', expiredToken, 'token expired'],
    ['another issuer', wrongIssuerToken, 'token issuer is not accepted'],
    ['another audience', wrongAudienceToken, 'token audience is not accepted'],
    ['an unsigned token (alg: none)', algNoneToken, 'only RS256 tokens are accepted'],
    ['HS256 keyed with the public key (key confusion)', hs256PublicKeyToken, 'only RS256 tokens are accepted'],
    ['a key it does not know (unknown kid)', unknownKeyToken, 'unknown signing key'],
    ['another RSA key under the right kid', foreignKeyToken, 'token signature is invalid'],
    ['a payload edited after signing', tamperedToken, 'token signature is invalid'],
  ])('refuses %s with 401', async (_case, build, reason) => {
    const token = await build();
    const result = await refusal(sut.verify(token));
    expect(result).toMatchObject({ status: 401, message: reason });
    expect(result.response).toEqual({ statusCode: 401, error: 'Unauthorized', message: reason });
  });

  it('refuses a token without an expiry', async () => {
    const token = await signTestClaims(
      { sub: 'u-1', [KUDAK_CLAIM]: { role: 'auditor', org: 'Audit', country: 'IR', cities: ['*'] } },
      { withoutExpiry: true },
    );
    expect(await refusal(sut.verify(token))).toMatchObject({ status: 401, message: 'token has no expiry (exp)' });
  });

  it('refuses a token without a kid (the key must be chosen by it)', async () => {
    const token = await mintTestToken(reviewer);
    const [, payload, signature] = token.split('.');
    const header = Buffer.from(JSON.stringify({ alg: 'RS256', typ: 'JWT' })).toString('base64url');
    expect((await refusal(sut.verify(`${header}.${payload}.${signature}`))).message).toBe('token has no key id (kid)');
  });

  const good = { role: 'reviewer', org: 'Isfahan Municipality', country: 'IR', cities: ['isfahan'] };
  it.each([
    ['no kudak claim', { sub: 'u-1' }, 'token has no "kudak" claim'],
    ['no subject', { [KUDAK_CLAIM]: good }, 'token has no subject (sub)'],
    ['an unknown role', { sub: 'u-1', [KUDAK_CLAIM]: { ...good, role: 'mayor' } }, 'token role is not one of'],
    ['a lowercase country', { sub: 'u-1', [KUDAK_CLAIM]: { ...good, country: 'ir' } }, 'token country must be'],
    ['a country name', { sub: 'u-1', [KUDAK_CLAIM]: { ...good, country: 'Iran' } }, 'token country must be'],
    ['no cities', { sub: 'u-1', [KUDAK_CLAIM]: { ...good, cities: [] } }, 'token cities must be'],
    ['a bad city id', { sub: 'u-1', [KUDAK_CLAIM]: { ...good, cities: ['Isfahan'] } }, 'token cities must be'],
    ['"*" mixed with cities', { sub: 'u-1', [KUDAK_CLAIM]: { ...good, cities: ['*', 'tehran'] } }, 'token cities'],
    ['no organisation', { sub: 'u-1', [KUDAK_CLAIM]: { ...good, org: '' } }, 'token organisation (org) is missing'],
    [
      'a district_submitter without districts',
      { sub: 'u-1', [KUDAK_CLAIM]: { ...good, role: 'district_submitter' } },
      'token districts are required for a district_submitter',
    ],
    [
      'a district_submitter with an empty list',
      { sub: 'u-1', [KUDAK_CLAIM]: { ...good, role: 'district_submitter', districts: [] } },
      'token districts must be a non-empty list of district ids',
    ],
    [
      'a bad district id',
      { sub: 'u-1', [KUDAK_CLAIM]: { ...good, role: 'district_submitter', districts: ['District 1'] } },
      'token districts must be a non-empty list of district ids',
    ],
    [
      'districts on another role',
      { sub: 'u-1', [KUDAK_CLAIM]: { ...good, districts: ['district-1'] } },
      'token districts apply only to the district_submitter role',
    ],
  ])('refuses a signed token with %s', async (_case, payload, reason) => {
    const result = await refusal(sut.verify(await signTestClaims(payload)));
    expect(result.status).toBe(401);
    expect(result.message.startsWith(reason)).toBe(true);
  });

  it('is an UnauthorizedException every time, so Nest answers 401 and never 500', async () => {
    await expect(sut.verify('x'.repeat(10_000))).rejects.toBeInstanceOf(UnauthorizedException);
  });
});

describe('TokenVerifierService with an identity provider (AUTH_JWKS_URL)', () => {
  let keyDir: string;
  let server: http.Server;
  let jwksUrl: string;
  let requests = 0;
  const previousKeyDir = process.env.AUTH_LOCAL_KEY_DIR;

  beforeAll(async () => {
    // The "identity provider" signs with the key in keyDir and publishes its JWKS over HTTP.
    keyDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kudak-idp-'));
    process.env.AUTH_LOCAL_KEY_DIR = keyDir;
    const body = JSON.stringify(await loadLocalJwks(keyDir));
    server = http.createServer((req, res) => {
      requests += 1;
      if (req.url !== '/realms/kudak/certs') {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    jwksUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/realms/kudak/certs`;
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    if (previousKeyDir === undefined) delete process.env.AUTH_LOCAL_KEY_DIR;
    else process.env.AUTH_LOCAL_KEY_DIR = previousKeyDir;
    fs.rmSync(keyDir, { recursive: true, force: true });
  });

  const provider = (url: string) =>
    new TokenVerifierService(
      KudakConfig.fromEnvironment({
        AUTH_JWKS_URL: url,
        AUTH_ISSUER: 'https://id.example.org/realms/kudak',
        AUTH_AUDIENCE: 'kudak',
        // Anything signed by the local default key must not be accepted in this mode.
        AUTH_LOCAL_KEY_DIR: path.join(keyDir, 'unused'),
      }),
    );
  const issued = { issuer: 'https://id.example.org/realms/kudak', audience: 'kudak' };

  it("verifies the provider's token with the key fetched from its JWKS by kid", async () => {
    const sut = provider(jwksUrl);
    await sut.onModuleInit();
    const token = await mintTestToken({ role: 'ministry_officer', sub: 'idp|7' }, issued);
    await expect(sut.verify(token)).resolves.toMatchObject({ sub: 'idp|7', role: 'ministry_officer' });
    await expect(sut.verify(token)).resolves.toMatchObject({ sub: 'idp|7' });
    expect(requests).toBe(1); // cached
    expect(fs.existsSync(path.join(keyDir, 'unused'))).toBe(false); // no local key in this mode
  });

  it('refuses a kid the provider does not publish, the default issuer and a tampered token', async () => {
    const sut = provider(jwksUrl);
    expect((await refusal(sut.verify(await unknownKeyToken({ role: 'auditor' }, issued)))).message).toBe(
      'unknown signing key',
    );
    expect((await refusal(sut.verify(await mintTestToken({ role: 'auditor' })))).message).toBe(
      'token issuer is not accepted',
    );
    expect((await refusal(sut.verify(await tamperedToken(undefined, issued)))).message).toBe(
      'token signature is invalid',
    );
  });

  it('answers 401 (not 500) when the JWKS cannot be fetched', async () => {
    const sut = provider(jwksUrl.replace('/realms/kudak/certs', '/missing'));
    const token = await mintTestToken({ role: 'auditor' }, issued);
    expect(await refusal(sut.verify(token))).toMatchObject({ status: 401, message: 'signing keys are unavailable' });
  });
});
