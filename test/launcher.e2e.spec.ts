import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

// `npm start`'s embedded default, as a user runs it: the built launcher starts the real dev
// server on a SQLite file, the worker and the API; Ctrl-C stops all three; the next start
// finds the same candidacy in the same state.
const launcherMain = path.resolve(__dirname, '..', 'dist', 'apps', 'launcher', 'main.js');

// Below the kernel's ephemeral range, where the dev server picks its own ports (scripts/free-ports.js).
function freePorts(count: number): number[] {
  const out = execFileSync(process.execPath, [
    path.resolve(__dirname, '..', 'scripts', 'free-ports.js'),
    String(count),
  ]);
  return out.toString().trim().split('\n').map(Number);
}

interface Launched {
  child: ChildProcess;
  output: () => string;
  exit: Promise<number | null>;
}

function launch(env: NodeJS.ProcessEnv): Launched {
  const rest = { ...process.env };
  delete rest.TEMPORAL_ADDRESS; // the launcher must use its embedded server, not the run's
  const child = spawn(process.execPath, [launcherMain], {
    env: { ...rest, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => out, exit };
}

async function waitFor(predicate: () => boolean, what: string, ms = 90_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('npm start (embedded default)', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kudak-launcher-'));
  let ports: { api: number; temporal: number; ui: number };
  let running: Launched | undefined;

  beforeAll(async () => {
    if (!fs.existsSync(launcherMain)) throw new Error(`${launcherMain} is missing: npm test builds it first`);
    const [apiPort, temporal, ui] = freePorts(3);
    ports = { api: apiPort, temporal, ui };
  });
  afterAll(async () => {
    if (running && running.child.exitCode === null) {
      running.child.kill('SIGINT');
      await running.exit;
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const start = async () => {
    running = launch({
      PORT: String(ports.api),
      TEMPORAL_DEV_PORT: String(ports.temporal),
      TEMPORAL_UI_PORT: String(ports.ui),
      KUDAK_DATA_DIR: dataDir,
      TEMPORAL_TASK_QUEUE: 'kudak-launcher-test',
    });
    const launched = running;
    // The last line of the ready banner: the lines before it (checked below) have all arrived.
    await waitFor(
      () => launched.output().includes('Press Ctrl-C to stop.') || launched.child.exitCode !== null,
      'ready',
    );
    expect(launched.output()).toContain('[kudak] ready');
    return launched;
  };
  const api = (p: string, init?: RequestInit) => fetch(`http://127.0.0.1:${ports.api}${p}`, init);
  // The command the launcher prints, run as a user would: a token from the data folder's local key.
  const mintToken = (launched: Launched) => {
    const command = /Token: +node (\S+) (.+)$/m.exec(launched.output());
    expect(command?.[1]).toBe(path.join('dist', 'apps', 'api', 'auth', 'mint-token.js'));
    const args = ['--role', 'administrator', '--country', 'IR', '--cities', '*'];
    expect(command?.[2]).toBe("--role administrator --country IR --cities '*'");
    const env = { ...process.env, KUDAK_DATA_DIR: dataDir };
    return execFileSync(process.execPath, [command![1], ...args], { env, encoding: 'utf8' }).trim();
  };

  it('serves health, runs a candidacy, stops cleanly on Ctrl-C and finds it again after a restart', async () => {
    const first = await start();
    expect(first.output()).toContain(`Temporal Web UI:  http://127.0.0.1:${ports.ui}`);
    expect(first.output()).toContain(`OpenAPI docs:     http://127.0.0.1:${ports.api}/docs`);
    expect(await (await api('/health')).json()).toMatchObject({ status: 'ok' });
    const ui = await fetch(`http://127.0.0.1:${ports.ui}/`);
    expect(ui.status).toBe(200);

    const authorization = `Bearer ${mintToken(first)}`;
    expect((await api('/candidacies/isfahan')).status).toBe(401);
    const created = await api('/candidacies', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization },
      body: JSON.stringify({
        cityId: 'isfahan',
        cityName: 'Isfahan',
        country: 'IR',
        districts: [{ id: 'd1', name: 'D1' }],
        contacts: [{ id: 'focal-point', name: 'Focal point', role: 'administrator', locale: 'fa' }],
        policy: { committee: { members: ['member-1'], quorum: 1 } },
      }),
    });
    const before = await created.json();
    expect({ status: created.status, body: before }).toMatchObject({ status: 201, body: { stage: 'COMMITMENT' } });

    first.child.kill('SIGINT');
    expect(await first.exit).toBe(0);
    expect(first.output()).toContain('[kudak] stopped');
    expect(first.output()).toMatch(/state: 'STOPPED'|STOPPED/);
    expect(fs.existsSync(path.join(dataDir, 'temporal.sqlite'))).toBe(true);
    expect(fs.existsSync(path.join(dataDir, 'kudak.sqlite'))).toBe(true);

    const second = await start();
    const after = await api('/candidacies/isfahan', { headers: { authorization } });
    expect(after.status).toBe(200);
    expect(await after.json()).toEqual(before);
    second.child.kill('SIGINT');
    expect(await second.exit).toBe(0);
  });

  it('refuses to start, and starts nothing, when a port it needs is taken', async () => {
    const [apiPort, temporal, ui] = freePorts(3);
    const squatter = net.createServer();
    await new Promise<void>((resolve) => squatter.listen(apiPort, '127.0.0.1', resolve));
    try {
      const launched = launch({
        PORT: String(apiPort),
        TEMPORAL_DEV_PORT: String(temporal),
        TEMPORAL_UI_PORT: String(ui),
        KUDAK_DATA_DIR: path.join(dataDir, 'taken'),
      });
      expect(await launched.exit).toBe(1);
      expect(launched.output()).toContain(
        `port already in use: 127.0.0.1:${apiPort} (the API; set PORT to use another)`,
      );
      expect(launched.output()).not.toContain('starting Temporal dev server');
      expect(fs.existsSync(path.join(dataDir, 'taken', 'temporal.sqlite'))).toBe(false);
    } finally {
      await new Promise((resolve) => squatter.close(resolve));
    }
  });
});
