// The console's browser tests: signing in as one of the seed's demo people through the local
// sign-in page, axe-core's verdict on a page, and screenshots kept under test-artifacts/.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import type { Browser, Page } from 'playwright-core';
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

/** axe-core's serious and critical violations on the page as it is now (none expected). */
export async function seriousViolations(page: Page): Promise<Array<{ id: string; impact: string; targets: string[] }>> {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({ id: v.id, impact: v.impact ?? '', targets: v.nodes.map((n) => n.target.join(' ')) }));
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
