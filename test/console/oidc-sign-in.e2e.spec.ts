import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import type { Browser } from 'playwright-core';
import { launchBrowser } from '../support/browser';
import { newPage, seriousViolations } from '../support/console-browser';
import { startConsoleServer, type ConsoleServer } from '../support/console-server';
import { startKudakStack, type KudakStack } from '../support/kudak-stack';
import { freePorts } from '../support/process-stack';

// The console signing in through a real OpenID provider run by the test (oidc-provider): the
// authorization code with PKCE from the provider's discovery document, the provider's JWT access
// token accepted by the API (AUTH_ISSUER, AUTH_JWKS_URL), and sign-out everywhere through the
// provider's end-session, after which the provider asks for the login again.
const AUDIENCE = 'kudak-api';
const CLAIMS = {
  'focal-point': { role: 'administrator', org: 'Isfahan Municipality', country: 'IR', cities: ['isfahan'] },
};

describe('console: signing in and out with an OpenID provider', () => {
  let provider: ChildProcess;
  let stack: KudakStack;
  let server: ConsoleServer;
  let browser: Browser;
  let issuer: string;

  beforeAll(async () => {
    const [providerPort, consolePort] = freePorts(2);
    issuer = `http://127.0.0.1:${providerPort}`;
    const consoleOrigin = `http://127.0.0.1:${consolePort}`;
    provider = spawn(
      process.execPath,
      [
        path.join(__dirname, '..', 'support', 'oidc-provider.mjs'),
        JSON.stringify({ port: providerPort, consoleOrigin, audience: AUDIENCE, claims: CLAIMS }),
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    // Its warnings (development adapter and interactions) are kept for a failure's message only.
    let said = '';
    provider.stderr!.on('data', (chunk: Buffer) => (said += chunk.toString()));
    await new Promise<void>((resolve, reject) => {
      provider.stdout!.on('data', (chunk: Buffer) => chunk.toString().includes('ready') && resolve());
      provider.once('exit', (code) => reject(new Error(`the OpenID provider exited with ${code}: ${said}`)));
    });
    stack = await startKudakStack({
      env: { AUTH_ISSUER: issuer, AUTH_JWKS_URL: `${issuer}/jwks`, AUTH_AUDIENCE: AUDIENCE },
    });
    server = await startConsoleServer(stack.api, [], {
      port: consolePort,
      // The console reads the provider's discovery document and exchanges the code there: the API's
      // Content-Security-Policy must let it connect to the provider (its default-src 'self' does not).
      connectTo: [issuer],
      auth: { mode: 'oidc', issuer, clientId: 'kudak-console', scopes: 'openid kudak' },
    });
    browser = await launchBrowser();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await stack?.close();
    provider?.kill('SIGTERM');
  }, 60_000);

  it("signs in with the provider's code flow, calls the API with its token, and signs out everywhere", async () => {
    const page = await newPage(browser);
    await page.goto(`${server.url}/`);
    await page.getByRole('button', { name: 'ورود با حساب سازمانی' }).click();

    // The provider's own login form, then its consent.
    await page.waitForURL(`${issuer}/**`);
    await page.locator('input[name="login"]').fill('focal-point');
    await page.locator('input[name="password"]').fill('any');
    await page.locator('button[type="submit"]').click();
    await page.getByRole('button', { name: 'Continue' }).click();

    await page.getByRole('heading', { level: 1, name: 'کارهای من' }).waitFor();
    expect(page.url()).toBe(`${server.url}/`);
    // The API took the provider's token: the list answers (an error would show instead).
    await page.getByRole('link', { name: 'نامزدی‌ها' }).click();
    await page.getByText('نامزدی‌ای یافت نشد.').waitFor();
    const { token, refreshToken } = await page.evaluate((authority) => {
      const storage = (globalThis as unknown as { localStorage: { getItem(key: string): string | null } }).localStorage;
      const session = JSON.parse(storage.getItem('kudak.session') ?? '{}') as { accessToken?: string };
      const user = JSON.parse(storage.getItem(`oidc.user:${authority}:kudak-console`) ?? '{}') as {
        refresh_token?: string;
      };
      return { token: session.accessToken ?? '', refreshToken: user.refresh_token };
    }, issuer);
    // Silent renewal has what it needs: a refresh token (oidc-client-ts renews before expiry).
    expect(refreshToken).toEqual(expect.any(String));
    const claims = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()) as Record<string, unknown>;
    expect(claims).toMatchObject({ iss: issuer, aud: AUDIENCE, sub: 'focal-point', kudak: CLAIMS['focal-point'] });
    expect(await seriousViolations(page)).toEqual([]);

    // Sign-out everywhere: the provider's end-session, then back to the console, signed out.
    await page.getByRole('button', { name: 'خروج' }).click();
    await page.waitForURL(`${issuer}/**`);
    await page.getByRole('button', { name: /sign me out/i }).click();
    await page.getByRole('heading', { level: 1, name: 'ورود' }).waitFor();
    expect(page.url().startsWith(server.url)).toBe(true);
    // The provider's session is gone too: signing in asks for the login again.
    await page.getByRole('button', { name: 'ورود با حساب سازمانی' }).click();
    await page.locator('input[name="login"]').waitFor();
    await page.context().close();
  });
});
