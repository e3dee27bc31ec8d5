import { decodeJwt, decodeProtectedHeader } from 'jose';
import type { Browser } from 'playwright-core';
import request from 'supertest';
import { launchBrowser } from './support/browser';
import { startKudakStack, type KudakStack } from './support/kudak-stack';
import {
  authorizationUrl,
  pkce,
  startOidcProvider,
  TEST_ACCOUNTS,
  tokenRequest,
  type OidcAccount,
  type TestOidcProvider,
} from './support/oidc-provider';

// The console's origin as the provider registers it; the browser never reaches it (the redirect
// is caught), so no console needs to be built.
const ORIGIN = 'http://127.0.0.1:3999';
const [maryam, ali] = TEST_ACCOUNTS;

describe('signing in at an OpenID provider: authorization code with PKCE in a real browser', () => {
  let provider: TestOidcProvider;
  let otherProvider: TestOidcProvider;
  let stack: KudakStack;
  let browser: Browser;
  let http: ReturnType<typeof request>;

  beforeAll(async () => {
    [provider, otherProvider, browser] = await Promise.all([
      startOidcProvider({ origin: ORIGIN }),
      startOidcProvider({ origin: ORIGIN }),
      launchBrowser(),
    ]);
    stack = await startKudakStack({ worker: false, env: provider.apiEnvironment });
    http = request(stack.api.getHttpServer());
  });
  afterAll(async () => {
    await stack?.close();
    await browser?.close();
    await Promise.all([provider?.close(), otherProvider?.close()]);
  });

  /**
   * What the console does: the browser to the provider's /auth, the person signs in on its form, the
   * provider redirects to <origin>/auth/callback with a code, the code and verifier go to /token.
   */
  async function signIn(at: TestOidcProvider, account: OidcAccount, password = account.password) {
    const { verifier, challenge, state } = pkce();
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      // The provider's redirect to the console (nothing listens there: the request is enough), or its
      // form again with an alert.
      const callbackSeen = page
        .waitForRequest((r) => r.url().startsWith(at.redirectUri), { timeout: 15_000 })
        .then((r) => new URL(r.url()));
      const alert = page.getByRole('alert');
      const refusalSeen = alert.waitFor({ timeout: 15_000 }).then(() => alert.textContent());
      callbackSeen.catch(() => undefined);
      refusalSeen.catch(() => undefined);
      await page.goto(authorizationUrl(at, { challenge, state }));
      await page.getByLabel('Username').fill(account.id);
      await page.getByLabel('Password').fill(password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      const callback = await Promise.race([callbackSeen, refusalSeen]);
      if (!(callback instanceof URL)) return { refused: callback };
      expect(callback.searchParams.get('state')).toBe(state);
      const code = callback.searchParams.get('code')!;
      return {
        tokens: await tokenRequest(at, {
          grant_type: 'authorization_code',
          code,
          redirect_uri: at.redirectUri,
          code_verifier: verifier,
        }),
      };
    } finally {
      await context.close();
    }
  }

  it('GET /auth/config tells the console where to sign in', async () => {
    const res = await http.get('/auth/config').expect(200);
    expect(res.body).toEqual({
      mode: 'oidc',
      issuer: provider.issuer,
      clientId: 'kudak-console',
      scopes: 'openid profile offline_access',
      audience: 'kudak-api',
    });
    const discovery = (await (await fetch(`${provider.issuer}/.well-known/openid-configuration`)).json()) as Record<
      string,
      unknown
    >;
    expect(discovery).toMatchObject({ issuer: provider.issuer, jwks_uri: provider.jwksUri });
    expect(discovery.code_challenge_methods_supported).toEqual(['S256']);
  });

  it("a signed-in person's access token is a JWT for the API with the kudak claim: 200 on /me/tasks", async () => {
    const { tokens } = await signIn(provider, ali);
    expect(tokens).toMatchObject({ token_type: 'Bearer', refresh_token: expect.any(String) });
    expect(decodeProtectedHeader(tokens!.access_token)).toMatchObject({ alg: 'RS256', kid: expect.any(String) });
    expect(decodeJwt(tokens!.access_token)).toMatchObject({
      iss: provider.issuer,
      aud: 'kudak-api',
      sub: 'ali',
      kudak: ali.kudak,
    });
    const tasks = await http.get('/me/tasks').set('Authorization', `Bearer ${tokens!.access_token}`);
    expect({ status: tasks.status, body: tasks.body }).toEqual({ status: 200, body: [] });
  });

  it('a refresh token brings a new access token the API accepts', async () => {
    const { tokens } = await signIn(provider, maryam);
    const refreshed = await tokenRequest(provider, {
      grant_type: 'refresh_token',
      refresh_token: tokens!.refresh_token!,
    });
    expect(refreshed.access_token).toEqual(expect.any(String));
    expect(refreshed.access_token).not.toBe(tokens!.access_token);
    expect(decodeJwt(refreshed.access_token)).toMatchObject({ sub: 'maryam', kudak: maryam.kudak });
    await http.get('/candidacies').set('Authorization', `Bearer ${refreshed.access_token}`).expect(200);
  });

  it('a wrong password is refused on the form; PKCE is required', async () => {
    expect(await signIn(provider, maryam, 'guess')).toEqual({ refused: 'Unknown username or wrong password' });
    const noPkce = await fetch(authorizationUrl(provider, { state: 'x' }), { redirect: 'manual' });
    const location = new URL(noPkce.headers.get('location')!);
    expect(location.searchParams.get('error')).toBe('invalid_request');
  });

  it("a token from another issuer is a 401 (the API trusts only AUTH_ISSUER's keys)", async () => {
    const { tokens } = await signIn(otherProvider, maryam);
    const res = await http.get('/me/tasks').set('Authorization', `Bearer ${tokens!.access_token}`);
    expect(res.status).toBe(401);
    expect(res.body.message).toBe('unknown signing key');
  });
});
