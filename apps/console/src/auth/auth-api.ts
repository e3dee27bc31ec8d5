// The sign-in endpoints (/auth/*). Their types come from the OpenAPI document once it describes
// them; until then these are the shapes the API answers with.
import { ApiError, messagesOf } from '../api/client';

export interface LocalizedName {
  fa: string;
  en: string;
}

export interface AuthConfig {
  mode: 'local' | 'oidc';
  issuer?: string;
  clientId?: string;
  scopes?: string;
}

export interface DemoPerson {
  id: string;
  name: LocalizedName;
  role: string;
  organisation: LocalizedName;
  country: string;
  cities: string[];
  districts?: string[];
}

export interface LocalSession {
  accessToken: string;
  expiresAt: string;
  person: DemoPerson;
}

async function json<T>(res: Response): Promise<T> {
  const body: unknown = await res.json().catch(() => undefined);
  if (!res.ok) throw new ApiError(res.status, messagesOf(body));
  return body as T;
}

export async function fetchAuthConfig(): Promise<AuthConfig> {
  const res = await fetch('/auth/config');
  // An API without the endpoint signs in locally.
  if (res.status === 404) return { mode: 'local' };
  return json<AuthConfig>(res);
}

export async function fetchDemoPeople(): Promise<DemoPerson[]> {
  return json<DemoPerson[]>(await fetch('/auth/local/people'));
}

export async function startLocalSession(personId: string): Promise<LocalSession> {
  return json<LocalSession>(
    await fetch('/auth/local/sessions', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ personId }),
    }),
  );
}
