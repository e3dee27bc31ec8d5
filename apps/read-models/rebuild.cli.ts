// `npm run read-models:rebuild [-- [--wipe] [<cityId>...]]`: derives the read model (open tasks, the
// candidacy list) from the workflows' histories, on the same configuration as the API and worker:
// the given cities' candidacies, or every candidacy on the configured task queue.
import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { KudakConfig, KudakConfigModule } from '@kudak/config';
import { candidacyWorkflowId, CITY_ID_PATTERN, CITY_ID_RULE } from '@kudak/contracts';
import { DatabaseModule } from '@kudak/database';
import { TemporalClientModule } from '@kudak/temporal';
import { runCli } from '../backup/cli';
import { ReadModelRebuild } from './read-model-rebuild';

const USAGE = 'usage: npm run read-models:rebuild [-- [--wipe] [<cityId>...]]   (--wipe: empty the read model first)';

@Module({ imports: [KudakConfigModule, TemporalClientModule, DatabaseModule], providers: [ReadModelRebuild] })
class ReadModelRebuildModule {}

runCli('read-models', USAGE, async () => {
  const { values, positionals } = parseArgs({
    options: { wipe: { type: 'boolean', default: false } },
    allowPositionals: true,
    strict: true,
  });
  const notCities = positionals.filter((city) => !CITY_ID_PATTERN.test(city));
  if (notCities.length > 0) {
    console.error(`not a city id (${CITY_ID_RULE}): ${notCities.join(', ')}`);
    return 'usage';
  }
  const app = await NestFactory.createApplicationContext(ReadModelRebuildModule, { logger: ['error'] });
  try {
    await app.get(ReadModelRebuild).rebuild({
      wipe: values.wipe,
      candidacies: positionals.length > 0 ? positionals.map(candidacyWorkflowId) : undefined,
      taskQueue: app.get(KudakConfig).temporal.taskQueue,
      log: (line) => console.log(`[read-models] ${line}`),
    });
  } finally {
    await app.close();
  }
});
