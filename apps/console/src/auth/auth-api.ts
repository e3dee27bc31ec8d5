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

export async function startLocalSession(personId: string): Promise<LocalSession> {
  return unwrap(await api.POST('/auth/local/sessions', { body: { personId } }));
}
