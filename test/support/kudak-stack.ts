import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { INestApplication, INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import { Client } from '@temporalio/client';
import { AppModule } from '../../apps/api/app.module';
import { configureApp } from '../../apps/api/configure-app';
import { TemporalWorkerService } from '../../apps/worker/temporal-worker.service';
import { WorkerModule } from '../../apps/worker/worker.module';
import { runWorkflowBundle } from './workflow-bundle';

export interface KudakStack {
  api: INestApplication;
  client: Client;
  taskQueue: string;
  /** The stack's own KUDAK_DATA_DIR (its documents are in `documents/` there, unless in PostgreSQL). */
  dataDir: string;
  /** Stops the worker (in-flight tasks finish): nothing polls the task queue until startWorker. */
  stopWorker(): Promise<void>;
  /** Starts a worker on the stack's task queue again. */
  startWorker(): Promise<void>;
  close(): Promise<void>;
}

export interface KudakStackOptions {
  rateLimitPerMinute?: number;
  callerRateLimitPerMinute?: number;
  worker?: boolean;
  /** Kudak's database for this stack; its own SQLite file when not given. */
  databaseUrl?: string;
  /** More environment for this stack (e.g. TEMPORAL_ADDRESS, deadlines); restored on close. */
  env?: Record<string, string>;
}

/**
 * The real API and the real worker (the same Nest modules the apps run), in this process,
 * against the run's dev server, on a task queue of their own so test files do not interfere.
 */
export async function startKudakStack(options: KudakStackOptions = {}): Promise<KudakStack> {
  const taskQueue = `kudak-test-${randomUUID()}`;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kudak-stack-'));
  // The stack's own settings; left in place for the test's token helpers (AUTH_LOCAL_KEY_DIR),
  // except `options.env`, which close() puts back as it was.
  const settings = {
    TEMPORAL_TASK_QUEUE: taskQueue,
    DATABASE_URL: options.databaseUrl ?? `sqlite:${path.join(dataDir, 'kudak.sqlite')}`,
    AUTH_LOCAL_KEY_DIR: path.join(dataDir, 'auth'),
    KUDAK_DATA_DIR: dataDir,
    RATE_LIMIT_PER_MINUTE: String(options.rateLimitPerMinute ?? 100_000),
    RATE_LIMIT_PER_CALLER_PER_MINUTE: String(options.callerRateLimitPerMinute ?? 100_000),
    // The worker and the audit's replays load the run's bundle instead of bundling the workflows again.
    WORKFLOW_BUNDLE_PATH: runWorkflowBundle().codePath,
  };
  Object.assign(process.env, settings);
  const restoreEnv = setEnvironment(options.env ?? {});
  let worker: { app: INestApplicationContext; running: Promise<void> } | undefined;
  const startWorker = async () => {
    // Another stack started since may have changed the environment the worker reads.
    const restore = setEnvironment({ ...settings, ...options.env });
    let service: TemporalWorkerService;
    try {
      const app = await NestFactory.createApplicationContext(WorkerModule, { logger: ['error'] });
      service = app.get(TemporalWorkerService);
      worker = { app, running: service.run() };
    } finally {
      restore();
    }
    // The API bounds how long it waits for a worker: let this one bundle and poll before tests call.
    let failed: Error | undefined;
    worker.running.then(
      () => (failed = new Error('the worker stopped before it ran')),
      (err: unknown) => (failed = err instanceof Error ? err : new Error(String(err))),
    );
    while (!service.isRunning()) {
      if (failed) throw failed;
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  const stopWorker = async () => {
    await worker?.app.close();
    await worker?.running;
    worker = undefined;
  };
  if (options.worker !== false) await startWorker();
  const moduleRef = await Test.createTestingModule({ imports: [AppModule] }).compile();
  const api = configureApp(moduleRef.createNestApplication({ logger: ['error'], bodyParser: false }));
  await api.init();
  return {
    api,
    client: api.get(Client),
    taskQueue,
    dataDir,
    stopWorker,
    startWorker,
    async close() {
      try {
        await api.close();
      } finally {
        await stopWorker();
        restoreEnv();
        fs.rmSync(dataDir, { recursive: true, force: true });
      }
    },
  };
}

/** Sets the variables; returns what puts back their earlier values. */
function setEnvironment(vars: Record<string, string>): () => void {
  const before = Object.fromEntries(Object.keys(vars).map((name) => [name, process.env[name]]));
  Object.assign(process.env, vars);
  return () => {
    for (const [name, value] of Object.entries(before)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  };
}
