import * as net from 'node:net';
import * as path from 'node:path';
import type { Knex } from 'knex';
import request from 'supertest';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { NativeConnection, Worker } from '@temporalio/worker';
import { candidacyWorkflowId, type Role } from '@kudak/contracts';
import { KNEX } from '@kudak/database';
import { workflowBundleOptions } from '@kudak/temporal';
import { startBody } from './support/api-bodies';
import { startKudakStack, type KudakStack } from './support/kudak-stack';
import { startDevServer } from './support/temporal-servers';
import { createTestDatabase, testDatabaseKinds, type TestDatabase } from './support/test-databases';
import { mintTestToken } from './support/tokens';

// How failures reach callers (issue 10): with Temporal down, a worker gone or a workflow task
// failing, a caller gets a 503 with Retry-After within the configured deadline, never a 500 and
// never a 20-40 s hang. Deadlines are short here so the tests are quick; the defaults are 5 s and 10 s.

const CALL_DEADLINE_MS = 2000;
/** Shorter than the default (10 s): a test waits for it to pass with no worker polling. */
const UPDATE_DEADLINE_MS = 6000;
/** What the API may take beyond its deadline (the last retry's round trip, a describe; more on a machine a whole test run loads). */
const SLACK_MS = 3000;
const deadlines = {
  TEMPORAL_CALL_DEADLINE_MS: String(CALL_DEADLINE_MS),
  TEMPORAL_UPDATE_DEADLINE_MS: String(UPDATE_DEADLINE_MS),
};
const suffix = Date.now().toString(36);
const QUERY_REFUSED = 'The candidacy cannot be read right now (its workflow is not making progress); try again later';
const bearer = async (role: Role = 'administrator') =>
  `Bearer ${await mintTestToken({ role, cities: ['*'], sub: `test-${role}` })}`;

/** The answer, and how long it took. */
async function timed(req: request.Test): Promise<{ res: request.Response; ms: number }> {
  const started = Date.now();
  const res = await req;
  return { res, ms: Date.now() - started };
}

/** A 503 within `deadline` (plus slack) that says to retry, without gRPC's own words. */
function expectFastUnavailable({ res, ms }: { res: request.Response; ms: number }, deadline: number) {
  expect({ status: res.status, retryAfter: res.headers['retry-after'] }).toEqual({ status: 503, retryAfter: '5' });
  expect(ms).toBeLessThan(deadline + SLACK_MS);
  expect(JSON.stringify(res.body)).not.toMatch(
    /UNAVAILABLE|DEADLINE_EXCEEDED|ECONNREFUSED|RESOURCE_EXHAUSTED|\d+\.\d+\.\d+/,
  );
}

describe('API with Temporal stopped', () => {
  let server: TestWorkflowEnvironment | undefined;
  let stack: KudakStack;
  let http: ReturnType<typeof request>;

  beforeAll(async () => {
    server = await startDevServer();
    stack = await startKudakStack({
      worker: false,
      env: { ...deadlines, TEMPORAL_ADDRESS: server.connection.options.address },
    });
    http = request(stack.api.getHttpServer());
  });
  afterAll(async () => {
    await stack?.close();
    await server?.teardown();
  });

  it('answers 503 with Retry-After within the call deadline, on reads of a workflow and decisions (the lists answer); /health names Temporal', async () => {
    const admin = await bearer();
    await http.get('/candidacies').set('Authorization', admin).expect(200);
    await server!.teardown();
    server = undefined;

    // The lists read Kudak's read model, not Temporal: they still answer (as of the last projection).
    await http.get('/candidacies').set('Authorization', admin).expect(200);
    await http.get('/me/tasks').set('Authorization', admin).expect(200);
    expectFastUnavailable(
      await timed(http.get(`/candidacies/c-${suffix}`).set('Authorization', admin)),
      CALL_DEADLINE_MS,
    );
    expectFastUnavailable(
      await timed(
        http
          .post('/candidacies')
          .set('Authorization', admin)
          .send(startBody(`c-${suffix}`, 1)),
      ),
      CALL_DEADLINE_MS,
    );
    expectFastUnavailable(
      await timed(http.post(`/candidacies/c-${suffix}/memorandum`).set('Authorization', admin).send({})),
      CALL_DEADLINE_MS,
    );

    const health = await timed(http.get('/health'));
    expect(health.res.status).toBe(503);
    expect(health.ms).toBeLessThan(3000 + SLACK_MS);
    expect(health.res.body).toMatchObject({
      status: 'error',
      error: { temporal: { status: 'down', message: expect.any(String) } },
      info: { database: { status: 'up' } },
    });
    expect(JSON.stringify(health.res.body)).not.toMatch(/UNAVAILABLE|ECONNREFUSED|\d+\.\d+\.\d+\.\d+|:\d{4,5}/);
  });
});

