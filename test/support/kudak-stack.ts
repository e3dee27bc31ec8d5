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

export interface KudakStack {
  api: INestApplication;
  client: Client;
  taskQueue: string;
  /** The stack's own KUDAK_DATA_DIR (its documents are in `documents/` there, unless in PostgreSQL). */
  dataDir: string;
  close(): Promise<void>;
}

/**
 * The real API and the real worker (the same Nest modules the apps run), in this process,
 * against the run's dev server, on a task queue of their own so test files do not interfere.
 */
export async function startKudakStack(
  options: { rateLimitPerMinute?: number; worker?: boolean; databaseUrl?: string } = {},
): Promise<KudakStack> {
  const taskQueue = `kudak-test-${randomUUID()}`;
  process.env.TEMPORAL_TASK_QUEUE = taskQueue;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kudak-stack-'));
  process.env.KUDAK_DATA_DIR = dataDir;
  process.env.DATABASE_URL = options.databaseUrl ?? `sqlite:${path.join(dataDir, 'kudak.sqlite')}`;
  process.env.AUTH_LOCAL_KEY_DIR = path.join(dataDir, 'auth');
  process.env.RATE_LIMIT_PER_MINUTE = String(options.rateLimitPerMinute ?? 100_000);
  const workerApp: INestApplicationContext | undefined =
    options.worker === false
      ? undefined
      : await NestFactory.createApplicationContext(WorkerModule, { logger: ['error'] });
  const running = workerApp?.get(TemporalWorkerService).run();
  const moduleRef = await Test.createTestingModule({ imports: [AppModule] }).compile();
  const api = configureApp(moduleRef.createNestApplication({ logger: ['error'], bodyParser: false }));
  await api.init();
  return {
    api,
    client: api.get(Client),
    taskQueue,
    dataDir,
    async close() {
      await api.close();
      await workerApp?.close();
      await running;
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
