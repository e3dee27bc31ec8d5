// The console's browser tests: signing in as one of the seed's demo people through the local
// sign-in page, axe-core's verdict on a page, and screenshots kept under test-artifacts/.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import type { Browser, Locator, Page } from 'playwright-core';
import { launchBrowser } from './browser';
import type { DemoPerson } from '../../apps/api/auth/demo-people';
import { startConsoleServer, type ConsoleServer } from './console-server';

export const ARTIFACTS_DIR = path.resolve(__dirname, '..', '..', 'test-artifacts', 'console');

/** A fresh browser context (its own storage: nobody signed in), in Persian unless told. */
export async function newPage(browser: Browser, options: { width?: number; locale?: string } = {}): Promise<Page> {
  const context = await browser.newContext({
    locale: options.locale ?? 'fa-IR',
    viewport: { width: options.width ?? 1280, height: 900 },
    acceptDownloads: true,
  });
  return context.newPage();
}

/** Signs in through the sign-in page, by the person's name as the page shows it, and waits for My work. */
export async function signIn(page: Page, baseUrl: string, person: DemoPerson): Promise<void> {
  await page.goto(`${baseUrl}/sign-in`);
  await page.getByRole('button', { name: person.name.fa }).click();
  await page.getByRole('heading', { level: 1, name: 'کارهای من' }).waitFor();
}

/**
 * Picks an option of a select (MUI's listbox) and waits until the list has gone: axe-core run while
 * it still fades out finds its half-transparent items' contrast too low.
 */
export async function chooseOption(page: Page, combobox: Locator, option: string): Promise<void> {
  await combobox.click();
  await page.getByRole('option', { name: option, exact: true }).click();
  // By selector, not by role: a list on its way out is aria-hidden, which a role query already misses.
  await page.locator('[role="listbox"]').waitFor({ state: 'detached' });
}

/** What a test file's axe-core checks found, written for `npm run console:report` (its AXE_DIR). */
const AXE_DIR = path.join(ARTIFACTS_DIR, 'axe');
interface AxeRecord {
  spec: string;
  at: string;
  checks: Array<{ language: string; path: string; serious: unknown[]; others: string[]; passes: number }>;
}
let axeRecord: AxeRecord | undefined;

/**
 * axe-core's serious and critical violations on the page as it is now (none expected), each check
 * also recorded in test-artifacts/console/axe/<test file>.json (rewritten by each run of that file).
 */
export async function seriousViolations(page: Page): Promise<Array<{ id: string; impact: string; targets: string[] }>> {
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({ id: v.id, impact: v.impact ?? '', targets: v.nodes.map((n) => n.target.join(' ')) }));
  const spec = path.basename(expect.getState().testPath ?? 'unknown');
  if (axeRecord?.spec !== spec) axeRecord = { spec, at: new Date().toISOString(), checks: [] };
  axeRecord.checks.push({
    language: (await page.locator('html').getAttribute('lang')) ?? '',
    path: new URL(page.url()).pathname,
    serious,
    others: results.violations.filter((v) => !serious.some((s) => s.id === v.id)).map((v) => `${v.id} (${v.impact})`),
    passes: results.passes.length,
  });
  fs.mkdirSync(AXE_DIR, { recursive: true });
  fs.writeFileSync(path.join(AXE_DIR, `${spec}.json`), `${JSON.stringify(axeRecord, null, 2)}\n`);
  return serious;
}

export async function keepScreenshot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(ARTIFACTS_DIR, { recursive: true });
  const file = path.join(ARTIFACTS_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/** The console served by the real stack (API and worker in this process), and a browser. */
export interface ConsoleRun {
  server: ConsoleServer;
  browser: Browser;
  close(): Promise<void>;
}

export async function startConsoleRun(): Promise<ConsoleRun> {
  const server = await startConsoleServer();
  const browser = await launchBrowser();
  return {
    server,
    browser,
    async close() {
      await browser.close();
      await server.close();
    },
  };
}
