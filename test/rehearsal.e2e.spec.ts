import * as path from 'node:path';
import type { CandidacyState } from '@kudak/contracts';
import { bash, launchStack, mintToken, type LaunchedStack } from './support/launched-stack';

// The rehearsal of docs/rehearsal.md, as a user runs it: `npm start`'s embedded stack (the built
// launcher, its dev server, worker and API, on free ports and a throwaway data folder), then
// scripts/rehearse-isfahan.sh, which takes Isfahan from start to ACCEDED through the API alone in
// minutes (a policy of ISO 8601 durations), each party acting only on what its own GET /me/tasks
// shows. The script stops at the first task that does not show where it should.
const script = path.resolve(__dirname, '..', 'scripts', 'rehearse-isfahan.sh');
const DISTRICTS = 15;

/** What each party must have seen in its /me/tasks at each stage (the script's own lines). */
const SEEN = [
  '[COMMITMENT] focal-point sees SIGN_MEMORANDUM ',
  '[COMMITMENT] unicef-officer sees FULFIL_OBLIGATION unicef-funding ',
  ...Array.from(
    { length: DISTRICTS },
    (_, i) => `[DISTRICT_PLANNING] mayor-district-${i + 1} sees SUBMIT_DISTRICT_PLAN district-${i + 1} `,
  ),
  `[DISTRICT_PLANNING] plan-reviewer sees ${DISTRICTS} plans to review, ${DISTRICTS} new-task notices in the inbox`,
  '[ACTION_PLAN] focal-point sees SUBMIT_ACTION_PLAN ',
  '[MINISTRY_REVIEW] moi-officer sees REVIEW_ACTION_PLAN ',
  ...[1, 2, 3, 4].map((n) => `[CANDIDACY_REVIEW] member-${n} sees COMMITTEE_VOTE `),
  '[CANDIDACY_REVIEW] unicef-officer sees ENDORSE_CANDIDACY ',
  '[IMPLEMENTATION] focal-point sees FULFIL_OBLIGATION unicef-funding ',
  '[IMPLEMENTATION] unicef-officer sees FULFIL_OBLIGATION unicef-funding ',
  '[IMPLEMENTATION] moi-officer sees PREPARE_EVALUATION ',
  '[IMPLEMENTATION] moi-officer sees RECORD_EVALUATION ',
  '[IMPLEMENTATION] member-1 sees PREPARE_EVALUATION ',
  '[IMPLEMENTATION] member-1 sees RECORD_EVALUATION ',
  '[FINAL_ASSESSMENT] unicef-officer sees RECORD_FINAL_ASSESSMENT ',
  '[ACCEDED] focal-point sees PREPARE_RENEWAL ',
];

