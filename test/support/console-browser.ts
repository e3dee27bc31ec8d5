// The console's browser tests: the demo people of a city, signing in as one of them through the
// local sign-in page, axe-core's verdict on a page, and screenshots kept under test-artifacts/.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser } from './browser';
import { startConsoleServer, type ConsolePerson, type ConsoleServer } from './console-server';
import { startKudakStack, type KudakStack } from './kudak-stack';

export const ARTIFACTS_DIR = path.resolve(__dirname, '..', '..', 'test-artifacts', 'console');

const org = (fa: string, en: string) => ({ fa, en });

/** Isfahan's parties, as the rehearsal names them (docs/rehearsal.md), for the city `cityId`. */
export function isfahanPeople(cityId: string): ConsolePerson[] {
  const person = (
    id: string,
    role: ConsolePerson['role'],
    name: [string, string],
    organisation: [string, string],
    districts?: string[],
  ) => ({
    id,
    role,
    name: org(...name),
    organisation: org(...organisation),
    country: 'IR',
    cities: [cityId],
    ...(districts ? { districts } : {}),
  });
  const municipality: [string, string] = ['شهرداری اصفهان', 'Isfahan Municipality'];
  return [
    person('focal-point', 'administrator', ['مدیر دبیرخانهٔ اصفهان', 'Isfahan CFC focal point'], municipality),
    person('mayor-district-1', 'district_submitter', ['شهردار منطقهٔ ۱', 'Mayor of district 1'], municipality, [
      'district-1',
    ]),
    person('plan-reviewer', 'reviewer', ['بررسی‌کنندهٔ برنامه', 'Plan reviewer'], municipality),
    person(
      'moi-officer',
      'ministry_officer',
      ['کارشناس وزارت کشور', 'Ministry officer'],
      ['وزارت کشور', 'Ministry of Interior'],
    ),
    person(
      'member-1',
      'committee_member',
      ['عضو کمیته ۱', 'Committee member 1'],
      ['کمیتهٔ راهبری', 'Steering committee'],
    ),
    person('unicef-officer', 'unicef_officer', ['کارشناس یونیسف', 'UNICEF officer'], ['یونیسف ایران', 'UNICEF Iran']),
    person('auditor-1', 'auditor', ['حسابرس', 'Auditor'], ['دیوان محاسبات', 'Court of Audit']),
  ];
}

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
export async function signIn(page: Page, baseUrl: string, person: ConsolePerson): Promise<void> {
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

/** The real stack (API and worker in this process), the console in front of it, and a browser. */
export interface ConsoleRun {
  stack: KudakStack;
  server: ConsoleServer;
  browser: Browser;
  close(): Promise<void>;
}

export async function startConsoleRun(people: ConsolePerson[]): Promise<ConsoleRun> {
  const stack = await startKudakStack();
  const server = await startConsoleServer(stack.api, people);
  const browser = await launchBrowser();
  return {
    stack,
    server,
    browser,
    async close() {
      await browser.close();
      await server.close();
      await stack.close();
    },
  };
}
