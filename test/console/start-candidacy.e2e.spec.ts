import type { Browser } from 'playwright-core';
import {
  keepScreenshot,
  newPage,
  seriousViolations,
  signIn,
  startConsoleRun,
  type ConsoleRun,
} from '../support/console-browser';
import { seedPerson, sessionToken, type ConsoleServer } from '../support/console-server';

// The console in a real browser, served by the real API with its worker, the seed's demo people
// signing in through its local sign-in: an administrator of Isfahan starts a candidacy from the
// form (in Persian digits: a number of days, an obligation due on a Solar Hijri day) and finds it on the list
// and its page, in Persian then English, axe-core finding nothing serious on any page; a person of
// another role sees no form it may not use, and the API refuses the same decision forged from that
// person's session; a refusal reads in the person's language, the API's own words under it; a
// district office pages through more tasks than a page holds, each line saying as of when, its
// city by name.
const cityId = 'isfahan';
const byId = seedPerson;
const DISTRICTS = Array.from({ length: 15 }, (_, i) => `منطقهٔ ${i + 1}`);

describe('console: starting a candidacy, in Persian and English', () => {
  let run: ConsoleRun;
  let server: ConsoleServer;
  let browser: Browser;

  beforeAll(async () => {
    run = await startConsoleRun();
    ({ server, browser } = run);
  }, 120_000);

  afterAll(() => run?.close(), 60_000);

  it('an Isfahan administrator starts a candidacy from the form and sees it on the list and on its page', async () => {
    const page = await newPage(browser);
    const violations: Record<string, unknown[]> = {};
    const audit = async (name: string) => {
      violations[name] = await seriousViolations(page);
    };

    await page.goto(`${server.url}/`);
    await page.getByRole('heading', { level: 1, name: 'ورود' }).waitFor();
    expect(await page.locator('html').getAttribute('dir')).toBe('rtl');
    expect(await page.locator('html').getAttribute('lang')).toBe('fa');
    await audit('sign-in fa');
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
    expect(await page.locator('html').getAttribute('dir')).toBe('ltr');
    await audit('sign-in en');
    await page.getByRole('button', { name: 'فارسی' }).click();
    await page.getByRole('heading', { level: 1, name: 'ورود' }).waitFor();

    await signIn(page, server.url, byId('focal-point'));
    await audit('my work fa');
    await page.getByRole('link', { name: 'نامزدی‌ها' }).click();
    await page.getByRole('heading', { level: 1, name: 'نامزدی‌ها' }).waitFor();
    await audit('candidacies fa');

    await page.getByRole('link', { name: 'آغاز یک نامزدی' }).click();
    await page.getByRole('heading', { level: 1, name: 'آغاز یک نامزدی' }).waitFor();
    await page.getByLabel('شناسهٔ شهر').fill(cityId);
    await page.getByLabel('نام شهر').fill('اصفهان');
    await page.getByLabel('مناطق، هر خط یکی').fill(DISTRICTS.join('\n'));
    // Its due date as the secretariat writes it: a Solar Hijri day, in Persian digits.
    await page
      .getByLabel('تعهدات، هر خط یکی')
      .fill('unicef-funding | یونیسف | unicef_officer | اصفهان | تأمین مالی برنامه | ۱۴۰۵/۱۲/۱۰');
    await page.getByRole('button', { name: 'پیش‌تنظیم تمرین' }).click();
    expect(await page.getByLabel('دورهٔ اجرا (ماه)').inputValue()).toBe('PT40S');
    // A number of days on a Persian keyboard.
    await page.getByLabel('برنامه‌های مناطق (روز)').fill('');
    await page.getByLabel('برنامه‌های مناطق (روز)').pressSequentially('۹۰');
    await audit('start fa');
    await page.getByRole('button', { name: 'آغاز', exact: true }).click();

    await page.waitForURL(`**/candidacies/${cityId}`);
    await page.getByRole('heading', { level: 1, name: 'اصفهان' }).waitFor();
    const districts = page.getByRole('region', { name: 'مناطق (۱۵)' });
    await districts.waitFor();
    expect(await districts.getByRole('listitem').count()).toBe(15);
    expect(await districts.getByRole('listitem').first().textContent()).toContain('فرستاده‌نشده');
    // Due at the end of 10 Esfand 1405 in Tehran, shown as that day.
    await page.getByRole('region', { name: 'تعهدات' }).getByText('۱۰ اسفند ۱۴۰۵').waitFor();
    const admin = await sessionToken(server, 'focal-point');
    const started = await fetch(`${server.url}/candidacies/${cityId}`, {
      headers: { authorization: `Bearer ${admin}` },
    });
    const { obligations, policy } = (await started.json()) as {
      obligations: Array<{ id: string; dueAt: string }>;
      policy: { districtPlanDays: unknown };
    };
    expect(obligations).toEqual([expect.objectContaining({ id: 'unicef-funding', dueAt: '2027-03-01T20:29:59.000Z' })]);
    expect(policy.districtPlanDays).toBe(90);
    // The administrator may sign the memorandum at COMMITMENT: its form is there.
    await page.getByRole('button', { name: 'امضای تفاهم‌نامه' }).waitFor();
    await audit('candidacy fa');
    await keepScreenshot(page, 'candidacy-fa');

    await page.getByRole('link', { name: 'نامزدی‌ها' }).click();
    await page.getByRole('link', { name: cityId }).waitFor();
    // The city filter takes an id: a Persian name is said at the field, and nothing is asked of the API.
    const asked: string[] = [];
    page.on('request', (req) => {
      if (req.url().includes('city=')) asked.push(req.url());
    });
    const filter = page.getByLabel('شهر (شناسه)');
    await filter.fill('اصفهان');
    await page.getByText('۲ تا ۶۳ حرف کوچک لاتین، رقم و خط تیره (مانند isfahan).').waitFor();
    expect(await page.getByRole('link', { name: cityId }).count()).toBe(0);
    await filter.fill(cityId);
    await page.getByRole('link', { name: cityId }).waitFor();
    expect(asked.map((url) => new URL(url).searchParams.get('city'))).toEqual([cityId]);
    await filter.fill('');

    // English, left to right, remembered for this person.
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { level: 1, name: 'Candidacies' }).waitFor();
    expect(await page.locator('html').getAttribute('dir')).toBe('ltr');
    await audit('candidacies en');
    await page.getByRole('link', { name: cityId }).click();
    await page.getByRole('region', { name: 'Districts (15)' }).waitFor();
    await audit('candidacy en');
    await keepScreenshot(page, 'candidacy-en');
    await page.getByRole('link', { name: 'My work' }).click();
    await page.getByRole('heading', { level: 1, name: 'My work' }).waitFor();
    await audit('my work en');
    await page.getByRole('link', { name: 'Candidacies' }).click();
    await page.getByRole('link', { name: 'Start a candidacy' }).click();
    await page.getByRole('heading', { level: 1, name: 'Start a candidacy' }).waitFor();
    await audit('start en');
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Start a candidacy' }).waitFor();

    expect(violations).toEqual(Object.fromEntries(Object.keys(violations).map((name) => [name, []])));
    await page.context().close();
  });

  it('an administrator signs in and signs the memorandum with the keyboard alone', async () => {
    const page = await newPage(browser);
    /** Tabs forward until the focused element's accessible text is `name`. */
    const tabTo = async (name: string) => {
      for (let i = 0; i < 60; i++) {
        await page.keyboard.press('Tab');
        const focused = page.locator(':focus');
        const text = `${(await focused.getAttribute('aria-label')) ?? ''}${(await focused.textContent()) ?? ''}`;
        if (text.includes(name)) return;
      }
      throw new Error(`no focusable ${name} within 60 tabs`);
    };
    await page.goto(`${server.url}/sign-in`);
    await page.getByRole('heading', { level: 1, name: 'ورود' }).waitFor();
    await tabTo(byId('focal-point').name.fa);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'کارهای من' }).waitFor();
    // The memorandum is the administrator's task: its link opens the form.
    await tabTo('امضای تفاهم‌نامه');
    await page.keyboard.press('Enter');
    await page.waitForURL(`**/candidacies/${cityId}?decision=signMemorandum**`);
    await page.getByRole('textbox', { name: 'دلیل' }).waitFor();
    await tabTo('امضای تفاهم‌نامه');
    await tabTo('ثبت');
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.type('تفاهم‌نامه با امضای شهردار و یونیسف');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await page.getByText('ثبت شد.').waitFor();
    await page.getByText('برنامه‌ریزی مناطق').first().waitFor();
    await page.context().close();
  });

  it('a person of another role sees no form it may not use, and the API refuses it forged from its session', async () => {
    const page = await newPage(browser);
    await signIn(page, server.url, byId('plan-reviewer'));
    await page.goto(`${server.url}/candidacies/${cityId}`);
    await page.getByRole('heading', { level: 1, name: 'اصفهان' }).waitFor();
    await page.getByText('در این مرحله تصمیمی با شما نیست.').waitFor();
    expect(await page.getByRole('form').count()).toBe(0);
    expect(await page.getByRole('button', { name: 'امضای تفاهم‌نامه' }).count()).toBe(0);

    // The same decision, sent from the reviewer's session with its own token.
    const forged = await page.evaluate(async (city) => {
      // Runs in the page: its storage, which the test's (DOM-less) types do not describe.
      const storage = (globalThis as unknown as { localStorage: { getItem(key: string): string | null } }).localStorage;
      const { accessToken } = JSON.parse(storage.getItem('kudak.session') ?? '{}') as { accessToken: string };
      const res = await fetch(`/candidacies/${city}/memorandum`, {
        method: 'POST',
        headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({ reason: 'forged' }),
      });
      return { status: res.status, body: (await res.json()) as { message?: unknown } };
    }, cityId);
    expect(forged.status).toBe(403);
    // It wrote nothing: the one memorandum is the administrator's.
    const admin = await sessionToken(server, 'focal-point');
    const res = await fetch(`${server.url}/candidacies/${cityId}`, { headers: { authorization: `Bearer ${admin}` } });
    const state = (await res.json()) as { decisions: Array<{ kind: string; actor: { id: string } }> };
    expect(state.decisions.filter((d) => d.kind === 'MOU_SIGNED').map((d) => d.actor.id)).toEqual(['focal-point']);
    await page.context().close();
  });

  it("a refusal is said in the reader's language, with the API's own words under it", async () => {
    const page = await newPage(browser, { width: 390 });
    await signIn(page, server.url, byId('focal-point'));
    const alert = page.getByRole('alert');
    // A city beyond the person's scope (their token covers Isfahan), then an address no city has.
    await page.goto(`${server.url}/candidacies/tabriz`);
    await alert.getByText('شما به این مورد دسترسی ندارید.').waitFor();
    await alert.getByText("Your scope (IR) does not cover city 'tabriz'").waitFor();
    expect(await alert.getByText("Your scope (IR) does not cover city 'tabriz'").getAttribute('lang')).toBe('en');
    await page.goto(`${server.url}/candidacies/Not_A_City`);
    await alert.getByText('درخواست پذیرفته نشد: نشانی یا داده‌ها نادرست است.').waitFor();
    await alert.getByText('cityId must be 2-63 lowercase letters, digits and dashes').waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await keepScreenshot(page, 'refusal-390-fa');
    await page.getByRole('button', { name: 'English' }).click();
    await alert.getByText('The request was refused: the address or the data is not valid.').waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await page.context().close();
  });

  it('a district office with more tasks than a page holds pages through them; each line and the list say as of when, and name the city', async () => {
    // After the memorandum (the keyboard test), the office has a plan to send for districts 3 to 15.
    const page = await newPage(browser);
    await signIn(page, server.url, byId('district-planning-office'));
    const tasks = page.getByRole('link', { name: /فرستادن برنامهٔ منطقه/ });
    for (let i = 0; i < 60 && (await tasks.count()) < 10; i++) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      await page.reload();
      await page.getByRole('heading', { level: 1, name: 'کارهای من' }).waitFor();
      await page
        .getByRole('progressbar')
        .waitFor({ state: 'detached' })
        .catch(() => undefined);
    }
    const districtsShown = async () =>
      (await tasks.allTextContents()).map((text) => /district-\d+/.exec(text)?.[0] ?? text);
    const first = await districtsShown();
    expect(first).toHaveLength(10);
    // The city by the name it was started with, its id beside it.
    expect(await page.getByRole('heading', { level: 3 }).allTextContents()).toEqual([`اصفهان ${cityId}`]);
    for (const line of await tasks.allTextContents()) expect(line).toContain('به‌روزشده');
    // The tasks' pager, named after its list (the inbox has its own).
    const pager = page.getByRole('navigation', { name: 'صفحه‌های وظایف من' });
    expect(await pager.getByRole('button', { name: 'صفحهٔ قبل' }).isDisabled()).toBe(true);
    await pager.getByRole('button', { name: 'صفحهٔ بعد' }).click();
    await pager.getByRole('button', { name: 'صفحهٔ قبل' }).and(page.locator(':enabled')).waitFor();
    await tasks.first().waitFor();
    const second = await districtsShown();
    expect(await pager.getByRole('button', { name: 'صفحهٔ بعد' }).isDisabled()).toBe(true);
    expect([...first, ...second].sort()).toEqual(Array.from({ length: 13 }, (_, i) => `district-${i + 3}`).sort());
    expect(await seriousViolations(page)).toEqual([]);

    await page.getByRole('link', { name: 'نامزدی‌ها' }).click();
    await page.getByRole('columnheader', { name: 'به‌روزرسانی' }).waitFor();
    const row = page.getByRole('row', { name: new RegExp(cityId) });
    expect(await row.getByRole('link').textContent()).toBe(`اصفهان ${cityId}`);
    // On a phone the start date (two calendars) gives way to the other columns: it is on the candidacy's page.
    expect(await page.getByRole('columnheader', { name: 'آغاز' }).isVisible()).toBe(true);
    await page.setViewportSize({ width: 390, height: 844 });
    await page.getByRole('columnheader', { name: 'آغاز' }).waitFor({ state: 'hidden' });
    await page.getByRole('columnheader', { name: 'به‌روزرسانی' }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await keepScreenshot(page, 'candidacies-390-fa');
    expect(await row.getByRole('cell').last().textContent()).toMatch(/پیش|اکنون/);
    await page.context().close();
  });
});
