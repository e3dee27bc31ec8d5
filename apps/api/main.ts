import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { KudakConfig } from '@kudak/config';
import { AppModule } from './app.module';
import { configureApp } from './configure-app';

async function bootstrap(): Promise<void> {
  const app = configureApp(await NestFactory.create(AppModule));
  const { host, port } = app.get(KudakConfig).http;
  await app.listen(port, host);
  new Logger('Api').log(`API listening on http://${host}:${port} (OpenAPI docs at /docs)`);
}

bootstrap().catch((err: unknown) => {
  new Logger('Api').error(err instanceof Error ? (err.stack ?? err.message) : String(err));
  process.exit(1);
});
