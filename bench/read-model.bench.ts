// Benchmark: GET /me/tasks and GET /candidacies (their services, on the read model) with 10, 100
// and 1,000 candidacies in one country, on a fresh SQLite database each. Run with
// `npm run bench:read-model`. Goal: flat, a page costs the same whatever the number of candidacies.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Client } from '@temporalio/client';
import { KudakConfig } from '@kudak/config';
import type { ProjectedTask, ReadModelSnapshot } from '@kudak/contracts';
import { createKnex, migrateToLatest, NotificationsRepository, ReadModelRepository } from '@kudak/database';
import type { Identity } from '../apps/api/auth/identity';
import { CandidaciesService } from '../apps/api/candidacies/candidacies.service';
import { PageTokens } from '../apps/api/candidacies/page-tokens';
import type { IdempotencyKeys } from '../apps/api/common/idempotency-key';
import type { CandidacyAccessService } from '../apps/api/candidacies/candidacy-access.service';
import { MeService } from '../apps/api/me/me.service';

const SIZES = [10, 100, 1000];
const ROUNDS = 200;
const DAY = 86_400_000;

function task(
  taskId: string,
  role: ProjectedTask['assigneeRole'],
  dueInDays: number,
  districtId?: string,
): ProjectedTask {
  return {
    taskId,
    kind: districtId ? 'SUBMIT_DISTRICT_PLAN' : 'SUBMIT_ACTION_PLAN',
    stage: districtId ? 'DISTRICT_PLANNING' : 'ACTION_PLAN',
    assigneeRole: role,
    assigneeRoles: [role],
    ...(districtId ? { districtId } : {}),
    openedAt: new Date(Date.UTC(2026, 0, 1)).toISOString(),
    dueAt: new Date(Date.UTC(2026, 6, 1) + dueInDays * DAY).toISOString(),
    overdue: dueInDays < 0,
  };
}

/** Candidacy i: its own tasks, and two district plans with a task each (half of them planning districts). */
function snapshots(i: number): ReadModelSnapshot[] {
  const workflowId = `candidacy-city-${i}`;
  const planning = i % 2 === 0;
  const base = {
    runId: 'run',
    runStartedAt: new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString(),
    sequence: 1,
    candidacyWorkflowId: workflowId,
    cityId: `city-${i}`,
    country: 'IR',
    updatedAt: new Date(Date.UTC(2026, 0, 2)).toISOString(),
  };
  return [
    {
      ...base,
      workflowId,
      tasks: planning
        ? []
        : [task('submit_action_plan-1', 'administrator', i % 90), task('fulfil-2', 'unicef_officer', 30)],
      candidacy: {
        cityName: `City ${i}`,
        stage: planning ? 'DISTRICT_PLANNING' : 'ACTION_PLAN',
        cycle: 1,
        overdue: i % 7 === 0,
        status: 'RUNNING',
        startedAt: base.runStartedAt,
      },
    },
    ...['d1', 'd2'].map((d) => ({
      ...base,
      workflowId: `${workflowId}/district-${d}`,
      tasks: [task(`submit_district_plan-1`, 'district_submitter', (i % 60) - 10, d)],
    })),
  ];
}

async function percentiles(fn: () => Promise<unknown>): Promise<{ p50: number; p95: number }> {
  for (let i = 0; i < 20; i++) await fn(); // warm-up
  const times: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const started = process.hrtime.bigint();
    await fn();
    times.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  times.sort((a, b) => a - b);
  return { p50: times[Math.floor(ROUNDS * 0.5)], p95: times[Math.floor(ROUNDS * 0.95)] };
}

async function main(): Promise<void> {
  const config = KudakConfig.fromEnvironment({ PAGE_TOKEN_SECRET: 'bench-secret-'.repeat(3) });
  const person = (role: Identity['role'], districts?: string[]): Identity => ({
    sub: `bench-${role}`,
    role,
    organisation: 'Bench',
    country: 'IR',
    cities: ['*'],
    ...(districts ? { districts } : {}),
  });
  console.log(`p50 / p95 of ${ROUNDS} calls, ms`);
  for (const size of SIZES) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kudak-read-model-bench-'));
    const knex = createKnex({ client: 'better-sqlite3', connection: path.join(dir, 'kudak.sqlite') });
    try {
      await migrateToLatest(knex);
      const readModel = new ReadModelRepository(knex);
      for (let i = 0; i < size; i++) for (const s of snapshots(i)) await readModel.apply(s);
      const me = new MeService(readModel, new NotificationsRepository(knex));
      const candidacies = new CandidaciesService(
        {} as Client,
        config,
        {} as CandidacyAccessService,
        new PageTokens(config),
        {} as IdempotencyKeys,
        readModel,
      );
      const page = { limit: 50, offset: 0 };
      const rows: Array<[string, () => Promise<unknown>]> = [
        ['/me/tasks (administrator)', () => me.tasks(person('administrator'), page)],
        ['/me/tasks (district submitter, d1)', () => me.tasks(person('district_submitter', ['d1']), page)],
        ['/candidacies?pageSize=20', () => candidacies.list(person('auditor'), { pageSize: 20 })],
        [
          '/candidacies?stage=ACTION_PLAN&overdue=true',
          () => candidacies.list(person('auditor'), { pageSize: 20, stage: 'ACTION_PLAN', overdue: true }),
        ],
      ];
      for (const [label, fn] of rows) {
        const { p50, p95 } = await percentiles(fn);
        console.log(
          `${String(size).padStart(5)} candidacies  ${label.padEnd(44)} ${p50.toFixed(2)} / ${p95.toFixed(2)}`,
        );
      }
    } finally {
      await knex.destroy();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
