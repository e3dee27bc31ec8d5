import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { promisify } from 'node:util';
import type { Knex } from 'knex';
import request from 'supertest';
import { candidacyWorkflowId, ROLES, type Role } from '@kudak/contracts';
import { KNEX } from '@kudak/database';
import { resolveTemporalExecutable } from '@kudak/temporal';
import { DECISION_ENDPOINTS, startBody } from './support/api-bodies';
import { startKudakStack, type KudakStack } from './support/kudak-stack';
import {
  algNoneToken,
  expiredToken,
  foreignKeyToken,
  hs256PublicKeyToken,
  mintTestToken,
  tamperedToken,
  unknownKeyToken,
  wrongAudienceToken,
  wrongIssuerToken,
} from './support/tokens';

const run = promisify(execFile);
const suffix = Date.now().toString(36);
const cityId = `isfahan-${suffix}`;
const otherCity = `tehran-${suffix}`;

/** A token for a role scoped to the given cities (default: the test city); a district submitter's to district-1. */
/**
 * GET /me/tasks once a task matching `shows` is listed (or after 10 s): the read model follows a
 * decision by the projection activity's delay, so a read right after a decision may not show it yet.
 */
async function tasksUntil(
  http: ReturnType<typeof request>,
  authorization: string,
  shows: (t: { cityId: string; districtId?: string }) => boolean,
): Promise<request.Response> {
  for (let i = 0; ; i++) {
    const res = await http.get('/me/tasks').set('Authorization', authorization).expect(200);
    if (i >= 100 || (res.body as Array<{ cityId: string }>).some(shows)) return res;
    await new Promise((r) => setTimeout(r, 100));
  }
}

const token = (role: Role, cities = [cityId], sub = `test-${role}`, districts = ['district-1']) =>
  mintTestToken({
    role,
    cities,
    sub,
    organisation: 'Isfahan Municipality',
    ...(role === 'district_submitter' ? { districts } : {}),
  });

