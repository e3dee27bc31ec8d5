import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import request from 'supertest';
import { DEADLINES_MEMO_KEY, type DeadlineMemoEntry, type Role } from '@kudak/contracts';
import { minimalPdf } from './support/document-fixtures';
import { startKudakStack, type KudakStack } from './support/kudak-stack';
import { startTimeSkippingServer } from './support/temporal-servers';
import { mintTestToken } from './support/tokens';

// The auditors' routes over a whole candidacy, from its start to accession, every step taken
// through the API by the party entitled to it: the API and worker modules the apps run, on the
// real time-skipping server, because the 18-month programme cannot pass on the dev server. The
// dev-server e2e (api.e2e.spec.ts) covers the same routes over a candidacy's first stages.
const cityId = 'audited-through-api';
const districts = ['district-1', 'district-2', 'district-3'];

interface TimelineEntry {
  kind: string;
  workflowId: string;
  at: string;
  atSolarHijri: string;
  stage?: string;
  summary: string;
  reason?: string;
  actor?: { id: string; role: string; organisation: string };
  details?: { deadlines?: DeadlineMemoEntry[]; decisionKind?: string; documents?: Array<{ name: string }> };
}

interface Decision {
  at: string;
  stage: string;
  actor: { id: string; role: string; organisation: string };
}

