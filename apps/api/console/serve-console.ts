import type { ConsoleFile, ConsoleFiles } from './console-files';

/** Hashed file names (Vite's `assets/index-3f2a9c.js`): a new build names new files, so they never change. */
export const ASSETS_PREFIX = '/assets/';
export const IMMUTABLE = 'public, max-age=31536000, immutable';
/** index.html and the other unhashed files: asked again each time, answered 304 while unchanged. */
export const REVALIDATE = 'no-cache';

interface ConsoleRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
}

interface ConsoleResponse {
  statusCode: number;
  setHeader(name: string, value: string | number): unknown;
  end(body?: Buffer): unknown;
}

/**
 * Whether a path is the API's: under /docs, or matching a route of the OpenAPI document (templates
 * like `/candidacies/{cityId}`). Route by route rather than by first segment, so the console may
 * have its own pages under a word the API uses (`/auth/callback`, the identity provider's redirect).
 */
export function apiPathMatcher(openApiPaths: string[]): (path: string) => boolean {
  const routes = openApiPaths.map(
    (template) => new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}/]+\}/g, '[^/]+')}/?$`),
  );
  return (path) => path === '/docs' || path.startsWith('/docs/') || routes.some((route) => route.test(path));
}

/**
 * Serves the built console: its files (hashed assets cached for a year, gzipped when the client
 * takes it), and index.html for `/` and for any other page a browser asks for that is no API path
 * (the console routes in the browser: a deep link or a reload lands here). Everything else, API
 * routes first, goes on to the API.
 */
export function serveConsole(files: ConsoleFiles, isApiPath: (path: string) => boolean) {
  return (req: ConsoleRequest, res: ConsoleResponse, next: () => void): void => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || isApiPath(req.path)) return next();
    const asset = req.path.startsWith(ASSETS_PREFIX);
    const file = req.path === '/' ? undefined : files.read(req.path);
    if (file) return answer(req, res, file, asset ? IMMUTABLE : REVALIDATE);
    // A missing asset is a 404 from the API, never the page in its place.
    if (asset) return next();
    const page = req.path === '/' || header(req, 'accept').includes('text/html') ? files.index() : undefined;
    if (page) return answer(req, res, page, REVALIDATE);
    next();
  };
}

function answer(req: ConsoleRequest, res: ConsoleResponse, file: ConsoleFile, cacheControl: string): void {
  res.setHeader('Cache-Control', cacheControl);
  res.setHeader('Content-Type', file.contentType);
  res.setHeader('ETag', file.etag);
  res.setHeader('Vary', 'Accept-Encoding');
  if (header(req, 'if-none-match') === file.etag) {
    res.statusCode = 304;
    res.end();
    return;
  }
  const gzip = file.gzipped && /\bgzip\b/.test(header(req, 'accept-encoding'));
  const body = gzip ? file.gzipped! : file.body;
  if (gzip) res.setHeader('Content-Encoding', 'gzip');
  res.setHeader('Content-Length', body.length);
  res.statusCode = 200;
  res.end(req.method === 'HEAD' ? undefined : body);
}

function header(req: ConsoleRequest, name: string): string {
  const value = req.headers[name];
  return (Array.isArray(value) ? value.join(',') : value) ?? '';
}