describe('API on the real worker and dev server', () => {
  let stack: KudakStack;
  let http: ReturnType<typeof request>;
  let admin: string;

  beforeAll(async () => {
    stack = await startKudakStack();
    http = request(stack.api.getHttpServer());
    admin = await token('administrator', [cityId, otherCity]);
  });
  afterAll(async () => {
    await stack?.close();
  });

  describe('without a valid token', () => {
    it('GET /health needs none and reports Temporal up', async () => {
      const res = await http.get('/health').expect(200);
      expect(res.body).toMatchObject({ status: 'ok', info: { temporal: { status: 'up' } } });
    });

    it.each([
      ['missing', async () => undefined],
      ['not a JWT', async () => 'not-a-jwt'],
      ['expired', () => expiredToken()],
      ['wrong issuer', () => wrongIssuerToken()],
      ['wrong audience', () => wrongAudienceToken()],
      ['alg: none', () => algNoneToken()],
      ['HS256 signed with the public key', () => hs256PublicKeyToken()],
      ['unknown key', () => unknownKeyToken()],
      ['signed by another key under our kid', () => foreignKeyToken()],
      ['tampered', () => tamperedToken()],
    ])('a %s token is 401 on every route, with no stack trace', async (_name, make) => {
      const bad = await make();
      for (const [method, path] of [
        ['get', '/candidacies'],
        ['post', '/candidacies'],
        ['get', `/candidacies/${cityId}`],
        ['post', `/candidacies/${cityId}/memorandum`],
        ['get', '/me/tasks'],
      ] as const) {
        const req = http[method](path);
        if (bad !== undefined) void req.set('Authorization', `Bearer ${bad}`);
        const res = await req.send({});
        expect({ path, status: res.status }).toEqual({ path, status: 401 });
        expect(JSON.stringify(res.body)).not.toMatch(/\bat .*\.(ts|js):\d+/);
      }
    });
  });

  describe('candidacies', () => {
    it('POST /candidacies starts the workflow with the caller as actor; GET returns its state', async () => {
      const created = await http
        .post('/candidacies')
        .set('Authorization', `Bearer ${admin}`)
        .send(startBody(cityId))
        .expect(201);
      expect(created.body).toMatchObject({
        workflowId: candidacyWorkflowId(cityId),
        cityId,
        stage: 'COMMITMENT',
        cycle: 1,
        overdue: false,
        startedBy: { id: 'test-administrator', role: 'administrator', organisation: 'Isfahan Municipality' },
      });
      expect(created.body.districts).toHaveLength(15);
      expect(created.body.obligations).toEqual([expect.objectContaining({ id: 'unicef-funding', status: 'OPEN' })]);

      const read = await http.get(`/candidacies/${cityId}`).set('Authorization', `Bearer ${admin}`).expect(200);
      expect(read.body.workflowId).toBe(candidacyWorkflowId(cityId));
      const history = await stack.client.workflow.getHandle(candidacyWorkflowId(cityId)).fetchHistory();
      expect(history.events?.some((e) => e.workflowTaskCompletedEventAttributes)).toBe(true);
    });

    it('a second start is a 409; a repeat under the same Idempotency-Key returns the first answer', async () => {
      const again = await http.post('/candidacies').set('Authorization', `Bearer ${admin}`).send(startBody(cityId));
      expect(again.status).toBe(409);
      expect(again.body.message).toContain(`A candidacy for city '${cityId}' already exists`);

      const first = await http
        .post('/candidacies')
        .set('Authorization', `Bearer ${admin}`)
        .set('Idempotency-Key', `start-${suffix}`)
        .send(startBody(otherCity, 2))
        .expect(201);
      const repeat = await http
        .post('/candidacies')
        .set('Authorization', `Bearer ${admin}`)
        .set('Idempotency-Key', `start-${suffix}`)
        .send(startBody(otherCity, 2))
        .expect(201);
      expect(repeat.body.workflowId).toBe(first.body.workflowId);
      expect(repeat.body.startedAt).toBe(first.body.startedAt);
    });

    it('is listed from the read model: by city, stage and overdue, paginated; and by the real CLI', async () => {
      const list = async (query: string) => {
        for (let i = 0; i < 40; i++) {
          const res = await http.get(`/candidacies?${query}`).set('Authorization', `Bearer ${admin}`).expect(200);
          if (res.body.items.length > 0) return res.body;
          await new Promise((r) => setTimeout(r, 250)); // the read model trails the workflow by its projection
        }
        return { items: [] };
      };
      const byCity = await list(`city=${cityId}&stage=COMMITMENT&overdue=false`);
      expect(byCity.items).toEqual([
        expect.objectContaining({ cityId, stage: 'COMMITMENT', overdue: false, status: 'RUNNING', country: 'IR' }),
      ]);
      const inWindow = await list(
        `city=${cityId}&startedAfter=${encodeURIComponent(new Date(Date.now() - 3_600_000).toISOString())}`,
      );
      expect(inWindow.items).toHaveLength(1);
      const future = await http
        .get(`/candidacies?city=${cityId}&startedAfter=2999-01-01T00:00:00Z`)
        .set('Authorization', `Bearer ${admin}`)
        .expect(200);
      expect(future.body.items).toEqual([]);
      const first = await list('pageSize=1');
      expect(first.items).toHaveLength(1);
      expect(first.nextPageToken).toEqual(expect.any(String));
      const second = await http
        .get(`/candidacies?pageSize=1&pageToken=${first.nextPageToken}`)
        .set('Authorization', `Bearer ${admin}`)
        .expect(200);
      expect(second.body.items[0].workflowId).not.toBe(first.items[0].workflowId);

      // A caller scoped to another city sees nothing of these.
      const stranger = await token('administrator', ['shiraz']);
      const none = await http.get('/candidacies').set('Authorization', `Bearer ${stranger}`).expect(200);
      expect(none.body.items).toEqual([]);

      const { executable } = resolveTemporalExecutable('cli');
      if (executable.type !== 'existing-path') throw new Error('the Temporal CLI is required for this test');
      const { stdout } = await run(executable.path, [
        'workflow',
        'list',
        '--address',
        process.env.TEMPORAL_ADDRESS!,
        '--query',
        `KudakCity = "${cityId}" AND KudakStage = "COMMITMENT" AND KudakCountry = "IR"`,
      ]);
      expect(stdout).toContain(candidacyWorkflowId(cityId));
    });

    it('bad input is a 400 naming each field and reason, and starts nothing', async () => {
      const bad = {
        cityId: 'Bad City!',
        cityName: '',
        country: 'Iran',
        districts: [{ id: 'x' }],
        contacts: [{ id: 'a', name: 'A', role: 'mayor', locale: 'de' }],
        policy: { committee: { members: [], quorum: 0 } },
        extra: 1,
      };
      const res = await http.post('/candidacies').set('Authorization', `Bearer ${admin}`).send(bad).expect(400);
      expect(res.body.message).toEqual(
        expect.arrayContaining([
          'property extra should not exist',
          'cityId must be 2-63 lowercase letters, digits and dashes',
          'cityName should not be empty',
          'country must be an ISO 3166-1 alpha-2 code such as IR',
          'districts.0.name should not be empty',
          expect.stringMatching(/^contacts\.0\.role must be one of the following values/),
          'policy.committee.quorum must not be less than 1',
        ]),
      );
      const quorum = await http
        .post('/candidacies')
        .set('Authorization', `Bearer ${await token('administrator', ['*'])}`)
        .send({ ...startBody('quorum-city'), policy: { committee: { members: ['m1'], quorum: 2 } } })
        .expect(400);
      expect(quorum.body.message).toEqual(['policy.committee.quorum must be between 1 and the number of members']);
      await http.get('/candidacies/quorum-city').set('Authorization', `Bearer ${admin}`).expect(403);

      // A duration is a whole number of its unit or an ISO 8601 duration; the programme holds whole intervals.
      const cityAdmin = `Bearer ${await token('administrator', ['*'])}`;
      const durations = await http
        .post('/candidacies')
        .set('Authorization', cityAdmin)
        .send({
          ...startBody('duration-city'),
          policy: { districtPlanDays: 'soon', programmeMonths: 0, reminderDaysBefore: [7, 'PT-1M'] },
        })
        .expect(400);
      expect(durations.body.message).toEqual(
        expect.arrayContaining([
          'policy.districtPlanDays must be a whole number of days or an ISO 8601 duration such as "PT5M" (got "soon")',
          'policy.programmeMonths must be a whole number of months from 1 to 3650, or an ISO 8601 duration such as "PT5M"',
          'policy.reminderDaysBefore.1 must be a whole number of days or an ISO 8601 duration such as "PT5M" (got "PT-1M")',
        ]),
      );
      const intervals = await http
        .post('/candidacies')
        .set('Authorization', cityAdmin)
        .send({ ...startBody('duration-city'), policy: { programmeMonths: 'PT20M', evaluationIntervalMonths: 'PT7M' } })
        .expect(400);
      expect(intervals.body.message).toEqual([
        'policy.programmeMonths must be a multiple of policy.evaluationIntervalMonths',
      ]);
      await http.get('/candidacies/duration-city').set('Authorization', cityAdmin).expect(404);
    });

    it('malformed paths, queries, JSON and oversized bodies are 4xx, never 500', async () => {
      const auth = { Authorization: `Bearer ${admin}` };
      expect((await http.get('/candidacies/NOT_VALID').set(auth)).status).toBe(400);
      expect((await http.get('/candidacies?stage=NOWHERE&pageSize=0').set(auth)).body.message).toEqual(
        expect.arrayContaining([expect.stringMatching(/^stage must be one of/), 'pageSize must not be less than 1']),
      );
      expect((await http.get('/candidacies?overdue=maybe').set(auth)).body.message).toEqual([
        'overdue must be true or false',
      ]);
      // ISO week dates passed @IsISO8601 and then broke `new Date()` in the list query (a 500).
      expect((await http.get('/candidacies?startedAfter=2026-W01-1').set(auth)).body.message).toEqual([
        'startedAfter must be an RFC 3339 date-time such as 2026-06-01T00:00:00Z',
      ]);
      // A page token the API did not hand out never reaches Temporal (which retried, then failed: a 500).
      expect((await http.get('/candidacies?pageToken=bm90LWEtdG9rZW4').set(auth)).status).toBe(400);
      const malformed = await http
        .post('/candidacies')
        .set(auth)
        .set('Content-Type', 'application/json')
        .send('{"cityId": ');
      expect(malformed.status).toBe(400);
      const huge = await http
        .post('/candidacies')
        .set(auth)
        .send({ ...startBody('huge-city'), cityName: 'x'.repeat(300_000) });
      expect(huge.status).toBe(413);
      const badKey = await http
        .post(`/candidacies/${cityId}/memorandum`)
        .set(auth)
        .set('Idempotency-Key', 'has spaces!')
        .send({});
      expect(badKey.status).toBe(400);
      expect(badKey.body.message).toContain('Idempotency-Key');
    });

    it('sets security headers', async () => {
      const res = await http.get('/health');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
      expect(res.headers['x-powered-by']).toBeUndefined();
    });

    it('a closed candidacy still reads (from its result) and refuses decisions with a 409, not a 404', async () => {
      const closedCity = `closed-${suffix}`;
      const auth = { Authorization: `Bearer ${await token('administrator', [closedCity])}` };
      await http.post('/candidacies').set(auth).send(startBody(closedCity, 1)).expect(201);
      await http.post(`/candidacies/${closedCity}/withdrawal`).set(auth).send({ reason: 'Council vote' }).expect(201);
      let read = await http.get(`/candidacies/${closedCity}`).set(auth).expect(200);
      for (let i = 0; i < 50 && !read.body.closedAt; i++) {
        await new Promise((r) => setTimeout(r, 100)); // the workflow closes after its last effects
        read = await http.get(`/candidacies/${closedCity}`).set(auth).expect(200);
      }
      expect(read.body).toMatchObject({ stage: 'WITHDRAWN', closedAt: expect.any(String) });
      const refused = await http.post(`/candidacies/${closedCity}/memorandum`).set(auth).send({});
      expect(refused.status).toBe(409);
      expect(refused.body.message).toMatch(/candidacy is closed/);
    });

    it('a district decision names the unknown district (404), plans not yet open (409) and a closed candidacy (409)', async () => {
      const city = `unopened-districts-${suffix}`;
      const admin = { Authorization: `Bearer ${await token('administrator', [city])}` };
      const reviewer = { Authorization: `Bearer ${await token('reviewer', [city])}` };
      await http.post('/candidacies').set(admin).send(startBody(city, 1)).expect(201);
      const review = (district: string) =>
        http.post(`/candidacies/${city}/districts/${district}/review`).set(reviewer).send({ decision: 'APPROVE' });
      const unknown = await review('district-9');
      expect([unknown.status, unknown.body.message]).toEqual([404, `City '${city}' has no district 'district-9'`]);
      const early = await review('district-1');
      expect([early.status, early.body.message]).toEqual([
        409,
        'District plans are not open: the candidacy is at COMMITMENT',
      ]);
      // With the plans open, then the candidacy withdrawn: its district's workflow is closed with it.
      await http.post(`/candidacies/${city}/memorandum`).set(admin).send({}).expect(201);
      await http.post(`/candidacies/${city}/withdrawal`).set(admin).send({ reason: 'Council vote' }).expect(201);
      for (let i = 0; i < 50 && !(await http.get(`/candidacies/${city}`).set(admin)).body.closedAt; i++) {
        await new Promise((r) => setTimeout(r, 100));
      }
      const submitter = { Authorization: `Bearer ${await token('district_submitter', [city])}` };
      for (const closed of [
        await review('district-1'),
        await http.post(`/candidacies/${city}/districts/district-1/plan`).set(submitter).send({ summary: 'Late plan' }),
      ]) {
        expect([closed.status, closed.body.message]).toEqual([
          409,
          'The candidacy is closed (WITHDRAWN); it takes no more decisions',
        ]);
      }
    });
  });

  describe('roles × endpoints × cities', () => {
    // The route layer lets every role through to the workflow for fulfilments; the workflow then
    // accepts only administrators and the owing party's role.
    const fulfilRouteRoles: Role[] = [...ROLES].filter((r) => r !== 'auditor');

    it('no role gets a 2xx where it is not entitled, in its city or another; an auditor changes nothing', async () => {
      const matrixCity = `matrix-${suffix}`;
      await http
        .post('/candidacies')
        .set('Authorization', `Bearer ${await token('administrator', [matrixCity])}`)
        .send(startBody(matrixCity, 2))
        .expect(201);
      const results: string[] = [];
      for (const role of ROLES) {
        const own = await token(role, [matrixCity], role === 'committee_member' ? 'member-1' : `test-${role}`);
        const elsewhere = await token(role, ['shiraz']);
        for (const e of DECISION_ENDPOINTS) {
          const url = `/candidacies/${matrixCity}/${e.path}`;
          const denied = await http.post(url).set('Authorization', `Bearer ${elsewhere}`).send(e.body);
          if (denied.status !== 403) results.push(`${role} ${e.path} other city: ${denied.status}`);
          const allowed = e.path.endsWith('fulfilment') ? fulfilRouteRoles.includes(role) : e.roles.includes(role);
          if (e.validNow && allowed) continue; // these would act; the flow tests cover them
          const res = await http.post(url).set('Authorization', `Bearer ${own}`).send(e.body);
          const entitled = e.roles.includes(role);
          const ok = entitled ? [409, 422].includes(res.status) : res.status === 403;
          if (!ok) results.push(`${role} ${e.path} own city: ${res.status} ${JSON.stringify(res.body.message)}`);
        }
        // Everyone in scope may read.
        const read = await http.get(`/candidacies/${matrixCity}`).set('Authorization', `Bearer ${own}`);
        if (read.status !== 200) results.push(`${role} read: ${read.status}`);
        const readElsewhere = await http.get(`/candidacies/${matrixCity}`).set('Authorization', `Bearer ${elsewhere}`);
        if (readElsewhere.status !== 403) results.push(`${role} read other city: ${readElsewhere.status}`);
      }
      expect(results).toEqual([]);
      const state = await http
        .get(`/candidacies/${matrixCity}`)
        .set('Authorization', `Bearer ${await token('auditor', [matrixCity])}`)
        .expect(200);
      expect(state.body).toMatchObject({ stage: 'COMMITMENT', decisions: [] });
    });
  });

  /** Each party's calls on one city's candidacy, with tokens scoped to that city. */
  const cityCalls = (city: string) => {
    const bearer = async (role: Role, sub?: string) => `Bearer ${await token(role, [city], sub)}`;
    const post = async (role: Role, path: string, body: object, key?: string, sub?: string) => {
      const req = http.post(`/candidacies/${city}/${path}`).set('Authorization', await bearer(role, sub));
      if (key) void req.set('Idempotency-Key', key);
      return req.send(body);
    };
    const waitFor = async (
      role: Role,
      ok: (body: { stage: string; openTasks: Array<{ kind: string }> }) => boolean,
    ) => {
      for (let i = 0; i < 100; i++) {
        const res = await http.get(`/candidacies/${city}`).set('Authorization', await bearer(role));
        if (ok(res.body)) return res.body;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error('timed out');
    };
    return { bearer, post, waitFor };
  };

  describe('a first candidacy: only the city, its country and its districts', () => {
    const firstCity = `first-${suffix}`;
    const { bearer, post, waitFor } = cityCalls(firstCity);
    const minimal = {
      cityId: firstCity,
      cityName: 'Isfahan',
      country: 'IR',
      districts: [{ id: 'district-1', name: 'D1' }],
    };

    it('answers 201 with no contacts, no obligations and an open committee, and reads back', async () => {
      const created = await http
        .post('/candidacies')
        .set('Authorization', await bearer('administrator'))
        .send(minimal)
        .expect(201);
      expect(created.body).toMatchObject({
        cityId: firstCity,
        stage: 'COMMITMENT',
        contacts: [],
        obligations: [],
        policy: { committee: { members: [], quorum: 1 } },
      });
      const read = await http
        .get(`/candidacies/${firstCity}`)
        .set('Authorization', await bearer('auditor'))
        .expect(200);
      expect(read.body).toEqual(created.body);
    });

    it('on an open committee any committee member in scope sees the vote, and one vote decides', async () => {
      expect((await post('administrator', 'memorandum', { reason: 'Signed' })).status).toBe(201);
      await waitFor('auditor', (s) => s.stage === 'DISTRICT_PLANNING');
      // The district workflow opens its submission task asynchronously: 409 until it has.
      let submitted = 0;
      for (let i = 0; i < 100 && submitted !== 201; i++) {
        if (i > 0) await new Promise((r) => setTimeout(r, 100));
        submitted = (await post('district_submitter', 'districts/district-1/plan', { summary: 'Plan' })).status;
      }
      expect(submitted).toBe(201);
      expect((await post('reviewer', 'districts/district-1/review', { decision: 'APPROVE' })).status).toBe(201);
      await waitFor('auditor', (s) => s.openTasks.some((t) => t.kind === 'SUBMIT_ACTION_PLAN'));
      await post('administrator', 'action-plan/inputs', { source: 'CHILDREN_COUNCIL', party: 'Council', summary: 's' });
      expect((await post('administrator', 'action-plan/submission', { summary: 'Plan' })).status).toBe(201);
      expect((await post('ministry_officer', 'action-plan/review', { decision: 'APPROVE' })).status).toBe(201);
      await waitFor('auditor', (s) => s.openTasks.some((t) => t.kind === 'COMMITTEE_VOTE'));

      const tasks = await tasksUntil(
        http,
        await bearer('committee_member', 'any-member'),
        (t) => t.cityId === firstCity,
      );
      expect(tasks.body.filter((t: { cityId: string }) => t.cityId === firstCity)).toEqual([
        expect.objectContaining({ kind: 'COMMITTEE_VOTE' }),
      ]);
      const vote = await post('committee_member', 'committee/votes', { vote: 'APPROVE' }, undefined, 'any-member');
      expect(vote.status).toBe(201);
      const state = (await waitFor('auditor', (s) => s.openTasks.some((t) => t.kind === 'ENDORSE_CANDIDACY'))) as {
        committeeRounds?: Array<{ outcome?: string; ballots: Array<{ memberId: string }> }>;
      };
      expect(state.committeeRounds).toEqual([
        expect.objectContaining({
          outcome: 'APPROVED',
          ballots: [expect.objectContaining({ memberId: 'any-member' })],
        }),
      ]);
    });

    it('without members named, the committee is the contacts who are committee members', async () => {
      const city = `contacts-${suffix}`;
      const res = await http
        .post('/candidacies')
        .set('Authorization', await cityCalls(city).bearer('administrator'))
        .send({
          ...minimal,
          cityId: city,
          contacts: [
            { id: 'chair', name: 'Chair', role: 'committee_member', locale: 'fa' },
            { id: 'focal-point', name: 'Focal point', role: 'administrator', locale: 'fa' },
            { id: 'member-2', name: 'Member', role: 'committee_member', locale: 'en' },
          ],
          policy: { committee: { quorum: 2 } },
        })
        .expect(201);
      expect(res.body.policy.committee).toEqual({ members: ['chair', 'member-2'], quorum: 2 });
    });
  });

  describe('decisions through the API', () => {
    const flowCity = `flow-${suffix}`;
    const { bearer, post, waitFor } = cityCalls(flowCity);

    beforeAll(async () => {
      await http
        .post('/candidacies')
        .set('Authorization', await bearer('administrator'))
        .send(startBody(flowCity, 1))
        .expect(201);
    });

    it('each decision body is validated, naming the field, and a refusal changes nothing', async () => {
      const cases: Array<[Role, string, object, RegExp]> = [
        ['administrator', 'memorandum', { reason: '' }, /reason should not be empty/],
        ['administrator', 'withdrawal', {}, /reason must be a string/],
        ['administrator', 'obligations', { obligation: { id: 'Bad Id' } }, /obligation.id must be lowercase/],
        ['unicef_officer', 'obligations/unicef-funding/fulfilment', {}, /evidence must be a string/],
        [
          'district_submitter',
          'districts/district-1/plan',
          { summary: 's', documentUrl: 'nope' },
          /documentUrl must be a URL/,
        ],
        ['reviewer', 'districts/district-1/review', { decision: 'MAYBE' }, /decision must be one of/],
        ['administrator', 'action-plan/inputs', { source: 'PRESS', party: 'p', summary: 's' }, /source must be one of/],
        ['administrator', 'action-plan/submission', { summary: 5 }, /summary must be a string/],
        ['ministry_officer', 'action-plan/review', {}, /decision must be one of/],
        ['committee_member', 'committee/votes', { vote: 'YES' }, /vote must be one of/],
        ['unicef_officer', 'endorsement', { decision: 'SURE' }, /decision must be one of/],
        [
          'committee_member',
          'evaluations',
          { scores: { resultsForChildren: 9, childParticipation: 4, nonDiscrimination: 4, localIndicators: [] } },
          /scores.resultsForChildren must not be greater than 5/,
        ],
        ['administrator', 'corrective-plan', { plan: '' }, /plan should not be empty/],
        ['unicef_officer', 'final-assessment', { demonstratedResults: 'yes' }, /demonstratedResults must be a boolean/],
        ['administrator', 'appeal', { reason: 'x', actor: { id: 'forged' } }, /property actor should not exist/],
      ];
      for (const [role, path, body, message] of cases) {
        const res = await post(role, path, body);
        expect({ path, status: res.status }).toEqual({ path, status: 400 });
        expect(res.body.message.join('\n')).toMatch(message);
      }
      const state = await waitFor('auditor', () => true);
      expect(state).toMatchObject({ stage: 'COMMITMENT', decisions: [] });
    });

    it('an idempotent repeat acts once; a decision at the wrong stage is a 409 with the reason', async () => {
      const wrongStage = await post('administrator', 'action-plan/submission', { summary: 'early' });
      expect(wrongStage.status).toBe(409);
      expect(wrongStage.body.message).toMatch(/belongs to stage ACTION_PLAN; the candidacy is at COMMITMENT/);

      const first = await post('administrator', 'memorandum', { reason: 'Signed' }, `mou-${suffix}`);
      const repeat = await post('administrator', 'memorandum', { reason: 'Signed' }, `mou-${suffix}`);
      expect(first.status).toBe(201);
      expect(repeat.status).toBe(201);
      expect(repeat.body.id).toBe(first.body.id);
      expect(first.body.actor).toEqual({
        id: 'test-administrator',
        role: 'administrator',
        organisation: 'Isfahan Municipality',
      });
      const state = await waitFor('auditor', (s) => s.stage === 'DISTRICT_PLANNING');
      expect((state as unknown as { decisions: unknown[] }).decisions).toHaveLength(1);
    });

    it('GET /me/tasks is the reviewer inbox; returns need a reason (422); GET /me/notifications', async () => {
      const submitterTasks = async () =>
        (await http.get('/me/tasks').set('Authorization', await bearer('district_submitter'))).body as Array<{
          kind: string;
          cityId: string;
        }>;
      for (let i = 0; i < 100 && !(await submitterTasks()).some((t) => t.cityId === flowCity); i++) {
        await new Promise((r) => setTimeout(r, 100));
      }
      expect((await submitterTasks()).filter((t) => t.cityId === flowCity)).toEqual([
        expect.objectContaining({
          kind: 'SUBMIT_DISTRICT_PLAN',
          districtId: 'district-1',
          dueAt: expect.any(String),
          // Both calendars: Solar Hijri first (Persian digits) in Persian, Gregorian first in English.
          due: {
            fa: expect.stringMatching(
              /^[۰-۹]{4}\/[۰-۹]{2}\/[۰-۹]{2} \(.*[۰-۹]{4}\)، ساعت [۰-۹]{2}:[۰-۹]{2} به وقت UTC$/,
            ),
            en: expect.stringMatching(/^\d{1,2} [A-Z][a-z]+ \d{4} \(\d{1,2} [A-Z][a-z]+ \d{4} SH\), \d\d:\d\d UTC$/),
          },
        }),
      ]);
      expect((await post('district_submitter', 'districts/district-1/plan', { summary: 'Plan' })).status).toBe(201);
      const reviewerTasks = await tasksUntil(http, await bearer('reviewer'), (t) => t.cityId === flowCity);
      expect(reviewerTasks.body.filter((t: { cityId: string }) => t.cityId === flowCity)).toEqual([
        expect.objectContaining({ kind: 'REVIEW_DISTRICT_PLAN', districtId: 'district-1' }),
      ]);
      const noReason = await post('reviewer', 'districts/district-1/review', { decision: 'RETURN' });
      expect(noReason.status).toBe(422);
      expect(noReason.body.message).toBe('reason (why the plan is returned) is required');
      expect((await post('reviewer', 'districts/district-1/review', { decision: 'APPROVE' })).status).toBe(201);

      const inbox = await http
        .get('/me/notifications?limit=10')
        .set('Authorization', await bearer('administrator', 'focal-point'))
        .expect(200);
      expect(inbox.body.items.length).toBeGreaterThan(0);
      expect(inbox.body.items[0]).toMatchObject({ cityId: flowCity, locale: 'fa', subject: expect.any(String) });
      expect(inbox.body.unreadCount).toBeGreaterThan(0);
    });

    it('concurrent duplicate votes by one member: exactly one is counted', async () => {
      // The district's approval reaches the candidacy asynchronously; the action plan then opens.
      await waitFor('auditor', (s) => s.openTasks.some((t) => t.kind === 'SUBMIT_ACTION_PLAN'));
      await post('administrator', 'action-plan/inputs', { source: 'CHILDREN_COUNCIL', party: 'Council', summary: 's' });
      expect((await post('administrator', 'action-plan/submission', { summary: 'Plan' })).status).toBe(201);
      expect((await post('ministry_officer', 'action-plan/review', { decision: 'APPROVE' })).status).toBe(201);
      await waitFor('auditor', (s) => s.openTasks.some((t) => t.kind === 'COMMITTEE_VOTE'));
      const votes = await Promise.all(
        Array.from({ length: 5 }, (_, i) =>
          post('committee_member', 'committee/votes', { vote: 'APPROVE' }, `vote-${i}-${suffix}`, 'member-1'),
        ),
      );
      expect(votes.map((v) => v.status).sort()).toEqual([201, 409, 409, 409, 409]);
      const state = (await waitFor('auditor', () => true)) as unknown as {
        committeeRounds: Array<{ ballots: Array<{ memberId: string }> }>;
      };
      expect(state.committeeRounds[0].ballots.map((b) => b.memberId)).toEqual(['member-1']);
      const notMember = await post('committee_member', 'committee/votes', { vote: 'APPROVE' }, undefined, 'member-9');
      expect(notMember.status).toBe(403);
      expect(notMember.body.message).toBe('member-9 is not a member of the steering committee');
    });
  });

  describe('district submitters act only on the districts of their token', () => {
    const districtCity = `districts-${suffix}`;
    const submitter = (districts: string[]) =>
      token('district_submitter', [districtCity], `mayor-${districts.join('-')}`, districts);
    const post = async (authorization: string, path: string, body: object) =>
      http.post(`/candidacies/${districtCity}/${path}`).set('Authorization', authorization).send(body);

    beforeAll(async () => {
      const admin = `Bearer ${await token('administrator', [districtCity])}`;
      await http
        .post('/candidacies')
        .set('Authorization', admin)
        .send({
          ...startBody(districtCity, 3),
          contacts: [
            ...startBody(districtCity).contacts,
            // The contact names district-1; the token is what the API authorises from.
            {
              id: 'mayor-district-1',
              name: 'Mayor',
              role: 'district_submitter',
              locale: 'fa',
              districtId: 'district-1',
            },
          ],
        })
        .expect(201);
      await post(admin, 'memorandum', {}).then((res) => expect(res.status).toBe(201));
    });

    it("another district's plan is a 403 naming it and changes nothing; its own district's is a 201", async () => {
      const district1 = `Bearer ${await submitter(['district-1'])}`;
      for (let i = 0; i < 100; i++) {
        const res = await http.get('/me/tasks').set('Authorization', district1);
        if (res.body.some((t: { cityId: string }) => t.cityId === districtCity)) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      const refused = await post(district1, 'districts/district-2/plan', { summary: "District 2's plan" });
      expect(refused.status).toBe(403);
      expect(refused.body.message).toBe("Your token does not cover district 'district-2' (its districts: district-1)");

      // Its tasks are its districts' only.
      const tasks = await http.get('/me/tasks').set('Authorization', district1).expect(200);
      expect(
        tasks.body
          .filter((t: { cityId: string }) => t.cityId === districtCity)
          .map((t: { districtId: string }) => t.districtId),
      ).toEqual(['district-1']);
      const both = await tasksUntil(
        http,
        `Bearer ${await submitter(['district-1', 'district-2'])}`,
        (t) => t.cityId === districtCity && t.districtId === 'district-2',
      );
      expect(
        both.body
          .filter((t: { cityId: string }) => t.cityId === districtCity)
          .map((t: { districtId: string }) => t.districtId)
          .sort(),
      ).toEqual(['district-1', 'district-2']);

      expect((await post(district1, 'districts/district-1/plan', { summary: "District 1's plan" })).status).toBe(201);
      const state = await http
        .get(`/candidacies/${districtCity}`)
        .set('Authorization', `Bearer ${await token('auditor', [districtCity])}`)
        .expect(200);
      const district2 = state.body.districts.find((d: { id: string }) => d.id === 'district-2');
      expect(district2).toMatchObject({ status: 'NOT_SUBMITTED' });
      // An administrator still acts on every district.
      const admin = `Bearer ${await token('administrator', [districtCity])}`;
      expect((await post(admin, 'districts/district-2/plan', { summary: 'Filed by the city' })).status).toBe(201);
    });

    it('a district_submitter token without districts is a 401 naming the claim', async () => {
      const unbound = await mintTestToken({ role: 'district_submitter', cities: [districtCity], sub: 'mayor-x' });
      const res = await post(`Bearer ${unbound}`, 'districts/district-3/plan', { summary: 'Plan' });
      expect(res.status).toBe(401);
      expect(res.body.message).toBe(
        'token districts are required for a district_submitter: the district ids it acts on',
      );
    });
  });

  describe("the inbox follows the token's country and cities", () => {
    const flowCity = `flow-${suffix}`;
    const closedCity = `closed-${suffix}`;
    const focalPoint = async (cities: string[], country = 'IR') =>
      `Bearer ${await mintTestToken({ role: 'administrator', sub: 'focal-point', cities, country })}`;
    const inbox = async (authorization: string) =>
      (await http.get('/me/notifications?limit=100').set('Authorization', authorization).expect(200)).body as {
        items: Array<{ id: number; cityId: string; readAt?: string }>;
        unreadCount: number;
      };

    it("a token reads only its cities' and country's notices of the same subject", async () => {
      const everywhere = await focalPoint(['*']);
      // The withdrawal's notice is written by an activity, a moment after the candidacy closed.
      let all = await inbox(everywhere);
      for (let i = 0; i < 100 && !all.items.some((n) => n.cityId === closedCity); i++) {
        await new Promise((r) => setTimeout(r, 100));
        all = await inbox(everywhere);
      }
      expect(all.items.map((n) => n.cityId)).toEqual(expect.arrayContaining([flowCity, closedCity]));

      const isfahanOnly = await inbox(await focalPoint([flowCity]));
      expect(isfahanOnly.items.length).toBeGreaterThan(0);
      expect(isfahanOnly.items.every((n) => n.cityId === flowCity)).toBe(true);
      expect(isfahanOnly.unreadCount).toBe(isfahanOnly.items.filter((n) => !n.readAt).length);
      const closedOnly = await inbox(await focalPoint([closedCity]));
      expect(closedOnly.items.map((n) => n.cityId)).toEqual(closedOnly.items.map(() => closedCity));
      expect(closedOnly.items.length).toBeGreaterThan(0);

      expect(await inbox(await focalPoint(['*'], 'AF'))).toEqual({ items: [], unreadCount: 0 });
      expect(await inbox(await focalPoint(['shiraz']))).toEqual({ items: [], unreadCount: 0 });
    });

    it('POST /me/notifications/{id}/read marks one read within the inbox only; the unread count follows', async () => {
      const mine = await focalPoint([flowCity]);
      const before = await inbox(mine);
      const target = before.items.find((n) => !n.readAt)!;
      for (const stranger of [
        await focalPoint([closedCity]),
        await focalPoint(['*'], 'AF'),
        `Bearer ${await token('administrator', [flowCity], 'someone-else')}`,
      ]) {
        const res = await http.post(`/me/notifications/${target.id}/read`).set('Authorization', stranger);
        expect(res.status).toBe(404);
        expect(res.body.message).toBe(`Notification ${target.id} is not in your inbox`);
      }
      expect((await inbox(mine)).unreadCount).toBe(before.unreadCount);

      const read = await http.post(`/me/notifications/${target.id}/read`).set('Authorization', mine).expect(200);
      expect(read.body).toMatchObject({ id: target.id, cityId: flowCity, readAt: expect.any(String) });
      const again = await http.post(`/me/notifications/${target.id}/read`).set('Authorization', mine).expect(200);
      expect(again.body.readAt).toBe(read.body.readAt);
      const after = await inbox(mine);
      expect(after.unreadCount).toBe(before.unreadCount - 1);
      expect(after.items.find((n) => n.id === target.id)?.readAt).toBe(read.body.readAt);

      for (const bad of ['abc', '0', '1.5', '99999999999']) {
        const res = await http.post(`/me/notifications/${bad}/read`).set('Authorization', mine);
        expect({ bad, status: res.status }).toEqual({ bad, status: 400 });
      }
      expect((await http.post('/me/notifications/2147483647/read').set('Authorization', mine)).status).toBe(404);
    });
  });

  describe('audit routes', () => {
    const auditCity = `flow-${suffix}`;

    it('auditors and administrators read the timeline, raw histories, verification, replay and dossier; others may not', async () => {
      const auditor = `Bearer ${await token('auditor', [auditCity])}`;
      const timeline = await http
        .get(`/candidacies/${auditCity}/history?limit=100`)
        .set('Authorization', auditor)
        .expect(200);
      expect(timeline.body.entries.filter((e: { kind: string }) => e.kind === 'DECISION').length).toBeGreaterThan(3);
      expect(timeline.body.entries.find((e: { kind: string }) => e.kind === 'DECISION').actor).toEqual(
        expect.objectContaining({ id: expect.any(String), role: expect.any(String), organisation: expect.any(String) }),
      );
      // Every line reads in both calendars, its deadlines too: no bare ISO instant is left to a person.
      type Line = { kind: string; at: string; summary: string; when: { fa: string; en: string } } & {
        readable: { fa: string; en: string };
      };
      const lines = timeline.body.entries as Line[];
      const deadline = lines.find((e) => e.kind === 'DEADLINE')!;
      expect(deadline.summary).toMatch(/ due \d{4}-\d\d-\d\dT/);
      expect(deadline.readable.en).toMatch(
        /^.+ UTC: Deadline: \w+ due \d{1,2} [A-Z][a-z]+ \d{4} \(\d{1,2} [A-Z][a-z]+ 14\d\d SH\), \d\d:\d\d UTC for /,
      );
      for (const line of lines) {
        expect(line.when.en).toMatch(/^\d{1,2} [A-Z][a-z]+ 20\d\d \(\d{1,2} [A-Z][a-z]+ 14\d\d SH\), \d\d:\d\d UTC$/);
        expect(line.when.fa).toMatch(/^۱۴[۰-۹]{2}\/[۰-۹]{2}\/[۰-۹]{2} \(/);
        expect(line.readable.fa.startsWith(line.when.fa)).toBe(true);
        expect(`${line.readable.en} ${line.readable.fa}`).not.toMatch(/\d{4}-\d\d-\d\dT\d\d:/);
      }
      const raw = await http.get(`/candidacies/${auditCity}/history/raw`).set('Authorization', auditor).expect(200);
      expect(raw.headers['content-disposition']).toContain('attachment');
      expect(raw.body[0].history.events.length).toBeGreaterThan(5);
      const verification = await http
        .get(`/candidacies/${auditCity}/audit/verification`)
        .set('Authorization', auditor)
        .expect(200);
      expect(verification.body).toMatchObject({ ok: true, problems: [] });
      const replay = await http.get(`/candidacies/${auditCity}/audit/replay`).set('Authorization', auditor).expect(200);
      expect(replay.body.ok).toBe(true);
      const dossier = await http
        .get(`/candidacies/${auditCity}/dossier`)
        .set('Authorization', `Bearer ${await token('administrator', [auditCity])}`)
        .responseType('blob') // the zip as a Buffer
        .expect(200);
      expect(dossier.headers['content-type']).toBe('application/zip');
      const { createHash } = await import('node:crypto');
      expect(
        createHash('sha256')
          .update(dossier.body as Buffer)
          .digest('hex'),
      ).toBe(dossier.headers['x-kudak-sha256']);
      for (const role of [
        'reviewer',
        'committee_member',
        'district_submitter',
        'ministry_officer',
        'unicef_officer',
      ] as const) {
        const res = await http
          .get(`/candidacies/${auditCity}/dossier`)
          .set('Authorization', `Bearer ${await token(role, [auditCity])}`);
        expect({ role, status: res.status }).toEqual({ role, status: 403 });
      }
      const elsewhere = await http
        .get(`/candidacies/${auditCity}/history`)
        .set('Authorization', `Bearer ${await token('auditor', ['shiraz'])}`);
      expect(elsewhere.status).toBe(403);
    });
  });

  describe('audit commands', () => {
    const cli = path.resolve(__dirname, '..', 'dist', 'apps', 'api', 'audit', 'audit.cli.js');
    const auditCity = `flow-${suffix}`;

    it('rebuild derives the same log again; replay passes on this build; bad arguments exit 2', async () => {
      const auditor = `Bearer ${await token('auditor', [auditCity])}`;
      await http.get(`/candidacies/${auditCity}/history`).set('Authorization', auditor).expect(200); // syncs the log
      const before = await stack.api
        .get<Knex>(KNEX)('audit_log')
        .orderBy(['candidacy_id', 'position'])
        .select('entry', 'hash');
      const rebuilt = await run(process.execPath, [cli, 'rebuild', auditCity], { env: process.env });
      expect(rebuilt.stdout).toMatch(new RegExp(`${auditCity}: audit log rebuilt, \\d+ rows`));
      const after = await stack.api
        .get<Knex>(KNEX)('audit_log')
        .orderBy(['candidacy_id', 'position'])
        .select('entry', 'hash');
      expect(after).toEqual(before);
      const replayed = await run(process.execPath, [cli, 'replay', auditCity], { env: process.env });
      expect(replayed.stdout).toContain(`${auditCity}: pass candidacy-${auditCity}`);
      expect(replayed.stdout).not.toContain('FAIL');
      await expect(run(process.execPath, [cli, 'erase', auditCity], { env: process.env })).rejects.toMatchObject({
        code: 2,
        stderr: expect.stringContaining("unknown command 'erase'"),
      });
      await expect(run(process.execPath, [cli, 'replay', 'Isfahan'], { env: process.env })).rejects.toMatchObject({
        code: 2,
        stderr: expect.stringContaining("'Isfahan' is not a city id (2-63 lowercase letters, digits and dashes)"),
      });
    });
  });

  it('serves the OpenAPI document: every route, bearer auth and error responses', async () => {
    const res = await http.get('/docs/json').expect(200);
    const paths = res.body.paths as Record<string, Record<string, { responses: Record<string, unknown> }>>;
    expect(Object.keys(paths)).toEqual(
      expect.arrayContaining([
        '/health',
        '/candidacies',
        '/candidacies/{cityId}',
        '/candidacies/{cityId}/memorandum',
        '/candidacies/{cityId}/districts/{districtId}/review',
        '/candidacies/{cityId}/committee/votes',
        '/candidacies/{cityId}/obligations/{obligationId}/fulfilment',
        '/me/tasks',
        '/me/notifications',
        '/me/notifications/{id}/read',
      ]),
    );
    const vote = paths['/candidacies/{cityId}/committee/votes'].post;
    expect(Object.keys(vote.responses)).toEqual(
      expect.arrayContaining(['201', '400', '401', '403', '404', '409', '422', '429']),
    );
    expect(res.body.components.securitySchemes).toHaveProperty('bearer');
  });
});

describe('API rate limit', () => {
  it('answers 429 past the configured requests per minute', async () => {
    const stack = await startKudakStack({ rateLimitPerMinute: 3, worker: false });
    try {
      const http = request(stack.api.getHttpServer());
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++) statuses.push((await http.get('/candidacies')).status);
      expect(statuses).toEqual([401, 401, 401, 429, 429]);
    } finally {
      await stack.close();
    }
  });
});