describe('API with the worker gone or failing', () => {
  let stack: KudakStack;
  let http: ReturnType<typeof request>;
  let admin: string;

  beforeAll(async () => {
    stack = await startKudakStack({ env: deadlines });
    http = request(stack.api.getHttpServer());
    admin = await bearer();
  });
  afterAll(async () => {
    await stack?.close().catch(() => undefined); // the last test destroyed its database pool
  });

  it('a query to a workflow whose task keeps failing is a 503 (FAILED_PRECONDITION), not a 500', async () => {
    const cityId = `failing-${suffix}`;
    await http.post('/candidacies').set('Authorization', admin).send(startBody(cityId, 1)).expect(201);
    // Its next workflow task runs on code that does not replay its history: the task fails, and
    // fails again on each retry, as when a worker cannot complete its tasks.
    await stack.stopWorker();
    const connection = await NativeConnection.connect({ address: process.env.TEMPORAL_ADDRESS });
    const divergent = await Worker.create({
      connection,
      taskQueue: stack.taskQueue,
      workflowsPath: path.resolve(__dirname, 'fixtures', 'divergent-workflows'),
      bundlerOptions: { webpackConfigHook: workflowBundleOptions().webpackConfigHook },
    });
    const running = divergent.run();
    try {
      const handle = stack.client.workflow.getHandle(candidacyWorkflowId(cityId));
      await handle.signal('nudge'); // any signal: a new workflow task
      let answer = await timed(http.get(`/candidacies/${cityId}`).set('Authorization', admin));
      for (let i = 0; i < 60 && answer.res.body.message !== QUERY_REFUSED; i++) {
        await new Promise((r) => setTimeout(r, 250));
        answer = await timed(http.get(`/candidacies/${cityId}`).set('Authorization', admin));
      }
      expectFastUnavailable(answer, CALL_DEADLINE_MS);
      expect(answer.res.body.message).toBe(QUERY_REFUSED);
      await handle.terminate('test over');
    } finally {
      divergent.shutdown();
      await running;
      await connection.close();
      await stack.startWorker();
    }
  });

  it('with no worker polling: reads and decisions are 503s within the deadline; a retried decision acts once', async () => {
    const cityId = `no-worker-${suffix}`;
    // The unkeyed decision below is sent to another city: a 503 without a key may still act later.
    const unkeyedCity = `no-worker-unkeyed-${suffix}`;
    for (const city of [cityId, unkeyedCity]) {
      await http.post('/candidacies').set('Authorization', admin).send(startBody(city, 1)).expect(201);
    }
    await stack.stopWorker();

    // Reads need the worker (the state query): 503 at the call deadline, not 500 at 39 s.
    expectFastUnavailable(
      await timed(http.get(`/candidacies/${cityId}`).set('Authorization', admin)),
      CALL_DEADLINE_MS,
    );
    // A decision goes straight to its Update (no state read before it): 503 at the Update deadline.
    // Temporal may keep the Update it admitted for a worker that comes back: a 503 without an
    // Idempotency-Key may still have acted (see below), which is why clients send one.
    expectFastUnavailable(
      await timed(http.post(`/candidacies/${unkeyedCity}/memorandum`).set('Authorization', admin).send({})),
      UPDATE_DEADLINE_MS,
    );

    // A keyed decision whose Update reaches Temporal while no worker polls: Temporal admits it and
    // it waits for a worker until its deadline; the caller is told to retry under the same key.
    await stack.startWorker();
    await waitUntil(async () => (await http.get(`/candidacies/${cityId}`).set('Authorization', admin)).status === 200);
    await stack.stopWorker();
    const key = `mou-${suffix}`;
    const decide = () =>
      http
        .post(`/candidacies/${cityId}/memorandum`)
        .set('Authorization', admin)
        .set('Idempotency-Key', key)
        .send({ reason: 'Signed' });
    const answer = await timed(decide());
    expectFastUnavailable(answer, UPDATE_DEADLINE_MS);
    expect(answer.res.body.message).toMatch(/retry with the same Idempotency-Key/);

    // The worker comes back; the client retries under the same key until it gets an answer.
    await stack.startWorker();
    let retried = await decide();
    await waitUntil(async () => {
      retried = await decide();
      return retried.status !== 503;
    });
    expect({ status: retried.status, message: retried.body.message }).toEqual({ status: 201, message: undefined });
    const again = await decide();
    expect(again.body.id).toBe(retried.body.id);
    const state = await http.get(`/candidacies/${cityId}`).set('Authorization', admin).expect(200);
    expect(state.body.decisions).toHaveLength(1);
    expect(state.body.stage).toBe('DISTRICT_PLANNING');
    const { events } = await stack.client.workflow.getHandle(candidacyWorkflowId(cityId)).fetchHistory();
    const accepted = events?.filter((e) => e.workflowExecutionUpdateAcceptedEventAttributes) ?? [];
    expect(accepted).toHaveLength(1);
    // The unkeyed decision that answered 503 may have acted when a worker came back: Temporal keeps
    // an Update it admitted in memory, not in the history, so a loaded server may also drop it. The
    // client, having no key, sends it again: it acts then (201) or is told it already did (409), and
    // the candidacy has one memorandum either way.
    const resent = await http.post(`/candidacies/${unkeyedCity}/memorandum`).set('Authorization', admin).send({});
    expect([201, 409]).toContain(resent.status);
    const unkeyed = await http.get(`/candidacies/${unkeyedCity}`).set('Authorization', admin).expect(200);
    expect({
      stage: unkeyed.body.stage,
      memoranda: (unkeyed.body.decisions as Array<{ kind: string }>).filter((d) => d.kind === 'MOU_SIGNED').length,
    }).toEqual({ stage: 'DISTRICT_PLANNING', memoranda: 1 });
  });

  it('/health names the database when it does not answer', async () => {
    await http.get('/health').expect(200);
    await stack.api.get<Knex>(KNEX).destroy(); // the API's pool: the worker has its own
    const res = await http.get('/health');
    expect(res.status).toBe(503);
    expect(res.body).toMatchObject({
      info: { temporal: { status: 'up' } },
      error: { database: { status: 'down', message: 'The database did not answer' } },
    });
  });
});

