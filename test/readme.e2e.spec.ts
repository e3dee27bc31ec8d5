import * as fs from 'node:fs';
import * as path from 'node:path';
import { bash, launchStack, mintToken, type LaunchedStack } from './support/launched-stack';

// The README's "A first candidacy" runs as written, against the real stack `npm start` runs: the
// built launcher with its embedded dev server, the worker and the API. Only the ports differ: the
// README says localhost:3000 and the temporal CLI's default 127.0.0.1:7233, this test takes free
// ports (so it runs beside other servers) and puts them in the commands and in TEMPORAL_ADDRESS.
const root = path.resolve(__dirname, '..');
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

describe('README: a first candidacy', () => {
  let stack: LaunchedStack;

  beforeAll(async () => {
    stack = await launchStack('kudak-readme');
  }, 180_000);

  afterAll(async () => {
    await stack?.stop();
  }, 90_000);

  it('every command of the section succeeds, and the candidacy exists afterwards', async () => {
    const blocks = readmeBlocks(SECTION);
    expect(blocks.length).toBeGreaterThan(0);
    const script = [
      'set -euo pipefail',
      ...blocks.flatMap((block, i) => [
        `printf '\\n::readme-block ${i + 1}\\n'`, // on a line of its own: curl prints no final newline
        block.replaceAll('localhost:3000', `localhost:${stack.apiPort}`),
      ]),
      `printf '\\n::readme-done\\n'`,
    ].join('\n');
    // One shell, so a variable a block sets (the token) reaches the blocks after it, as in a terminal.
    const run = await bash(script, {
      ...process.env,
      KUDAK_DATA_DIR: stack.dataDir,
      TEMPORAL_ADDRESS: `127.0.0.1:${stack.temporalPort}`,
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
    const token = mintToken(stack, ['--role', 'auditor', '--country', 'IR', '--cities', 'isfahan']);
    const read = await fetch(`http://127.0.0.1:${stack.apiPort}/candidacies/isfahan`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect({ status: read.status, body: await read.json() }).toMatchObject({
      status: 200,
      body: { workflowId: 'candidacy-isfahan', cityId: 'isfahan', stage: 'COMMITMENT' },
    });
  });
});
