import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Module, type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { Knex } from 'knex';
import { KudakConfigModule } from '@kudak/config';
import { KNEX } from '@kudak/database';
import { ActivitiesModule, KUDAK_ACTIVITIES } from '../../activities/activities.module';

export interface TestActivities {
  /** The worker's activity map, built by Nest exactly as the worker builds it. */
  activities: Record<string, (...args: unknown[]) => Promise<unknown>>;
  knex: Knex;
  /** Resolves once no activity has been running for a short while. */
  settled(): Promise<void>;
  close(): Promise<void>;
}

@Module({ imports: [KudakConfigModule, ActivitiesModule] })
class TestActivitiesModule {}

/** The real activities on a real database: a fresh SQLite file unless a URL is given. */
export async function startTestActivities(options: {
  smtpUrl?: string;
  databaseUrl?: string;
}): Promise<TestActivities> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kudak-activities-'));
  process.env.DATABASE_URL = options.databaseUrl ?? `sqlite:${path.join(dir, 'kudak.sqlite')}`;
  if (options.smtpUrl) process.env.SMTP_URL = options.smtpUrl;
  else delete process.env.SMTP_URL;
  const app: INestApplicationContext = await NestFactory.createApplicationContext(TestActivitiesModule, {
    logger: ['error'],
  });
  const bound = app.get<TestActivities['activities']>(KUDAK_ACTIVITIES);
  let inFlight = 0;
  const activities = Object.fromEntries(
    Object.entries(bound).map(([name, fn]) => [
      name,
      async (...args: unknown[]) => {
        inFlight++;
        try {
          return await fn(...args);
        } finally {
          inFlight--;
        }
      },
    ]),
  );
  return {
    activities,
    knex: app.get<Knex>(KNEX),
    async settled() {
      for (let quiet = 0; quiet < 4; quiet = inFlight === 0 ? quiet + 1 : 0) {
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    async close() {
      await app.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
