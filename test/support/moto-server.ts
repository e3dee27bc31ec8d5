import * as fs from 'node:fs';
import * as path from 'node:path';
import { freePorts, ServiceProcess, waitUntil } from './process-stack';

/** moto's S3-compatible server, pinned in scripts/s3-test-server.json and installed by the set-up. */
export const MOTO_SERVER = path.resolve(__dirname, '..', '..', '.tools', 'moto-venv', 'bin', 'moto_server');

export interface MotoServer {
  /** http://127.0.0.1:<port>, for S3_ENDPOINT. */
  endpoint: string;
  port: number;
  /** Kills the server by its pid and waits until it has exited. */
  kill(): Promise<void>;
  /** Everything it printed. */
  output(): string;
}

/** A real S3-compatible server on a free loopback port, its state in memory. */
export async function startMotoServer(): Promise<MotoServer> {
  if (!fs.existsSync(MOTO_SERVER)) {
    throw new Error(`${MOTO_SERVER} is missing: npm test and npm run setup install the pinned moto there`);
  }
  const [port] = freePorts(1);
  const endpoint = `http://127.0.0.1:${port}`;
  const server = new ServiceProcess('moto', MOTO_SERVER, ['-H', '127.0.0.1', '-p', String(port)], process.env);
  server.start();
  try {
    await waitUntil('moto to answer', 30_000, async () => {
      if (!server.running()) throw new Error(`moto exited before it answered:\n${server.output()}`);
      return fetch(`${endpoint}/moto-api/`).then(
        (res) => res.ok,
        () => false,
      );
    });
  } catch (err) {
    await server.stop(5_000);
    throw err;
  }
  return { endpoint, port, kill: () => server.stop(5_000), output: () => server.output() };
}
