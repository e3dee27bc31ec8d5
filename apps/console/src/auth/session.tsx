// The session: a local sign-in (a demo person, the API's local key) or OpenID Connect (authorization
// code with PKCE through oidc-client-ts, loaded only in that mode, with silent renewal).
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { UserManager } from 'oidc-client-ts';
import { bindSession } from '../api/client';
import { fetchAuthConfig, startLocalSession, type AuthConfig } from './auth-api';
import { rememberedLanguage } from '../i18n/i18n';
import { identityOf, type Identity } from './identity';

const STORAGE_KEY = 'kudak.session';

interface StoredSession {
  accessToken: string;
  expiresAt: string;
  displayName?: { fa: string; en: string };
}

export interface Session {
  config?: AuthConfig;
  identity?: Identity;
  displayName?: { fa: string; en: string };
  ready: boolean;
  signInLocal(personId: string): Promise<void>;
  signInOidc(): Promise<void>;
  completeOidc(): Promise<void>;
  signOut(): Promise<void>;
}

const SessionContext = createContext<Session | undefined>(undefined);

function readStored(): StoredSession | undefined {
  try {
    const stored = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? 'null') as StoredSession | null;
    if (stored && Date.parse(stored.expiresAt) > Date.now()) return stored;
  } catch {
    // A damaged entry is no session.
  }
  localStorage.removeItem(STORAGE_KEY);
  return undefined;
}

async function oidcManager(config: AuthConfig): Promise<UserManager> {
  const { UserManager, WebStorageStateStore } = await import('oidc-client-ts');
  return new UserManager({
    authority: config.issuer ?? '',
    client_id: config.clientId ?? '',
    redirect_uri: `${window.location.origin}/auth/callback`,
    post_logout_redirect_uri: `${window.location.origin}/`,
    response_type: 'code',
    scope: config.scopes ?? 'openid profile',
    automaticSilentRenew: true,
    userStore: new WebStorageStateStore({ store: window.localStorage }),
  });
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const [config, setConfig] = useState<AuthConfig>();
  const [stored, setStored] = useState<StoredSession | undefined>(readStored);
  const [manager, setManager] = useState<UserManager>();

  const save = useCallback((next: StoredSession | undefined) => {
    if (next) localStorage.setItem(STORAGE_KEY, JSON.stringify(next));
    else localStorage.removeItem(STORAGE_KEY);
    setStored(next);
  }, []);

  useEffect(() => {
    let cancelled = false;
    void (async () => {
      const loaded = await fetchAuthConfig().catch((): AuthConfig => ({ mode: 'local' }));
      if (cancelled) return;
      if (loaded.mode === 'oidc') {
        const userManager = await oidcManager(loaded);
        // A renewed token replaces the stored one; a failed renewal ends the session.
        userManager.events.addUserLoaded((user) =>
          save({ accessToken: user.access_token, expiresAt: new Date((user.expires_at ?? 0) * 1000).toISOString() }),
        );
        userManager.events.addSilentRenewError(() => save(undefined));
        setManager(userManager);
      }
      setConfig(loaded);
    })();
    return () => {
      cancelled = true;
    };
  }, [save]);

  // Bound while rendering, so that the pages' first queries (children's effects run first) carry it.
  bindSession(
    () => stored?.accessToken,
    () => save(undefined),
  );

  const session = useMemo<Session>(
    () => ({
      config,
      identity: stored ? identityOf(stored.accessToken) : undefined,
      displayName: stored?.displayName,
      ready: config !== undefined,
      async signInLocal(personId) {
        const started = await startLocalSession(personId, rememberedLanguage(personId));
        save({ accessToken: started.accessToken, expiresAt: started.expiresAt, displayName: started.person.name });
      },
      async signInOidc() {
        await manager?.signinRedirect();
      },
      async completeOidc() {
        if (!manager) return;
        const user = await manager.signinCallback();
        if (user) {
          save({ accessToken: user.access_token, expiresAt: new Date((user.expires_at ?? 0) * 1000).toISOString() });
        }
      },
      async signOut() {
        save(undefined);
        // Sign-out everywhere: the provider's end-session ends its session too.
        if (manager) await manager.signoutRedirect();
      },
    }),
    [config, stored, manager, save],
  );

  return <SessionContext.Provider value={session}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside SessionProvider');
  return session;
}
