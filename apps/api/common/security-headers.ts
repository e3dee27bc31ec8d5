import type { IncomingMessage, ServerResponse } from 'node:http';
import helmet from 'helmet';
import type { KudakConfig } from '@kudak/config';

type Middleware = (req: IncomingMessage & { path: string }, res: ServerResponse, next: (err?: unknown) => void) => void;

/**
 * Helmet's headers with two content security policies. The console and the API's answers: scripts
 * only from the API's origin, no inline script; inline styles allowed (MUI writes its styles at run
 * time); the identity provider's origin reachable (discovery, token endpoint, silent renewal).
 * Swagger UI at /docs needs its inline bootstrap script, and gets it there only.
 */
export function securityHeaders(config: KudakConfig): Middleware {
  const provider = identityProviderOrigin(config);
  const console = helmet({
    contentSecurityPolicy: {
      directives: {
        'default-src': ["'self'"],
        'script-src': ["'self'"],
        'style-src': ["'self'", "'unsafe-inline'"],
        'img-src': ["'self'", 'data:'],
        'font-src': ["'self'", 'data:'],
        'connect-src': ["'self'", ...provider],
        'frame-src': ["'self'", ...provider],
        'form-action': ["'self'", ...provider],
        // The embedded default answers on plain http; behind TLS a proxy's HSTS does this job.
        'upgrade-insecure-requests': null,
      },
    },
  });
  const docs = helmet({
    contentSecurityPolicy: {
      directives: {
        'script-src': ["'self'", "'unsafe-inline'"],
        'style-src': ["'self'", "'unsafe-inline'"],
        'img-src': ["'self'", 'data:'],
      },
    },
  });
  const headers: Middleware = (req, res, next) =>
    (req.path === '/docs' || req.path.startsWith('/docs/') ? docs : console)(req, res, next);
  return headers;
}

/** The identity provider's origin, when one is configured and its issuer is a URL. */
function identityProviderOrigin(config: KudakConfig): string[] {
  const { mode, issuer } = config.auth;
  return mode === 'jwks' && URL.canParse(issuer) ? [new URL(issuer).origin] : [];
}
