import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { TemporalWorkerService } from './temporal-worker.service';
import { WorkerModule } from './worker.module';

async function bootstrap(): Promise<void> {
  const app = await NestFactory.createApplicationContext(WorkerModule);
  // SIGINT/SIGTERM run the shutdown hooks, which drain the worker before the process exits.
  app.enableShutdownHooks();
  await app.get(TemporalWorkerService).run();
}

bootstrap().catch((err: unknown) => {
  new Logger('Worker').error(err instanceof Error ? (err.stack ?? err.message) : String(err));
  process.exit(1);
});
