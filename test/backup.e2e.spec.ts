import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { EmbeddedStack } from './support/embedded-stack';

// `npm run backup` while the embedded stack runs and `npm run restore` into a new data folder: the
// stack started on the restored folder answers every candidacy, timeline, verification and dossier
// as the original did when the backup was taken (and the original's tokens still work there).

const dist = path.resolve(__dirname, '..', 'dist', 'apps', 'backup');
const CITIES = ['isfahan', 'tabriz'];

/** Runs `npm run backup` or `npm run restore` (the built script) on a data folder. */
function runTool(tool: 'backup' | 'restore', dataDir: string, args: string[]) {
  const env: NodeJS.ProcessEnv = { ...process.env, KUDAK_DATA_DIR: dataDir };
  for (const name of ['TEMPORAL_ADDRESS', 'DATABASE_URL', 'AUTH_LOCAL_KEY_DIR']) delete env[name];
  const run = spawnSync(process.execPath, [path.join(dist, `${tool}.cli.js`), ...args], { env, encoding: 'utf8' });
  return { code: run.status, output: `${run.stdout}${run.stderr}` };
}

interface DossierFile {
  name: string;
  bytes: number;
  sha256?: string;
}

/**
 * The dossier's manifest, read from the zip the API returns. The raw histories' checksums are left
 * out: the server orders the entries of a history's maps differently on every read (the same
 * history read twice from one running server has other bytes), so they are compared as parsed JSON
 * through `history/raw` instead.
 */
function dossierFiles(zip: Buffer, dir: string): DossierFile[] {
  const file = path.join(dir, `dossier-${process.hrtime.bigint()}.zip`);
  fs.writeFileSync(file, zip);
  const manifest = execFileSync(
    'python3',
    ['-c', 'import sys, zipfile; print(zipfile.ZipFile(sys.argv[1]).read("manifest.json").decode())', file],
    { encoding: 'utf8' },
  );
  return (JSON.parse(manifest) as { files: DossierFile[] }).files.map(({ name, bytes, sha256 }) =>
    name.startsWith('histories/') ? { name, bytes } : { name, bytes, sha256 },
  );
}

