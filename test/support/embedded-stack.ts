import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { freePorts } from './process-stack';

const root = path.resolve(__dirname, '..', '..');

/** The embedded default as `npm start` runs it from dist/: dev server, worker and API, as processes. */
export class EmbeddedStack {
  private log = '';
  private readonly child: ChildProcess;
  private readonly exited: Promise<number | null>;

  private constructor(
    readonly dataDir: string,
    readonly apiPort: number,
    env: NodeJS.ProcessEnv,
  ) {
    const inherited = { ...process.env };
    delete inherited.TEMPORAL_ADDRESS; // its own embedded server, not the test run's
    delete inherited.DATABASE_URL; // its own database, in the data folder
    delete inherited.AUTH_LOCAL_KEY_DIR;
    this.child = spawn(process.execPath, [path.join(root, 'dist', 'apps', 'launcher', 'main.js')], {
      env: { ...inherited, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child.stdout!.on('data', (d: Buffer) => (this.log += d.toString()));
    this.child.stderr!.on('data', (d: Buffer) => (this.log += d.toString()));
    this.exited = new Promise((resolve) => this.child.once('exit', (code) => resolve(code)));
  }

  /** Starts the stack on a data folder with free ports; resolves once it says it is ready. */
  static async start(dataDir: string, taskQueue: string): Promise<EmbeddedStack> {
    const [api, temporal, ui] = freePorts(3);
    const stack = new EmbeddedStack(dataDir, api, {
      PORT: String(api),
      TEMPORAL_DEV_PORT: String(temporal),
      TEMPORAL_UI_PORT: String(ui),
      KUDAK_DATA_DIR: dataDir,
      TEMPORAL_TASK_QUEUE: taskQueue,
    });
    const deadline = Date.now() + 120_000;
    while (!stack.log.includes('Press Ctrl-C to stop.')) {
      if (stack.child.exitCode !== null || Date.now() > deadline) {
        await stack.stop();
        throw new Error(`the embedded stack did not start:\n${stack.log}`);
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    return stack;
  }

  /** A token from the data folder's local signing key, by the built script the launcher names. */
  token(role: string): string {
    const minter = path.join(root, 'dist', 'apps', 'api', 'auth', 'mint-token.js');
    const args = ['--role', role, '--country', 'IR', '--cities', '*'];
    const env: NodeJS.ProcessEnv = { ...process.env, KUDAK_DATA_DIR: this.dataDir };
    delete env.AUTH_LOCAL_KEY_DIR;
    return execFileSync(process.execPath, [minter, ...args], { env, encoding: 'utf8' }).trim();
  }

  fetch(route: string, init?: RequestInit): Promise<Response> {
    return fetch(`http://127.0.0.1:${this.apiPort}${route}`, init);
  }

  /** Ctrl-C, as a user stops it; resolves with the launcher's exit code. */
  async stop(): Promise<number | null> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGINT');
    return this.exited;
  }

  output(): string {
    return this.log;
  }
}
