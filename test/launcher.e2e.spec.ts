import { execFileSync, spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

// `npm start`'s embedded default, as a user runs it: the built launcher starts the real dev
// server on a SQLite file, the worker and the API; Ctrl-C stops all three; the next start
// finds the same candidacy in the same state. Then `npm start` itself, as a process manager runs
// it: SIGINT or SIGTERM to npm's pid stops everything, also while it is still building.
const repoRoot = path.resolve(__dirname, '..');
const launcherMain = path.join(repoRoot, 'dist', 'apps', 'launcher', 'main.js');

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
  return spawnLogged(process.execPath, [launcherMain], env);
}

/** Runs a command with the launcher's environment; `detached` makes it a process group leader, as a service is. */
function spawnLogged(command: string, args: string[], env: NodeJS.ProcessEnv, options: SpawnOptions = {}): Launched {
  const rest = { ...process.env };
  delete rest.TEMPORAL_ADDRESS; // the launcher must use its embedded server, not the run's
  const child = spawn(command, args, {
    ...options,
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
  // Made in beforeAll, which (like afterAll, which removes it) runs only when a test here runs.
  let dataDir: string;
  let ports: { api: number; temporal: number; ui: number };
  let running: Launched | undefined;

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kudak-launcher-'));
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

  it('starts a worker or an API that was killed again, and loses nothing; then stops cleanly', async () => {
    const launched = await start();
    const authorization = `Bearer ${mintToken(launched)}`;
    const pidOf = (entry: string) =>
      descendantsOf(launched.child.pid!).find((row) => row.args.includes(path.join('dist', 'apps', entry, 'main.js')))
        ?.pid;
    const killAndAwaitRestart = async (entry: 'worker' | 'api', times: number) => {
      const before = pidOf(entry)!;
      process.kill(before, 'SIGKILL');
      await waitFor(
        () =>
          launched
            .output()
            .includes(`${entry} exited unexpectedly (killed by SIGKILL); starting it again (${times} of`),
        `${entry} restarted`,
      );
      await waitFor(() => (pidOf(entry) ?? before) !== before, `a new ${entry} process`);
    };

    // The worker killed, then a candidacy started: the new worker runs it (the state query needs one).
    await killAndAwaitRestart('worker', 1);
    const body = { cityId: 'shiraz', cityName: 'Shiraz', country: 'IR', districts: [{ id: 'd1', name: 'D1' }] };
    const created = await api('/candidacies', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization },
      body: JSON.stringify(body),
    });
    expect(created.status).toBe(201);
    // The API killed: started again on its port, it answers, and the candidacy is where it was.
    await killAndAwaitRestart('api', 1);
    let read: Response | undefined;
    const readable = async () => {
      read = await api('/candidacies/shiraz', { headers: { authorization } }).catch(() => undefined);
      return read?.status === 200;
    };
    const deadline = Date.now() + 60_000;
    while (!(await readable()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 300));
    expect(read?.status).toBe(200);
    expect(await read!.json()).toMatchObject({ cityId: 'shiraz', stage: 'COMMITMENT' });

    launched.child.kill('SIGINT');
    expect(await launched.exit).toBe(0);
    expect(launched.output()).toContain('[kudak] stopped');
    expect(pidOf('worker')).toBeUndefined();
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

interface ProcessRow {
  pid: number;
  ppid: number;
  args: string;
}

/** The processes below `pid` (children, grandchildren, …), from `ps`. */
function descendantsOf(pid: number): ProcessRow[] {
  const rows = execFileSync('ps', ['-A', '-o', 'pid=,ppid=,args='], { encoding: 'utf8' })
    .split('\n')
    .map((line) => /^\s*(\d+)\s+(\d+)\s+(.*)$/.exec(line))
    .filter((match): match is RegExpExecArray => match !== null)
    .map(([, child, parent, args]) => ({ pid: Number(child), ppid: Number(parent), args }));
  const found: ProcessRow[] = [];
  for (let parents = [pid]; parents.length > 0;) {
    const children = rows.filter((row) => parents.includes(row.ppid));
    found.push(...children);
    parents = children.map((row) => row.pid);
  }
  return found;
}

/**
 * The processes whose environment holds `entry` (Linux's /proc): with a data folder of the test's
 * own, every process of that start, also any started after a snapshot of the tree was taken.
 */
function processesWithEnvironment(entry: string): number[] {
  return fs
    .readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .filter((pid) => {
      try {
        return fs.readFileSync(`/proc/${pid}/environ`, 'latin1').split('\0').includes(entry);
      } catch {
        return false; // gone meanwhile, or not ours to read
      }
    })
    .map(Number);
}

/** Still running the command it ran when seen: not gone, not a zombie, not the pid reused. */
function stillRunning(row: ProcessRow): boolean {
  try {
    return execFileSync('ps', ['-o', 'args=', '-p', String(row.pid)], { encoding: 'utf8' }).trim() === row.args;
  } catch {
    return false; // ps exits non-zero when there is no such process
  }
}

/** Running and not a zombie. */
function isAlive(pid: number): boolean {
  try {
    return !execFileSync('ps', ['-o', 'stat=', '-p', String(pid)], { encoding: 'utf8' })
      .trim()
      .startsWith('Z');
  } catch {
    return false; // ps exits non-zero when there is no such process
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('npm start, stopped by a signal to npm (as systemd, pm2 or an IDE stop it)', () => {
  let scratch: string;
  let npm: Launched | undefined;
  let npmDataDir = '';
  let seen: ProcessRow[] = [];

  // On free ports, with a data folder and a task queue named after the test. `detached`: npm
  // leads a process group of its own, as under a process manager; nothing the test does reaches
  // it but the signal under test.
  const npmStart = (name: string, cwd = repoRoot) => {
    const [apiPort, temporal, ui] = freePorts(3);
    const dataDir = path.join(scratch, name);
    npmDataDir = dataDir;
    npm = spawnLogged(
      'npm',
      ['start'],
      {
        PORT: String(apiPort),
        TEMPORAL_DEV_PORT: String(temporal),
        TEMPORAL_UI_PORT: String(ui),
        KUDAK_DATA_DIR: dataDir,
        TEMPORAL_TASK_QUEUE: `kudak-npm-start-${name}`,
      },
      { cwd, detached: true },
    );
    return { npm, dataDir, apiPort, temporalPort: temporal };
  };
  // npm's exit code, and how long after the signal it came; 'still running' after 30 s.
  const signalAndTime = async (launched: Launched, signal: NodeJS.Signals) => {
    seen = descendantsOf(launched.child.pid!);
    const sent = Date.now();
    process.kill(launched.child.pid!, signal);
    const code = await Promise.race([launched.exit, sleep(30_000).then(() => 'still running')]);
    return { code, seconds: (Date.now() - sent) / 1000 };
  };
  // What is still running of a start: of the tree seen at the signal, and by its data folder.
  const leftOver = async (dataDir: string) => {
    const remaining = () => [
      ...seen.filter(stillRunning).map((row) => `${row.pid} ${row.args}`),
      ...processesWithEnvironment(`KUDAK_DATA_DIR=${dataDir}`)
        .filter(isAlive)
        .map((pid) => `${pid} (KUDAK_DATA_DIR=${dataDir})`),
    ];
    // The launcher waits for each child's exit before it exits; allow the system a moment to reap.
    for (let i = 0; i < 10 && remaining().length > 0; i++) await sleep(200);
    return remaining();
  };

  afterEach(() => {
    // Only when a test failed half-way: leave nothing running.
    const alive = npm?.child.exitCode === null ? descendantsOf(npm.child.pid!).map((row) => row.pid) : [];
    const started = npmDataDir ? processesWithEnvironment(`KUDAK_DATA_DIR=${npmDataDir}`) : [];
    const stillSeen = seen.filter(stillRunning).map((row) => row.pid);
    for (const pid of [...stillSeen, ...alive, ...started]) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // gone already
      }
    }
    if (npm?.child.exitCode === null) process.kill(-npm.child.pid!, 'SIGKILL');
    npm = undefined;
    npmDataDir = '';
    seen = [];
  });
  beforeAll(() => {
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'kudak-npm-start-'));
  });
  afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

  it.each(['SIGINT', 'SIGTERM'] as const)(
    '%s to npm drains the worker and stops all of it within seconds',
    async (signal) => {
      const { npm: started, dataDir, apiPort, temporalPort } = npmStart(signal);
      await waitFor(
        () => started.output().includes('Press Ctrl-C to stop.') || started.child.exitCode !== null,
        'ready',
      );
      expect(started.output()).toContain('[kudak] ready');
      // npm test built dist/ just before: the start must not build it again under the other tests.
      expect(started.output()).toContain('[build] dist/ is up to date with the sources: no build needed');
      // …and the worker loads the bundle that build made instead of bundling the workflows again.
      expect(started.output()).not.toContain('Workflow bundle created');

      const tree = descendantsOf(started.child.pid!);
      // No shell between npm and node: a shell would keep the forwarded signal from node.
      const direct = tree.filter((row) => row.ppid === started.child.pid).map((row) => row.args);
      expect(direct).toEqual([expect.stringMatching(/node .*scripts\/start\.js$/)]);
      for (const part of [/ server start-dev /, /apps\/worker\/main\.js$/, /apps\/api\/main\.js$/]) {
        expect(tree.filter((row) => part.test(row.args))).toHaveLength(1);
      }

      const { code, seconds } = await signalAndTime(started, signal);
      expect({ code, output: started.output() }).toMatchObject({ code: 0 });
      expect(seconds).toBeLessThan(10);
      expect(await leftOver(dataDir)).toEqual([]);
      expect(started.output()).toContain('[kudak] stopped');
      // The worker drained (in-flight tasks finished) before it stopped.
      expect(started.output()).toMatch(/state: 'DRAINED'[\s\S]*state: 'STOPPED'/);
      await expect(fetch(`http://127.0.0.1:${apiPort}/health`)).rejects.toThrow();
      await expect(portIsListening(temporalPort)).resolves.toBe(false);
    },
  );

  it('SIGTERM to npm while the launcher starts things stops what it started and starts nothing more', async () => {
    const { npm: started, dataDir } = npmStart('starting');
    await waitFor(
      () => started.output().includes('[kudak] starting Temporal dev server') || started.child.exitCode !== null,
      'the launch',
    );
    const { code, seconds } = await signalAndTime(started, 'SIGTERM');
    expect({ code, output: started.output() }).toMatchObject({ code: 0 });
    expect(seconds).toBeLessThan(10);
    // The processes seen at the signal, and any the launcher might have started after it.
    expect(await leftOver(dataDir)).toEqual([]);
    expect(started.output()).toContain('[kudak] stopped');
    expect(started.output()).not.toContain('[kudak] ready');
    // A start cut short by a stop is no failure to report.
    expect(started.output()).not.toMatch(/\[kudak\] (the Temporal dev server exited|not starting|Temporal at)/);
  });

  it('SIGINT to npm while it builds stops the build at once and launches nothing', async () => {
    // A copy of the tree without dist/, so that the start builds, in a dist/ of its own.
    const copy = path.join(scratch, 'tree');
    const notCopied = new Set(['node_modules', '.tools', 'dist', 'var', '.git', 'coverage']);
    fs.cpSync(repoRoot, copy, {
      recursive: true,
      filter: (source) => !notCopied.has(path.relative(repoRoot, source).split(path.sep)[0]),
    });
    for (const shared of ['node_modules', '.tools']) {
      const target = path.join(repoRoot, shared);
      if (fs.existsSync(target)) fs.symlinkSync(fs.realpathSync(target), path.join(copy, shared));
    }
    const { npm: started, dataDir } = npmStart('building', copy);
    await waitFor(
      () => started.output().includes('[build] compiling TypeScript') || started.child.exitCode !== null,
      'the build',
    );
    // Let nest build get going, so that there is a compiler to stop.
    await waitFor(() => descendantsOf(started.child.pid!).some((row) => / build$/.test(row.args)), 'nest build');

    const { code, seconds } = await signalAndTime(started, 'SIGINT');
    expect({ code, output: started.output() }).toMatchObject({ code: 128 + os.constants.signals.SIGINT });
    expect(seconds).toBeLessThan(10);
    expect(await leftOver(dataDir)).toEqual([]);
    expect(started.output()).toContain('[kudak] SIGINT: stopping the set-up and build steps');
    expect(started.output()).not.toContain('starting Temporal dev server');
    expect(fs.existsSync(path.join(copy, 'dist', '.kudak-build.json'))).toBe(false);
  });
});

function portIsListening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
