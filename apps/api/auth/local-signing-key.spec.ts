import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createLocalJWKSet, jwtVerify, SignJWT } from 'jose';
import {
  ensureLocalSigningKey,
  loadLocalJwks,
  loadLocalPrivateKey,
  PRIVATE_KEY_FILE,
  PUBLIC_JWKS_FILE,
} from './local-signing-key';

describe('local signing key', () => {
  let root: string;
  let dir: string;

  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'kudak-key-'));
    dir = path.join(root, 'var', 'auth');
  });

  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it('creates an RS256 pair on first use: private JWK readable by the owner only, public JWKS with a kid', async () => {
    const sut = await loadLocalJwks(dir);

    expect(sut.keys).toHaveLength(1);
    const [key] = sut.keys;
    expect(key).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig', kid: expect.stringMatching(/^[\w-]{43}$/) });
    expect(key).not.toHaveProperty('d');
    expect(JSON.parse(fs.readFileSync(path.join(dir, PUBLIC_JWKS_FILE), 'utf8'))).toEqual(sut);
    if (process.platform !== 'win32') {
      expect(fs.statSync(path.join(dir, PRIVATE_KEY_FILE)).mode & 0o777).toBe(0o600);
    }
  });

  it('keeps the key across calls and signs what the public JWKS verifies', async () => {
    const first = await loadLocalJwks(dir);
    const { kid, privateKey } = await loadLocalPrivateKey(dir);
    expect(await loadLocalJwks(dir)).toEqual(first);
    expect(kid).toBe(first.keys[0].kid);

    const token = await new SignJWT({ sub: 'x' }).setProtectedHeader({ alg: 'RS256', kid }).sign(privateKey);
    await expect(jwtVerify(token, createLocalJWKSet(first))).resolves.toMatchObject({ payload: { sub: 'x' } });
  });

  it('agrees on one key when several start at once, leaving no temp files', async () => {
    const sut = await Promise.all(Array.from({ length: 6 }, () => ensureLocalSigningKey(dir)));
    const kids = new Set(sut.map((jwks) => jwks.keys[0].kid));
    expect(kids.size).toBe(1);
    expect((await loadLocalPrivateKey(dir)).kid).toBe([...kids][0]);
    expect(fs.readdirSync(dir).sort()).toEqual([PUBLIC_JWKS_FILE, PRIVATE_KEY_FILE].sort());
  });

  it('rewrites a missing or stale public JWKS from the private key', async () => {
    const original = await loadLocalJwks(dir);
    fs.rmSync(path.join(dir, PUBLIC_JWKS_FILE));
    expect(await loadLocalJwks(dir)).toEqual(original);
    fs.writeFileSync(path.join(dir, PUBLIC_JWKS_FILE), '{"keys":[]}');
    expect(await loadLocalJwks(dir)).toEqual(original);
  });

  it('says what to do with a private key file it cannot use', async () => {
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, PRIVATE_KEY_FILE), '{"kty":"oct","k":"c2VjcmV0"}');
    await expect(loadLocalJwks(dir)).rejects.toThrow('is not an RSA private JWK with a kid; delete it');
  });
});
