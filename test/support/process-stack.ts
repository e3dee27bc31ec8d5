import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { Client, Connection } from '@temporalio/client';
import { KudakConfig } from '@kudak/config';
import { devServerArgs, resolveTemporalExecutable } from '@kudak/temporal';
import { mintLocalToken, type MintTokenOptions } from '../../apps/api/auth/mint-token';

/** The project's root: two folders up from test/support, three from its build in dist/ (the load benchmark). */
const root = [path.resolve(__dirname, '..', '..'), path.resolve(__dirname, '..', '..', '..')].find((dir) =>
  fs.existsSync(path.join(dir, 'package.json')),
)!;
const dist = path.join(root, 'dist');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Distinct free ports below the ephemeral range (see scripts/free-ports.js). */
export function freePorts(count: number): number[] {
  return execFileSync(process.execPath, [path.join(root, 'scripts', 'free-ports.js'), String(count)])
    .toString()
    .trim()
    .split('\n')
    .map(Number);
}

/** Polls `ready` every 200 ms until it is true; throws naming `what` after `ms`. */
export async function waitUntil(what: string, ms: number, ready: () => boolean | Promise<boolean>): Promise<number> {
  const started = Date.now();
  while (!(await ready())) {
    if (Date.now() - started > ms) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await sleep(200);
  }
  return Date.now() - started;
}

/** One service of the stack as its own process, started again and killed by its pid. */
export class ServiceProcess {
  private child?: ChildProcess;
  private exited: Promise<void> = Promise.resolve();
  private log = '';
  private stopped = false;
  /** Pids this service has run as, in order. */
  readonly pids: number[] = [];

  constructor(
    readonly name: string,
    private readonly command: string,
    private readonly args: string[],
    private readonly env: NodeJS.ProcessEnv,
  ) {}

  start(): void {
    if (this.stopped) throw new Error(`${this.name} has been stopped for good`);
    if (this.running()) throw new Error(`${this.name} is already running (pid ${this.child!.pid})`);
    const child = spawn(this.command, this.args, { env: this.env, stdio: ['ignore', 'pipe', 'pipe'] });
    const keep = (d: Buffer) => (this.log += d.toString());
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
    this.child = child;
    this.pids.push(child.pid!);
    this.log += `\n--- ${this.name} started, pid ${child.pid}\n`;
  }

  running(): boolean {
    return !!this.child && this.child.exitCode === null && this.child.signalCode === null;
  }

  get pid(): number | undefined {
    return this.running() ? this.child!.pid : undefined;
  }

  /** Sends the signal to the process's pid and waits until it has exited (SIGKILL after `ms`). */
  async kill(signal: NodeJS.Signals = 'SIGKILL', ms = 30_000): Promise<void> {
    if (!this.running()) return;
    const pid = this.child!.pid!;
    process.kill(pid, signal);
    const timer = setTimeout(() => this.running() && process.kill(pid, 'SIGKILL'), ms);
    await this.exited;
    clearTimeout(timer);
    this.log += `\n--- ${this.name} pid ${pid} ended by ${signal}\n`;
  }

  /** Stops it for good (SIGTERM, then SIGKILL after `ms`): a fault loop still running cannot start it again. */
  async stop(ms = 15_000): Promise<void> {
    this.stopped = true;
    await this.kill('SIGTERM', ms);
  }

  /** Everything the service printed, across its restarts. */
  output(): string {
    return this.log;
  }
}

export interface ProcessStackOptions {
  /** The task queue's name, distinct per test file. */
  name: string;
  smtpUrl?: string;
  /** An already running Temporal (a cluster) instead of a dev server of the stack's own. */
  temporalAddress?: string;
}

/**
 * The embedded default's three services, each its own process as `npm start` runs them from
 * dist/ (the launcher itself would stop all three when one dies): the Temporal dev server on its
 * SQLite file `temporal.sqlite` in a throwaway KUDAK_DATA_DIR, the worker, and the API. A fault
 * test kills any of them by pid and starts it again on the same files and ports.
 */
export class ProcessStack {
  readonly temporal: ServiceProcess;
  readonly worker: ServiceProcess;
  readonly api: ServiceProcess;
  /** The dev server's SQLite file, KUDAK_DATA_DIR/temporal.sqlite. */
  readonly temporalDbFile: string;
  private client?: Client;
  private database?: Database.Database;

  private constructor(
    readonly dataDir: string,
    readonly ports: { api: number; temporal: number },
    private readonly options: ProcessStackOptions,
  ) {
    const inherited = { ...process.env };
    // Its own dev server and database, in the data folder, and its own local signing key.
    for (const name of ['TEMPORAL_ADDRESS', 'DATABASE_URL', 'AUTH_LOCAL_KEY_DIR', 'SMTP_URL', 'NODE_ENV']) {
      delete inherited[name];
    }
    const env: NodeJS.ProcessEnv = {
      ...inherited,
      KUDAK_DATA_DIR: dataDir,
      TEMPORAL_ADDRESS: this.temporalAddress,
      TEMPORAL_TASK_QUEUE: `kudak-${options.name}`,
      PORT: String(ports.api),
      // Fault tests send many requests from one address: the rate limits are not what they test.
      RATE_LIMIT_PER_MINUTE: '1000000',
      RATE_LIMIT_PER_CALLER_PER_MINUTE: '1000000',
      ...(options.smtpUrl ? { SMTP_URL: options.smtpUrl } : {}),
    };
    const { executable } = resolveTemporalExecutable('cli');
    if (executable.type !== 'existing-path') throw new Error('no Temporal CLI binary: run npm run setup');
    // Where and how the launcher runs it, from the same configuration (headless: no Web UI to serve).
    const config = KudakConfig.fromEnvironment({ KUDAK_DATA_DIR: dataDir, TEMPORAL_DEV_PORT: ports.temporal });
    this.temporalDbFile = config.devServer.dbFile;
    const args = devServerArgs({ ...config.devServer, uiPort: undefined, namespace: config.temporal.namespace });
    this.temporal = new ServiceProcess('temporal', executable.path, args, env);
    // The worker as production runs it, on the bundle `npm run build` made: a restart takes seconds,
    // not a new webpack build. (Production requires an identity provider's URL; the worker never reads it.)
    this.worker = new ServiceProcess('worker', process.execPath, [path.join(dist, 'apps', 'worker', 'main.js')], {
      ...env,
      NODE_ENV: 'production',
      WORKFLOW_BUNDLE_PATH: path.join(dist, 'workflow-bundle.js'),
      AUTH_JWKS_URL: 'http://127.0.0.1:9/unused-by-the-worker.json',
    });
    this.api = new ServiceProcess('api', process.execPath, [path.join(dist, 'apps', 'api', 'main.js')], env);
  }

