import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { Test, type TestingModule } from '@nestjs/testing';
import type { Info } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import type { Knex } from 'knex';
import { KudakConfig, KudakConfigModule } from '@kudak/config';
import type { Actor, RecordAwardRequest, RecordDecisionRequest, RecordEvaluationRequest } from '@kudak/contracts';
import { AuditLogRepository, KNEX, type AuditRow } from '@kudak/database';
import { ActivitiesModule } from '../activities/activities.module';
import { RecordsActivities } from '../activities/records.activities';
import { createTestDatabase, testDatabaseKinds, type TestDatabase } from './support/test-databases';

// The records activities against a real database, inside a real activity Context: a retried
// activity (same workflow, run and activity id) writes its row once; another activity writes again.

const migrateMain = path.resolve(__dirname, '..', 'dist', 'libs', 'database', 'src', 'migrate.js');

const unicef: Actor = { id: 'u-17', role: 'unicef_officer', organisation: 'UNICEF Iran', name: 'Sara Ahmadi' };

/** Runs fn inside a real activity Context with this info; the same info again stands for a retry. */
function run<T>(info: Partial<Info>, fn: () => Promise<T>): Promise<T> {
  return new MockActivityEnvironment(info, { logger: new DefaultLogger('ERROR') }).run(fn);
}

