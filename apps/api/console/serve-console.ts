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

/** Paths that stay the API's even for a browser's page load: Swagger UI and the health checks. */
const NEVER_THE_PAGE = ['/docs', '/health'];

function isReserved(path: string): boolean {
  return NEVER_THE_PAGE.some((prefix) => path === prefix || path.startsWith(`${prefix}/`));
}

/**
 * Whether a request is a browser loading a page (a deep link, a reload), not an API call: a
 * navigation, or an Accept that lists text/html before application/json or without it (fetch's
 * default, any type, and an API client's JSON do not), and never with a bearer token.
 */
export function isPageLoad(req: ConsoleRequest): boolean {
  if (header(req, 'authorization') !== '') return false;
  if (header(req, 'sec-fetch-mode') === 'navigate') return true;
  const accept = header(req, 'accept').toLowerCase();
  const html = accept.indexOf('text/html');
  const json = accept.indexOf('application/json');
  return html !== -1 && (json === -1 || html < json);
}

/**
 * Serves the built console: its files (hashed assets cached for a year, gzipped when the client
 * takes it), and index.html for `/` and for a browser's page load on any path but /docs and /health:
 * the console routes in the browser, and its pages (`/candidacies/isfahan`) share their paths with
 * API routes, which answer everything else (API calls, a missing asset) as before.
 */
export function serveConsole(files: ConsoleFiles) {
  return (req: ConsoleRequest, res: ConsoleResponse, next: () => void): void => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || isReserved(req.path)) return next();
    const asset = req.path.startsWith(ASSETS_PREFIX);
    const file = req.path === '/' ? undefined : files.read(req.path);
    if (file) return answer(req, res, file, asset ? IMMUTABLE : REVALIDATE);
    // A missing asset is a 404 from the API, never the page in its place.
    if (asset) return next();
    const page = req.path === '/' || isPageLoad(req) ? files.index() : undefined;
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
