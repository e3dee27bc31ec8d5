import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import {
  reviewDistrictPlanUpdate,
  submitDistrictPlanUpdate,
  waiveDistrictPlanUpdate,
  withdrawCandidacyUpdate,
} from '@kudak/contracts';
import { ReadModelRepository } from '@kudak/database';
import { ReadModelRebuild } from '../apps/read-models/read-model-rebuild';
import { actors, CandidacyDriver, cityInput, UNICEF_FUNDING } from './support/candidacy-fixtures';
import {
  approveDistricts,
  committeeApproves,
  evaluateAfter,
  finalAssessmentPasses,
  fundedThenSuspendedAndReinstated,
  ministryApproves,
  prepareActionPlan,
  signMemorandum,
  submitActionPlan,
  unicefEndorses,
} from './support/candidacy-steps';
import { startDevServerHarness, startLifecycleHarness, type LifecycleHarness } from './support/lifecycle-harness';

// The read model the workflows write as they go equals the one a rebuild derives from their
// histories, after a lifecycle with a district plan returned, a district waived, a suspension and
// a renewal (two runs), beside a candidacy still planning its districts.
describe('read model: rebuilt from the histories equals the live projection', () => {
  let h: LifecycleHarness;
  let env: TestWorkflowEnvironment;
  let readModel: ReadModelRepository;
  let renewed: CandidacyDriver;
  let planning: CandidacyDriver;

  beforeAll(async () => {
    h = await startLifecycleHarness();
    env = h.env;
    readModel = new ReadModelRepository(h.acts.knex);
  });
  afterAll(async () => {
    for (const c of [renewed, planning]) {
      await c?.update(withdrawCandidacyUpdate, { actor: actors.admin, reason: 'test over' }).catch(() => undefined);
      await c?.handle.result().catch(() => undefined);
    }
    await h?.close();
  });

  it('projects a lifecycle with a return, a waiver, a suspension and a renewal, and a rebuild gives the same rows', async () => {
    const { client } = env;
    planning = await CandidacyDriver.start(
      client,
      h.taskQueue,
      cityInput({ cityId: 'rebuilt-planning', districts: 2 }),
    );
    await signMemorandum(planning);
    renewed = await CandidacyDriver.start(
      client,
      h.taskQueue,
      cityInput({
        cityId: 'rebuilt-renewed',
        districts: 2,
        obligations: [UNICEF_FUNDING],
        policy: { programmeMonths: 12, recognitionYears: 1 },
      }),
    );
    const c = renewed;
    await signMemorandum(c);
    await c.districtTask('d1', 'SUBMIT_DISTRICT_PLAN');
    await c.districtUpdate('d1', submitDistrictPlanUpdate, { actor: actors.submitter('d1'), summary: 'Draft' });
    await c.districtTask('d1', 'REVIEW_DISTRICT_PLAN');
    await c.districtUpdate('d1', reviewDistrictPlanUpdate, {
      actor: actors.reviewer,
      decision: 'RETURN',
      reason: 'No play spaces',
    });
    await approveDistricts(c, ['d1']);
    await c.districtTask('d2', 'SUBMIT_DISTRICT_PLAN');
    await c.districtUpdate('d2', waiveDistrictPlanUpdate, { actor: actors.admin, reason: 'District merged' });
    await prepareActionPlan(c);
    await submitActionPlan(c);
    await ministryApproves(c);
    await committeeApproves(c);
    await unicefEndorses(c);
    await fundedThenSuspendedAndReinstated(env, c);
    await evaluateAfter(env, c, 6);
    await finalAssessmentPasses(c);
    await c.stage('ACCEDED');
    const firstRun = (await c.handle.describe()).runId;
    await env.sleep('200 days'); // the renewal opens six months before recognition ends
    const renewal = await c.until(
      (s) => s.cycle === 2 && s.openTasks.some((t) => t.kind === 'SUBMIT_ACTION_PLAN'),
      'renewal',
    );
    expect((await c.handle.describe()).runId).not.toBe(firstRun);
    const stillPlanning = await planning.districtTask('d2', 'SUBMIT_DISTRICT_PLAN');
    await h.acts.settled();

    // The live projection shows what the workflows hold.
    const live = await readModel.dump();
    const line = (workflowId: string) => live.candidacies.find((row) => row.workflow_id === workflowId);
    expect(line(c.workflowId)).toMatchObject({ stage: renewal.stage, cycle: 2, status: 'RUNNING' });
    expect(line(planning.workflowId)).toMatchObject({ stage: 'DISTRICT_PLANNING', status: 'RUNNING' });
    const taskIds = (workflowId: string) =>
      [...new Set(live.tasks.filter((t) => t.workflow_id === workflowId).map((t) => t.task_id))].sort();
    expect(taskIds(c.workflowId)).toEqual(renewal.openTasks.map((t) => t.id).sort());
    expect(taskIds(c.district('d1').workflowId)).toEqual([]); // approved after its return
    expect(taskIds(c.district('d2').workflowId)).toEqual([]); // waived
    expect(taskIds(planning.district('d2').workflowId)).toEqual(stillPlanning.openTasks.map((t) => t.id));
    // The second run's rows replaced the first's (a later run wins).
    const versions = live.versions as Array<{ workflow_id: string; run_id: string }>;
    expect(versions.find((v) => v.workflow_id === c.workflowId)?.run_id).toBe((await c.handle.describe()).runId);

    // The time-skipping server has no visibility to list by: the candidacies are named.
    const rebuild = new ReadModelRebuild(client, readModel);
    const candidacies = [c.workflowId, planning.workflowId];
    const report = await rebuild.rebuild({ wipe: true, candidacies, taskQueue: h.taskQueue });
    expect(report).toMatchObject({ workflows: 6, fromHistory: 6, fromState: 0, unchanged: 0 });
    expect(await readModel.dump()).toEqual(live);

    // Rebuilding over a current read model changes nothing.
    expect(await rebuild.rebuild({ wipe: false, candidacies, taskQueue: h.taskQueue })).toMatchObject({
      fromHistory: 6,
      unchanged: 6,
    });
    expect(await readModel.dump()).toEqual(live);
  });
});

