// Operators' audit commands, on the same code and configuration as the API:
//   npm run audit -- rebuild <cityId>...   rebuild the audit log from Temporal's histories
//   npm run audit -- replay <cityId>...    replay the histories against this build's workflow code
// Exit code 0 when everything passed, 1 when a replay diverged, 2 on bad arguments.
import 'reflect-metadata';
import { Logger, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { KudakConfigModule } from '@kudak/config';
import { CITY_ID_PATTERN, CITY_ID_RULE } from '@kudak/contracts';
import { DatabaseModule } from '@kudak/database';
import { TemporalClientModule } from '@kudak/temporal';
import { AuditModule } from './audit.module';
import { AuditService } from './audit.service';

@Module({ imports: [KudakConfigModule, TemporalClientModule, DatabaseModule, AuditModule] })
class AuditCliModule {}

const COMMANDS = ['rebuild', 'replay'];

async function main(argv: string[]): Promise<number> {
  const [command, ...cities] = argv;
  const usage = `usage: npm run audit -- (${COMMANDS.join('|')}) <cityId>...`;
  const known = COMMANDS.includes(command);
  if (!known || cities.length === 0) {
    console.error(command && !known ? `unknown command '${command}'\n${usage}` : usage);
    return 2;
  }
  const bad = cities.find((c) => !CITY_ID_PATTERN.test(c));
  if (bad !== undefined) {
    console.error(`'${bad.slice(0, 80)}' is not a city id (${CITY_ID_RULE})\n${usage}`);
    return 2;
  }
  const app = await NestFactory.createApplicationContext(AuditCliModule, { logger: ['error'] });
  try {
    const audit = app.get(AuditService);
    let failed = false;
    for (const cityId of cities) {
      if (command === 'rebuild') {
        console.log(`${cityId}: audit log rebuilt, ${await audit.rebuild(cityId)} rows`);
        continue;
      }
      const report = await audit.replay(undefined, cityId);
      for (const run of report.replayed) {
        console.log(
          `${cityId}: ${run.ok ? 'pass' : 'FAIL'} ${run.workflowId} ${run.runId}${run.error ? `: ${run.error}` : ''}`,
        );
      }
      failed ||= !report.ok;
    }
    return failed ? 1 : 0;
  } finally {
    await app.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    new Logger('Audit').error(err instanceof Error ? err.message : String(err));
    process.exit(1);
  },
);
