import type { Browser } from 'playwright-core';
import { launchBrowser } from '../support/browser';
import { newPage, seriousViolations } from '../support/console-browser';
import { startConsoleServer, type ConsoleServer } from '../support/console-server';
import { startOidcProvider, TEST_ACCOUNTS, type TestOidcProvider } from '../support/oidc-provider';
import { freePorts } from '../support/process-stack';

// The console, served by the API, signing in through a real OpenID provider run by the test
// (test/support/oidc-provider.ts): the authorization code with PKCE from the provider's discovery
// document, under the API's own Content-Security-Policy (which names the provider), the provider's
// JWT access token accepted by the API, and sign-out everywhere through the provider's end-session,
// after which the provider asks for the login again.
const [maryam] = TEST_ACCOUNTS;

describe('console: signing in and out with an OpenID provider', () => {
  let provider: TestOidcProvider;
  let server: ConsoleServer;
  let browser: Browser;

  beforeAll(async () => {
    // The provider registers the console's redirect, so the console's port is chosen first.
    const [port] = freePorts(1);
    provider = await startOidcProvider({ origin: `http://127.0.0.1:${port}` });
    server = await startConsoleServer({ port, worker: false, env: provider.apiEnvironment });
    browser = await launchBrowser();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await provider?.close();
  }, 60_000);

  it("signs in with the provider's code flow, calls the API with its token, and signs out everywhere", async () => {
    // The API's policy lets the console reach the provider (discovery, token endpoint).
    const policy = (await fetch(`${server.url}/`)).headers.get('content-security-policy') ?? '';
    expect(policy.split(';').find((d) => d.trim().startsWith('connect-src'))).toContain(provider.issuer);
    const page = await newPage(browser);
    const refused: string[] = [];
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) refused.push(message.text());
    });
    await page.goto(`${server.url}/`);
    await page.getByRole('button', { name: 'ورود با حساب سازمانی' }).click();

    // The provider's own login form (the console is first-party: no consent screen).
    await page.waitForURL(`${provider.issuer}/**`);
    await page.getByLabel('Username').fill(maryam.id);
    await page.getByLabel('Password').fill(maryam.password);
    await page.getByRole('button', { name: 'Sign in' }).click();

    await page.getByRole('heading', { level: 1, name: 'کارهای من' }).waitFor();
    expect(page.url()).toBe(`${server.url}/`);
    // The API took the provider's token: the list answers (an error would show instead).
    await page.getByRole('link', { name: 'نامزدی‌ها' }).click();
    await page.getByText('نامزدی‌ای یافت نشد.').waitFor();
    const { token, refreshToken } = await page.evaluate(
      ({ authority, clientId }) => {
        const storage = (globalThis as unknown as { localStorage: { getItem(key: string): string | null } })
          .localStorage;
        const session = JSON.parse(storage.getItem('kudak.session') ?? '{}') as { accessToken?: string };
        const user = JSON.parse(storage.getItem(`oidc.user:${authority}:${clientId}`) ?? '{}') as {
          refresh_token?: string;
        };
        return { token: session.accessToken ?? '', refreshToken: user.refresh_token };
      },
      { authority: provider.issuer, clientId: provider.clientId },
    );
    // Silent renewal has what it needs: a refresh token (oidc-client-ts renews before expiry).
    expect(refreshToken).toEqual(expect.any(String));
    const claims = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()) as Record<string, unknown>;
    expect(claims).toMatchObject({ iss: provider.issuer, aud: provider.audience, sub: maryam.id, kudak: maryam.kudak });
    expect(await seriousViolations(page)).toEqual([]);

    // Sign-out everywhere: the provider's end-session, then back to the console, signed out.
    await page.getByRole('button', { name: 'خروج' }).click();
    await page.waitForURL(`${provider.issuer}/**`);
    await page.getByRole('button', { name: /sign me out/i }).click();
    await page.getByRole('heading', { level: 1, name: 'ورود' }).waitFor();
    expect(page.url().startsWith(server.url)).toBe(true);
    // The provider's session is gone too: signing in asks for the login again.
    await page.getByRole('button', { name: 'ورود با حساب سازمانی' }).click();
    await page.getByLabel('Username').waitFor();
    expect(refused).toEqual([]);
    await page.context().close();
  });
});