describe("auditors' API over a full lifecycle taken through the API", () => {
  let env: TestWorkflowEnvironment;
  let stack: KudakStack;
  let http: ReturnType<typeof request>;
  const previousAddress = process.env.TEMPORAL_ADDRESS;
  const memoDeadlines = async () =>
    (await stack.client.workflow.getHandle(`candidacy-${cityId}`).describe()).memo?.[DEADLINES_MEMO_KEY];
  let deadlinesWhileActionPlanDue: unknown;

  const bearer = async (role: Role, sub = `test-${role}`, organisation = `${role} office`, districts?: string[]) =>
    `Bearer ${await mintTestToken({ role, sub, organisation, cities: [cityId], districts })}`;
  const read = async () =>
    (
      await http
        .get(`/candidacies/${cityId}`)
        .set('Authorization', await bearer('administrator'))
        .expect(200)
    ).body;
  const until = async (what: string, ok: (s: { stage: string; openTasks: Array<{ kind: string }> }) => boolean) => {
    for (let i = 0; i < 300; i++) {
      const state = await read();
      if (ok(state)) return state;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`timed out waiting for ${what}`);
  };
  const task = (kind: string) => until(`task ${kind}`, (s) => s.openTasks.some((t) => t.kind === kind));
  const post = async (role: Role, path: string, body: object, sub?: string) => {
    // A district submitter's token covers the district it posts to.
    const district = role === 'district_submitter' ? [/^districts\/([^/]+)\//.exec(path)![1]] : undefined;
    const res = await http
      .post(`/candidacies/${cityId}/${path}`)
      .set('Authorization', await bearer(role, sub, undefined, district))
      .send(body);
    expect({ path, sub, status: res.status, body: res.status < 300 ? undefined : res.body }).toEqual({
      path,
      sub,
      status: 201,
      body: undefined,
    });
    return res.body;
  };

  /** The whole timeline, page by page. */
  /** Every page of the timeline, with these filters (a query string's tail, e.g. `&kind=AWARD`). */
  const wholeTimeline = async (authorization: string, filters = '', limit = 20) => {
    const entries: TimelineEntry[] = [];
    let total = Infinity;
    while (entries.length < total) {
      const res = await http
        .get(`/candidacies/${cityId}/history?offset=${entries.length}&limit=${limit}${filters}`)
        .set('Authorization', authorization)
        .expect(200);
      total = res.body.total;
      expect(res.body.entries.length).toBeGreaterThan(0);
      entries.push(...(res.body.entries as TimelineEntry[]));
    }
    expect(entries).toHaveLength(total);
    return entries;
  };

  beforeAll(async () => {
    env = await startTimeSkippingServer();
    process.env.TEMPORAL_ADDRESS = env.address;
    stack = await startKudakStack();
    http = request(stack.api.getHttpServer());

    await http
      .post('/candidacies')
      .set('Authorization', await bearer('administrator', 'focal-point', 'Isfahan Municipality'))
      .send({
        cityId,
        cityName: 'Isfahan',
        country: 'IR',
        districts: districts.map((id, i) => ({ id, name: `District ${i + 1}` })),
        contacts: [{ id: 'focal-point', name: 'CFC focal point', role: 'administrator', locale: 'fa' }],
        // Quorum 3 of 4: one member recuses, the dissent is cast before the outcome, which is computed
        // only when the three others have voted.
        policy: { committee: { members: ['member-1', 'member-2', 'member-3', 'member-4'], quorum: 3 } },
      })
      .expect(201);
    await task('SIGN_MEMORANDUM');
    await post('administrator', 'memorandum', { reason: 'MoU signed by the mayor and UNICEF' }, 'focal-point');
    await until('district planning', (s) => s.stage === 'DISTRICT_PLANNING');
    for (const d of districts) {
      await post('district_submitter', `districts/${d}/plan`, { summary: `Plan for ${d}` }, `mayor-${d}`);
      await post('reviewer', `districts/${d}/review`, { decision: 'APPROVE', reason: 'Complete' }, 'plan-reviewer');
    }
    await task('SUBMIT_ACTION_PLAN');
    deadlinesWhileActionPlanDue = await memoDeadlines();
    for (const source of ['PARTNER_BODY', 'THINK_TANK', 'CHILDREN_COUNCIL']) {
      await post('administrator', 'action-plan/inputs', { source, party: source, summary: 'Deliberation' });
    }
    // The operational plan, the evaluation reports and the final assessment rest on documents.
    const evidence = async (role: Role, name: string) => {
      const res = await http
        .post(`/candidacies/${cityId}/documents`)
        .set('Authorization', await bearer(role))
        .attach('file', minimalPdf(name), name);
      expect(res.status).toBe(201);
      return [{ sha256: res.body.sha256 as string }];
    };
    await post('administrator', 'action-plan/submission', {
      summary: 'Operational plan 1405',
      documents: await evidence('administrator', 'operational-plan-1405.pdf'),
    });
    await task('REVIEW_ACTION_PLAN');
    await post('ministry_officer', 'action-plan/review', { decision: 'APPROVE', reason: 'Complete' }, 'moi-officer');
    await task('COMMITTEE_VOTE');
    await post(
      'committee_member',
      'committee/votes',
      { recuse: true, reason: 'Works for the municipality' },
      'member-4',
    );
    await post('committee_member', 'committee/votes', { vote: 'APPROVE' }, 'member-1');
    await post('committee_member', 'committee/votes', { vote: 'REJECT', reason: 'Funding unclear' }, 'member-2');
    await post('committee_member', 'committee/votes', { vote: 'APPROVE', reason: 'Strong plan' }, 'member-3');
    await task('ENDORSE_CANDIDACY');
    await post('unicef_officer', 'endorsement', { decision: 'ENDORSE' }, 'unicef-officer');
    await until('implementation', (s) => s.stage === 'IMPLEMENTATION');
    const scores = { resultsForChildren: 4, childParticipation: 4, nonDiscrimination: 5, localIndicators: [] };
    for (let i = 0; i < 3; i++) {
      await env.sleep('186 days'); // six months on the server's clock
      await task('RECORD_EVALUATION');
      const report = await evidence('committee_member', `evaluation-${i + 1}.pdf`);
      await post('committee_member', 'evaluations', { scores, documents: report }, 'member-3');
    }
    await task('RECORD_FINAL_ASSESSMENT');
    await post(
      'unicef_officer',
      'final-assessment',
      {
        demonstratedResults: true,
        childParticipation: true,
        nonDiscrimination: true,
        documents: await evidence('unicef_officer', 'final-assessment.pdf'),
      },
      'unicef-officer',
    );
    await until('accession', (s) => s.stage === 'ACCEDED');
  });
  afterAll(async () => {
    await stack?.close();
    await env?.teardown();
    process.env.TEMPORAL_ADDRESS = previousAddress;
  });

  it('first reads of a log nobody has read yet, all at once, all answer and leave one intact log', async () => {
    const auditor = await bearer('auditor', 'auditor-1', 'National audit office');
    const admin = await bearer('administrator');
    const answers = await Promise.all([
      http.get(`/candidacies/${cityId}/history?limit=5`).set('Authorization', auditor),
      http.get(`/candidacies/${cityId}/audit/verification`).set('Authorization', auditor),
      http.get(`/candidacies/${cityId}/history?offset=5&limit=5`).set('Authorization', admin),
      http.get(`/candidacies/${cityId}/audit/verification`).set('Authorization', admin),
      http.get(`/candidacies/${cityId}/dossier`).set('Authorization', auditor).responseType('blob'),
    ]);
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200]);
    const verified = await http
      .get(`/candidacies/${cityId}/audit/verification`)
      .set('Authorization', auditor)
      .expect(200);
    expect(verified.body).toMatchObject({ ok: true, problems: [], appendedRows: 0 });
    expect(verified.body.storedRows).toBe(verified.body.expectedRows);
  });

  it('the timeline lists every decision of the candidacy and its districts with its actor, stage and time', async () => {
    const auditor = await bearer('auditor', 'auditor-1', 'National audit office');
    const { decisions } = (await read()) as { decisions: Decision[] };
    const entries = await wholeTimeline(auditor);
    expect(entries.length).toBeGreaterThan(40); // three pages or more
    const onTimeline = entries.filter((e) => e.kind === 'DECISION');
    // start, MoU, 3 inputs, submission, Ministry, 3 votes, endorsement, 3 evaluations, final assessment
    expect(decisions.length).toBeGreaterThanOrEqual(15);
    for (const d of decisions) {
      expect(onTimeline).toContainEqual(expect.objectContaining({ at: d.at, actor: d.actor, stage: d.stage }));
    }
    // Who decided comes from the token, never the body: each party's subject and organisation.
    expect(onTimeline.filter((e) => e.actor?.id === 'member-2')).toEqual([
      expect.objectContaining({
        actor: { id: 'member-2', role: 'committee_member', organisation: 'committee_member office' },
        reason: 'Funding unclear',
      }),
    ]);
    const districtDecisions = onTimeline.filter((e) => e.workflowId.includes('/district/'));
    expect(districtDecisions.map((e) => e.actor?.id).sort()).toEqual(
      [...districts.map((d) => `mayor-${d}`), 'plan-reviewer', 'plan-reviewer', 'plan-reviewer'].sort(),
    );
    for (const e of entries) expect(e.atSolarHijri).toMatch(/^14\d\d\/\d\d\/\d\d$/);
    expect([...new Set(entries.map((e) => e.kind))]).toEqual(
      expect.arrayContaining(['STARTED', 'STAGE_ENTERED', 'DECISION', 'EVALUATION', 'AWARD', 'NOTIFICATION']),
    );
    expect(entries.filter((e) => e.kind === 'AWARD').map((e) => e.summary)).toEqual([
      expect.stringMatching(/^CANDIDACY_LOGO awarded/),
      expect.stringMatching(/^RECOGNITION awarded, valid until/),
    ]);
    const candidacyStages = entries.filter((e) => e.kind === 'STAGE_ENTERED' && e.workflowId === `candidacy-${cityId}`);
    expect(candidacyStages.map((e) => e.stage)).toEqual([
      'COMMITMENT',
      'DISTRICT_PLANNING',
      'ACTION_PLAN',
      'MINISTRY_REVIEW',
      'CANDIDACY_REVIEW',
      'IMPLEMENTATION',
      'FINAL_ASSESSMENT',
      'ACCEDED',
    ]);
    expect(entries.filter((e) => e.kind === 'EVALUATION')).toHaveLength(3);
    const documented = onTimeline.filter((e) => e.details?.documents);
    expect(documented.map((e) => [e.details!.decisionKind, e.details!.documents!.map((d) => d.name)])).toEqual([
      ['ACTION_PLAN_SUBMITTED', ['operational-plan-1405.pdf']],
      ['EVALUATION_RECORDED', ['evaluation-1.pdf']],
      ['EVALUATION_RECORDED', ['evaluation-2.pdf']],
      ['EVALUATION_RECORDED', ['evaluation-3.pdf']],
      ['FINAL_ASSESSMENT_RECORDED', ['final-assessment.pdf']],
    ]);

    // Every deadline when it is set, met before any reminder or not, in each workflow.
    const deadlines = entries.filter((e) => e.kind === 'DEADLINE');
    const deadlineKinds = (workflowId: string) =>
      deadlines.filter((e) => e.workflowId === workflowId).flatMap((e) => e.details!.deadlines!.map((d) => d.kind));
    expect(deadlineKinds(`candidacy-${cityId}`)).toEqual([
      'SUBMIT_ACTION_PLAN',
      'REVIEW_ACTION_PLAN',
      'COMMITTEE_VOTE',
      'ENDORSE_CANDIDACY',
      // Each evaluation is awaited until it falls due, then recorded.
      ...[1, 2, 3].flatMap(() => ['PREPARE_EVALUATION', 'RECORD_EVALUATION']),
      'RECORD_FINAL_ASSESSMENT',
      'PREPARE_RENEWAL',
    ]);
    for (const d of districts) {
      expect(deadlineKinds(`candidacy-${cityId}/district/${d}`)).toEqual([
        'SUBMIT_DISTRICT_PLAN',
        'REVIEW_DISTRICT_PLAN',
      ]);
    }
    // The action plan is due one month after its stage opens (the policy's default).
    const actionPlanOpened = new Date(candidacyStages.find((e) => e.stage === 'ACTION_PLAN')!.at);
    const actionPlanDue = deadlines.find((e) => e.details!.deadlines![0].kind === 'SUBMIT_ACTION_PLAN')!;
    const oneMonthLater = new Date(actionPlanOpened);
    oneMonthLater.setUTCMonth(oneMonthLater.getUTCMonth() + 1);
    expect(Math.abs(Date.parse(actionPlanDue.details!.deadlines![0].dueAt) - oneMonthLater.getTime())).toBeLessThan(
      1000,
    );
    expect(actionPlanDue.summary).toMatch(/^Deadline: SUBMIT_ACTION_PLAN due \S+ for administrator$/);
    // Pages are slices of the same timeline.
    const page = await http.get(`/candidacies/${cityId}/history?offset=37&limit=5`).set('Authorization', auditor);
    expect(page.body.entries).toEqual(entries.slice(37, 42));
  });

  it('the timeline filtered by kinds and district on the server: pages and total count what is kept; a bad filter is a 400', async () => {
    const auditor = await bearer('auditor', 'auditor-1', 'National audit office');
    const entries = await wholeTimeline(auditor);
    const paged = (filters: string, limit: number) => wholeTimeline(auditor, filters, limit);
    const decisionsAndAwards = entries.filter((e) => e.kind === 'DECISION' || e.kind === 'AWARD');
    // Repeated or comma-separated, paged in small pages: the same lines, in the timeline's order.
    expect(await paged('&kind=DECISION&kind=AWARD', 4)).toEqual(decisionsAndAwards);
    expect(await paged('&kind=DECISION,AWARD', 7)).toEqual(decisionsAndAwards);
    const district2 = await paged('&districtId=district-2', 3);
    expect(district2.length).toBeGreaterThan(2);
    expect(new Set(district2.map((e) => e.workflowId))).toEqual(new Set([`candidacy-${cityId}/district/district-2`]));
    expect(district2).toEqual(entries.filter((e) => e.workflowId === `candidacy-${cityId}/district/district-2`));
    const decided = await paged('&districtId=district-2&kind=DECISION', 1);
    expect(decided.map((e) => [e.details?.decisionKind, e.actor?.id])).toEqual([
      ['DISTRICT_PLAN_SUBMITTED', 'mayor-district-2'],
      ['DISTRICT_PLAN_APPROVED', 'plan-reviewer'],
    ]);
    const none = await http
      .get(`/candidacies/${cityId}/history?districtId=district-99`)
      .set('Authorization', auditor)
      .expect(200);
    expect(none.body).toEqual({ total: 0, offset: 0, entries: [] });

    for (const [query, field] of [
      ['kind=DECISIONS', 'kind'],
      ['kind=DECISION,nope', 'kind'],
      ['districtId=District%202', 'districtId'],
    ]) {
      const bad = await http.get(`/candidacies/${cityId}/history?${query}`).set('Authorization', auditor);
      expect({ query, status: bad.status }).toEqual({ query, status: 400 });
      expect(JSON.stringify(bad.body)).toContain(`${field} must be`);
    }
  });

  it('the memo holds the open deadlines: the action plan while it was due, the renewal after accession', async () => {
    expect(deadlinesWhileActionPlanDue).toEqual([
      expect.objectContaining({ kind: 'SUBMIT_ACTION_PLAN', stage: 'ACTION_PLAN', assigneeRole: 'administrator' }),
    ]);
    expect(await memoDeadlines()).toEqual([
      expect.objectContaining({ kind: 'PREPARE_RENEWAL', stage: 'ACCEDED', assigneeRole: 'administrator' }),
    ]);
  });

  it("decisions.csv says how each member voted, each round's outcome, dissenters, recusals and districts", async () => {
    const auditor = await bearer('auditor', 'auditor-1', 'National audit office');
    const dossier = await http
      .get(`/candidacies/${cityId}/dossier`)
      .set('Authorization', auditor)
      .responseType('blob')
      .expect(200);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kudak-dossier-'));
    try {
      fs.writeFileSync(path.join(dir, 'dossier.zip'), dossier.body as Buffer);
      execFileSync('python3', ['-m', 'zipfile', '-e', path.join(dir, 'dossier.zip'), path.join(dir, 'out')]);
      // Read back by Python's csv module: a CSV reader other than the writer.
      const rows = JSON.parse(
        execFileSync('python3', [
          '-c',
          'import csv, json, sys; print(json.dumps(list(csv.DictReader(open(sys.argv[1], newline="")))))',
          path.join(dir, 'out', 'decisions.csv'),
        ]).toString(),
      ) as Array<Record<string, string>>;
      const committee = rows
        .filter((r) => r.decision.startsWith('COMMITTEE_'))
        .map((r) => [r.decision, r.actor_id, r.committee_round, r.vote, r.outcome, r.dissenters, r.recused, r.reason]);
      expect(committee).toEqual([
        ['COMMITTEE_RECUSAL', 'member-4', '1', 'RECUSED', '', '', '', 'Works for the municipality'],
        ['COMMITTEE_VOTE', 'member-1', '1', 'APPROVE', '', '', '', ''],
        ['COMMITTEE_VOTE', 'member-2', '1', 'REJECT', '', '', '', 'Funding unclear'],
        ['COMMITTEE_VOTE', 'member-3', '1', 'APPROVE', '', '', '', 'Strong plan'],
        ['COMMITTEE_OUTCOME', 'steering-committee', '1', '', 'APPROVED', 'member-2', 'member-4', ''],
      ]);
      // Each plan decision names its district, from the district workflows' histories.
      const plans = rows.filter((r) => r.decision.startsWith('DISTRICT_PLAN_'));
      expect(plans.map((r) => [r.decision, r.district_id, r.actor_id]).sort()).toEqual(
        districts
          .flatMap((d) => [
            ['DISTRICT_PLAN_APPROVED', d, 'plan-reviewer'],
            ['DISTRICT_PLAN_SUBMITTED', d, `mayor-${d}`],
          ])
          .sort(),
      );
      expect(rows.filter((r) => !r.decision.startsWith('DISTRICT_')).every((r) => r.district_id === '')).toBe(true);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the raw histories, the verification, replay and the dossier cover the whole lifecycle', async () => {
    const auditor = await bearer('auditor', 'auditor-1', 'National audit office');
    const timeline = await wholeTimeline(auditor); // reading it brings the audit log up to date
    const raw = await http.get(`/candidacies/${cityId}/history/raw`).set('Authorization', auditor).expect(200);
    const workflowIds = (raw.body as Array<{ workflowId: string }>).map((h) => h.workflowId).sort();
    expect(workflowIds).toEqual(
      [`candidacy-${cityId}`, ...districts.map((d) => `candidacy-${cityId}/district/${d}`)].sort(),
    );
    const verification = await http
      .get(`/candidacies/${cityId}/audit/verification`)
      .set('Authorization', auditor)
      .expect(200);
    expect(verification.body).toEqual({
      ok: true,
      problems: [],
      storedRows: timeline.length,
      expectedRows: timeline.length,
      appendedRows: 0,
      documents: [],
    });
    const replay = await http.get(`/candidacies/${cityId}/audit/replay`).set('Authorization', auditor).expect(200);
    expect(replay.body.ok).toBe(true);
    const dossier = await http
      .get(`/candidacies/${cityId}/dossier`)
      .set('Authorization', auditor)
      .responseType('blob') // the zip as a Buffer
      .expect(200);
    expect(
      createHash('sha256')
        .update(dossier.body as Buffer)
        .digest('hex'),
    ).toBe(dossier.headers['x-kudak-sha256']);
  });
});
