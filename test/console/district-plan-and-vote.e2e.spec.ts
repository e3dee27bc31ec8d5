import { statSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import {
  chooseOption,
  keepScreenshot,
  newPage,
  seriousViolations,
  signIn,
  startConsoleRun,
  type ConsoleRun,
} from '../support/console-browser';
import { seedPerson, sessionToken, type ConsoleServer } from '../support/console-server';
import { minimalPdf } from '../support/document-fixtures';

// The console in a real browser, served by the real API with its worker, the seed's people: a
// district plan submitted with its document, returned with a reason, resubmitted and approved,
// each party finding its task in My work; a committee member voting from a 360 px phone; an auditor verifying, replaying and
// downloading the dossier. The stages in between are passed through the API.
const cityId = 'isfahan';
const byId = seedPerson;

describe('console: a district plan reviewed, a committee vote from a phone, an audit', () => {
  let run: ConsoleRun;
  let server: ConsoleServer;
  let browser: Browser;
  let admin: string;

  const call = async (token: string, method: string, route: string, body?: unknown) => {
    const res = await fetch(`${server.url}${route}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const answer = (await res.json()) as Record<string, unknown>;
    expect({ route, status: res.status, ok: res.ok, answer }).toEqual({ route, status: res.status, ok: true, answer });
    return answer;
  };
  const tokenOf = (id: string) => sessionToken(server, id);
  const waitForStage = async (stage: string) => {
    for (let i = 0; i < 100; i++) {
      if ((await call(admin, 'GET', `/candidacies/${cityId}`)).stage === stage) return;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`${cityId} never reached ${stage}`);
  };
  /** My work, reloaded until the task shows (the workflow opens it a moment after the decision). */
  const openTask = async (page: Page, task: string) => {
    for (let i = 0; i < 60; i++) {
      await page.goto(`${server.url}/`);
      await page.getByRole('heading', { level: 2, name: 'وظایف من' }).waitFor();
      const link = page.getByRole('link', { name: new RegExp(task) });
      await page
        .getByRole('progressbar')
        .waitFor({ state: 'detached' })
        .catch(() => undefined);
      if ((await link.count()) > 0) return link.first().click();
      await new Promise((r) => setTimeout(r, 500));
    }
    throw new Error(`the task ${task} never showed`);
  };
  const choose = (page: Page, label: string, option: string) =>
    chooseOption(page, page.getByRole('combobox', { name: label }), option);

  beforeAll(async () => {
    run = await startConsoleRun();
    ({ server, browser } = run);
    admin = await tokenOf('focal-point');
    await call(admin, 'POST', '/candidacies', {
      cityId,
      cityName: 'اصفهان',
      country: 'IR',
      districts: [{ id: 'district-1', name: 'منطقهٔ ۱' }],
    });
    await waitForStage('COMMITMENT');
    await call(admin, 'POST', `/candidacies/${cityId}/memorandum`, { reason: 'MoU signed' });
    await waitForStage('DISTRICT_PLANNING');
  }, 180_000);

  afterAll(() => run?.close(), 60_000);

  it('a submitter uploads a plan; the reviewer returns it with a reason; it is resubmitted and approved', async () => {
    const submitter = await newPage(browser);
    await signIn(submitter, server.url, byId('mayor-district-1'));
    await openTask(submitter, 'فرستادن برنامهٔ منطقه');
    await submitter.getByLabel('خلاصه').fill('خیابان‌های بازی و مسیر امن مدرسه');
    // The console's own file button, in Persian (the browser's says "Choose File"), from the keyboard.
    await submitter.getByText('پرونده‌ای انتخاب نشده است.').waitFor();
    const chooser = submitter.waitForEvent('filechooser');
    await submitter.getByRole('button', { name: 'انتخاب پرونده' }).focus();
    await submitter.keyboard.press('Enter');
    await (
      await chooser
    ).setFiles({ name: 'district-1-plan.pdf', mimeType: 'application/pdf', buffer: minimalPdf('District 1 plan') });
    await submitter.getByText('district-1-plan.pdf').waitFor();
    expect(await seriousViolations(submitter)).toEqual([]);
    await submitter.getByRole('button', { name: 'ثبت' }).click();
    await submitter.getByText('ثبت شد.').waitFor();

    const reviewer = await newPage(browser);
    await signIn(reviewer, server.url, byId('plan-reviewer'));
    await openTask(reviewer, 'بررسی برنامهٔ منطقه');
    await choose(reviewer, 'تصمیم', 'بازگرداندن');
    // A return without a reason: the API's refusal shows at the reason field.
    await reviewer.getByRole('button', { name: 'ثبت' }).click();
    const reason = reviewer.getByRole('textbox', { name: 'دلیل' });
    await reviewer.locator('textarea[aria-invalid="true"]').waitFor();
    expect(await reason.getAttribute('aria-invalid')).toBe('true');
    // Said in Persian under the field (the API's words are English: "reason (...) is required").
    expect(await reviewer.locator('#reviewDistrictPlan-district-1-reason-helper-text').innerText()).toBe(
      'این را پر کنید.',
    );
    expect(await seriousViolations(reviewer)).toEqual([]);
    await reason.fill('بودجهٔ برنامه روشن نیست');
    await reviewer.getByRole('button', { name: 'ثبت' }).click();
    await reviewer.getByText('ثبت شد.').waitFor();

    await openTask(submitter, 'فرستادن برنامهٔ منطقه');
    await submitter.getByText('بازگردانده شد: بودجهٔ برنامه روشن نیست').waitFor();
    await submitter.getByLabel('خلاصه').fill('خیابان‌های بازی، با بودجهٔ روشن');
    // A link that is no link: refused at its field, in Persian.
    await submitter.getByLabel('پیوند سند').fill('نه یک پیوند');
    await submitter.getByRole('button', { name: 'ثبت' }).click();
    await submitter.getByText('یک نشانی اینترنتی، مانند https://example.org/plan.pdf').waitFor();
    await submitter.getByLabel('پیوند سند').fill('');
    await submitter.getByRole('button', { name: 'ثبت' }).click();
    await submitter.getByText('ثبت شد.').waitFor();

    await openTask(reviewer, 'بررسی برنامهٔ منطقه');
    await choose(reviewer, 'تصمیم', 'تأیید');
    await reviewer.getByRole('button', { name: 'ثبت' }).click();
    await reviewer.getByText('ثبت شد.').waitFor();
    await waitForStage('ACTION_PLAN');
    const state = await call(admin, 'GET', `/candidacies/${cityId}`);
    expect(state.districts).toEqual([expect.objectContaining({ id: 'district-1', status: 'APPROVED' })]);
    // Each decision with its actor, from the district's own workflow, on the timeline.
    const history = await call(admin, 'GET', `/candidacies/${cityId}/history?limit=100`);
    const plans = (
      history.entries as Array<{ kind: string; actor?: { id: string }; details?: { decisionKind?: string } }>
    )
      .filter((e) => e.kind === 'DECISION' && e.details?.decisionKind?.startsWith('DISTRICT_PLAN_'))
      .map((e) => [e.details?.decisionKind, e.actor?.id]);
    expect(plans).toEqual([
      ['DISTRICT_PLAN_SUBMITTED', 'mayor-district-1'],
      ['DISTRICT_PLAN_RETURNED', 'plan-reviewer'],
      ['DISTRICT_PLAN_SUBMITTED', 'mayor-district-1'],
      ['DISTRICT_PLAN_APPROVED', 'plan-reviewer'],
    ]);
    await submitter.context().close();
    await reviewer.context().close();
  });

  it('a committee member votes on a 360 px screen; an auditor verifies, replays and downloads the dossier', async () => {
    await call(admin, 'POST', `/candidacies/${cityId}/action-plan/inputs`, {
      source: 'CHILDREN_COUNCIL',
      party: "Children's city council",
      summary: 'Deliberation session',
    });
    await call(admin, 'POST', `/candidacies/${cityId}/action-plan/submission`, { summary: 'Operational plan 1405' });
    await waitForStage('MINISTRY_REVIEW');
    await call(await tokenOf('moi-officer'), 'POST', `/candidacies/${cityId}/action-plan/review`, {
      decision: 'APPROVE',
    });
    await waitForStage('CANDIDACY_REVIEW');

    const member = await newPage(browser, { width: 360 });
    await signIn(member, server.url, byId('member-1'));
    await openTask(member, 'رأی در کمیته');
    await choose(member, 'رأی', 'تأیید');
    await member.getByRole('textbox', { name: 'دلیل' }).fill('برنامه کامل است');
    expect(await seriousViolations(member)).toEqual([]);
    await keepScreenshot(member, 'vote-360-fa');
    // Nothing wider than the phone's screen.
    expect(await member.locator('html').evaluate((html) => html.scrollWidth)).toBeLessThanOrEqual(360);
    // A double click acts once: whatever reaches the API carries the one key of the form's opening.
    const keys: string[] = [];
    member.on('request', (req) => {
      if (req.method() === 'POST' && req.url().endsWith('/committee/votes'))
        keys.push(req.headers()['idempotency-key']);
    });
    await member.getByRole('button', { name: 'ثبت' }).dblclick();
    await member.getByText('ثبت شد.').waitFor();
    await member.getByRole('button', { name: 'رأی در کمیتهٔ راهبری' }).waitFor({ state: 'detached' });
    const state = await call(admin, 'GET', `/candidacies/${cityId}`);
    const rounds = state.committeeRounds as Array<{ ballots: Array<{ memberId: string; vote?: string }> }>;
    expect(rounds.flatMap((r) => r.ballots).map((b) => [b.memberId, b.vote])).toEqual([['member-1', 'APPROVE']]);
    expect(keys.length).toBeGreaterThan(0);
    expect(new Set(keys).size).toBe(1);
    expect(keys[0]).toMatch(/^[0-9a-f-]{36}$/);
    await member.context().close();

    const auditor = await newPage(browser);
    await signIn(auditor, server.url, byId('auditor'));
    await auditor.goto(`${server.url}/candidacies/${cityId}`);
    await auditor.getByRole('link', { name: 'حسابرسی' }).click();
    await auditor.getByRole('heading', { level: 1, name: `حسابرسی ${cityId}` }).waitFor();
    await auditor.getByRole('button', { name: 'district-1-plan.pdf' }).waitFor();
    // The timeline's starts and deadlines read in Persian too (the audit log's own words are English).
    const timeline = auditor.getByRole('region', { name: 'گاه‌شمار' });
    await timeline.getByRole('cell', { name: 'آغاز نامزدی', exact: true }).waitFor();
    await timeline.getByRole('cell', { name: 'آغاز برنامهٔ منطقهٔ district-1', exact: true }).waitFor();
    expect(
      await timeline
        .getByRole('cell', {
          name: /^مهلت فرستادن برنامهٔ منطقه برای فرستندهٔ برنامهٔ منطقه: .*۱۴۰۵.* · منطقه: district-1$/,
        })
        .count(),
    ).toBeGreaterThan(0);
    expect(await timeline.getByText(/started|Deadline:|given at start|TASK_|Workflow |Continued as new/).count()).toBe(
      0,
    );
    await auditor.getByRole('button', { name: 'راستی‌آزمایی دفتر حسابرسی' }).click();
    await auditor.getByText(/دفتر حسابرسی با تاریخچه می‌خواند/).waitFor();
    await auditor.getByRole('button', { name: 'بازپخش تاریخچه' }).click();
    await auditor.getByText(/بدون واگرایی بازپخش شد/).waitFor();
    const [download] = await Promise.all([
      auditor.waitForEvent('download'),
      auditor.getByRole('button', { name: 'دریافت پرونده' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/\.zip$/);
    const saved = await download.path();
    expect(statSync(saved).size).toBeGreaterThan(100);
    expect(await seriousViolations(auditor)).toEqual([]);
    await keepScreenshot(auditor, 'audit-fa');
    await auditor.getByRole('button', { name: 'English' }).click();
    await auditor.getByRole('heading', { level: 1, name: `Audit of ${cityId}` }).waitFor();
    expect(await seriousViolations(auditor)).toEqual([]);
    await keepScreenshot(auditor, 'audit-en');
    await auditor.context().close();
  });
});