describe.each(testDatabaseKinds())('records activities on %s', (kind) => {
  let db: TestDatabase;
  let moduleRef: TestingModule;
  let sut: RecordsActivities;
  let knex: Knex;

  beforeAll(async () => {
    db = await createTestDatabase(kind);
    moduleRef = await Test.createTestingModule({ imports: [KudakConfigModule, ActivitiesModule] })
      .overrideProvider(KudakConfig)
      .useValue(KudakConfig.fromEnvironment({ DATABASE_URL: db.url }))
      .compile();
    moduleRef.useLogger(['error']);
    await moduleRef.init(); // migrates, as the worker does before it polls
    sut = moduleRef.get(RecordsActivities);
    knex = moduleRef.get<Knex>(KNEX);
  });

  afterAll(async () => {
    await moduleRef?.close();
    await db?.drop();
  });

  function execution(workflowId: string, activityId: string): Partial<Info> {
    return { workflowExecution: { workflowId, runId: 'run-1' }, activityId };
  }

  it('writes a decision once per scheduled activity, with its actor and reason', async () => {
    const workflowId = `candidacy-isfahan-${randomUUID()}`;
    const req: RecordDecisionRequest = {
      workflowId,
      cityId: 'isfahan',
      decision: {
        id: 'd-1',
        kind: 'MINISTRY_RETURNED',
        stage: 'MINISTRY_REVIEW',
        actor: { id: 'm-3', role: 'ministry_officer', organisation: 'Ministry of Interior' },
        reason: 'Budget lines for District 4 are missing',
        at: '2026-11-28T09:30:00Z',
        details: { round: 2, districts: ['district-4'], urgent: true },
      },
    };
    const a = await run(execution(workflowId, '5'), () => sut.recordDecision(req));
    // The same activity again (a retry): same key, nothing new.
    const b = await run(execution(workflowId, '5'), () => sut.recordDecision(req));
    // A different activity of the same workflow: a second row.
    const c = await run(execution(workflowId, '9'), () => sut.recordDecision(req));

    expect(a).toEqual({ key: `${workflowId}/run-1/5`, inserted: true });
    expect(b).toEqual({ key: `${workflowId}/run-1/5`, inserted: false });
    expect(c).toEqual({ key: `${workflowId}/run-1/9`, inserted: true });
    const rows = await knex('decisions').where({ workflow_id: workflowId }).orderBy('key');
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({
      key: `${workflowId}/run-1/5`,
      city_id: 'isfahan',
      decision_id: 'd-1',
      kind: 'MINISTRY_RETURNED',
      stage: 'MINISTRY_REVIEW',
      actor_id: 'm-3',
      actor_role: 'ministry_officer',
      actor_organisation: 'Ministry of Interior',
      actor_name: null,
      reason: 'Budget lines for District 4 are missing',
    });
    expect(new Date(rows[0].decided_at).toISOString()).toBe('2026-11-28T09:30:00.000Z');
    expect(JSON.parse(rows[0].details)).toEqual({ round: 2, districts: ['district-4'], urgent: true });
  });

  it('writes an evaluation once, with its scores, verdict and evaluator', async () => {
    const workflowId = `candidacy-tabriz-${randomUUID()}`;
    const req: RecordEvaluationRequest = {
      workflowId,
      cityId: 'tabriz',
      evaluation: {
        id: 'e-2',
        kind: 'MONITORING',
        sequence: 2,
        scores: {
          resultsForChildren: 2,
          childParticipation: 4,
          nonDiscrimination: 3,
          localIndicators: [{ name: 'Safe routes to school', score: 2 }],
        },
        satisfactory: false,
        evaluatedBy: unicef,
        reason: 'Results for children fall short',
        at: '2026-06-01T08:00:00+03:30',
      },
    };
    const results = [
      await run(execution(workflowId, '12'), () => sut.recordEvaluation(req)),
      await run(execution(workflowId, '12'), () => sut.recordEvaluation(req)),
    ];
    expect(results.map((r) => r.inserted)).toEqual([true, false]);
    const rows = await knex('evaluations').where({ workflow_id: workflowId });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      evaluation_id: 'e-2',
      kind: 'MONITORING',
      sequence: 2,
      evaluated_by_id: 'u-17',
      evaluated_by_role: 'unicef_officer',
      evaluated_by_organisation: 'UNICEF Iran',
      evaluated_by_name: 'Sara Ahmadi',
      reason: 'Results for children fall short',
    });
    expect(Boolean(rows[0].satisfactory)).toBe(false);
    expect(JSON.parse(rows[0].scores)).toEqual(req.evaluation.scores);
    expect(new Date(rows[0].evaluated_at).toISOString()).toBe('2026-06-01T04:30:00.000Z');
  });

  it('writes an award once, with who granted it', async () => {
    const workflowId = `candidacy-shiraz-${randomUUID()}`;
    const req: RecordAwardRequest = {
      workflowId,
      cityId: 'shiraz',
      award: { kind: 'RECOGNITION', cycle: 1, awardedAt: '2027-01-10T10:00:00Z', expiresAt: '2031-01-10T10:00:00Z' },
      actor: unicef,
    };
    const a = await run(execution(workflowId, '30'), () => sut.recordAward(req));
    const b = await run(execution(workflowId, '30'), () => sut.recordAward(req));
    const c = await run(execution(workflowId, '31'), () => sut.recordAward(req));
    expect([a.inserted, b.inserted, c.inserted]).toEqual([true, false, true]);
    const rows = await knex('awards').where({ workflow_id: workflowId }).orderBy('key');
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({ kind: 'RECOGNITION', cycle: 1, actor_id: 'u-17', actor_role: 'unicef_officer' });
    expect(new Date(rows[0].expires_at).toISOString()).toBe('2031-01-10T10:00:00.000Z');
  });

  it("keys an activity without a workflow execution by the request's workflow id", async () => {
    const workflowId = `candidacy-yazd-${randomUUID()}`;
    const req: RecordAwardRequest = {
      workflowId,
      cityId: 'yazd',
      award: { kind: 'CANDIDACY_LOGO', cycle: 1, awardedAt: '2026-12-01T10:00:00Z' },
      actor: unicef,
    };
    // A standalone activity (started by a client, not a workflow) has no workflow execution.
    const standalone: Partial<Info> = {
      inWorkflow: false,
      workflowExecution: undefined,
      workflowType: undefined,
      activityRunId: 'standalone-run',
      activityId: 'standalone-1',
    };
    expect(await run(standalone, () => sut.recordAward(req))).toEqual({
      key: `${workflowId}/standalone-run/standalone-1`,
      inserted: true,
    });
  });

  it('refuses a malformed request without retrying, naming every problem', async () => {
    const bad = {
      workflowId: '',
      cityId: 'isfahan',
      decision: { id: 'd-9', kind: 'APPROVED', stage: 'MINISTRY_REVIEW', actor: { id: 'x' }, at: 'yesterday' },
    } as unknown as RecordDecisionRequest;
    const failure = await run(execution('wf', '1'), () => sut.recordDecision(bad)).catch((err: unknown) => err);
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect((failure as ApplicationFailure).nonRetryable).toBe(true);
    const message = (failure as Error).message;
    expect(message).toContain('recordDecision: invalid input');
    expect(message).toContain('workflowId must be a non-empty string');
    expect(message).toContain('decision.kind must be one of MOU_SIGNED');
    expect(message).toContain('decision.actor.role must be one of administrator');
    expect(message).toContain('decision.actor.organisation must be a non-empty string');
    expect(message).toContain('decision.at must be an ISO-8601 instant');
    expect(await knex('decisions').where({ decision_id: 'd-9' })).toHaveLength(0);
  });

  it('audit log: of two appends of the same rows at once, one adds them and the other adds nothing', async () => {
    const log = new AuditLogRepository(knex);
    const candidacyId = `candidacy-append-race-${kind}`;
    const rows: AuditRow[] = [0, 1, 2].map((position) => ({
      position,
      workflowId: candidacyId,
      runId: 'run-1',
      eventId: position + 1,
      entry: `{"position":${position}}`,
      prevHash: String(position).repeat(64),
      hash: String(position + 1).repeat(64),
    }));
    const added = await Promise.all([log.append(candidacyId, rows), log.append(candidacyId, rows)]);
    expect(added.sort()).toEqual([0, 3]);
    expect((await log.rows(candidacyId)).map((r) => r.hash)).toEqual(rows.map((r) => r.hash));
    await expect(log.append(candidacyId, rows.slice(1))).resolves.toBe(0);
  });

  it('migrates once when several processes start on an empty database at the same time', async () => {
    if (!fs.existsSync(migrateMain)) throw new Error(`${migrateMain} is missing: run \`npm run build\` first`);
    const empty = await createTestDatabase(kind);
    try {
      const migrate = () =>
        promisify(execFile)(process.execPath, [migrateMain], { env: { ...process.env, DATABASE_URL: empty.url } });
      // Six at once: with three, SQLite's refused lock upgrade (now retried) showed up in 1 run of 4.
      const outputs = await Promise.all(Array.from({ length: 6 }, migrate));
      const said = outputs.map((o) => o.stdout).join('');
      expect(said.match(/applied 001-initial-schema/g)).toHaveLength(1);
      expect(said.match(/schema is current/g)).toHaveLength(5);
    } finally {
      await empty.drop();
    }
  });
});
