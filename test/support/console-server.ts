// The console as the API serves it: the real stack in this process (API and worker), CONSOLE_DIR
// the built dist/console, the API listening on a loopback port for a browser. Its Temporal
// namespace is its own, so the seed's people can work on their city (`isfahan`) in every test file.
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { loadDemoPeople, type DemoPerson } from '../../apps/api/auth/demo-people';
import { startKudakStack, type KudakStack } from './kudak-stack';
import { registerTestNamespace } from './temporal-servers';

export const CONSOLE_DIST = path.resolve(__dirname, '..', '..', 'dist', 'console');

/** The seed's person (apps/api/auth/demo-people.json) with this id. */
export function seedPerson(id: string): DemoPerson {
  const person = loadDemoPeople().find((p) => p.id === id);
  if (!person) throw new Error(`no demo person "${id}" in apps/api/auth/demo-people.json`);
  return person;
}

export interface ConsoleServer {
  url: string;
  stack: KudakStack;
  close(): Promise<void>;
}

export interface ConsoleServerOptions {
  /** Default: a free port. */
  port?: number;
  /** More environment for the stack (an identity provider's AUTH_* settings). */
  env?: Record<string, string>;
  worker?: boolean;
}

export async function startConsoleServer(options: ConsoleServerOptions = {}): Promise<ConsoleServer> {
  if (!fs.existsSync(path.join(CONSOLE_DIST, 'index.html'))) {
    throw new Error(`No console build in ${CONSOLE_DIST}: run npm run build`);
  }
  const namespace = `kudak-console-${randomBytes(4).toString('hex')}`;
  await registerTestNamespace(process.env.TEMPORAL_ADDRESS!, namespace);
  const stack = await startKudakStack({
    worker: options.worker,
    env: { CONSOLE_DIR: CONSOLE_DIST, TEMPORAL_NAMESPACE: namespace, ...options.env },
  });
  try {
    await stack.api.listen(options.port ?? 0, '127.0.0.1');
  } catch (err) {
    await stack.close();
    throw err;
  }
  const { port } = (stack.api.getHttpServer() as Server).address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, stack, close: () => stack.close() };
}

/** A bearer token for a seed person, from the API's own local sign-in. */
export async function sessionToken(server: ConsoleServer, personId: string): Promise<string> {
  const res = await fetch(`${server.url}/auth/local/sessions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ personId }),
  });
  if (!res.ok) throw new Error(`local sign-in of ${personId}: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { accessToken: string }).accessToken;
}
