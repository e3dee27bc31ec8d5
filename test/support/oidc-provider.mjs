// A real OpenID provider for the console's sign-in test (the oidc-provider package, an ES module,
// so it runs in a process of its own): a public client with PKCE, its development login form (any
// login signs in as that person), and JWT access tokens for the API carrying each person's `kudak`
// claim. Argument: a JSON of { port, consoleOrigin, audience, claims: { [login]: kudakClaim } }.
// Prints `ready` once it listens; stops on SIGTERM.
import { generateKeyPairSync } from 'node:crypto';
import Provider from 'oidc-provider';

const { port, consoleOrigin, audience, claims } = JSON.parse(process.argv[2]);
const RESOURCE = 'urn:kudak:api';
const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const jwk = { ...privateKey.export({ format: 'jwk' }), kid: 'test-key', use: 'sig', alg: 'RS256' };

const provider = new Provider(`http://127.0.0.1:${port}`, {
  clients: [
    {
      client_id: 'kudak-console',
      token_endpoint_auth_method: 'none',
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      redirect_uris: [`${consoleOrigin}/auth/callback`],
      post_logout_redirect_uris: [`${consoleOrigin}/`],
    },
  ],
  jwks: { keys: [jwk] },
  scopes: ['openid', 'offline_access', 'kudak'],
  findAccount: (_ctx, sub) => ({ accountId: sub, claims: () => ({ sub }) }),
  features: {
    devInteractions: { enabled: true },
    resourceIndicators: {
      enabled: true,
      defaultResource: () => RESOURCE,
      useGrantedResource: () => true,
      getResourceServerInfo: () => ({
        scope: 'kudak',
        audience,
        accessTokenTTL: 600,
        accessTokenFormat: 'jwt',
        jwt: { sign: { alg: 'RS256' } },
      }),
    },
  },
  // Refresh tokens for the single-page client (rotated), as providers offer browser apps.
  issueRefreshToken: (_ctx, client) => client.grantTypeAllowed('refresh_token'),
  extraTokenClaims: (_ctx, token) => (claims[token.accountId] ? { kudak: claims[token.accountId] } : undefined),
});

const server = provider.listen(port, '127.0.0.1', () => console.log('ready'));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
