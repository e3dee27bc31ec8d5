// The sign-in endpoints (/auth/*), typed by the generated OpenAPI types like every other call.
import { api, unwrap, type Schemas } from '../api/client';

export type AuthConfig = Schemas['AuthConfigDto'];
export type DemoPerson = Schemas['DemoPersonDto'];
export type LocalSession = Schemas['LocalSessionDto'];

export async function fetchAuthConfig(): Promise<AuthConfig> {
  return unwrap(await api.GET('/auth/config'));
}

export async function fetchDemoPeople(): Promise<DemoPerson[]> {
  return unwrap(await api.GET('/auth/local/people'));
}

/** Signs a demo person in; the token names them in `locale`, the language the console will show them. */
export async function startLocalSession(personId: string, locale: 'fa' | 'en'): Promise<LocalSession> {
  return unwrap(await api.POST('/auth/local/sessions', { body: { personId, locale } }));
}
