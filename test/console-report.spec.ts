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

describe('npm run console:report: first-load JavaScript against the budget', () => {
  let dir: string;
  // Random bytes (base64) gzip poorly: the sizes below are predictable.
  const entry = `import{a}from"./vendor-1.js";const lazy=()=>import("./page-9.js");/*${randomBytes(30_000).toString('base64')}*/`;
  const vendor = `export const a=1;/*${randomBytes(60_000).toString('base64')}*/`;
  const preloaded = `export const b=2;/*${randomBytes(9_000).toString('base64')}*/`;
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
    fs.writeFileSync(path.join(dir, 'assets', 'page-9.js'), `/*${randomBytes(500_000).toString('base64')}*/`);
    fs.writeFileSync(path.join(dir, 'assets', 'index-1.css'), 'body{}');
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('sums the gzipped entry, its static imports and the preloads, not the lazy chunks; 0 within budget', async () => {
    const sut = await report('--dir', dir);
    const total = gzipped(entry) + gzipped(vendor) + gzipped(preloaded);
    expect(sut.code).toBe(0);
    expect(sut.stdout).toContain('assets/index-1.js');
    expect(sut.stdout).toContain('assets/vendor-1.js');
    expect(sut.stdout).toContain('assets/shared-1.js');
    expect(sut.stdout).not.toContain('page-9.js');
    expect(sut.stdout).toContain(
      `first-load JavaScript: ${(total / 1000).toFixed(1)} kB gzipped of a 300 kB budget: within budget`,
    );
  });

  it('exits 1 over the budget', async () => {
    const sut = await report('--dir', dir, '--budget-kb', '50');
    expect(sut.code).toBe(1);
    expect(sut.stdout).toMatch(/kB gzipped of a 50 kB budget: OVER budget/);
  });

  it('exits 2 naming the missing build', async () => {
    const sut = await report('--dir', path.join(dir, 'assets'));
    expect(sut.code).toBe(2);
    expect(sut.stderr).toContain('index.html: build the console first (npm run build)');
  });
});