// On a real server, the rebuild finds the candidacies through visibility (those of its task queue).
describe('read model: a rebuild lists the candidacies of its task queue', () => {
  let h: LifecycleHarness;
  let c: CandidacyDriver | undefined;

  beforeAll(async () => {
    h = await startDevServerHarness();
  });
  afterAll(async () => {
    await c?.update(withdrawCandidacyUpdate, { actor: actors.admin, reason: 'test over' }).catch(() => undefined);
    await c?.handle.result().catch(() => undefined);
    await h?.close();
  });

  it('rebuilds a candidacy planning its districts, as live, from visibility', async () => {
    const cityId = `listed-${Date.now().toString(36)}`;
    c = await CandidacyDriver.start(h.env.client, h.taskQueue, cityInput({ cityId, districts: 2 }));
    await signMemorandum(c);
    await c.districtTask('d1', 'SUBMIT_DISTRICT_PLAN');
    await c.districtUpdate('d1', submitDistrictPlanUpdate, { actor: actors.submitter('d1'), summary: 'Draft' });
    await c.districtTask('d1', 'REVIEW_DISTRICT_PLAN');
    await c.districtTask('d2', 'SUBMIT_DISTRICT_PLAN');
    await h.acts.settled();
    const readModel = new ReadModelRepository(h.acts.knex);
    const live = await readModel.dump();
    expect(live.tasks.map((t) => `${String(t.workflow_id)}/${String(t.kind)}`).sort()).toEqual([
      `${c.district('d1').workflowId}/REVIEW_DISTRICT_PLAN`,
      `${c.district('d2').workflowId}/SUBMIT_DISTRICT_PLAN`,
    ]);

    const rebuild = new ReadModelRebuild(h.env.client, readModel);
    let report = await rebuild.rebuild({ wipe: true, taskQueue: h.taskQueue });
    for (let i = 0; i < 50 && report.workflows < 3; i++) {
      await new Promise((r) => setTimeout(r, 200)); // visibility lists a new workflow within moments
      report = await rebuild.rebuild({ wipe: true, taskQueue: h.taskQueue });
    }
    expect(report).toMatchObject({ workflows: 3, fromHistory: 3, fromState: 0 });
    expect(await readModel.dump()).toEqual(live);
  });
});

describe('read model: the rebuild command', () => {
  it('names an argument that is no city id, and exits 2 before it connects to anything', () => {
    const cli = path.resolve(__dirname, '..', 'dist', 'apps', 'read-models', 'rebuild.cli.js');
    const run = spawnSync(process.execPath, [cli, 'isfahan', 'Isfahan City'], { encoding: 'utf8', timeout: 30_000 });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('not a city id (2-63 lowercase letters, digits and dashes): Isfahan City');
    expect(run.stderr).toContain('usage: npm run read-models:rebuild');
  });
});