async function waitUntil(ok: () => Promise<boolean>, timeoutMs = 90_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await ok())) {
    if (Date.now() > until) throw new Error(`not within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

// Kudak's own database down: the lists (read model), the inbox and the decisions' idempotency keys
// live there. The API reaches the test PostgreSQL through a proxy this test closes, as a database
// server that stops or a network that drops would: answers are 503s within seconds, never a 500.
for (const kind of testDatabaseKinds().filter((k) => k === 'PostgreSQL')) {
  describe(`API with its ${kind} database unreachable`, () => {
    let database: TestDatabase;
    let proxy: DatabaseProxy;
    let stack: KudakStack;
    let http: ReturnType<typeof request>;

    beforeAll(async () => {
      database = await createTestDatabase(kind);
      proxy = await DatabaseProxy.start(new URL(database.url));
      stack = await startKudakStack({ worker: false, databaseUrl: proxy.url });
      http = request(stack.api.getHttpServer());
    });
    afterAll(async () => {
      await stack?.close();
      await proxy?.close();
      await database?.drop();
    });

    it('answers 503 with Retry-After within seconds on the lists, the inbox and a keyed decision; then recovers', async () => {
      const admin = await bearer();
      await http.get('/me/tasks').set('Authorization', admin).expect(200);
      await proxy.close();

      const DATABASE_WAIT_MS = 5000; // PG_CONNECT_TIMEOUT_MS
      for (const path of ['/candidacies', '/me/tasks', '/me/notifications']) {
        const answer = await timed(http.get(path).set('Authorization', admin));
        expect({ path, status: answer.res.status }).toEqual({ path, status: 503 });
        expectFastUnavailable(answer, DATABASE_WAIT_MS);
      }
      const keyed = await timed(
        http
          .post('/candidacies')
          .set('Authorization', admin)
          .set('Idempotency-Key', `db-down-${suffix}`)
          .send(startBody(`db-down-${suffix}`)),
      );
      expectFastUnavailable(keyed, DATABASE_WAIT_MS);

      await proxy.reopen();
      await http.get('/me/tasks').set('Authorization', admin).expect(200);
    });
  });
}

/** A TCP proxy to the database server that can be closed (connections cut, port refusing) and reopened. */
class DatabaseProxy {
  private server?: net.Server;
  private readonly sockets = new Set<net.Socket>();

  private constructor(
    private readonly target: URL,
    private readonly port: number,
  ) {}

  static async start(target: URL): Promise<DatabaseProxy> {
    const probe = net.createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as net.AddressInfo).port;
    await new Promise((resolve) => probe.close(resolve));
    const proxy = new DatabaseProxy(target, port);
    await proxy.reopen();
    return proxy;
  }

  /** The database's URL, through the proxy. */
  get url(): string {
    const url = new URL(this.target);
    url.hostname = '127.0.0.1';
    url.port = String(this.port);
    return url.toString();
  }

  async reopen(): Promise<void> {
    this.server = net.createServer((client) => {
      const upstream = net.connect(Number(this.target.port || 5432), this.target.hostname);
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on('close', () => this.sockets.delete(socket));
        socket.on('error', () => undefined);
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => this.server!.listen(this.port, '127.0.0.1', resolve));
  }

  async close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const socket of this.sockets) socket.destroy();
    if (server) await new Promise((resolve) => server.close(resolve));
  }
}
