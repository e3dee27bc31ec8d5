// Records the histories the replay specs use: `HISTORY_VERSION=v6 npm run histories:record`.
// Run it when a workflow changes shape; keep the older files (they are what running
// candidacies look like) and commit the new ones beside them. v1 was recorded by the first
// release (commitment only), whose code lives on in test/fixtures/first-release-workflows.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { WorkflowHandle } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import {
  addObligationUpdate,
  appealDecisionUpdate,
  castCommitteeVoteUpdate,
  endorseCandidacyUpdate,
  fulfilObligationUpdate,
  recordEvaluationUpdate,
  recordFinalAssessmentUpdate,
  reviewActionPlanUpdate,
  reviewDistrictPlanUpdate,
  submitDistrictPlanUpdate,
  waiveDistrictPlanUpdate,
  withdrawCandidacyUpdate,
  type CandidacyState,
} from '@kudak/contracts';
import { actors, CandidacyDriver, cityInput, UNICEF_FUNDING } from '../support/candidacy-fixtures';
import {
  approveDistricts,
  committeeApproves,
  evaluateAfter,
  finalAssessmentPasses,
  fundedThenSuspendedAndReinstated,
  GOOD_SCORES,
  ministryApproves,
  POOR_SCORES,
  prepareActionPlan,
  signMemorandum,
  submitActionPlan,
  toCommitteeVote,
  toImplementation,
  unicefEndorses,
} from '../support/candidacy-steps';
import { startLifecycleHarness, type LifecycleHarness } from '../support/lifecycle-harness';
import { HISTORIES_DIR, readManifest, writeManifest } from './replay-histories';

// Stored histories are what running candidacies look like: never overwritten by accident.
const version = process.env.HISTORY_VERSION ?? '';
if (!/^v\d+$/.test(version)) throw new Error('set HISTORY_VERSION to the new version, e.g. HISTORY_VERSION=v6');

