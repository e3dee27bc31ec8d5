import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { KudakConfig } from '@kudak/config';
import { AppModule } from './app.module';
import { configureApp } from './configure-app';

async function bootstrap(): Promise<void> {
  // The body parser is set up in configureApp, with its size limit.
  const app = configureApp(await NestFactory.create<NestExpressApplication>(AppModule, { bodyParser: false }));
  const { host, port } = app.get(KudakConfig).http;
  await app.listen(port, host);
  new Logger('Api').log(`API listening on http://${host}:${port} (OpenAPI docs at /docs)`);
}

bootstrap().catch((err: unknown) => {
  new Logger('Api').error(err instanceof Error ? (err.stack ?? err.message) : String(err));
  process.exit(1);
});
