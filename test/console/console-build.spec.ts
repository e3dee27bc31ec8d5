import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { promisify } from 'node:util';

// The console as built (npm test builds first): its API types are what the API's OpenAPI document
// gives now (never edited by hand), and each first load stays within the JavaScript budget.
const run = promisify(execFile);
const root = path.resolve(__dirname, '..', '..');
const script = (name: string, ...args: string[]) =>
  run(process.execPath, [path.join(root, 'scripts', name), ...args], { cwd: root }).then(
    ({ stdout }) => ({ status: 0, stdout }),
    (err: { code?: number; stdout?: string; stderr?: string }) => ({
      status: err.code ?? 1,
      stdout: `${err.stdout ?? ''}${err.stderr ?? ''}`,
    }),
  );

describe('the console build', () => {
  it('has the API types the served OpenAPI document gives (npm run console:api --check)', async () => {
    const checked = await script('console-api.js', '--check');
    expect(checked).toEqual({ status: 0, stdout: expect.stringContaining('matches the API') });
  }, 60_000);

  it('loads each page with at most 300 kB of compressed JavaScript (npm run console:size)', async () => {
    const sized = await script('console-size.js');
    expect(sized.status).toBe(0);
    const largest = /largest first load: ([\d.]+) kB gzip/.exec(sized.stdout);
    expect(Number(largest?.[1])).toBeGreaterThan(50);
    expect(Number(largest?.[1])).toBeLessThanOrEqual(300);
  });
});
