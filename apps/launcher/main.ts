// `npm start`: the embedded default. Launches the Temporal dev server (persistent SQLite file)
// unless TEMPORAL_ADDRESS names a cluster, then the worker and the API as their own processes,
// the same entry points production runs. Ctrl-C, or SIGINT or SIGTERM to this process (scripts/
// start.js runs it inside the process npm starts), drains the worker and stops all three in order.
// Once all three are up, one that dies on its own (a killed worker, say) is started again, a few
// times a minute at most: past that it would not come up anyway, and everything stops.
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { Connection } from '@temporalio/client';
import { KudakConfig } from '@kudak/config';
import {
  devServerArgs,
  missingTemporalBinaryMessage,
  resolveTemporalExecutable,
  temporalConnectionOptions,
} from '@kudak/temporal';
import { RestartBudget } from './restart-budget';

const log = (msg: string) => console.log(`[kudak] ${msg}`);
/** A moment before a process that died is started again: its port and files are let go. */
const RESTART_DELAY_MS = 1000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Managed {
  name: string;
  command: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  /** The running process; replaced when it is started again after dying on its own. */
  child: ChildProcess;
  /** Resolves when the process has ended, with how: `killed by SIGKILL`, `code 1`, `could not start: …`. */
  exited: Promise<string>;
  restarts: RestartBudget;
}

const managed: Managed[] = [];
let stopping: Promise<void> | undefined;
/** Set once all three answer: a process that dies after that is started again, one before stops it all. */
let ready = false;

function launch(name: string, command: string, args: string[], env: NodeJS.ProcessEnv): Managed {
  // A signal that arrives while the launcher is still starting things must not leave one running.
  if (stopping) throw new Error(`not starting ${name}: stopping`);
  const entry = { name, command, args, env, restarts: new RestartBudget() } as Managed;
  managed.push(entry);
  run(entry);
  return entry;
}

/** Starts the entry's process and watches it: a death nobody asked for restarts it or stops everything. */
function run(entry: Managed): void {
  // Own process group: Ctrl-C reaches only the launcher, which then stops the others in order.
  const child = spawn(entry.command, entry.args, { env: entry.env, stdio: 'inherit', detached: true });
  entry.child = child;
  entry.exited = new Promise<string>((resolve) => {
    child.once('exit', (code, signal) => resolve(signal ? `killed by ${signal}` : `code ${code}`));
    child.once('error', (err) => {
      console.error(`[kudak] could not start ${entry.name}: ${err.message}`);
      resolve(`could not start: ${err.message}`);
    });
  });
  void entry.exited.then(async (how) => {
    if (stopping) return;
    if (ready && entry.restarts.take()) {
      const { limit, windowMs } = entry.restarts;
      log(
        `${entry.name} exited unexpectedly (${how}); starting it again ` +
          `(${entry.restarts.taken()} of at most ${limit} restarts in ${windowMs / 1000} s)`,
      );
      await sleep(RESTART_DELAY_MS);
      if (!stopping) run(entry);
      return;
    }
    const why = ready ? `, after ${entry.restarts.limit} restarts within ${entry.restarts.windowMs / 1000} s` : '';
    console.error(`[kudak] ${entry.name} exited unexpectedly (${how})${why}; stopping`);
    void shutdown(1);
  });
}

async function stop(entry: Managed, timeoutMs: number): Promise<void> {
  if (entry.child.exitCode !== null || entry.child.signalCode !== null) return;
  entry.child.kill('SIGTERM');
  const done = await Promise.race([entry.exited.then(() => true), sleep(timeoutMs).then(() => false)]);
  if (!done) {
    console.error(`[kudak] ${entry.name} did not stop in ${timeoutMs} ms; killing it`);
    entry.child.kill('SIGKILL');
    await entry.exited;
  }
}

async function stopAll(): Promise<void> {
  log('stopping: API, then worker (draining), then Temporal');
  // Reverse start order: nothing accepted by the API is left without a worker or a server.
  for (const entry of [...managed].reverse()) await stop(entry, entry.name === 'temporal' ? 10_000 : 30_000);
  log('stopped');
}

/** Stops everything once, whoever asks first and however often; exits with the first caller's code. */
async function shutdown(code: number): Promise<never> {
  if (!stopping) {
    process.exitCode = code;
    stopping = stopAll();
  }
  await stopping;
  process.exit();
}

// Fails fast, before anything starts, when a port the launcher needs is taken: otherwise the API
// would die with EADDRINUSE only after Temporal and the worker were up.
async function portIsFree(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, host, () => probe.close(() => resolve(true)));
  });
}

async function checkPorts(config: KudakConfig, embedded: boolean): Promise<void> {
  const wanted = [{ what: 'the API', variable: 'PORT', host: config.http.host, port: config.http.port }];
  if (embedded) {
    const { ip, port, uiPort } = config.devServer;
    wanted.push({ what: 'the Temporal dev server', variable: 'TEMPORAL_DEV_PORT', host: ip, port });
    wanted.push({ what: 'the Temporal Web UI', variable: 'TEMPORAL_UI_PORT', host: ip, port: uiPort });
  }
  const taken: string[] = [];
  for (const { what, variable, host, port } of wanted) {
    if (!(await portIsFree(host, port))) taken.push(`${host}:${port} (${what}; set ${variable} to use another)`);
  }
  if (taken.length > 0) throw new Error(`port already in use: ${taken.join(', ')}`);
}

