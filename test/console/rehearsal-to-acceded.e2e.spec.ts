import type { Browser, Locator, Page } from 'playwright-core';
import {
  chooseOption,
  keepScreenshot,
  newPage,
  seriousViolations,
  signIn,
  startConsoleRun,
  type ConsoleRun,
} from '../support/console-browser';
import { seedPerson, type ConsoleServer } from '../support/console-server';

// Issue 12's "done when": the rehearsal candidacy from its start to ACCEDED in the console alone,
// in Persian, each of the seed's people signing in through the local sign-in page in turn and
// finding its work on its own My work page (docs/rehearsal.md says who acts at each stage). The
// mayors of districts 1 and 2 submit their plans; the third district is waived by the
// administrator, to take a waiver on the way. The test reads nothing from the API; what it checks
// is what the pages show.
const cityId = 'isfahan';
const DISTRICTS = ['منطقهٔ ۱', 'منطقهٔ ۲', 'منطقهٔ ۳'];
const SUBMITTED = 'ثبت شد.';

describe('console: the rehearsal candidacy from its start to ACCEDED, in Persian, without a terminal', () => {
  let run: ConsoleRun;
  let server: ConsoleServer;
  let browser: Browser;
  /** Each person's own browser context, signed in once. */
  const pages = new Map<string, Page>();
  const violations: Record<string, unknown[]> = {};

  const as = async (personId: string): Promise<Page> => {
    const known = pages.get(personId);
    if (known) return known;
    const page = await newPage(browser);
    await signIn(page, server.url, seedPerson(personId));
    pages.set(personId, page);
    return page;
  };
  const audit = async (page: Page, name: string) => {
    violations[name] = await seriousViolations(page);
  };
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

  /** My work, reloaded until a task whose line starts with `task` shows; its link opens the form. */
  const openTask = async (page: Page, task: RegExp) => {
    const deadline = Date.now() + 120_000;
    while (Date.now() < deadline) {
      await page.goto(`${server.url}/`);
      const heading = page.getByRole('heading', { level: 2, name: 'وظایف من' });
      await heading.waitFor();
      const tasks = heading.locator('..');
      // The list's placeholder (aria-busy) until the tasks are read.
      await tasks.locator('[aria-busy="true"]').waitFor({ state: 'detached' });
      const link = tasks.getByRole('link', { name: task });
      if ((await link.count()) > 0) {
        await link.first().click();
        await page.getByRole('heading', { level: 2, name: 'تصمیم‌هایی که می‌توانم بگیرم' }).waitFor();
        return;
      }
      await sleep(1000);
    }
    await keepScreenshot(page, 'rehearsal-task-missing');
    throw new Error(`the task ${task} never showed; My work shows: ${await page.locator('main').innerText()}`);
  };
  /** The candidacy's page, reloaded until its current stage is `stage`. */
  const awaitStage = async (page: Page, stage: string) => {
    const deadline = Date.now() + 120_000;
    while (Date.now() < deadline) {
      await page.goto(`${server.url}/candidacies/${cityId}`);
      const current = page.getByRole('group', { name: 'مرحلهٔ کنونی' });
      await current.waitFor();
      if ((await current.getByText(stage, { exact: true }).count()) > 0) return;
      await sleep(1000);
    }
    throw new Error(`${cityId} never showed the stage ${stage}`);
  };
  /** A decision's form on the candidacy page, opened if it is folded. */
  const decision = async (page: Page, name: string): Promise<Locator> => {
    const form = page.getByRole('form', { name, exact: true });
    if (!(await form.isVisible())) await page.getByRole('button', { name, exact: true }).click();
    await form.waitFor();
    return form;
  };
  const choose = (page: Page, within: Locator, label: string, option: string) =>
    chooseOption(page, within.getByRole('combobox', { name: label, exact: true }), option);
  /** Submits a decision's form and waits for the page to say it was taken. */
  const submit = async (page: Page, form: Locator) => {
    const name = await form.getAttribute('aria-label');
    await form.getByRole('button', { name: 'ثبت' }).click();
    await page.getByText(`${SUBMITTED} ${name}`, { exact: true }).waitFor();
  };

  beforeAll(async () => {
    run = await startConsoleRun();
    ({ server, browser } = run);
  }, 120_000);

  afterAll(async () => {
    for (const page of pages.values()) await page.context().close();
    await run?.close();
  }, 60_000);

  it('every party does its part from the form that starts the candidacy to the page that shows it ACCEDED', async () => {
    // The administrator starts it with the rehearsal preset, UNICEF's funding owed, a committee of three.
    const admin = await as('focal-point');
    await admin.getByRole('link', { name: 'نامزدی‌ها' }).click();
    await admin.getByRole('link', { name: 'آغاز یک نامزدی' }).click();
    await admin.getByRole('heading', { level: 1, name: 'آغاز یک نامزدی' }).waitFor();
    await admin.getByLabel('شناسهٔ شهر').fill(cityId);
    await admin.getByLabel('نام شهر').fill('اصفهان');
    await admin.getByLabel('مناطق، هر خط یکی').fill(DISTRICTS.join('\n'));
    const fundingDue = new Date(Date.now() + 60 * 60_000).toISOString();
    await admin
      .getByLabel('تعهدات، هر خط یکی')
      .fill(
        `unicef-funding | یونیسف ایران | unicef_officer | شهرداری اصفهان | بودجهٔ ویژهٔ شهر دوستدار کودک | ${fundingDue} | IMPLEMENTATION`,
      );
    await admin.getByRole('button', { name: 'پیش‌تنظیم تمرین' }).click();
    await admin.getByLabel('اعضای کمیته (شناسه‌ها)').fill('member-1, member-2, member-3');
    await admin.getByLabel('حد نصاب').fill('2');
    await audit(admin, 'start');
    await admin.getByRole('button', { name: 'آغاز', exact: true }).click();
    await admin.waitForURL(`**/candidacies/${cityId}`);
    await awaitStage(admin, 'تعهد');

    // Commitment: UNICEF fulfils what it owes; the administrator signs the memorandum.
    const unicef = await as('unicef-officer');
    await openTask(unicef, /^انجام تعهد · unicef-funding/);
    const fulfil = await decision(unicef, 'انجام تعهد');
    await fulfil.getByLabel('شاهد').fill('حوالهٔ ۲۰۲۶/۱۱۴');
    await submit(unicef, fulfil);

    await openTask(admin, /^امضای تفاهم‌نامه/);
    const memorandum = await decision(admin, 'امضای تفاهم‌نامه');
    await memorandum.getByLabel('دلیل').fill('تفاهم‌نامه با امضای شهردار و یونیسف');
    await audit(admin, 'candidacy: memorandum');
    await submit(admin, memorandum);
    await awaitStage(admin, 'برنامه‌ریزی مناطق');

    // District planning: the third district, with nobody to plan it, is waived with a reason.
    const waiver = await decision(admin, 'معافیت منطقه');
    await choose(admin, waiver.locator('..'), 'منطقه', 'منطقهٔ ۳');
    await waiver.getByLabel('دلیل').fill('منطقهٔ ۳ در طرح بازآفرینی است و سال آینده می‌پیوندد');
    await submit(admin, waiver);

    for (const n of [1, 2]) {
      const mayor = await as(`mayor-district-${n}`);
      await openTask(mayor, new RegExp(`^فرستادن برنامهٔ منطقه · district-${n}`));
      const plan = await decision(mayor, 'فرستادن برنامهٔ منطقه');
      await plan.getByLabel('خلاصه').fill(`خیابان‌های بازی و مسیر امن مدرسه در منطقهٔ ${n}`);
      if (n === 1) await audit(mayor, 'candidacy: district plan');
      await submit(mayor, plan);
    }
    const reviewer = await as('plan-reviewer');
    for (const n of [1, 2]) {
      await openTask(reviewer, new RegExp(`^بررسی برنامهٔ منطقه · district-${n}`));
      const review = await decision(reviewer, 'بررسی برنامهٔ منطقه');
      await choose(reviewer, review, 'تصمیم', 'تأیید');
      await submit(reviewer, review);
    }

    // The action plan: the partners', the think tank's and the children's council's inputs, then the plan.
    await openTask(admin, /^فرستادن برنامهٔ عمل/);
    const inputs = await decision(admin, 'ثبت ورودی برنامهٔ عمل');
    for (const [source, party] of [
      ['نهاد همکار', 'بهزیستی'],
      ['اندیشکده', 'اندیشکدهٔ متخصصان کودک'],
      ['شورای کودکان', 'شورای کودکان شهر'],
    ]) {
      await choose(admin, inputs, 'منبع', source);
      await inputs.getByLabel('طرف متعهد').fill(party);
      await inputs.getByLabel('خلاصه').fill('جلسهٔ هم‌اندیشی');
      await inputs.getByRole('button', { name: 'ثبت' }).click();
      await admin.getByRole('region', { name: 'ورودی‌های برنامهٔ عمل' }).getByText(party).waitFor();
    }
    const actionPlan = await decision(admin, 'فرستادن برنامهٔ عمل');
    await actionPlan.getByLabel('خلاصه').fill('برنامهٔ عملیاتی ۱۴۰۵');
    await audit(admin, 'candidacy: action plan');
    await submit(admin, actionPlan);

    const ministry = await as('moi-officer');
    await openTask(ministry, /^بررسی برنامهٔ عمل/);
    const ministryReview = await decision(ministry, 'بررسی برنامهٔ عمل');
    await choose(ministry, ministryReview, 'تصمیم', 'تأیید');
    await ministryReview.getByLabel('دلیل').fill('کامل است');
    await submit(ministry, ministryReview);

    // The steering committee: one member recuses, the other two approve; the vote waits for both.
    for (const [memberId, vote, reason] of [
      ['member-3', 'کناره‌گیری', 'پیش‌تر شهردار منطقه بوده‌ام'],
      ['member-1', 'تأیید', 'برنامه کامل است'],
      ['member-2', 'تأیید', 'با بودجهٔ روشن برای کودکان'],
    ]) {
      const member = await as(memberId);
      await openTask(member, /^رأی در کمیته/);
      const ballot = await decision(member, 'رأی در کمیتهٔ راهبری');
      await choose(member, ballot, 'رأی', vote);
      await ballot.getByLabel('دلیل').fill(reason);
      if (memberId === 'member-3') await audit(member, 'candidacy: vote');
      await submit(member, ballot);
    }
    await openTask(unicef, /^تأیید نامزدی/);
    const endorsement = await decision(unicef, 'تأیید نامزدی');
    await choose(unicef, endorsement, 'تصمیم', 'تأیید');
    await submit(unicef, endorsement);
    await awaitStage(admin, 'اجرا');
    const committee = admin.getByRole('region', { name: 'کمیتهٔ راهبری' });
    expect(await committee.getByRole('row').allInnerTexts()).toEqual([
      expect.stringContaining('رأی'),
      // The members' names in Persian: each signed in in Persian, and the token names them so.
      expect.stringMatching(/رضا نوری\s+کناره‌گیری/),
      expect.stringMatching(/محمد جعفری\s+تأیید/),
      expect.stringMatching(/نرگس صادقی\s+تأیید/),
    ]);

    // Implementation: two evaluations, 20 s apart, by the Ministry and by a committee member.
    for (const evaluatorId of ['moi-officer', 'member-1']) {
      const evaluator = await as(evaluatorId);
      await openTask(evaluator, /^ثبت ارزیابی(?! نهایی)/);
      const evaluation = await decision(evaluator, 'ثبت ارزیابی');
      // The member types on a Persian keyboard: its digits are the scores too.
      const [results, participation, nonDiscrimination] =
        evaluatorId === 'member-1' ? ['۳', '۴', '۵'] : ['4', '4', '5'];
      await evaluation.getByLabel('نتایج برای کودکان (۱ تا ۵)').pressSequentially(results);
      await evaluation.getByLabel('مشارکت کودکان').pressSequentially(participation);
      await evaluation.getByLabel('عدم تبعیض').pressSequentially(nonDiscrimination);
      if (evaluatorId === 'moi-officer') await audit(evaluator, 'candidacy: evaluation');
      await submit(evaluator, evaluation);
    }

    // The final assessment, by UNICEF: the city accedes to the network.
    await openTask(unicef, /^ثبت ارزیابی نهایی/);
    const assessment = await decision(unicef, 'ثبت ارزیابی نهایی');
    for (const criterion of ['نتایج نشان‌داده‌شده', 'مشارکت کودکان', 'عدم تبعیض']) {
      await assessment.getByLabel(criterion).check();
    }
    await submit(unicef, assessment);

    await awaitStage(admin, 'پیوسته');
    const districts = admin.getByRole('region', { name: 'مناطق (۳)' });
    expect(await districts.getByRole('listitem').allInnerTexts()).toEqual([
      expect.stringContaining('تأییدشده'),
      expect.stringContaining('تأییدشده'),
      expect.stringContaining('معاف'),
    ]);
    const evaluations = admin.getByRole('region', { name: 'ارزیابی‌ها' }).getByRole('listitem');
    expect(await evaluations.count()).toBe(2);
    expect(await evaluations.nth(1).innerText()).toMatch(/^ارزیابی ۲: نتایج ۳، مشارکت ۴، عدم تبعیض ۵ /);
    const awards = await admin.getByRole('region', { name: 'نشان‌ها و شناسایی' }).getByRole('listitem').allInnerTexts();
    expect(awards).toEqual([expect.stringContaining('نشان نامزدی'), expect.stringContaining('شناسایی')]);
    await audit(admin, 'candidacy: acceded');
    await keepScreenshot(admin, 'rehearsal-acceded-fa');
    // Membership brings the next task: the renewal, on the administrator's own list.
    await openTask(admin, /^آماده‌شدن برای تمدید/);

    // The audit, filtered by the API: district 2's decisions, and the waived district's.
    await admin.getByRole('link', { name: 'حسابرسی' }).click();
    await admin.getByRole('heading', { level: 1, name: `حسابرسی ${cityId}` }).waitFor();
    const timeline = admin.getByRole('region', { name: 'گاه‌شمار' });
    // Every kind of line in Persian, none in the audit log's English wording.
    await timeline.getByRole('cell', { name: 'آغاز نامزدی', exact: true }).waitFor();
    expect(await timeline.getByRole('cell', { name: /^مهلت / }).count()).toBeGreaterThan(0);
    expect(
      await timeline
        .getByText(/started|Deadline:|given at start|TASK_|Workflow |Continued as new|awarded|evaluation \d/)
        .count(),
    ).toBe(0);
    await choose(admin, timeline, 'نوع', 'تصمیم');
    const filtered = admin.waitForResponse(
      (res) => /\/history\?/.test(res.url()) && res.url().includes('kind=DECISION&districtId=district-2'),
    );
    await choose(admin, timeline, 'منطقه', 'منطقهٔ ۲');
    await filtered;
    // The previous page stays shown until the filtered one is drawn.
    const rows = timeline.getByRole('row');
    for (let i = 0; i < 50 && (await rows.count()) !== 3; i++) await sleep(100);
    expect(await rows.allInnerTexts()).toEqual([
      expect.stringContaining('کنشگر'),
      // Names and summaries in Persian (the audit log's own wording is English).
      expect.stringMatching(/تصمیم\s+زهرا کریمی.*ارسال برنامهٔ منطقه · منطقه: district-2\s*$/s),
      expect.stringMatching(/تصمیم\s+حسین موسوی.*تأیید برنامهٔ منطقه · منطقه: district-2\s*$/s),
    ]);
    await audit(admin, 'audit: filtered');

    expect(violations).toEqual(Object.fromEntries(Object.keys(violations).map((name) => [name, []])));
  }, 600_000);
});
