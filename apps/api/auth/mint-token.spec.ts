import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { KudakConfig } from '@kudak/config';
import { InvalidIdentityClaimError } from './identity-claims';
import { mintLocalToken, parseMintTokenArgs, parseTtl, runMintTokenCli, UsageError } from './mint-token';
import { TokenVerifierService } from './token-verifier.service';

const SUBMITTER_IN_ISFAHAN = ['--role', 'district_submitter', '--country', 'IR', '--cities', 'isfahan'];

function capture() {
  let text = '';
  return { write: (chunk: string) => (text += chunk), text: () => text };
}

describe('parseMintTokenArgs', () => {
  it('reads every option', () => {
    const sut = parseMintTokenArgs([
      '--role',
      'reviewer',
      '--country',
      'IR',
      '--cities',
      'isfahan, tehran',
      '--sub',
      'someone',
      '--org',
      'Isfahan Municipality',
      '--name',
      'Maryam Ahmadi',
      '--ttl',
      '30m',
    ]);
    expect(sut).toEqual({
      role: 'reviewer',
      country: 'IR',
      cities: ['isfahan', 'tehran'],
      sub: 'someone',
      org: 'Isfahan Municipality',
      name: 'Maryam Ahmadi',
      ttl: '30m',
    });
  });

  it("accepts '*' for every city and --opt=value", () => {
    expect(parseMintTokenArgs(['--role=administrator', '--country=IR', '--cities=*'])).toEqual({
      role: 'administrator',
      country: 'IR',
      cities: ['*'],
    });
    expect(parseMintTokenArgs(['--help'])).toBe('help');
  });

  it.each([
    [['--country', 'IR', '--cities', 'isfahan'], 'missing --role'],
    [[], 'missing --role, --country, --cities'],
    [['--role', 'mayor', '--country', 'IR', '--cities', 'isfahan'], '--role must be one of administrator,'],
    [['--role', 'reviewer', '--country', 'ir', '--cities', 'isfahan'], '--country must be an ISO 3166-1 alpha-2'],
    [['--role', 'reviewer', '--country', 'IR', '--cities', 'Isfahan'], '--cities must be comma-separated city ids'],
    [['--role', 'reviewer', '--country', 'IR', '--cities', '*,isfahan'], '--cities must be'],
    [['--role', 'reviewer', '--country', 'IR', '--cities', ','], '--cities must be'],
    [['--role', 'reviewer', '--country', 'IR', '--cities', 'x1', '--ttl', '8 hours'], '--ttl must be like'],
    [['--role', 'reviewer', '--country', 'IR', '--cities', 'x1', '--ttl', '31d'], 'at most 30d'],
    [['--role', 'district_submitter', '--country', 'IR', '--cities', 'x1'], '--districts is required for --role'],
    [
      ['--role', 'district_submitter', '--country', 'IR', '--cities', 'x1', '--districts', 'District 1'],
      '--districts must be comma-separated district ids',
    ],
    [['--role', 'reviewer', '--country', 'IR', '--cities', 'x1', '--districts', 'd1'], '--districts applies only to'],
    [['--rol', 'reviewer'], "Unknown option '--rol'"],
    [['reviewer'], 'Unexpected argument'],
  ])('refuses %j: %s', (argv, message) => {
    expect(() => parseMintTokenArgs(argv)).toThrow(UsageError);
    expect(() => parseMintTokenArgs(argv)).toThrow(message);
  });

  it("reads a district_submitter's districts", () => {
    expect(parseMintTokenArgs([...SUBMITTER_IN_ISFAHAN, '--districts', 'd1, d2'])).toEqual({
      role: 'district_submitter',
      country: 'IR',
      cities: ['isfahan'],
      districts: ['d1', 'd2'],
    });
  });

  it('reads lifetimes in seconds, minutes, hours and days', () => {
    expect([parseTtl('90'), parseTtl('90s'), parseTtl('30m'), parseTtl('8h'), parseTtl('7d'), parseTtl(60)]).toEqual([
      90, 90, 1800, 28_800, 604_800, 60,
    ]);
    expect(() => parseTtl('0s')).toThrow(UsageError);
  });
});

