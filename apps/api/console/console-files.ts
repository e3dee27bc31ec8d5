import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
};

/** Smaller than this, gzip saves nothing worth a header. */
const GZIP_MIN_BYTES = 1024;

/** One file of the built console, as it is answered. */
export interface ConsoleFile {
  contentType: string;
  body: Buffer;
  /** The body gzipped, when that is worth it for its type. */
  gzipped?: Buffer;
  etag: string;
}

/**
 * The built console's files, read from disk and compressed once, read again when the file changes
 * (a rebuild of the console while the API runs). Only regular files inside the folder, no dotfiles.
 */
export class ConsoleFiles {
  private readonly cache = new Map<string, { mtimeMs: number; size: number; file: ConsoleFile }>();

  constructor(readonly dir: string) {}

  /** Whether the folder holds a built console. */
  exists(): boolean {
    return fs.statSync(path.join(this.dir, 'index.html'), { throwIfNoEntry: false })?.isFile() ?? false;
  }

  index(): ConsoleFile | undefined {
    return this.read('/index.html');
  }

  /** The file at a URL path (`/assets/index-3f2a.js`), or undefined. */
  read(urlPath: string): ConsoleFile | undefined {
    const file = this.resolve(urlPath);
    const stat = file ? statOf(file) : undefined;
    if (!file || !stat?.isFile()) return undefined;
    const cached = this.cache.get(file);
    if (cached && cached.mtimeMs === stat.mtimeMs && cached.size === stat.size) return cached.file;
    const body = fs.readFileSync(file);
    const contentType = CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
    const compressible = /^(text\/|application\/(json|manifest)|image\/svg)/.test(contentType);
    const entry: ConsoleFile = {
      contentType,
      body,
      ...(compressible && body.length >= GZIP_MIN_BYTES ? { gzipped: gzipSync(body, { level: 9 }) } : {}),
      etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`,
    };
    this.cache.set(file, { mtimeMs: stat.mtimeMs, size: stat.size, file: entry });
    return entry;
  }

  private resolve(urlPath: string): string | undefined {
    let decoded: string;
    try {
      decoded = decodeURIComponent(urlPath);
    } catch {
      return undefined;
    }
    const segments = decoded.split('/').filter((segment) => segment !== '');
    // No way out of the folder, and nothing hidden (.env, .git) is served.
    if (segments.length === 0 || segments.some((s) => s.startsWith('.') || s.includes('\\') || s.includes('\0'))) {
      return undefined;
    }
    return path.join(this.dir, ...segments);
  }
}

/**
 * The file's stat, or undefined when there is none to serve: missing, and also a path the file
 * system refuses (a name too long, a file taken for a folder, no permission). Any URL may be asked.
 */
function statOf(file: string): fs.Stats | undefined {
  try {
    return fs.statSync(file, { throwIfNoEntry: false });
  } catch {
    return undefined;
  }
}