async function waitForTemporal(config: KudakConfig, server?: Managed): Promise<void> {
  const deadline = Date.now() + 60_000;
  let lastError: unknown;
  while (Date.now() < deadline) {
    if (server && server.child.exitCode !== null) throw new Error('the Temporal dev server exited during start-up');
    try {
      const connection = await Connection.connect({
        ...temporalConnectionOptions(config.temporal),
        connectTimeout: 2000,
      });
      try {
        await connection.workflowService.describeNamespace({ namespace: config.temporal.namespace });
        return;
      } finally {
        await connection.close();
      }
    } catch (err) {
      lastError = err;
      await sleep(300);
    }
  }
  throw new Error(`Temporal at ${config.temporal.address} is not ready: ${(lastError as Error)?.message}`);
}

// Ready means the worker polls: the API alone would accept candidacies no one runs yet. Its own
// identity (the SDK's default, pid@host) tells it from pollers of earlier runs, which the server
// keeps listing for a few minutes.
async function waitForWorker(config: KudakConfig, worker: Managed): Promise<void> {
  const { namespace, taskQueue } = config.temporal;
  const identity = `${worker.child.pid}@${os.hostname()}`;
  const connection = await Connection.connect(temporalConnectionOptions(config.temporal));
  try {
    // Generous: the first bundling of the workflows on a slow machine.
    const deadline = Date.now() + 120_000;
    let lastError: unknown;
    while (Date.now() < deadline && worker.child.exitCode === null && !stopping) {
      try {
        const { pollers } = await connection.workflowService.describeTaskQueue({
          namespace,
          taskQueue: { name: taskQueue },
        });
        if (pollers?.some((poller) => poller.identity === identity)) return;
      } catch (err) {
        lastError = err;
      }
      await sleep(300);
    }
    const why = lastError ? ` (${(lastError as Error).message})` : '';
    throw new Error(`the worker did not start polling the task queue ${taskQueue}${why}`);
  } finally {
    await connection.close();
  }
}

async function waitForApi(url: string, api: Managed): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline && api.child.exitCode === null) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await sleep(300);
  }
  throw new Error(`the API did not become healthy at ${url}`);
}

function startDevServer(config: KudakConfig): Managed {
  const { executable, tried } = resolveTemporalExecutable('cli');
  if (executable.type !== 'existing-path') {
    // The launcher runs the CLI itself; the SDK download path is only for tests' ephemeral servers.
    console.error(missingTemporalBinaryMessage('cli', tried, 'no Temporal CLI binary found'));
    process.exit(1);
  }
  fs.mkdirSync(path.dirname(config.devServer.dbFile), { recursive: true });
  const { ip, port, dbFile } = config.devServer;
  const args = devServerArgs({ ...config.devServer, namespace: config.temporal.namespace });
  log(`starting Temporal dev server on ${ip}:${port} (data: ${path.relative(process.cwd(), dbFile)})`);
  return launch('temporal', executable.path, args, process.env);
}

async function main(): Promise<void> {
  const config = KudakConfig.fromEnvironment();
  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));

  const embedded = !config.temporal.externalAddress;
  await checkPorts(config, embedded);
  const server = embedded ? startDevServer(config) : undefined;
  if (!embedded) log(`using the Temporal cluster at ${config.temporal.address} (nothing launched)`);
  await waitForTemporal(config, server);

  const dist = path.resolve(__dirname, '..', '..');
  const env = { ...process.env, TEMPORAL_ADDRESS: config.temporal.address };
  const worker = launch('worker', process.execPath, [path.join(dist, 'apps', 'worker', 'main.js')], env);
  const api = launch('api', process.execPath, [path.join(dist, 'apps', 'api', 'main.js')], env);
  const apiUrl = `http://${config.http.host}:${config.http.port}`;
  await Promise.all([waitForApi(`${apiUrl}/health`, api), waitForWorker(config, worker)]);

  ready = true;
  log('ready');
  // The API serves the console when it is built (CONSOLE_DIR); say so only then.
  if (fs.existsSync(path.join(config.console.dir, 'index.html'))) log(`  Console:          ${apiUrl}/`);
  log(`  API:              ${apiUrl}`);
  log(`  OpenAPI docs:     ${apiUrl}/docs (JSON: ${apiUrl}/docs/json)`);
  if (embedded) log(`  Temporal Web UI:  http://${config.devServer.ip}:${config.devServer.uiPort}`);
  log(`  Temporal:         ${config.temporal.address} namespace=${config.temporal.namespace}`);
  // Every route but /health needs a bearer token: say where one comes from. The built script, not
  // `npm run token`, whose rebuild would empty dist/ under the running processes.
  if (config.auth.mode === 'local') {
    const minter = path.relative(process.cwd(), path.join(dist, 'apps', 'api', 'auth', 'mint-token.js'));
    log(`  Token:            node ${minter} --role administrator --country IR --cities '*'`);
  } else {
    log(`  Tokens:           from the identity provider (keys at ${config.auth.jwksUrl})`);
  }
  log('Press Ctrl-C to stop.');
}

main().catch(async (err: unknown) => {
  // A start cut short by a stop request fails on the way; that is no error of its own.
  if (!stopping) console.error(`[kudak] ${(err as Error)?.message ?? err}`);
  await shutdown(1);
});
