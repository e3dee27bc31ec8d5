import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';

const run = promisify(execFile);
const REPORT = path.resolve(__dirname, '..', 'scripts', 'console-report.js');

/** Runs `npm run console:report`'s script; its exit code and what it printed. */
async function report(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [REPORT, ...args]);
    return { code: 0, stdout, stderr };
  } catch (err) {
    const failed = err as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('npm run console:report: first-load JavaScript per page against the budget', () => {
  let dir: string;
  // Random bytes (base64) gzip poorly: the sizes below are predictable.
  const entry = `import{a}from"./vendor-1.js";const lazy=()=>import(\`./Page-9.js\`);/*${randomBytes(30_000).toString('base64')}*/`;
  const vendor = `export const a=1;/*${randomBytes(60_000).toString('base64')}*/`;
  const preloaded = `export const b=2;/*${randomBytes(9_000).toString('base64')}*/`;
  // The lazy route chunk, with a static import of its own and one shared with the entry.
  const page = `import{a}from"./vendor-1.js";import"./pageonly-1.js";/*${randomBytes(20_000).toString('base64')}*/`;
  const pageOnly = `export const c=3;/*${randomBytes(5_000).toString('base64')}*/`;
  const gzipped = (text: string) => gzipSync(Buffer.from(text), { level: 9 }).length;

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kudak-console-report-'));
    fs.mkdirSync(path.join(dir, 'assets'));
    fs.writeFileSync(
      path.join(dir, 'index.html'),
      '<!doctype html><html><head><script type="module" crossorigin src="/assets/index-1.js"></script>' +
        '<link rel="modulepreload" crossorigin href="/assets/shared-1.js"><link rel="stylesheet" href="/assets/index-1.css">' +
        '</head></html>',
    );
    fs.writeFileSync(path.join(dir, 'assets', 'index-1.js'), entry);
    fs.writeFileSync(path.join(dir, 'assets', 'vendor-1.js'), vendor);
    fs.writeFileSync(path.join(dir, 'assets', 'shared-1.js'), preloaded);
    fs.writeFileSync(path.join(dir, 'assets', 'Page-9.js'), page);
    fs.writeFileSync(path.join(dir, 'assets', 'pageonly-1.js'), pageOnly);
    fs.writeFileSync(path.join(dir, 'assets', 'index-1.css'), 'body{}');
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('sums the gzipped entry, its static imports and the preloads; each page adds its route chunk and imports', async () => {
    const sut = await report('--dir', dir, '--axe-dir', path.join(dir, 'no-axe'));
    const total = gzipped(entry) + gzipped(vendor) + gzipped(preloaded);
    const atPage = total + gzipped(page) + gzipped(pageOnly);
    const kb = (bytes: number) => (bytes / 1000).toFixed(1);
    expect(sut.code).toBe(0);
    expect(sut.stdout).toContain('assets/index-1.js');
    expect(sut.stdout).toContain('assets/vendor-1.js');
    expect(sut.stdout).toContain('assets/shared-1.js');
    expect(sut.stdout).toContain(`first-load JavaScript: ${kb(total)} kB gzipped (the entry alone)`);
    expect(sut.stdout).toContain(
      `first load at Page-9: ${kb(atPage)} kB gzipped, 5 files (+ assets/Page-9.js assets/pageonly-1.js)`,
    );
    expect(sut.stdout).toContain(
      `largest first load: ${kb(atPage)} kB gzipped (Page-9) of a 300 kB budget: within budget`,
    );
  });

  it('says when the browser tests recorded no axe results, and prints the ones they did', async () => {
    const none = await report('--dir', dir, '--axe-dir', path.join(dir, 'no-axe'));
    expect(none.stdout).toContain('no results recorded: run npx jest test/console');
    const axeDir = path.join(dir, 'axe');
    fs.mkdirSync(axeDir);
    const check = (serious: unknown[]) => ({
      language: 'fa',
      path: '/candidacies',
      serious,
      others: ['region (moderate)'],
      passes: 40,
    });
    const record = (checks: unknown[]) => ({ spec: 'start.e2e.spec.ts', at: '2026-11-29T00:00:00.000Z', checks });
    fs.writeFileSync(path.join(axeDir, 'start.e2e.spec.ts.json'), JSON.stringify(record([check([])])));
    const clean = await report('--dir', dir, '--axe-dir', axeDir);
    expect(clean.code).toBe(0);
    expect(clean.stdout).toContain('start.e2e.spec.ts (2026-11-29T00:00:00.000Z):');
    expect(clean.stdout).toContain(
      'fa /candidacies: 0 serious or critical, others: region (moderate), 40 rules passed',
    );
    fs.writeFileSync(
      path.join(axeDir, 'start.e2e.spec.ts.json'),
      JSON.stringify(record([check([{ id: 'color-contrast', impact: 'serious', targets: ['a'] }])])),
    );
    const failing = await report('--dir', dir, '--axe-dir', axeDir);
    expect(failing.code).toBe(1);
    expect(failing.stdout).toContain('1 serious or critical: color-contrast (serious)');
    fs.rmSync(axeDir, { recursive: true });
  });

  it('exits 1 over the budget', async () => {
    const sut = await report('--dir', dir, '--budget-kb', '50', '--axe-dir', path.join(dir, 'no-axe'));
    expect(sut.code).toBe(1);
    expect(sut.stdout).toMatch(/kB gzipped \(Page-9\) of a 50 kB budget: OVER budget/);
  });

  it('exits 2 naming the missing build', async () => {
    const sut = await report('--dir', path.join(dir, 'assets'));
    expect(sut.code).toBe(2);
    expect(sut.stderr).toContain('index.html: build the console first (npm run build)');
  });
});
