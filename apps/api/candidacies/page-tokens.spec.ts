import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { KudakConfig } from '@kudak/config';
import { loadPageTokenSecret, PageTokens } from './page-tokens';

describe(PageTokens.name, () => {
  const raw = Buffer.from('{"CloseTime":"x","RunID":"r"}');
  const query = "WorkflowType = 'candidacyWorkflow' AND KudakCountry = 'IR'";
  let dataDir: string;
  beforeEach(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kudak-page-tokens-'));
  });
  afterEach(() => fs.rmSync(dataDir, { recursive: true, force: true }));
  const tokensIn = (dir: string, env: Record<string, string> = {}) =>
    new PageTokens(KudakConfig.fromEnvironment({ KUDAK_DATA_DIR: dir, ...env }));

  it('keeps a generated secret in KUDAK_DATA_DIR (0600): tokens survive a restart and work on every process', () => {
    const first = tokensIn(dataDir);
    first.onModuleInit();
    const file = path.join(dataDir, 'page-token.secret');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const token = first.encode(raw, query);
    // A restarted API, or another process on the same data directory.
    expect(tokensIn(dataDir).decode(token, query)).toEqual(raw);
    // Another data directory has another secret.
    const elsewhere = fs.mkdtempSync(path.join(os.tmpdir(), 'kudak-page-tokens-'));
    try {
      expect(tokensIn(elsewhere).decode(token, query)).toBeUndefined();
    } finally {
      fs.rmSync(elsewhere, { recursive: true, force: true });
    }
  });

  it('uses PAGE_TOKEN_SECRET when set, shared by processes on different machines', () => {
    const secret = { PAGE_TOKEN_SECRET: 'a-shared-secret-of-32-characters-or-more' };
    const token = tokensIn(dataDir, secret).encode(raw, query);
    const other = fs.mkdtempSync(path.join(os.tmpdir(), 'kudak-page-tokens-'));
    try {
      expect(tokensIn(other, secret).decode(token, query)).toEqual(raw);
    } finally {
      fs.rmSync(other, { recursive: true, force: true });
    }
    expect(fs.existsSync(path.join(dataDir, 'page-token.secret'))).toBe(false);
    expect(tokensIn(dataDir).decode(token, query)).toBeUndefined();
  });

  it('refuses an edited token, a token for another query and bytes it never issued', () => {
    const sut = tokensIn(dataDir);
    const token = Buffer.from(sut.encode(raw, query), 'base64url');
    const edited = Buffer.from(token);
    edited[edited.length - 1] ^= 1;
    expect(sut.decode(edited.toString('base64url'), query)).toBeUndefined();
    expect(sut.decode(token.toString('base64url'), `${query} AND KudakStage = 'ACCEDED'`)).toBeUndefined();
    expect(sut.decode(Buffer.alloc(64, 7).toString('base64url'), query)).toBeUndefined();
    expect(sut.decode('', query)).toBeUndefined();
  });

  it('stops with a clear message when the secret file is not one it wrote', () => {
    const file = path.join(dataDir, 'page-token.secret');
    fs.writeFileSync(file, 'not hex\n');
    expect(() => loadPageTokenSecret({ secretFile: file })).toThrow(
      `${file} is not a page-token secret (64 hex digits); delete it to generate one`,
    );
  });
});