describe('rehearsal: Isfahan from start to ACCEDED in minutes on the embedded stack', () => {
  let stack: LaunchedStack;

  beforeAll(async () => {
    stack = await launchStack('kudak-rehearsal');
  }, 180_000);

  afterAll(async () => {
    await stack?.stop();
  }, 90_000);

  it("passes every stage through the API, each party's /me/tasks showing what is theirs", async () => {
    const began = Date.now();
    const run = await bash(script, { ...process.env, PORT: String(stack.apiPort), KUDAK_DATA_DIR: stack.dataDir }, []);
    const seconds = (Date.now() - began) / 1000;
    const lines = run.stdout.split('\n');
    const transcript = `${run.stdout}\n${run.stderr}`;
    // On failure the transcript says where the rehearsal stopped and why.
    expect({ status: run.status, transcript }).toEqual({ status: 0, transcript });
    expect(SEEN.filter((seen) => !lines.some((line) => line.startsWith(seen)))).toEqual([]);
    expect(lines).toContainEqual(
      expect.stringMatching(/^\[IMPLEMENTATION\] focal-point sees FULFIL_OBLIGATION .* OVERDUE$/),
    );
    expect(seconds).toBeLessThan(300);

    // Read back with tokens of the parties' own, as the doc shows.
    const as = (role: string, sub: string) =>
      mintToken(stack, ['--role', role, '--sub', sub, '--country', 'IR', '--cities', 'isfahan']);
    const get = async (token: string, route: string) => {
      const res = await fetch(`http://127.0.0.1:${stack.apiPort}${route}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      expect({ route, status: res.status }).toEqual({ route, status: 200 });
      return res.json();
    };
    const auditor = as('auditor', 'auditor-1');
    const candidacy = (await get(auditor, '/candidacies/isfahan')) as CandidacyState;
    expect(candidacy).toMatchObject({
      stage: 'ACCEDED',
      awards: [expect.objectContaining({ kind: 'CANDIDACY_LOGO' }), expect.objectContaining({ kind: 'RECOGNITION' })],
      obligations: [expect.objectContaining({ id: 'unicef-funding', status: 'FULFILLED' })],
      evaluations: [expect.objectContaining({ sequence: 1 }), expect.objectContaining({ sequence: 2 })],
      policy: expect.objectContaining({ programmeMonths: 'PT40S', evaluationIntervalMonths: 'PT20S' }),
    });
    // The committee heard all its members: one recused, one dissented.
    expect(candidacy.committeeRounds).toEqual([
      expect.objectContaining({
        outcome: 'APPROVED',
        dissenters: ['member-2'],
        ballots: [
          expect.objectContaining({ memberId: 'member-4', recused: true }),
          expect.objectContaining({ memberId: 'member-1', vote: 'APPROVE' }),
          expect.objectContaining({ memberId: 'member-2', vote: 'REJECT' }),
          expect.objectContaining({ memberId: 'member-3', vote: 'APPROVE' }),
        ],
      }),
    ]);

    // A member of the network: the renewal is the administrators' one task, and nobody else has any.
    const renewal = (await get(as('administrator', 'focal-point'), '/me/tasks')) as Array<{
      kind: string;
      dueAt: string;
    }>;
    expect(renewal.map((t) => t.kind)).toEqual(['PREPARE_RENEWAL']);
    expect(Date.parse(renewal[0].dueAt)).toBeGreaterThan(Date.parse(candidacy.stageEnteredAt));
    for (const [role, sub] of [
      ['unicef_officer', 'unicef-officer'],
      ['ministry_officer', 'moi-officer'],
      ['committee_member', 'member-1'],
      ['reviewer', 'plan-reviewer'],
    ]) {
      expect({ sub, tasks: await get(as(role, sub), '/me/tasks') }).toEqual({ sub, tasks: [] });
    }

    // The reviewer was told of each plan to review, once per plan.
    const inbox = (await get(as('reviewer', 'plan-reviewer'), '/me/notifications?limit=100')) as {
      items: Array<{ template: string; subject: string }>;
    };
    const assigned = inbox.items.filter((n) => n.template === 'TASK_ASSIGNED');
    expect(assigned).toHaveLength(DISTRICTS);
    expect(new Set(assigned.map((n) => n.subject))).toEqual(new Set(['کار تازه در Isfahan: بررسی برنامهٔ منطقه']));

    // The obligation given at start is on the timeline from the start.
    const timeline = (await get(auditor, '/candidacies/isfahan/history?limit=100')) as {
      entries: Array<{ kind: string; workflowId: string; summary: string }>;
    };
    const candidacyLines = timeline.entries.filter((e) => e.workflowId === 'candidacy-isfahan');
    expect(candidacyLines.slice(0, 2).map((e) => e.kind)).toEqual(['STARTED', 'OBLIGATION']);
    expect(candidacyLines[1].summary).toMatch(
      /^Obligation given at start: unicef-funding: UNICEF \(unicef_officer\) owes Isfahan/,
    );
  }, 420_000);

  it('run again for the same city, stops at once and names the city to use instead', async () => {
    const env = { ...process.env, PORT: String(stack.apiPort), KUDAK_DATA_DIR: stack.dataDir };
    const again = await bash(script, env, []);
    expect(again).toMatchObject({
      status: 1,
      stderr: expect.stringContaining(
        "rehearsal failed: a candidacy for 'isfahan' already exists on this stack (GET /candidacies/isfahan answered 200): rehearse another city with CITY_ID=isfahan-2",
      ),
    });
    expect(again.stdout).not.toContain('[COMMITMENT]');
  }, 120_000);
});
