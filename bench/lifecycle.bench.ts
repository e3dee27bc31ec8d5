// Benchmark: one Isfahan-sized lifecycle (15 districts, default 18-month calendar, three
// evaluations) in time-skipped time, against bare Temporal doing the same interactions in the
// same run. Run with `npm run bench`. Prints history sizes, stage transitions and wall times.
import '../test/support/quiet-temporal-runtime';
import * as path from 'node:path';
import type { Client, WorkflowHandle } from '@temporalio/client';
import {
  candidacyWorkflowId,
  districtPlanWorkflowId,
  fulfilObligationUpdate,
  withdrawCandidacyUpdate,
} from '@kudak/contracts';
import { actors, CandidacyDriver, cityInput, UNICEF_FUNDING } from '../test/support/candidacy-fixtures';
import { evaluateAfter, finalAssessmentPasses, toImplementation } from '../test/support/candidacy-steps';
import { startTestActivities } from '../test/support/test-activities';
import { startTimeSkippingServer } from '../test/support/temporal-servers';
import { createTestWorker } from '../test/support/test-worker';
import { bareCountQuery, bareUpdate, type BareShape } from './fixtures/bare-workflows';

const DISTRICTS = 15;
const districtIds = Array.from({ length: DISTRICTS }, (_, i) => `d${i + 1}`);

interface HistoryStats {
  events: number;
  activities: number;
  updates: number;
  timers: number;
  workflowTasks: number;
  stageTransitions: number;
}

async function stats(handle: WorkflowHandle): Promise<HistoryStats> {
  const events = (await handle.fetchHistory()).events ?? [];
  return {
    events: events.length,
    activities: events.filter((e) => e.activityTaskScheduledEventAttributes).length,
    updates: events.filter((e) => e.workflowExecutionUpdateAcceptedEventAttributes).length,
    timers: events.filter((e) => e.timerStartedEventAttributes).length,
    workflowTasks: events.filter((e) => e.workflowTaskCompletedEventAttributes).length,
    stageTransitions: events.filter((e) =>
      Object.keys(e.upsertWorkflowSearchAttributesEventAttributes?.searchAttributes?.indexedFields ?? {}).includes(
        'KudakStage',
      ),
    ).length,
  };
}

async function kudakLifecycle(client: Client, taskQueue: string, sleep: (d: string) => Promise<void>) {
  const input = cityInput({
    cityId: 'isfahan-bench',
    districts: DISTRICTS,
    obligations: [UNICEF_FUNDING],
  });
  const started = process.hrtime.bigint();
  const c = await CandidacyDriver.start(client, taskQueue, input);
  await c.update(fulfilObligationUpdate, { actor: actors.unicef, obligationId: 'unicef-funding', evidence: 'paid' });
  await toImplementation(c, districtIds);
  const env = { sleep } as Parameters<typeof evaluateAfter>[0];
  for (let i = 0; i < 3; i++) await evaluateAfter(env, c, 6);
  await c.stage('FINAL_ASSESSMENT');
  await finalAssessmentPasses(c);
  await c.stage('ACCEDED');
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  return { c, wallMs };
}

async function bareLifecycle(
  client: Client,
  taskQueue: string,
  sleep: (d: string) => Promise<void>,
  shape: BareShape,
): Promise<number> {
  const started = process.hrtime.bigint();
  const parent = await client.workflow.start('bareParentWorkflow', {
    workflowId: 'bare-parent',
    taskQueue,
    args: [shape],
  });
  await Promise.all(
    Array.from({ length: shape.children }, async (_, i) => {
      const child = client.workflow.getHandle(`bare-child-${i}`);
      for (;;) {
        try {
          await child.query(bareCountQuery);
          break;
        } catch {
          await new Promise((r) => setTimeout(r, 20));
        }
      }
      for (let u = 0; u < shape.childUpdates; u++) await child.executeUpdate(bareUpdate, { args: ['x'] });
    }),
  );
  for (let u = 0; u < shape.parentUpdates; u++) await parent.executeUpdate(bareUpdate, { args: ['x'] });
  for (let t = 0; t < shape.timers; t++) await sleep(`${shape.timerMonths * 31} days`);
  await parent.result();
  return Number(process.hrtime.bigint() - started) / 1e6;
}

async function main(): Promise<void> {
  const env = await startTimeSkippingServer();
  const acts = await startTestActivities({});
  const sleep = (d: string) => env.sleep(d as Parameters<typeof env.sleep>[0]);
  try {
    const kudak = await createTestWorker(env, acts.activities);
    const { c, wallMs } = await kudak.worker.runUntil(async () => {
      const run = await kudakLifecycle(env.client, kudak.taskQueue, sleep);
      // End it before its worker stops: an unworked timer would hold the test server's clock.
      await run.c.update(withdrawCandidacyUpdate, { actor: actors.admin, reason: 'benchmark finished' });
      await run.c.handle.result();
      return run;
    });
    const parent = await stats(c.handle);
    const districts = await Promise.all(
      districtIds.map((d) =>
        stats(env.client.workflow.getHandle(districtPlanWorkflowId(candidacyWorkflowId('isfahan-bench'), d))),
      ),
    );
    const largestDistrict = districts.reduce((a, b) => (b.events > a.events ? b : a));

    const shape: BareShape = {
      children: DISTRICTS,
      childUpdates: largestDistrict.updates,
      childActivities: largestDistrict.activities,
      parentUpdates: parent.updates,
      parentActivities: parent.activities,
      timers: 3,
      timerMonths: 6,
    };
    const bare = await createTestWorker(
      env,
      { noop: async () => undefined },
      { workflowsPath: path.join(__dirname, 'fixtures', 'bare-workflows') },
    );
    const bareMs = await bare.worker.runUntil(() => bareLifecycle(env.client, bare.taskQueue, sleep, shape));
    const bareStats = await stats(env.client.workflow.getHandle('bare-parent'));

    const totalEvents = parent.events + districts.reduce((n, d) => n + d.events, 0);
    const rows = [
      ['candidacy history events', parent.events, bareStats.events],
      ['largest district history events', largestDistrict.events, '-'],
      ['all histories, events', totalEvents, '-'],
      ['stage transitions', parent.stageTransitions, '-'],
      ['workflow tasks (candidacy)', parent.workflowTasks, bareStats.workflowTasks],
      ['updates (candidacy)', parent.updates, bareStats.updates],
      ['activities (candidacy)', parent.activities, bareStats.activities],
      ['timers (candidacy)', parent.timers, bareStats.timers],
      ['wall time, ms', Math.round(wallMs), Math.round(bareMs)],
    ];
    console.log('\nKudak lifecycle benchmark: Isfahan, 15 districts, 18-month programme, time-skipped\n');
    console.log(['metric'.padEnd(34), 'kudak'.padStart(8), 'bare'.padStart(8)].join(' '));
    for (const [name, k, b] of rows)
      console.log([String(name).padEnd(34), String(k).padStart(8), String(b).padStart(8)].join(' '));
    console.log(`\nratio kudak/bare wall time: ${(wallMs / bareMs).toFixed(2)}x`);
    console.log(
      `goal: full lifecycle under 5000 ms wall (${wallMs < 5000 ? 'met' : 'NOT met'}); ` +
        `no history over 5000 events (${Math.max(parent.events, largestDistrict.events) <= 5000 ? 'met' : 'NOT met'})`,
    );
  } finally {
    await acts.close();
    await env.teardown();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
