import { ValidationPipe, type INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { KudakConfig } from '@kudak/config';
import { BodyDepthPipe } from './common/body-depth.pipe';
import { BodyTextPipe } from './common/body-text.pipe';
import { closeRequestBodySchemas } from './common/closed-request-bodies';
import { securityHeaders } from './common/security-headers';
import { ConsoleFiles } from './console/console-files';
import { serveConsole } from './console/serve-console';

/** Largest accepted JSON body; a bigger one is a 413. */
export const BODY_LIMIT = '256kb';

/** Everything main.ts applies to the app, shared with the e2e tests so they test the same app. */
export function configureApp(app: INestApplication): INestApplication {
  const express = app as NestExpressApplication;
  // X-Forwarded-For is believed only from the configured proxies (req.ip, and so the rate limits).
  const config = app.get(KudakConfig);
  express.set('trust proxy', config.http.trustedProxies);
  express.useBodyParser('json', { limit: BODY_LIMIT });
  express.use(securityHeaders(config));
  // Before the API's no-store: the console's files carry caching of their own.
  const consoleFiles = new ConsoleFiles(config.console.dir);
  if (consoleFiles.exists()) express.use(serveConsole(consoleFiles));
  // Answers name a caller's candidacies, decisions and inbox: no shared or browser cache keeps them.
  express.use((_req: unknown, res: { setHeader(name: string, value: string): void }, next: () => void) => {
    res.setHeader('Cache-Control', 'no-store');
    next();
  });
  app.useGlobalPipes(
    new BodyDepthPipe(),
    new BodyTextPipe(),
    new ValidationPipe({
      whitelist: true,
      forbidNonWhitelisted: true,
      transform: true,
      stopAtFirstError: false,
    }),
  );
  app.enableShutdownHooks();
  SwaggerModule.setup('docs', app, openApiDocument(app), { jsonDocumentUrl: 'docs/json' });
  return app;
}

function openApiDocument(app: INestApplication): OpenAPIObject {
  return closeRequestBodySchemas(
    SwaggerModule.createDocument(
      app,
      new DocumentBuilder()
        .setTitle('Kudak')
        .setDescription(
          "A city's candidacy and accession to UNICEF's Child Friendly Cities network. Every route but " +
            '/health and /auth/* needs a bearer token (RS256 JWT); the identity it carries is recorded with each decision.',
        )
        .setVersion('0.1.0')
        .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
        .build(),
    ),
  );
}
