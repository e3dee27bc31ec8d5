import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const root = path.resolve(__dirname, '..', '..');
const launcherMain = path.join(root, 'dist', 'apps', 'launcher', 'main.js');

/** `npm start`'s embedded stack, launched as a user launches it, on free ports and a data folder of its own. */
export interface LaunchedStack {
  apiPort: number;
  temporalPort: number;
  /** The stack's KUDAK_DATA_DIR (its local signing key is in `auth/` there). */
  dataDir: string;
  /** What the launcher has printed so far. */
  output(): string;
  /** Ctrl-C: the launcher stops the API, drains the worker, stops the server; the data folder goes. */
  stop(): Promise<void>;
}

/** Starts the built launcher (dist/apps/launcher/main.js) and resolves once the API is healthy. */
export async function launchStack(prefix: string): Promise<LaunchedStack> {
  if (!fs.existsSync(launcherMain)) throw new Error(`${launcherMain} is missing: npm test builds it first`);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `${prefix}-`));
  const [apiPort, temporalPort, uiPort] = execFileSync(process.execPath, [
    path.join(root, 'scripts', 'free-ports.js'),
    '3',
  ])
    .toString()
    .trim()
    .split('\n')
    .map(Number);
  const env = { ...process.env };
  delete env.TEMPORAL_ADDRESS; // the launcher must run its embedded server, not use the run's
  const launcher: ChildProcess = spawn(process.execPath, [launcherMain], {
    cwd: root,
    env: {
      ...env,
      PORT: String(apiPort),
      TEMPORAL_DEV_PORT: String(temporalPort),
      TEMPORAL_UI_PORT: String(uiPort),
      KUDAK_DATA_DIR: dataDir,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  launcher.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  launcher.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const stop = async () => {
    if (launcher.exitCode === null) {
      const exited = new Promise((resolve) => launcher.once('exit', resolve));
      launcher.kill('SIGINT');
      await exited;
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
  for (const deadline = Date.now() + 150_000; ;) {
    if (launcher.exitCode !== null) {
      await stop();
      throw new Error(`the launcher exited:\n${output}`);
    }
    const health = await fetch(`http://127.0.0.1:${apiPort}/health`).catch(() => undefined);
    if (health?.ok) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`the stack did not become healthy:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  return { apiPort, temporalPort, dataDir, output: () => output, stop };
}

/** Runs a bash script in the tree without blocking the event loop (the launcher's output keeps draining). */
export function bash(
  script: string,
  env: NodeJS.ProcessEnv,
  args: string[] = ['-c'],
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [...args, script], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.once('error', reject);
    child.once('close', (status) => resolve({ status, stdout, stderr }));
  });
}

/** A bearer token for the stack, minted as its users mint them (the CLI, the data folder's key). */
export function mintToken(stack: LaunchedStack, args: string[]): string {
  return execFileSync(process.execPath, ['dist/apps/api/auth/mint-token.js', ...args], {
    cwd: root,
    env: { ...process.env, KUDAK_DATA_DIR: stack.dataDir },
    encoding: 'utf8',
  }).trim();
}
