// A real OpenID provider for the console's tests (oidc-provider, an ES module, hence a child process
// of its own: jest runs the tests as CommonJS). Started by test/support/oidc-provider.ts with its
// settings as JSON in argv[2]; prints one JSON line {issuer, jwksUri} when it listens, and stops on
// SIGTERM. One public client (authorization code, PKCE, refresh tokens), JWT access tokens for the
// API's audience carrying the `kudak` claim, accounts with passwords and a plain login form.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import Provider, { errors } from 'oidc-provider';

const settings = JSON.parse(process.argv[2]);
const accounts = new Map(settings.accounts.map((account) => [account.id, account]));

const server = createServer();
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const issuer = `http://127.0.0.1:${server.address().port}`;

const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const signingKey = {
  ...privateKey.export({ format: 'jwk' }),
  kid: `kudak-test-${randomBytes(4).toString('hex')}`,
  alg: 'RS256',
  use: 'sig',
};

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: settings.clientId,
      token_endpoint_auth_method: 'none',
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      redirect_uris: settings.redirectUris,
      post_logout_redirect_uris: settings.postLogoutRedirectUris,
    },
  ],
  jwks: { keys: [signingKey] },
  cookies: { keys: [randomBytes(32).toString('hex')] },
  scopes: ['openid', 'profile', 'offline_access'],
  claims: { openid: ['sub'], profile: ['name'] },
  async findAccount(_ctx, id) {
    const account = accounts.get(id);
    return account && { accountId: id, claims: async () => ({ sub: id, name: account.name }) };
  },
  pkce: { required: () => true },
  interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
  features: {
    devInteractions: { enabled: false },
    resourceIndicators: {
      enabled: true,
      // The console asks for no resource: its tokens are for the API.
      defaultResource: () => settings.resource,
      useGrantedResource: () => true,
      getResourceServerInfo(_ctx, indicator) {
        if (indicator !== settings.resource) throw new errors.InvalidTarget();
        return {
          scope: 'kudak',
          audience: settings.audience,
          accessTokenFormat: 'jwt',
          accessTokenTTL: settings.accessTokenSeconds,
          jwt: { sign: { alg: 'RS256' } },
        };
      },
    },
  },
  // The console is first-party: its sign-in grants what it asks for, no consent screen.
  async loadExistingGrant(ctx) {
    const grantId = ctx.oidc.result?.consent?.grantId || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    if (grantId) return ctx.oidc.provider.Grant.find(grantId);
    const grant = new ctx.oidc.provider.Grant({
      clientId: ctx.oidc.client.clientId,
      accountId: ctx.oidc.session.accountId,
    });
    grant.addOIDCScope('openid profile offline_access');
    grant.addResourceScope(settings.resource, 'kudak');
    await grant.save();
    return grant;
  },
  async extraTokenClaims(_ctx, token) {
    if (token.kind !== 'AccessToken') return undefined;
    return { kudak: accounts.get(token.accountId)?.kudak };
  },
  // Refresh tokens for the console whether or not it asked for offline_access (rotated: a public client).
  issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed('refresh_token'),
  clientBasedCORS: (_ctx, origin, client) => client.redirectUris.some((uri) => new URL(uri).origin === origin),
});

const escape = (text) => String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const loginForm = (uid, message = '') => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Sign in</title></head><body>
<form method="post" action="/interaction/${escape(uid)}/login">
${message ? `<p role="alert">${escape(message)}</p>` : ''}
<label>Username <input name="login" autocomplete="username" autofocus></label>
<label>Password <input name="password" type="password" autocomplete="current-password"></label>
<button type="submit">Sign in</button>
</form></body></html>`;

const readForm = (req) =>
  new Promise((resolve, reject) => {
    let body = '';
    req
      .on('data', (chunk) => (body += chunk))
      .on('end', () => resolve(new URLSearchParams(body)))
      .on('error', reject);
  });

const callback = provider.callback();
server.on('request', async (req, res) => {
  const match = /^\/interaction\/([\w-]+)(\/login)?$/.exec(new URL(req.url, issuer).pathname);
  if (!match) return callback(req, res);
  try {
    const details = await provider.interactionDetails(req, res);
    if (req.method === 'GET') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(loginForm(details.uid));
      return;
    }
    const form = await readForm(req);
    const account = accounts.get(form.get('login') ?? '');
    if (!account || account.password !== form.get('password')) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(loginForm(details.uid, 'Unknown username or wrong password'));
      return;
    }
    await provider.interactionFinished(
      req,
      res,
      { login: { accountId: account.id } },
      { mergeWithLastSubmission: false },
    );
  } catch (err) {
    res.writeHead(400, { 'content-type': 'text/plain' }).end(String(err?.message ?? err));
  }
});

process.on('SIGTERM', () => server.close(() => process.exit(0)));
process.stdout.write(`${JSON.stringify({ issuer, jwksUri: `${issuer}/jwks` })}\n`);
