import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Browser } from 'playwright-core';
import request from 'supertest';
import { newPage, signIn } from './support/console-browser';
import { seedPerson, sessionToken, startConsoleServer, type ConsoleServer } from './support/console-server';
import { launchBrowser } from './support/browser';
import { startKudakStack, type KudakStack } from './support/kudak-stack';

const INDEX =
  '<!doctype html><html lang="fa" dir="rtl"><script type="module" src="/assets/index-4f9c2a.js"></script></html>';
// Big and repetitive enough that gzip pays.
const SCRIPT = `export const words = ${JSON.stringify(Array.from({ length: 500 }, (_, i) => `word-${i % 7}`))};\n`;
const HTML = 'text/html,application/xhtml+xml;q=0.9,*/*;q=0.8';

/** A built console as Vite lays it out: index.html, hashed assets, a file of public/. */
function fakeConsole(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kudak-console-'));
  fs.mkdirSync(path.join(dir, 'assets'));
  fs.writeFileSync(path.join(dir, 'index.html'), INDEX);
  fs.writeFileSync(path.join(dir, 'assets', 'index-4f9c2a.js'), SCRIPT);
  fs.writeFileSync(path.join(dir, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  fs.writeFileSync(path.join(dir, '.env'), 'SECRET=1');
  return dir;
}

describe('the console served by the API at /', () => {
  let stack: KudakStack;
  let http: ReturnType<typeof request>;
  let dir: string;

  beforeAll(async () => {
    dir = fakeConsole();
    stack = await startKudakStack({ worker: false, env: { CONSOLE_DIR: dir } });
    http = request(stack.api.getHttpServer());
  });
  afterAll(async () => {
    await stack?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it.each(['/', '/some/deep/link', '/auth/callback?code=abc&state=xyz', '/me', '/candidacies', '/candidacies/isfahan'])(
    'GET %s as a browser page is index.html, revalidated, under a CSP without inline scripts',
    async (url) => {
      const res = await http.get(url).set('Accept', HTML).expect(200);
      expect(res.text).toBe(INDEX);
      expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(res.headers['cache-control']).toBe('no-cache');
      const csp = res.headers['content-security-policy'];
      expect(csp).toContain("script-src 'self';");
      expect(csp.split(';').find((d: string) => d.trim().startsWith('script-src'))).not.toContain('unsafe-inline');
    },
  );

  it('GET / is index.html whatever the client accepts; an unchanged page is 304', async () => {
    const first = await http.get('/').expect(200);
    expect(first.text).toBe(INDEX);
    await http.get('/').set('If-None-Match', first.headers.etag).expect(304);
  });

  it('GET /assets/<hashed>.js is gzipped and cached for a year', async () => {
    const res = await http.get('/assets/index-4f9c2a.js').set('Accept-Encoding', 'gzip').expect(200);
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(res.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(res.headers['content-encoding']).toBe('gzip');
    expect(Number(res.headers['content-length'])).toBeLessThan(Buffer.byteLength(SCRIPT) / 4);
    expect(res.text).toBe(SCRIPT);
    const plain = await http.get('/assets/index-4f9c2a.js').set('Accept-Encoding', 'identity').expect(200);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.text).toBe(SCRIPT);
  });

  it('serves the files of public/ revalidated, never hidden files nor anything outside the folder', async () => {
    const icon = await http.get('/favicon.svg').expect(200);
    expect(icon.headers['content-type']).toBe('image/svg+xml');
    expect(icon.headers['cache-control']).toBe('no-cache');
    for (const url of ['/.env', '/%2e%2e/package.json', '/assets/%2e%2e/%2e%2e/package.json']) {
      const res = await http.get(url);
      expect({ url, status: res.status, json: res.type }).toEqual({ url, status: 404, json: 'application/json' });
    }
  });

  it('a missing asset is the API 404, not the page', async () => {
    const res = await http.get('/assets/index-0000.js').set('Accept', HTML).expect(404);
    expect(res.type).toBe('application/json');
  });

  it('a navigation is the page whatever it accepts; with a bearer token it is the API again', async () => {
    const nav = await http.get('/candidacies/isfahan').set('Sec-Fetch-Mode', 'navigate').set('Accept', '*/*');
    expect({ status: nav.status, text: nav.text }).toEqual({ status: 200, text: INDEX });
    const bearer = await http
      .get('/candidacies/isfahan')
      .set('Sec-Fetch-Mode', 'navigate')
      .set('Accept', HTML)
      .set('Authorization', 'Bearer not-a-token');
    expect({ status: bearer.status, type: bearer.type }).toEqual({ status: 401, type: 'application/json' });
  });

  it.each([['application/json'], ['*/*'], ['application/json, text/html']])(
    'an API call accepting %s gets JSON: a 401 without a token, no-store',
    async (accept) => {
      const res = await http.get('/candidacies/isfahan').set('Accept', accept);
      expect({ status: res.status, type: res.type, cache: res.headers['cache-control'] }).toEqual({
        status: 401,
        type: 'application/json',
        cache: 'no-store',
      });
      const tasks = await http.get('/me/tasks').set('Accept', accept).expect(401);
      expect(tasks.body.message).toBe('missing bearer token');
      expect((await http.get('/auth/config').set('Accept', accept).expect(200)).body).toEqual({
        mode: 'local',
      });
    },
  );

  it('/health stays the API even for a page load', async () => {
    const res = await http.get('/health').set('Accept', HTML).set('Sec-Fetch-Mode', 'navigate');
    expect(res.type).toBe('application/json');
    expect(res.text).not.toBe(INDEX);
  });

  it('an unknown path a browser does not ask for is the API JSON 404', async () => {
    const res = await http.get('/nope.json').set('Accept', 'application/json').expect(404);
    expect(res.body).toMatchObject({ statusCode: 404 });
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it('Swagger UI at /docs keeps its inline bootstrap script', async () => {
    const res = await http.get('/docs/').set('Accept', HTML).set('Sec-Fetch-Mode', 'navigate').expect(200);
    expect(res.text).toContain('swagger-ui');
    expect(res.headers['content-security-policy']).toContain("script-src 'self' 'unsafe-inline'");
    await http.get('/docs/json').expect(200);
  });
});

describe('no console built', () => {
  it('GET / is the API JSON 404 when CONSOLE_DIR holds no index.html', async () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'kudak-console-'));
    const stack = await startKudakStack({ worker: false, env: { CONSOLE_DIR: empty } });
    try {
      const res = await request(stack.api.getHttpServer()).get('/').set('Accept', HTML).expect(404);
      expect(res.type).toBe('application/json');
    } finally {
      await stack.close();
      fs.rmSync(empty, { recursive: true, force: true });
    }
  });
});

describe('a deep link to a console page in a real browser', () => {
  let server: ConsoleServer;
  let browser: Browser;

  beforeAll(async () => {
    server = await startConsoleServer();
    browser = await launchBrowser();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  }, 60_000);

  it('a reload of /candidacies/<city> shows the candidacy page again, not the API JSON', async () => {
    const admin = await sessionToken(server, 'focal-point');
    const started = await fetch(`${server.url}/candidacies`, {
      method: 'POST',
      headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        cityId: 'isfahan',
        cityName: 'اصفهان',
        country: 'IR',
        districts: [{ id: 'district-1', name: 'منطقهٔ ۱' }],
      }),
    });
    expect(started.status).toBe(201);
    const page = await newPage(browser);
    await signIn(page, server.url, seedPerson('focal-point'));
    await page.goto(`${server.url}/candidacies/isfahan`);
    await page.getByRole('heading', { level: 1, name: 'اصفهان' }).waitFor();
    const reloaded = await page.reload();
    expect(reloaded?.headers()['content-type']).toBe('text/html; charset=utf-8');
    await page.getByRole('heading', { level: 1, name: 'اصفهان' }).waitFor();
    expect(page.url()).toBe(`${server.url}/candidacies/isfahan`);
    await page.context().close();
  });
});