  get temporalAddress(): string {
    return this.options.temporalAddress ?? `127.0.0.1:${this.ports.temporal}`;
  }

  get appDbFile(): string {
    return path.join(this.dataDir, 'kudak.sqlite');
  }

  /** Starts the dev server (unless Temporal is given), the worker and the API, each once the one before it is ready. */
  static async start(options: ProcessStackOptions): Promise<ProcessStack> {
    for (const built of ['apps/worker/main.js', 'apps/api/main.js', 'workflow-bundle.js']) {
      if (!fs.existsSync(path.join(dist, built))) throw new Error(`dist/${built} is missing: build first`);
    }
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `kudak-${options.name}-`));
    const [api, temporal] = freePorts(2);
    const stack = new ProcessStack(dataDir, { api, temporal }, options);
    try {
      if (!options.temporalAddress) await stack.startTemporal();
      await stack.startWorker();
      await stack.startApi();
    } catch (err) {
      await stack.stop();
      throw err;
    }
    return stack;
  }

  /** Starts the dev server on the data folder's SQLite file; resolves once it answers (ms taken). */
  async startTemporal(): Promise<number> {
    this.temporal.start();
    return waitUntil('the Temporal dev server', 60_000, async () => {
      if (!this.temporal.running()) throw new Error(`the dev server exited:\n${this.temporal.output()}`);
      try {
        const connection = await Connection.connect({ address: this.temporalAddress, connectTimeout: 2000 });
        try {
          await connection.workflowService.describeNamespace({ namespace: 'default' });
          return true;
        } finally {
          await connection.close();
        }
      } catch {
        return false;
      }
    });
  }

  /** Starts the worker; resolves once it polls its task queue (ms taken). */
  async startWorker(): Promise<number> {
    const polling = () => this.worker.output().split('Worker polling').length - 1;
    const before = polling();
    this.worker.start();
    return waitUntil('the worker to poll', 60_000, () => {
      if (!this.worker.running()) throw new Error(`the worker exited:\n${this.worker.output()}`);
      return polling() > before;
    });
  }

  /** Starts the API; resolves once it listens (ms taken). */
  async startApi(): Promise<number> {
    this.api.start();
    return waitUntil('the API to listen', 60_000, async () => {
      if (!this.api.running()) throw new Error(`the API exited:\n${this.api.output()}`);
      try {
        await this.fetch('/health');
        return true;
      } catch {
        return false;
      }
    });
  }

  /** A bearer token from the data folder's local signing key, as `npm run token` mints it. */
  async token(options: Partial<MintTokenOptions> & Pick<MintTokenOptions, 'role'>): Promise<string> {
    const config = KudakConfig.fromEnvironment({ KUDAK_DATA_DIR: this.dataDir });
    return mintLocalToken({ country: 'IR', cities: ['*'], ...options }, config);
  }

  /** A request to the API, given up after `timeoutMs` (default 30 s) so a hang cannot stall a test. */
  fetch(route: string, init: RequestInit & { timeoutMs?: number } = {}): Promise<Response> {
    const { timeoutMs = 30_000, ...rest } = init;
    return fetch(`http://127.0.0.1:${this.ports.api}${route}`, { ...rest, signal: AbortSignal.timeout(timeoutMs) });
  }

  /** A Temporal client of the stack's dev server (for histories), connected on first use. */
  async temporalClient(): Promise<Client> {
    this.client ??= new Client({ connection: await Connection.connect({ address: this.temporalAddress }) });
    return this.client;
  }

  /** The app database, read-only, as the worker and the API left it (WAL: readers never wait). */
  query<T>(sql: string, ...params: unknown[]): T[] {
    this.database ??= new Database(this.appDbFile, { readonly: true, fileMustExist: true });
    return this.database.prepare(sql).all(...params) as T[];
  }

  /** Stops the API, the worker and the dev server (SIGTERM, SIGKILL if they hang), then removes the data folder. */
  async stop(): Promise<void> {
    await this.client?.connection.close().catch(() => undefined);
    this.database?.close();
    for (const service of [this.api, this.worker, this.temporal]) await service.stop();
    fs.rmSync(this.dataDir, { recursive: true, force: true });
  }

  /** What every service printed, for a failing test's message. */
  output(): string {
    return [this.temporal, this.worker, this.api].map((s) => `=== ${s.name}\n${s.output().slice(-6000)}`).join('\n');
  }
}
