import request from 'supertest';
import { WorkflowFailedError, WorkflowNotFoundError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { candidacyWorkflowId, type Role } from '@kudak/contracts';
import { DECISION_ENDPOINTS, startBody } from './support/api-bodies';
import { unkeyedPageToken } from './support/forged-page-token';
import { startKudakStack, type KudakStack } from './support/kudak-stack';
import { mintTestToken } from './support/tokens';

// Input that must be refused, and what the API must not tell or keep (issue 10): each answer here
// was a 2xx or a 500 before.

const suffix = Date.now().toString(36);
/** A district submitter's token is bound to district-1 (DECISION_ENDPOINTS' district). */
const token = (role: Role, cities: string[], options: { sub?: string; country?: string } = {}) =>
  mintTestToken({
    role,
    cities,
    sub: options.sub ?? `test-${role}`,
    country: options.country ?? 'IR',
    ...(role === 'district_submitter' ? { districts: ['district-1'] } : {}),
  });

describe('API refuses hostile input and leaks nothing (real worker and dev server)', () => {
  let stack: KudakStack;
  let http: ReturnType<typeof request>;
  let admin: string;

  beforeAll(async () => {
    stack = await startKudakStack();
    http = request(stack.api.getHttpServer());
    admin = `Bearer ${await token('administrator', ['*'])}`;
  });
  afterAll(async () => {
    await stack?.close();
  });

  const exists = async (workflowId: string) =>
    stack.client.workflow
      .getHandle(workflowId)
      .describe()
      .then(
        () => true,
        (err: unknown) => {
          if (err instanceof WorkflowNotFoundError) return false;
          throw err;
        },
      );

  describe('nested items', () => {
    it.each([
      ['districts', { districts: [[]] }, 'districts must be a list of objects'],
      ['obligations', { obligations: [[]] }, 'obligations must be a list of objects'],
      ['contacts', { contacts: [[]] }, 'contacts must be a list of objects'],
      ['policy', { policy: [] }, 'policy must be an object'],
      ['policy.committee', { policy: { committee: [[]] } }, 'policy.committee must be an object'],
    ])('a list in place of an object in %s is a 400 naming it, and starts nothing', async (_field, patch, message) => {
      const cityId = `nested-${_field.replace('.', '-')}-${suffix}`;
      const res = await http
        .post('/candidacies')
        .set('Authorization', admin)
        .send({ ...startBody(cityId, 2), ...patch });
      expect(res.status).toBe(400);
      expect(res.body.message).toContain(message);
      expect(await exists(candidacyWorkflowId(cityId))).toBe(false);
    });

    it('decision bodies too: an obligation, local indicators or documents given as lists are 400s', async () => {
      const cityId = `nested-decisions-${suffix}`;
      await http.post('/candidacies').set('Authorization', admin).send(startBody(cityId, 1)).expect(201);
      const obligation = await http
        .post(`/candidacies/${cityId}/obligations`)
        .set('Authorization', admin)
        .send({ obligation: [] });
      expect(obligation.status).toBe(400);
      expect(obligation.body.message).toContain('obligation must be an object');
      const evaluation = await http
        .post(`/candidacies/${cityId}/evaluations`)
        .set('Authorization', `Bearer ${await token('committee_member', [cityId], { sub: 'member-1' })}`)
        .send({
          scores: { resultsForChildren: 4, childParticipation: 4, nonDiscrimination: 4, localIndicators: [[]] },
        });
      expect(evaluation.status).toBe(400);
      expect(evaluation.body.message).toContain('scores.localIndicators must be a list of objects');
      const fulfilment = await http
        .post(`/candidacies/${cityId}/obligations/unicef-funding/fulfilment`)
        .set('Authorization', admin)
        .send({ evidence: 'Bank transfer', documents: [[]] });
      expect(fulfilment.status).toBe(400);
      expect(fulfilment.body.message).toContain('documents must be a list of objects');
      const state = await http.get(`/candidacies/${cityId}`).set('Authorization', admin).expect(200);
      expect(state.body.obligations).toHaveLength(1);
    });

    it('the workflow refuses a start input its checks reject: it fails at once (InvalidStartInput), starting no district', async () => {
      const cityId = `refused-${suffix}`;
      const { districts, ...rest } = startBody(cityId, 1);
      const handle = await stack.client.workflow.start('candidacyWorkflow', {
        workflowId: candidacyWorkflowId(cityId),
        taskQueue: stack.taskQueue,
        args: [
          {
            start: {
              ...rest,
              districts: [...districts, []],
              startedBy: { id: 'x', role: 'administrator', organisation: 'Isfahan Municipality' },
            },
          },
        ],
      });
      let status = (await handle.describe()).status.name;
      for (let i = 0; i < 100 && status === 'RUNNING'; i++) {
        await new Promise((r) => setTimeout(r, 100));
        status = (await handle.describe()).status.name;
      }
      expect(status).toBe('FAILED');
      const failure = await handle.result().catch((err: unknown) => err);
      expect(failure).toBeInstanceOf(WorkflowFailedError);
      const cause = (failure as WorkflowFailedError).cause;
      expect(cause).toBeInstanceOf(ApplicationFailure);
      expect(cause).toMatchObject({ type: 'InvalidStartInput', nonRetryable: true });
      expect(cause?.message).toContain('districts.1 must be an object');
      const { events } = await handle.fetchHistory();
      expect(events?.some((e) => e.startChildWorkflowExecutionInitiatedEventAttributes)).toBe(false);
    });
  });

  it('a body nested past the depth limit is a 400 before validation (it overflowed the stack: a 500)', async () => {
    let deep: unknown = 'x';
    for (let i = 0; i < 2400; i++) deep = { a: deep };
    const started = Date.now();
    const res = await http
      .post('/candidacies')
      .set('Authorization', admin)
      .send({ ...startBody(`deep-${suffix}`, 1), extra: deep });
    expect(res.status).toBe(400);
    expect(res.body.message).toBe('the request body must not nest objects and arrays more than 32 deep');
    expect(Date.now() - started).toBeLessThan(2000);
    // A decision route too, and a body just within the limit is validated as usual (a field-level 400).
    let shallow: unknown = 'x';
    for (let i = 0; i < 30; i++) shallow = { a: shallow };
    const withinLimit = await http
      .post(`/candidacies/deep-${suffix}/withdrawal`)
      .set('Authorization', admin)
      .send({ reason: 'r', extra: shallow });
    expect(withinLimit.status).toBe(400);
    expect(withinLimit.body.message).toEqual(['property extra should not exist']);
  });

  it('a control character in a text is a 400 naming the field, and starts or decides nothing (PostgreSQL cannot store U+0000)', async () => {
    const cityId = `control-${suffix}`;
    const start = { ...startBody(cityId, 2), cityName: 'Isfahan\u0000' };
    const refused = await http.post('/candidacies').set('Authorization', admin).send(start);
    expect({ status: refused.status, message: refused.body.message }).toEqual({
      status: 400,
      message: ['cityName must not contain control characters'],
    });
    expect(await exists(candidacyWorkflowId(cityId))).toBe(false);
    // Persian text with its zero-width non-joiner passes; a decision's reason with an escape does not.
    await http
      .post('/candidacies')
      .set('Authorization', admin)
      .send({ ...start, cityName: 'اصفهان\u200cنو' })
      .expect(201);
    const withdrawal = await http
      .post(`/candidacies/${cityId}/withdrawal`)
      .set('Authorization', admin)
      .send({ reason: 'line one\nline \u001b[31mtwo' });
    expect({ status: withdrawal.status, message: withdrawal.body.message }).toEqual({
      status: 400,
      message: ['reason must not contain control characters'],
    });
    const state = await http.get(`/candidacies/${cityId}`).set('Authorization', admin).expect(200);
    expect(state.body.stage).toBe('COMMITMENT');
  });

  it('a page token with bytes the API never issued is a 400 at once (it reached Temporal: a 500)', async () => {
    const auditor = await token('auditor', ['*']);
    const visibilityQuery = `WorkflowType = 'candidacyWorkflow' AND KudakCountry = 'IR'`;
    const pageToken = unkeyedPageToken(visibilityQuery, Buffer.from('{"not":"a token Temporal issued"}'));
    const started = Date.now();
    const forged = await http.get(`/candidacies?pageToken=${pageToken}`).set('Authorization', `Bearer ${auditor}`);
    expect(forged.status).toBe(400);
    expect(forged.body.message).toBe('pageToken must be a token returned by a previous page of the same query');
    expect(Date.now() - started).toBeLessThan(2000);

    // A token the API did hand out still pages.
    for (const cityId of [`page-a-${suffix}`, `page-b-${suffix}`]) {
      await http.post('/candidacies').set('Authorization', admin).send(startBody(cityId, 1)).expect(201);
    }
    let first = await http.get('/candidacies?pageSize=1').set('Authorization', `Bearer ${auditor}`).expect(200);
    for (let i = 0; i < 40 && !first.body.nextPageToken; i++) {
      await new Promise((r) => setTimeout(r, 250)); // visibility is eventually consistent
      first = await http.get('/candidacies?pageSize=1').set('Authorization', `Bearer ${auditor}`).expect(200);
    }
    const second = await http
      .get(`/candidacies?pageSize=1&pageToken=${first.body.nextPageToken}`)
      .set('Authorization', `Bearer ${auditor}`)
      .expect(200);
    expect(second.body.items[0].workflowId).not.toBe(first.body.items[0].workflowId);
  });

  describe('Idempotency-Key', () => {
    it('the same key with another decision body is a 422 naming the key, and acts once', async () => {
      const cityId = `idem-${suffix}`;
      await http.post('/candidacies').set('Authorization', admin).send(startBody(cityId, 1)).expect(201);
      const mou = (reason: string) =>
        http
          .post(`/candidacies/${cityId}/memorandum`)
          .set('Authorization', admin)
          .set('Idempotency-Key', `mou-${suffix}`)
          .send({ reason });
      const first = await mou('Signed on 3 Azar');
      expect(first.status).toBe(201);
      const other = await mou('Signed on 4 Azar');
      expect(other.status).toBe(422);
      expect(other.body.message).toBe(
        `Idempotency-Key 'mou-${suffix}' was already used with a different request; use a new key for a new request`,
      );
      const repeat = await mou('Signed on 3 Azar');
      expect(repeat.status).toBe(201);
      expect(repeat.body.id).toBe(first.body.id);
      const state = await http.get(`/candidacies/${cityId}`).set('Authorization', admin).expect(200);
      expect(state.body.decisions).toEqual([expect.objectContaining({ reason: 'Signed on 3 Azar' })]);
    });

    it('and with another start body: a 422, the candidacy as first started', async () => {
      const cityId = `idem-start-${suffix}`;
      const start = (cityName: string) =>
        http
          .post('/candidacies')
          .set('Authorization', admin)
          .set('Idempotency-Key', `start-${suffix}`)
          .send({ ...startBody(cityId, 1), cityName });
      expect((await start('Isfahan')).status).toBe(201);
      const other = await start('Esfahan');
      expect(other.status).toBe(422);
      expect(other.body.message).toContain(`Idempotency-Key 'start-${suffix}'`);
      expect((await start('Isfahan')).status).toBe(201);
      const state = await http.get(`/candidacies/${cityId}`).set('Authorization', admin).expect(200);
      expect(state.body.cityName).toBe('Isfahan');
    });
  });

  it('a token for another country gets the same answer for an existing city and a missing one, on every city route', async () => {
    const cityId = `leak-${suffix}`;
    const missing = `nowhere-${suffix}`;
    await http.post('/candidacies').set('Authorization', admin).send(startBody(cityId, 1)).expect(201);
    const foreign = async (role: Role) => `Bearer ${await token(role, ['*'], { country: 'TR' })}`;
    type Route = { method: 'get' | 'post'; path: string; role: Role; body?: object };
    const reads = ['', 'history', 'history/raw', 'audit/verification', 'audit/replay', 'dossier'];
    const routes: Route[] = [
      ...reads.map((path): Route => ({ method: 'get', path, role: 'auditor' })),
      ...DECISION_ENDPOINTS.map(({ path, body, roles }): Route => ({ method: 'post', path, body, role: roles[0] })),
    ];
    const differences: string[] = [];
    for (const { method, path, role, body } of routes) {
      const answer = async (city: string) => {
        const res = await http[method](`/candidacies/${city}${path ? `/${path}` : ''}`)
          .set('Authorization', await foreign(role))
          .send(body);
        return { status: res.status, message: JSON.stringify(res.body.message).replaceAll(city, '<city>') };
      };
      const [existing, absent] = [await answer(cityId), await answer(missing)];
      if (JSON.stringify(existing) !== JSON.stringify(absent) || existing.status !== 404) {
        differences.push(`${method} ${path}: existing ${JSON.stringify(existing)}, missing ${JSON.stringify(absent)}`);
      }
    }
    expect(differences).toEqual([]);
  });

  it('JSON answers carry Cache-Control: no-store, errors too', async () => {
    const ok = await http.get('/candidacies').set('Authorization', admin).expect(200);
    expect(ok.headers['cache-control']).toBe('no-store');
    const unauthorized = await http.get('/candidacies').expect(401);
    expect(unauthorized.headers['cache-control']).toBe('no-store');
    const health = await http.get('/health').expect(200);
    expect(health.headers['cache-control']).toContain('no-store'); // terminus adds no-cache and must-revalidate
  });

  it('a path the file system refuses is no console file: a long city id is a 400, a file taken for a folder a 404 (both were 500s)', async () => {
    // The console's files are looked up first for every GET: ENAMETOOLONG and ENOTDIR reached the caller.
    const long = await http.get(`/candidacies/${'a'.repeat(5000)}`).set('Authorization', admin);
    expect({ status: long.status, message: long.body.message }).toEqual({
      status: 400,
      message: ['cityId must be 2-63 lowercase letters, digits and dashes'],
    });
    const underAFile = await http.get('/index.html/x').set('Authorization', admin);
    expect(underAFile.status).toBe(404);
    // A browser's page load of such a path gets the console, which routes it (to its own not-found page).
    const page = await http.get(`/${'a'.repeat(5000)}`).set('Accept', 'text/html');
    expect({ status: page.status, type: page.headers['content-type'] }).toEqual({
      status: 200,
      type: 'text/html; charset=utf-8',
    });
  });
});

describe('API rate limit per caller, across routes', () => {
  const routes = [
    '/candidacies',
    '/me/notifications',
    '/me/tasks',
    '/candidacies/isfahan',
    '/candidacies?stage=ACCEDED',
  ];

  it('limits one caller on all routes together, by token subject, else by address', async () => {
    // The per-route limit (API rate limit in api.e2e.spec.ts) is set out of reach here.
    const stack = await startKudakStack({ rateLimitPerMinute: 100, callerRateLimitPerMinute: 5, worker: false });
    try {
      const http = request(stack.api.getHttpServer());
      const alice = `Bearer ${await token('auditor', ['*'], { sub: 'alice' })}`;
      const bob = `Bearer ${await token('auditor', ['*'], { sub: 'bob' })}`;
      const statuses = async (authorization?: string) => {
        const seen: number[] = [];
        for (const route of routes) {
          const req = http.get(route);
          if (authorization) void req.set('Authorization', authorization);
          seen.push((await req).status);
        }
        return seen;
      };
      // Five routes, once each: under every route's limit, at the caller's.
      expect((await statuses(alice)).every((s) => s !== 429)).toBe(true);
      const limited = await http.get('/me/notifications?limit=1').set('Authorization', alice);
      expect(limited.status).toBe(429);
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
      // Another caller from the same address is not held back by alice's count.
      expect((await statuses(bob)).every((s) => s !== 429)).toBe(true);
      // Without a (valid) token, the address is the caller: five 401s, then 429 on a sixth route.
      expect(await statuses()).toEqual([401, 401, 401, 401, 401]);
      expect((await http.get('/candidacies/shiraz/history')).status).toBe(429);
      // A forged X-Forwarded-For does not make a new caller: no proxy is trusted.
      expect((await http.get('/candidacies/tabriz').set('X-Forwarded-For', '203.0.113.7')).status).toBe(429);
    } finally {
      await stack.close();
    }
  });

  it('believes X-Forwarded-For only from a trusted proxy (TRUSTED_PROXY)', async () => {
    const stack = await startKudakStack({
      rateLimitPerMinute: 100,
      callerRateLimitPerMinute: 2,
      worker: false,
      env: { TRUSTED_PROXY: 'loopback' },
    });
    try {
      const http = request(stack.api.getHttpServer());
      const from = (address: string) => http.get('/candidacies').set('X-Forwarded-For', address);
      expect([(await from('203.0.113.7')).status, (await from('203.0.113.7')).status]).toEqual([401, 401]);
      expect((await from('203.0.113.7')).status).toBe(429);
      // Behind the proxy, another client is another caller.
      expect((await from('203.0.113.8')).status).toBe(401);
    } finally {
      await stack.close();
    }
  });
});
