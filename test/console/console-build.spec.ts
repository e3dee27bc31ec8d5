import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
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

  it('loads each page with at most 300 kB of compressed JavaScript (npm run console:report)', async () => {
    const report = await script('console-report.js');
    expect(report.status).toBe(0);
    // Every page of the console, each with its own route chunk on top of the entry.
    const pages = [...report.stdout.matchAll(/first load at (\w+): ([\d.]+) kB gzipped/g)];
    expect(pages.map((p) => p[1])).toEqual(
      expect.arrayContaining(['Audit', 'Candidacies', 'Candidacy', 'MyWork', 'SignIn', 'StartCandidacy']),
    );
    const entry = Number(/first-load JavaScript: ([\d.]+) kB gzipped \(the entry alone\)/.exec(report.stdout)?.[1]);
    for (const [, , size] of pages) expect(Number(size)).toBeGreaterThan(entry);
    const largest = /largest first load: ([\d.]+) kB gzipped/.exec(report.stdout);
    expect(Number(largest?.[1])).toBeGreaterThan(50);
    expect(Number(largest?.[1])).toBeLessThanOrEqual(300);
  });

  it('links an icon it ships, so no browser asks for a missing /favicon.ico', () => {
    const built = path.join(root, 'dist', 'console');
    const index = fs.readFileSync(path.join(built, 'index.html'), 'utf8');
    const icon = /<link rel="icon" href="\/([^"]+)" type="image\/svg\+xml"/.exec(index)?.[1];
    expect(icon).toBe('favicon.svg');
    expect(fs.readFileSync(path.join(built, icon!), 'utf8')).toContain('<svg');
  });
});
