import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

// The README's "A first candidacy" runs as written, against the real stack `npm start` runs: the
// built launcher with its embedded dev server, the worker and the API. Only the ports differ: the
// README says localhost:3000 and the temporal CLI's default 127.0.0.1:7233, this test takes free
// ports (so it runs beside other servers) and puts them in the commands and in TEMPORAL_ADDRESS.
const root = path.resolve(__dirname, '..');
const launcherMain = path.join(root, 'dist', 'apps', 'launcher', 'main.js');
const SECTION = '## A first candidacy';

/** The fenced `sh` blocks of one README section, in order. */
function readmeBlocks(section: string): string[] {
  const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
  const start = readme.indexOf(`\n${section}\n`);
  if (start < 0) throw new Error(`README.md has no section "${section}"`);
  const end = readme.indexOf('\n## ', start + section.length + 2);
  const text = readme.slice(start, end < 0 ? undefined : end);
  return [...text.matchAll(/^```sh\n([\s\S]*?)^```$/gm)].map((m) => m[1]);
}

/** Runs a bash script without blocking the event loop (the launcher's output keeps draining). */
function bash(
  script: string,
  env: NodeJS.ProcessEnv,
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-c', script], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.once('error', reject);
    child.once('close', (status) => resolve({ status, stdout, stderr }));
  });
}

describe('README: a first candidacy', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kudak-readme-'));
  const [apiPort, temporalPort, uiPort] = execFileSync(process.execPath, [
    path.join(root, 'scripts', 'free-ports.js'),
    '3',
  ])
    .toString()
    .trim()
    .split('\n')
    .map(Number);
  let launcher: ChildProcess | undefined;
  let output = '';

  beforeAll(async () => {
    if (!fs.existsSync(launcherMain)) throw new Error(`${launcherMain} is missing: npm test builds it first`);
    const env = { ...process.env };
    delete env.TEMPORAL_ADDRESS; // the launcher must run its embedded server, not use the run's
    launcher = spawn(process.execPath, [launcherMain], {
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
    launcher.stdout!.on('data', (d: Buffer) => (output += d.toString()));
    launcher.stderr!.on('data', (d: Buffer) => (output += d.toString()));
    for (const deadline = Date.now() + 150_000; ;) {
      if (launcher.exitCode !== null) throw new Error(`the launcher exited:\n${output}`);
      const health = await fetch(`http://127.0.0.1:${apiPort}/health`).catch(() => undefined);
      if (health?.ok) break;
      if (Date.now() > deadline) throw new Error(`the stack did not become healthy:\n${output}`);
      await new Promise((r) => setTimeout(r, 500));
    }
  }, 180_000);

  afterAll(async () => {
    if (launcher && launcher.exitCode === null) {
      const exited = new Promise((resolve) => launcher!.once('exit', resolve));
      launcher.kill('SIGINT'); // the launcher stops the API, drains the worker, stops the server
      await exited;
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
  }, 90_000);

  it('every command of the section succeeds, and the candidacy exists afterwards', async () => {
    const blocks = readmeBlocks(SECTION);
    expect(blocks.length).toBeGreaterThan(0);
    const script = [
      'set -euo pipefail',
      ...blocks.flatMap((block, i) => [
        `printf '\\n::readme-block ${i + 1}\\n'`, // on a line of its own: curl prints no final newline
        block.replaceAll('localhost:3000', `localhost:${apiPort}`),
      ]),
      `printf '\\n::readme-done\\n'`,
    ].join('\n');
    // One shell, so a variable a block sets (the token) reaches the blocks after it, as in a terminal.
    const run = await bash(script, {
      ...process.env,
      KUDAK_DATA_DIR: dataDir,
      TEMPORAL_ADDRESS: `127.0.0.1:${temporalPort}`,
    });
    const transcript = `${run.stdout}\n${run.stderr}`;
    const reached = [...run.stdout.matchAll(/^::readme-block (\d+)$/gm)].map((m) => Number(m[1]));
    // On failure the transcript says which block stopped and what it printed.
    expect({ status: run.status, reached, done: run.stdout.includes('::readme-done'), transcript }).toEqual({
      status: 0,
      reached: blocks.map((_, i) => i + 1),
      done: true,
      transcript,
    });
    expect(run.stdout).toContain('"workflowId":"candidacy-isfahan"'); // the README's GET

    // The candidacy the README started, read back with a token of another role.
    const token = execFileSync(
      process.execPath,
      ['dist/apps/api/auth/mint-token.js', '--role', 'auditor', '--country', 'IR', '--cities', 'isfahan'],
      { cwd: root, env: { ...process.env, KUDAK_DATA_DIR: dataDir }, encoding: 'utf8' },
    ).trim();
    const read = await fetch(`http://127.0.0.1:${apiPort}/candidacies/isfahan`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect({ status: read.status, body: await read.json() }).toMatchObject({
      status: 200,
      body: { workflowId: 'candidacy-isfahan', cityId: 'isfahan', stage: 'COMMITMENT' },
    });
  });
});