describe('npm run backup and npm run restore (embedded default)', () => {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'kudak-backup-'));
  const live = path.join(base, 'live');
  const backup = path.join(base, 'backup');
  const restored = path.join(base, 'restored');
  const stacks: EmbeddedStack[] = [];

  afterAll(async () => {
    for (const stack of stacks) await stack.stop();
    fs.rmSync(base, { recursive: true, force: true });
  });

  const start = async (dataDir: string) => {
    const stack = await EmbeddedStack.start(dataDir, 'kudak-backup-test');
    stacks.push(stack);
    return stack;
  };

  const call = async (stack: EmbeddedStack, token: string, route: string, body?: unknown) => {
    const res = await stack.fetch(route, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`${body === undefined ? 'GET' : 'POST'} ${route}: ${res.status} ${await res.text()}`);
    return res;
  };

  /** What the stack answers about every candidacy, as an auditor would read it. */
  const answers = async (stack: EmbeddedStack, token: string) => {
    const out: Record<string, unknown> = {
      list: await (await call(stack, token, '/candidacies?pageSize=100')).json(),
    };
    for (const city of CITIES) {
      out[city] = {
        state: await (await call(stack, token, `/candidacies/${city}`)).json(),
        timeline: await (await call(stack, token, `/candidacies/${city}/history?limit=100`)).json(),
        verification: await (await call(stack, token, `/candidacies/${city}/audit/verification`)).json(),
        histories: await (await call(stack, token, `/candidacies/${city}/history/raw`)).json(),
        dossier: dossierFiles(
          Buffer.from(await (await call(stack, token, `/candidacies/${city}/dossier`)).arrayBuffer()),
          base,
        ),
      };
    }
    return out;
  };

  /** Waits until the timelines stop growing: every activity of the decisions so far has run. */
  const settle = async (stack: EmbeddedStack, token: string) => {
    let previous = '';
    for (let tries = 0; tries < 60; tries++) {
      const now = JSON.stringify(
        await Promise.all(
          CITIES.map(
            async (city) =>
              ((await (await call(stack, token, `/candidacies/${city}/history?limit=100`)).json()) as { total: number })
                .total,
          ),
        ),
      );
      if (now === previous) return;
      previous = now;
      await new Promise((r) => setTimeout(r, 1500));
    }
    throw new Error('the timelines kept growing');
  };

  it('restores a backup taken while the engine runs, which then answers as the original did', async () => {
    const original = await start(live);
    const admin = original.token('administrator');
    for (const city of CITIES) {
      await call(original, admin, '/candidacies', {
        cityId: city,
        cityName: city[0].toUpperCase() + city.slice(1),
        country: 'IR',
        districts: [
          { id: 'd1', name: 'District 1' },
          { id: 'd2', name: 'District 2' },
        ],
        contacts: [{ id: 'focal-point', name: 'Focal point', role: 'administrator', locale: 'fa' }],
        policy: { committee: { members: ['member-1'], quorum: 1 } },
      });
      await call(original, admin, `/candidacies/${city}/memorandum`, { reason: 'MoU signed by the mayor and UNICEF' });
    }
    await call(original, admin, '/candidacies/isfahan/districts/d2/waiver', { reason: 'District merged into d1' });
    await settle(original, admin);
    const before = await answers(original, admin);
    expect(before.isfahan).toMatchObject({ verification: { ok: true }, state: { stage: 'DISTRICT_PLANNING' } });

    const backedUp = runTool('backup', live, ['--to', backup]);
    expect(backedUp).toMatchObject({ code: 0 });
    expect(backedUp.output).toMatch(/kudak\.sqlite: SQLite online backup/);
    expect(backedUp.output).toMatch(/temporal\.sqlite: SQLite online backup/);
    const manifest = JSON.parse(fs.readFileSync(path.join(backup, 'manifest.json'), 'utf8'));
    expect(manifest.files.map((f: { path: string }) => f.path)).toEqual(
      expect.arrayContaining([
        'kudak.sqlite',
        'temporal.sqlite',
        'auth/jwks.json',
        'auth/signing-key.private.jwk.json',
      ]),
    );
    expect(fs.statSync(path.join(backup, 'auth', 'signing-key.private.jwk.json')).mode & 0o777).toBe(0o600);

    // A running data folder is never overwritten.
    const intoRunning = runTool('restore', live, ['--from', backup, '--overwrite']);
    expect(intoRunning.code).toBe(1);
    expect(intoRunning.output).toContain(`KUDAK_DATA_DIR ${live} is in use`);

    // A decision after the backup: the restored folder must not have it.
    await call(original, admin, '/candidacies/tabriz/districts/d1/waiver', { reason: 'Taken after the backup' });
    expect(await original.stop()).toBe(0);

    const tampered = path.join(base, 'tampered');
    fs.cpSync(backup, tampered, { recursive: true });
    fs.appendFileSync(path.join(tampered, 'auth', 'jwks.json'), ' ');
    const fromTampered = runTool('restore', path.join(base, 'never'), ['--from', tampered]);
    expect(fromTampered.code).toBe(1);
    expect(fromTampered.output).toContain('auth/jwks.json: ');
    expect(fs.existsSync(path.join(base, 'never'))).toBe(false);

    const overStopped = runTool('restore', live, ['--from', backup]);
    expect(overStopped.code).toBe(1);
    expect(overStopped.output).toContain('is not empty');

    const restoredRun = runTool('restore', restored, ['--from', backup]);
    expect(restoredRun).toMatchObject({ code: 0 });
    const again = await start(restored);
    const after = await answers(again, admin);
    console.log(
      `[backup] ${manifest.files.length} files backed up while running; restored stack answers ` +
        `${CITIES.length} candidacies, ${CITIES.map((c) => (after[c] as { timeline: { total: number } }).timeline.total).join(' + ')} timeline entries as before`,
    );
    expect(after).toEqual(before);
    expect(await again.stop()).toBe(0);
  });
});
