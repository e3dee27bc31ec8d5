// A real OpenID provider on a loopback port, for the console's sign-in tests: see
// oidc-provider.child.mjs for what it offers. Authorization code with PKCE at `${issuer}/auth`, tokens
// at `${issuer}/token`, discovery at `${issuer}/.well-known/openid-configuration`.
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import * as path from 'node:path';
import { createInterface } from 'node:readline';
import type { KudakClaim } from '../../apps/api/auth/identity';

export interface OidcAccount {
  /** Username, and the tokens' `sub`. */
  id: string;
  password: string;
  name: string;
  kudak: KudakClaim;
}

export interface OidcProviderOptions {
  /** The console's origin: it registers `<origin>/auth/callback` and `<origin>/` (after logout). */
  origin: string;
  clientId?: string;
  /** The `aud` of its access tokens (the API's AUTH_AUDIENCE). */
  audience?: string;
  accounts?: OidcAccount[];
  accessTokenSeconds?: number;
}

export interface TestOidcProvider {
  issuer: string;
  jwksUri: string;
  clientId: string;
  audience: string;
  redirectUri: string;
  /** The API's settings that trust this provider. */
  apiEnvironment: Record<string, string>;
  close(): Promise<void>;
}

export const TEST_CLIENT_ID = 'kudak-console';
/** The resource indicator of the API; the provider uses it when the client names none. */
export const API_RESOURCE = 'urn:kudak:api';

/** A secretariat administrator of Isfahan and a district submitter of its district 1. */
export const TEST_ACCOUNTS: OidcAccount[] = [
  {
    id: 'maryam',
    password: 'maryam-secret',
    name: 'Maryam Ahmadi',
    kudak: { role: 'administrator', org: 'Isfahan Municipality', country: 'IR', cities: ['isfahan'] },
  },
  {
    id: 'ali',
    password: 'ali-secret',
    name: 'Ali Rezaei',
    kudak: {
      role: 'district_submitter',
      org: 'District 1',
      country: 'IR',
      cities: ['isfahan'],
      districts: ['district-1'],
    },
  },
];

const CHILD = path.join(__dirname, 'oidc-provider.child.mjs');

export async function startOidcProvider(options: OidcProviderOptions): Promise<TestOidcProvider> {
  const clientId = options.clientId ?? TEST_CLIENT_ID;
  const audience = options.audience ?? 'kudak-api';
  const redirectUri = `${options.origin}/auth/callback`;
  const settings = {
    clientId,
    audience,
    resource: API_RESOURCE,
    redirectUris: [redirectUri],
    postLogoutRedirectUris: [`${options.origin}/`],
    accounts: options.accounts ?? TEST_ACCOUNTS,
    accessTokenSeconds: options.accessTokenSeconds ?? 600,
  };
  const child = spawn(process.execPath, [CHILD, JSON.stringify(settings)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const { issuer, jwksUri } = await readyLine(child, () => stderr);
  return {
    issuer,
    jwksUri,
    clientId,
    audience,
    redirectUri,
    apiEnvironment: { AUTH_ISSUER: issuer, AUTH_JWKS_URL: jwksUri, AUTH_AUDIENCE: audience, AUTH_CLIENT_ID: clientId },
    close: () => stop(child),
  };
}

function readyLine(child: ChildProcess, stderr: () => string): Promise<{ issuer: string; jwksUri: string }> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the OpenID provider did not start in 20 s: ${stderr()}`));
    }, 20_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the OpenID provider exited (${code}): ${stderr()}`));
    });
    createInterface({ input: child.stdout! }).once('line', (line) => {
      clearTimeout(timer);
      resolve(JSON.parse(line) as { issuer: string; jwksUri: string });
    });
  });
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

/** A PKCE pair (S256) and a state, as the console makes them. */
export function pkce(): { verifier: string; challenge: string; state: string } {
  const verifier = randomBytes(32).toString('base64url');
  return {
    verifier,
    challenge: createHash('sha256').update(verifier).digest('base64url'),
    state: randomBytes(16).toString('base64url'),
  };
}

/** The authorization request the console sends the browser to. */
export function authorizationUrl(
  provider: TestOidcProvider,
  request: { challenge?: string; state: string; scope?: string },
): string {
  const url = new URL(`${provider.issuer}/auth`);
  url.search = new URLSearchParams({
    client_id: provider.clientId,
    redirect_uri: provider.redirectUri,
    response_type: 'code',
    scope: request.scope ?? 'openid profile offline_access',
    state: request.state,
    ...(request.challenge ? { code_challenge: request.challenge, code_challenge_method: 'S256' } : {}),
  }).toString();
  return url.toString();
}

export interface TokenAnswer {
  access_token: string;
  refresh_token?: string;
  id_token?: string;
  token_type: string;
  expires_in: number;
  error?: string;
}

/** A token request from the public client (no secret), as the console makes it. */
export async function tokenRequest(provider: TestOidcProvider, params: Record<string, string>): Promise<TokenAnswer> {
  const res = await fetch(`${provider.issuer}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ client_id: provider.clientId, ...params }),
  });
  return (await res.json()) as TokenAnswer;
}
