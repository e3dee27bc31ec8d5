// The console in front of an in-process API (startKudakStack), as one address, the way the API
// serves it at `/`: the built dist/console (its assets, and index.html for a page the browser asks
// for as HTML), every other request handled by the API's own Express app. Until the API offers
// them itself, the local sign-in endpoints (/auth/config, /auth/local/people, /auth/local/sessions)
// are answered here for the test's people, with tokens signed by the stack's local key.
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import type { INestApplication } from '@nestjs/common';
import type { Role } from '@kudak/contracts';
import { mintTestToken } from './tokens';

export const CONSOLE_DIST = path.resolve(__dirname, '..', '..', 'dist', 'console');

export interface ConsolePerson {
  id: string;
  name: { fa: string; en: string };
  role: Role;
  organisation: { fa: string; en: string };
  country: string;
  cities: string[];
  districts?: string[];
}

export interface ConsoleServer {
  url: string;
  close(): Promise<void>;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
};

const TOKEN_SECONDS = 3600;

async function json(req: http.IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>;
}

function send(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

export interface ConsoleServerOptions {
  /** Default: a free port. */
  port?: number;
  /**
   * Origins the console may call besides its own (an identity provider): added to the API's
   * Content-Security-Policy `connect-src`, as the API must when it names a provider.
   */
  connectTo?: string[];
  /** What /auth/config answers; default: the local sign-in. */
  auth?: { mode: 'local' } | { mode: 'oidc'; issuer: string; clientId: string; scopes: string };
}

export async function startConsoleServer(
  api: INestApplication,
  people: ConsolePerson[],
  options: ConsoleServerOptions = {},
): Promise<ConsoleServer> {
  if (!fs.existsSync(path.join(CONSOLE_DIST, 'index.html'))) {
    throw new Error(`No console build in ${CONSOLE_DIST}: run npm run build`);
  }
  const handle = api.getHttpAdapter().getInstance() as (req: http.IncomingMessage, res: http.ServerResponse) => void;
  // The console's files go out with the API's own security headers (read from its answer below).
  let policy = '';
  const headers = (type: string) => ({ 'content-type': type, 'content-security-policy': policy });
  const server = http.createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      if (url.pathname === '/auth/config') return send(res, 200, options.auth ?? { mode: 'local' });
      if (url.pathname === '/auth/local/people') return send(res, 200, people);
      if (url.pathname === '/auth/local/sessions' && req.method === 'POST') {
        const { personId } = await json(req);
        const person = people.find((p) => p.id === personId);
        if (!person) return send(res, 400, { statusCode: 400, message: ['personId must name a demo person'] });
        const accessToken = await mintTestToken(
          {
            role: person.role,
            sub: person.id,
            name: person.name.en,
            organisation: person.organisation.en,
            country: person.country,
            cities: person.cities,
            ...(person.districts ? { districts: person.districts } : {}),
          },
          { ttlSeconds: TOKEN_SECONDS },
        );
        return send(res, 201, {
          accessToken,
          expiresAt: new Date(Date.now() + TOKEN_SECONDS * 1000).toISOString(),
          person,
        });
      }
      const asset = path.join(CONSOLE_DIST, path.normalize(url.pathname));
      if (url.pathname.startsWith('/assets/') && asset.startsWith(CONSOLE_DIST) && fs.existsSync(asset)) {
        res.writeHead(200, headers(TYPES[path.extname(asset)] ?? 'application/octet-stream'));
        return void fs.createReadStream(asset).pipe(res);
      }
      // A page the browser navigates to asks for HTML; the console's own calls do not.
      if (
        req.method === 'GET' &&
        (req.headers.accept ?? '').includes('text/html') &&
        !url.pathname.startsWith('/docs')
      ) {
        res.writeHead(200, headers(TYPES['.html']));
        return void fs.createReadStream(path.join(CONSOLE_DIST, 'index.html')).pipe(res);
      }
      handle(req, res);
    })().catch((err: unknown) => send(res, 500, { message: String(err) }));
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  const apiPolicy = (await fetch(`${url}/health`)).headers.get('content-security-policy') ?? '';
  policy = [apiPolicy, options.connectTo?.length ? `connect-src 'self' ${options.connectTo.join(' ')}` : '']
    .filter(Boolean)
    .join(';');
  if (!apiPolicy) throw new Error('the API answered without a Content-Security-Policy');
  return {
    url,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