async function save(workflowType: string, scenario: string, handle: WorkflowHandle): Promise<void> {
  // A handle with a run id saves that run; without, the latest.
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

  it('candidacy-workflow: returned, waived, obligations, rejected, appealed, declined, closed', async () => {
    const c = await CandidacyDriver.start(env.client, taskQueue, cityInput({ cityId: 'appealed-city', districts: 2 }));
    const now = Date.parse((await c.task('SIGN_MEMORANDUM')).startedAt);
    await c.update(addObligationUpdate, {
      actor: actors.admin,
      obligation: {
        id: 'venue',
        party: 'Isfahan Municipality',
        partyRole: 'administrator',
        owedTo: 'UNICEF',
        description: 'A venue for the children council',
        dueAt: new Date(now + 5 * 86_400_000).toISOString(),
      },
    });
    await signMemorandum(c);
    await approveDistricts(c, ['d1']);
    await c.districtTask('d2', 'SUBMIT_DISTRICT_PLAN');
    await c.districtUpdate('d2', waiveDistrictPlanUpdate, { actor: actors.admin, reason: 'District merged' });
    await c.task('SUBMIT_ACTION_PLAN');
    await env.sleep('20 days'); // the venue obligation falls overdue
    await c.until((s) => s.obligations[0].status === 'OVERDUE', 'obligation overdue');
    await c.update(fulfilObligationUpdate, { actor: actors.admin, obligationId: 'venue', evidence: 'Hall 3' });
    await prepareActionPlan(c);
    await submitActionPlan(c);
    await c.task('REVIEW_ACTION_PLAN');
    await c.update(reviewActionPlanUpdate, { actor: actors.ministry, decision: 'RETURN', reason: 'No budget' });
    await c.task('SUBMIT_ACTION_PLAN');
    await submitActionPlan(c);
    await ministryApproves(c);
    await c.task('COMMITTEE_VOTE');
    await c.update(castCommitteeVoteUpdate, { actor: actors.member(1), recuse: true, reason: 'Former mayor' });
    await c.update(castCommitteeVoteUpdate, { actor: actors.member(2), vote: 'REJECT', reason: 'Thin' });
    await c.update(castCommitteeVoteUpdate, { actor: actors.member(3), vote: 'REJECT', reason: 'Agree' });
    await c.stage('REJECTED');
    await c.update(appealDecisionUpdate, { actor: actors.admin, reason: 'Budget line added' });
    await c.stage('CANDIDACY_REVIEW');
    await committeeApproves(c);
    await c.task('ENDORSE_CANDIDACY');
    await c.update(endorseCandidacyUpdate, { actor: actors.unicef, decision: 'DECLINE', reason: 'Not yet' });
    await c.stage('REJECTED');
    expect(((await c.handle.result()) as CandidacyState).stage).toBe('REJECTED'); // the window closes
    await acts.settled();
    await save('candidacy-workflow', 'returned-rejected-appealed-declined', c.handle);
    await save('district-plan-workflow', 'waived', c.district('d2'));
  });

  it('candidacy-workflow: gated, suspended, reinstated, failed, appealed, acceded, renewed (two runs)', async () => {
    const c = await CandidacyDriver.start(
      env.client,
      taskQueue,
      cityInput({
        cityId: 'renewed-city',
        districts: 1,
        obligations: [UNICEF_FUNDING],
        policy: { programmeMonths: 12, recognitionYears: 1 },
      }),
    );
    await toCommitteeVote(c, ['d1']);
    await committeeApproves(c);
    await unicefEndorses(c);
    await fundedThenSuspendedAndReinstated(env, c);
    await evaluateAfter(env, c, 6);
    await c.task('RECORD_FINAL_ASSESSMENT');
    await c.update(recordFinalAssessmentUpdate, {
      actor: actors.unicef,
      demonstratedResults: true,
      childParticipation: false,
      nonDiscrimination: true,
      reason: 'Council met twice',
    });
    await c.stage('REJECTED');
    await c.update(appealDecisionUpdate, { actor: actors.admin, reason: 'Minutes of twelve sessions' });
    await c.stage('FINAL_ASSESSMENT');
    await finalAssessmentPasses(c);
    await c.stage('ACCEDED');
    const firstRun = (await c.handle.describe()).runId;
    await env.sleep('200 days'); // recognition of a year; the renewal opens six months before it ends
    await c.until((s) => s.cycle === 2, 'renewal cycle');
    await prepareActionPlan(c);
    await submitActionPlan(c);
    await ministryApproves(c);
    await c.stage('IMPLEMENTATION');
    await c.update(withdrawCandidacyUpdate, { actor: actors.admin, reason: 'recording finished' });
    await c.handle.result();
    await acts.settled();
    await save('candidacy-workflow', 'renewed-run-1', env.client.workflow.getHandle(c.workflowId, firstRun));
    await save('candidacy-workflow', 'renewed-run-2', c.handle);
  });

  it('candidacy-workflow: a rehearsal of minutes, a split vote turned by the last member, renewed (two runs)', async () => {
    const c = await CandidacyDriver.start(
      env.client,
      taskQueue,
      cityInput({
        cityId: 'rehearsed-city',
        districts: 1,
        obligations: [{ ...UNICEF_FUNDING, gatesStage: undefined }],
        policy: {
          districtPlanDays: 'PT5M',
          actionPlanMonths: 'PT5M',
          committeeDecisionDays: 'PT5M',
          programmeMonths: 'PT10M',
          evaluationIntervalMonths: 'PT5M',
          evaluationWindowDays: 'PT5M',
          recognitionYears: 'PT30M',
          renewalLeadMonths: 'PT10M',
          reminderDaysBefore: ['PT1M'],
          escalationDaysAfter: ['PT0S'],
        },
      }),
    );
    await toCommitteeVote(c, ['d1']);
    await c.update(castCommitteeVoteUpdate, { actor: actors.member(1), vote: 'APPROVE' });
    await c.update(castCommitteeVoteUpdate, { actor: actors.member(2), vote: 'REJECT', reason: 'Thin' });
    await c.update(castCommitteeVoteUpdate, { actor: actors.member(3), vote: 'APPROVE' });
    await unicefEndorses(c);
    for (let i = 0; i < 2; i++) {
      await env.sleep('6 minutes');
      await c.task('RECORD_EVALUATION');
      await c.update(recordEvaluationUpdate, { actor: actors.ministry, scores: GOOD_SCORES });
    }
    await finalAssessmentPasses(c);
    await c.task('PREPARE_RENEWAL');
    const firstRun = (await c.handle.describe()).runId;
    await env.sleep('25 minutes');
    await c.until((s) => s.cycle === 2, 'renewal cycle');
    await c.update(withdrawCandidacyUpdate, { actor: actors.admin, reason: 'recording finished' });
    await c.handle.result();
    await acts.settled();
    await save('candidacy-workflow', 'rehearsal-run-1', env.client.workflow.getHandle(c.workflowId, firstRun));
    await save('candidacy-workflow', 'rehearsal-run-2', c.handle);
  });
});