describe('mint-token', () => {
  let keyDir: string;
  let env: Record<string, string>;

  beforeEach(() => {
    keyDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kudak-mint-'));
    env = { AUTH_LOCAL_KEY_DIR: path.join(keyDir, 'auth') };
  });

  afterEach(() => fs.rmSync(keyDir, { recursive: true, force: true }));

  it('prints only a token the API accepts, creating the local key on first use', async () => {
    const stdout = capture();
    const stderr = capture();
    const argv = [
      '--role',
      'reviewer',
      '--country',
      'IR',
      '--cities',
      'isfahan,tehran',
      '--org',
      'Isfahan Municipality',
    ];

    const sut = await runMintTokenCli([...argv, '--sub', 'someone', '--ttl', '8h'], env, stdout, stderr);

    expect({ code: sut, stderr: stderr.text() }).toEqual({ code: 0, stderr: '' });
    expect(stdout.text()).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+\n$/);
    const token = stdout.text().trim();
    const verifier = new TokenVerifierService(KudakConfig.fromEnvironment(env));
    await expect(verifier.verify(token)).resolves.toEqual({
      sub: 'someone',
      role: 'reviewer',
      organisation: 'Isfahan Municipality',
      country: 'IR',
      cities: ['isfahan', 'tehran'],
    });
    const claims = decodeJwt(token);
    expect(claims).toMatchObject({ iss: 'kudak-local', aud: 'kudak-api' });
    expect(claims.exp! - claims.iat!).toBe(8 * 3600);
    expect(decodeProtectedHeader(token)).toMatchObject({ alg: 'RS256', typ: 'JWT' });
    expect(fs.existsSync(path.join(env.AUTH_LOCAL_KEY_DIR, 'signing-key.private.jwk.json'))).toBe(true);
  });

  it('signs with the configured issuer and audience, and a default subject and organisation', async () => {
    const config = KudakConfig.fromEnvironment({ ...env, AUTH_ISSUER: 'kudak-staging', AUTH_AUDIENCE: 'kudak-x' });
    const token = await mintLocalToken({ role: 'administrator', country: 'IR', cities: ['*'] }, config);
    expect(decodeJwt(token)).toMatchObject({
      iss: 'kudak-staging',
      aud: 'kudak-x',
      sub: 'local-administrator',
      kudak: { role: 'administrator', org: 'Local development', country: 'IR', cities: ['*'] },
    });
    await expect(new TokenVerifierService(config).verify(token)).resolves.toMatchObject({ role: 'administrator' });
  });

  it('exits with 2, usage on stderr and nothing on stdout for a bad role', async () => {
    const stdout = capture();
    const stderr = capture();
    const sut = await runMintTokenCli(
      ['--role', 'mayor', '--country', 'IR', '--cities', 'isfahan'],
      env,
      stdout,
      stderr,
    );
    expect(sut).toBe(2);
    expect(stdout.text()).toBe('');
    expect(stderr.text()).toContain('mint-token: --role must be one of administrator, district_submitter, reviewer');
    expect(stderr.text()).toContain('Usage: npm run token --');
    expect(fs.existsSync(env.AUTH_LOCAL_KEY_DIR)).toBe(false);
  });

  it('mints a district_submitter bound to its districts, which the API reads back', async () => {
    const stdout = capture();
    const argv = [...SUBMITTER_IN_ISFAHAN, '--districts', 'district-1'];
    expect(await runMintTokenCli(argv, env, stdout, capture())).toBe(0);
    const verifier = new TokenVerifierService(KudakConfig.fromEnvironment(env));
    await expect(verifier.verify(stdout.text().trim())).resolves.toMatchObject({
      role: 'district_submitter',
      districts: ['district-1'],
    });
  });

  it('refuses a role outside ROLES when called as a function too', async () => {
    const config = KudakConfig.fromEnvironment(env);
    await expect(
      mintLocalToken({ role: 'mayor' as 'administrator', country: 'IR', cities: ['isfahan'] }, config),
    ).rejects.toThrow(InvalidIdentityClaimError);
  });

  it('refuses to mint when AUTH_JWKS_URL is set (tokens come from the identity provider)', async () => {
    const stdout = capture();
    const stderr = capture();
    const argv = ['--role', 'administrator', '--country', 'IR', '--cities', '*'];
    const sut = await runMintTokenCli(argv, { ...env, AUTH_JWKS_URL: 'https://id.example.org/jwks' }, stdout, stderr);
    expect({ code: sut, stdout: stdout.text() }).toEqual({ code: 1, stdout: '' });
    expect(stderr.text()).toContain('AUTH_JWKS_URL is set: tokens come from the identity provider');
    expect(fs.existsSync(env.AUTH_LOCAL_KEY_DIR)).toBe(false);
  });
});
