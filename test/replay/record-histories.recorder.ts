// Records the histories the replay specs use: `HISTORY_VERSION=v4 npm run histories:record`.
// Run it when a workflow changes shape; keep the older files (they are what running
// candidacies look like) and commit the new ones beside them. v1 was recorded by the first
// release (commitment only), whose code lives on in test/fixtures/first-release-workflows.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { WorkflowHandle } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import {
  reviewDistrictPlanUpdate,
  submitDistrictPlanUpdate,
  withdrawCandidacyUpdate,
  type CandidacyState,
} from '@kudak/contracts';
import { actors, CandidacyDriver, cityInput } from '../support/candidacy-fixtures';
import {
  approveDistricts,
  evaluateAfter,
  finalAssessmentPasses,
  POOR_SCORES,
  signMemorandum,
  toImplementation,
} from '../support/candidacy-steps';
import { startLifecycleHarness, type LifecycleHarness } from '../support/lifecycle-harness';
import { HISTORIES_DIR, readManifest, writeManifest } from './replay-histories';

// Stored histories are what running candidacies look like: never overwritten by accident.
const version = process.env.HISTORY_VERSION ?? '';
if (!/^v\d+$/.test(version)) throw new Error('set HISTORY_VERSION to the new version, e.g. HISTORY_VERSION=v4');

async function save(workflowType: string, scenario: string, handle: WorkflowHandle): Promise<void> {
  const dir = path.join(HISTORIES_DIR, workflowType);
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${version}-${scenario}.json`);
  if (fs.existsSync(file)) throw new Error(`${file} exists: record a new HISTORY_VERSION instead`);
  const json = JSON.parse(historyToJSON(await handle.fetchHistory()));
  fs.writeFileSync(file, JSON.stringify(json, null, 1) + '\n');
  writeManifest({ ...readManifest(), [`${workflowType}/${path.basename(file)}`]: handle.workflowId });
  console.log(`recorded ${path.relative(process.cwd(), file)} (${json.events.length} events)`);
}

describe('record histories', () => {
  let h: LifecycleHarness;
  let env: TestWorkflowEnvironment;
  let taskQueue: string;
  let acts: LifecycleHarness['acts'];
  beforeAll(async () => {
    h = await startLifecycleHarness();
    ({ env, taskQueue, acts } = h);
  });
  afterAll(async () => {
    await h?.close();
  });

  it('candidacy-workflow: accession with three evaluations', async () => {
    const c = await CandidacyDriver.start(env.client, taskQueue, cityInput({ cityId: 'recorded-city', districts: 3 }));
    await toImplementation(c, ['d1', 'd2', 'd3']);
    await evaluateAfter(env, c, 6);
    await evaluateAfter(env, c, 6);
    await evaluateAfter(env, c, 6);
    await finalAssessmentPasses(c);
    await c.stage('ACCEDED');
    await acts.settled();
    await save('candidacy-workflow', 'acceded', c.handle);
    await save('district-plan-workflow', 'approved', c.district('d1'));
    await c.update(withdrawCandidacyUpdate, { actor: actors.admin, reason: 'recording finished' });
    await c.handle.result();
  });

  it('candidacy-workflow: suspended after a failed corrective action, then withdrawn', async () => {
    const c = await CandidacyDriver.start(env.client, taskQueue, cityInput({ cityId: 'suspended-city', districts: 2 }));
    await toImplementation(c, ['d1', 'd2']);
    await evaluateAfter(env, c, 6, POOR_SCORES, 'Participation stalled');
    await c.task('SUBMIT_CORRECTIVE_PLAN');
    await env.sleep('61 days'); // the corrective plan is never submitted: escalations
    await c.update(withdrawCandidacyUpdate, { actor: actors.admin, reason: 'City council decision' });
    expect(((await c.handle.result()) as CandidacyState).stage).toBe('WITHDRAWN');
    await acts.settled();
    await save('candidacy-workflow', 'withdrawn-during-corrective-action', c.handle);
  });

  it('district-plan-workflow: overdue, returned, resubmitted, approved', async () => {
    const c = await CandidacyDriver.start(env.client, taskQueue, cityInput({ cityId: 'district-city', districts: 1 }));
    await signMemorandum(c);
    await c.districtTask('d1', 'SUBMIT_DISTRICT_PLAN');
    await env.sleep('70 days');
    await c.districtUpdate('d1', submitDistrictPlanUpdate, { actor: actors.submitter('d1'), summary: 'Late draft' });
    await c.districtTask('d1', 'REVIEW_DISTRICT_PLAN');
    await c.districtUpdate('d1', reviewDistrictPlanUpdate, {
      actor: actors.reviewer,
      decision: 'RETURN',
      reason: 'No play spaces',
    });
    await approveDistricts(c, ['d1']);
    await c.stage('ACTION_PLAN');
    await acts.settled();
    await save('district-plan-workflow', 'returned-then-approved', c.district('d1'));
    await c.update(withdrawCandidacyUpdate, { actor: actors.admin, reason: 'recording finished' });
    await c.handle.result();
  });
});
