// The fault run on a real Temporal cluster (scripts/cluster-e2e.sh runs it against
// scripts/temporal-cluster.sh): two worker processes and two API processes share the cluster, one
// PostgreSQL app database and one signing key. A client starts candidacies and takes decisions,
// spreading its calls over both APIs with Idempotency-Keys and retrying 503s with the same key,
// while one worker is SIGKILLed and the history service is SIGKILLed and started again. Every
// acknowledged decision must then be in its workflow's state and in the decisions table, once.
//
// Needs dist/ (npm run build), KUDAK_TEST_TEMPORAL_ADDRESS, KUDAK_CLUSTER_DIR (the cluster's run
// dir: the history pid and the script that restarts it) and TEST_DATABASE_URL (the app database).
// Sizes: KUDAK_FAULT_CANDIDACIES (default 8) x (memorandum, KUDAK_FAULT_OBLIGATIONS obligations
// added and fulfilled (default 3), 3 district plans submitted and approved).
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import {
  candidacyWorkflowId,
  districtPlanWorkflowId,
  getDistrictPlanStateQuery,
  type DecisionKind,
  type DecisionRecord,
  type Role,
} from '@kudak/contracts';
import { KudakConfig } from '@kudak/config';
import { createKnex } from '@kudak/database';
import { mintTestToken } from '../support/tokens';

const ROOT = path.resolve(__dirname, '..', '..');
const DIST = path.join(ROOT, 'dist');
const CANDIDACIES = Number(process.env.KUDAK_FAULT_CANDIDACIES ?? 8);
const OBLIGATIONS = Number(process.env.KUDAK_FAULT_OBLIGATIONS ?? 3);
const DISTRICTS = ['district-1', 'district-2', 'district-3'];
const DECISIONS = CANDIDACIES * (1 + 2 * OBLIGATIONS + 2 * DISTRICTS.length);
/** One attempt's patience; a decision waits through a worker's task timeout or a history restart. */
const ATTEMPT_TIMEOUT_MS = 60_000;
/** A call's patience across its retries. */
const CALL_DEADLINE_MS = 240_000;
const RETRY_PAUSE_MS = 500;
/** Long enough that calls fail with 503 and are retried under their keys (10 s outages never did). */
const HISTORY_DOWN_MS = 30_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** A timer that does not keep jest waiting once everything else is done. */
const timeout = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms).unref());

interface AppProcess {
  name: string;
  child: ChildProcess;
  logFile: string;
  exited: Promise<void>;
}

interface Acknowledged {
  cityId: string;
  /** The district's workflow took it; otherwise the candidacy's. */
  districtId?: string;
  decision: DecisionRecord;
}

interface Fault {
  at: number;
  afterDecisions: number;
  backAt?: number;
}

/** The apps' own entry points in dist/ (as `npm start` runs them), each logging to the run dir. */
class AppProcesses {
  readonly all: AppProcess[] = [];

  constructor(private readonly runDir: string) {}

  start(name: string, entry: string, env: NodeJS.ProcessEnv): AppProcess {
    const logFile = path.join(this.runDir, `${name}.log`);
    const out = fs.openSync(logFile, 'a');
    const child = spawn(process.execPath, [path.join(DIST, entry)], { env, stdio: ['ignore', out, out] });
    fs.closeSync(out);
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    const started = { name, child, logFile, exited };
    this.all.push(started);
    return started;
  }

  async stopAll(): Promise<void> {
    await Promise.all(
      this.all.map(async ({ child, exited }) => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        child.kill('SIGTERM');
        const stopped = await Promise.race([exited.then(() => true), timeout(20_000).then(() => false)]);
        if (!stopped) child.kill('SIGKILL');
      }),
    );
  }

  tails(): string {
    return this.all
      .map(({ name, logFile }) => `--- ${name}\n${fs.readFileSync(logFile, 'utf8').split('\n').slice(-15).join('\n')}`)
      .join('\n');
  }
}

async function waitUntilReady(app: AppProcess, seconds: number, ready: () => Promise<boolean>) {
  const deadline = Date.now() + seconds * 1000;
  while (Date.now() < deadline) {
    if (app.child.exitCode !== null) throw new Error(`${app.name} exited while starting`);
    if (await ready().catch(() => false)) return;
    await sleep(500);
  }
  throw new Error(`${app.name} was not ready after ${seconds} s`);
}

/** HTTP calls spread over the APIs: each attempt goes to the next one, retries keep their key. */
class SpreadClient {
  private next = 0;
  readonly retried = { unavailable: 0, network: 0 };

  constructor(
    private readonly baseUrls: string[],
    private readonly tokens: Record<'administrator' | 'reviewer', string>,
  ) {}

  async call<T>(
    role: 'administrator' | 'reviewer',
    method: 'GET' | 'POST',
    urlPath: string,
    options: { body?: unknown; key?: string; retryWhile?: (status: number, text: string) => boolean } = {},
  ): Promise<T> {
    const deadline = Date.now() + CALL_DEADLINE_MS;
    for (;;) {
      const baseUrl = this.baseUrls[this.next++ % this.baseUrls.length];
      let status: number;
      let text: string;
      try {
        const response = await fetch(`${baseUrl}${urlPath}`, {
          method,
          headers: {
            Authorization: `Bearer ${this.tokens[role]}`,
            'Content-Type': 'application/json',
            ...(options.key ? { 'Idempotency-Key': options.key } : {}),
          },
          body: options.body === undefined ? undefined : JSON.stringify(options.body),
          signal: AbortSignal.timeout(ATTEMPT_TIMEOUT_MS),
        });
        status = response.status;
        text = await response.text();
      } catch {
        // No answer (timed out, connection dropped): the same key makes the retry safe.
        status = 0;
        text = '';
      }
      if (status >= 200 && status < 300) return JSON.parse(text) as T;
      const retry = status === 0 || status === 503 || options.retryWhile?.(status, text) === true;
      if (!retry || Date.now() > deadline) throw new Error(`${method} ${urlPath}: ${status} ${text}`);
      if (status === 0) this.retried.network++;
      if (status === 503) this.retried.unavailable++;
      await sleep(RETRY_PAUSE_MS);
    }
  }
}

const startBody = (cityId: string) => ({
  cityId,
  cityName: `Cluster city ${cityId}`,
  country: 'IR',
  districts: DISTRICTS.map((id) => ({ id, name: id })),
  contacts: [{ id: 'focal-point', name: 'CFC focal point', role: 'administrator', locale: 'en' }],
  policy: { committee: { members: ['member-1', 'member-2', 'member-3'], quorum: 2 } },
});

const obligation = (k: number) => ({
  id: `obligation-${k}`,
  party: 'UNICEF',
  partyRole: 'unicef_officer' as Role,
  owedTo: 'The municipality',
  description: `Obligation ${k}`,
  dueAt: '2099-06-01T00:00:00Z',
});

describe('Kudak on a Temporal cluster with two workers and two APIs', () => {
  const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kudak-fault-run-'));
  const processes = new AppProcesses(runDir);
  const clusterDir = process.env.KUDAK_CLUSTER_DIR;
  const databaseUrl = process.env.TEST_DATABASE_URL;
  const suffix = Date.now().toString(36);
  let connection: Connection | undefined;

  afterAll(async () => {
    await processes.stopAll();
    await connection?.close();
    fs.rmSync(runDir, { recursive: true, force: true });
  });

  it('loses and duplicates no acknowledged decision when a worker and the history service are killed', async () => {
    if (!process.env.KUDAK_TEST_TEMPORAL_ADDRESS || !clusterDir || !databaseUrl) {
      throw new Error(
        'run through scripts/cluster-e2e.sh: needs KUDAK_TEST_TEMPORAL_ADDRESS, KUDAK_CLUSTER_DIR and TEST_DATABASE_URL',
      );
    }
    const shared: NodeJS.ProcessEnv = {
      ...process.env,
      NODE_ENV: 'development',
      TEMPORAL_ADDRESS: process.env.KUDAK_TEST_TEMPORAL_ADDRESS,
      TEMPORAL_TASK_QUEUE: `kudak-cluster-${suffix}`,
      DATABASE_URL: databaseUrl,
      AUTH_LOCAL_KEY_DIR: path.join(runDir, 'auth'),
      KUDAK_DATA_DIR: runDir,
      RATE_LIMIT_PER_MINUTE: '1000000',
    };
    // Tokens first: the first one creates the signing key both APIs then verify with.
    process.env.AUTH_LOCAL_KEY_DIR = shared.AUTH_LOCAL_KEY_DIR;
    const tokens = {
      administrator: await mintTestToken({ role: 'administrator', sub: 'cluster-admin' }, { ttlSeconds: 3600 }),
      reviewer: await mintTestToken({ role: 'reviewer', sub: 'cluster-reviewer' }, { ttlSeconds: 3600 }),
    };
    // One migration up front, not four racing at start-up.
    execFileSync(process.execPath, [path.join(DIST, 'libs/database/src/migrate.js')], { env: shared, stdio: 'pipe' });

    const workers = ['worker-a', 'worker-b'].map((name) => processes.start(name, 'apps/worker/main.js', shared));
    const apiPorts = execFileSync(process.execPath, [path.join(ROOT, 'scripts/free-ports.js'), '2'], {
      encoding: 'utf8',
    })
      .trim()
      .split('\n');
    const apis = apiPorts.map((port, i) =>
      processes.start(`api-${i + 1}`, 'apps/api/main.js', { ...shared, HOST: '127.0.0.1', PORT: port }),
    );
    const baseUrls = apiPorts.map((port) => `http://127.0.0.1:${port}`);
    try {
      for (const worker of workers) {
        // Development mode bundles the workflows first; the log says when it polls.
        await waitUntilReady(worker, 240, async () => /Worker polling/.test(fs.readFileSync(worker.logFile, 'utf8')));
      }
      for (const [i, api] of apis.entries()) {
        await waitUntilReady(api, 120, async () => (await fetch(`${baseUrls[i]}/health`)).ok);
      }
    } catch (err) {
      throw new Error(`${(err as Error).message}\n${processes.tails()}`);
    }

    const client = new SpreadClient(baseUrls, tokens);
    const acknowledged: Acknowledged[] = [];
    const began = Date.now();
    const seconds = (at: number) => ((at - began) / 1000).toFixed(1);
    let workerKill: Fault | undefined;
    let historyKill: Fault | undefined;
    let faults = Promise.resolve();

    // Faults are triggered by progress, so they always land mid-run whatever the machine's speed.
    const onAcknowledged = () => {
      if (!workerKill && acknowledged.length >= DECISIONS / 4) {
        workerKill = { at: Date.now(), afterDecisions: acknowledged.length };
        workers[0].child.kill('SIGKILL');
      }
      if (!historyKill && acknowledged.length >= DECISIONS / 2) {
        const fault: Fault = { at: Date.now(), afterDecisions: acknowledged.length };
        historyKill = fault;
        const pid = Number(fs.readFileSync(path.join(clusterDir, 'history.pid'), 'utf8'));
        process.kill(pid, 'SIGKILL');
        faults = sleep(HISTORY_DOWN_MS).then(() => {
          execFileSync('bash', [path.join(ROOT, 'scripts/temporal-cluster.sh'), 'start-service', 'history'], {
            env: { ...process.env, KUDAK_CLUSTER_DIR: clusterDir },
            stdio: ['ignore', 'ignore', 'inherit'],
          });
          fault.backAt = Date.now();
        });
      }
    };

    /** One decision, under a key of its own that every retry of it repeats. */
    const decide = async (
      cityId: string,
      role: 'administrator' | 'reviewer',
      action: string,
      body: object,
      { key, districtId }: { key: string; districtId?: string },
    ) => {
      const decision = await client.call<DecisionRecord>(role, 'POST', `/candidacies/${cityId}/${action}`, {
        body,
        key: `${suffix}-${cityId}-${key}`,
        // District workflows start a moment after the memorandum: "not open yet" refuses, changes nothing.
        retryWhile: (status, text) => status === 409 && text.includes('District plans are not open'),
      });
      acknowledged.push({ cityId, districtId, decision });
      onAcknowledged();
    };

    const runCandidacy = async (cityId: string) => {
      await client.call('administrator', 'POST', '/candidacies', {
        body: startBody(cityId),
        key: `${suffix}-${cityId}`,
      });
      await decide(cityId, 'administrator', 'memorandum', {}, { key: 'memorandum' });
      for (let k = 1; k <= OBLIGATIONS; k++) {
        await decide(cityId, 'administrator', 'obligations', { obligation: obligation(k) }, { key: `add-${k}` });
      }
      for (const districtId of DISTRICTS) {
        const plan = `districts/${districtId}/plan`;
        await decide(
          cityId,
          'administrator',
          plan,
          { summary: 'Safe routes' },
          { key: `plan-${districtId}`, districtId },
        );
        const review = `districts/${districtId}/review`;
        await decide(cityId, 'reviewer', review, { decision: 'APPROVE' }, { key: `review-${districtId}`, districtId });
      }
      for (let k = 1; k <= OBLIGATIONS; k++) {
        const fulfilment = `obligations/obligation-${k}/fulfilment`;
        await decide(cityId, 'administrator', fulfilment, { evidence: 'Transfer' }, { key: `fulfil-${k}` });
      }
    };

    const cities = Array.from({ length: CANDIDACIES }, (_, i) => `cluster-${suffix}-${i + 1}`);
    const results = await Promise.allSettled(cities.map(runCandidacy));
    await faults;
    const failures = results.flatMap((r) => (r.status === 'rejected' ? [String(r.reason)] : []));
    if (failures.length > 0) throw new Error(`${failures.join('\n')}\n${processes.tails()}`);

    // ---- Checks: each acknowledged decision in its workflow's state and in the decisions table, once.
    connection = await Connection.connect({ address: process.env.KUDAK_TEST_TEMPORAL_ADDRESS });
    const temporal = new Client({ connection });
    const inState = new Map<string, DecisionRecord[]>(); // workflow id -> its decisions
    for (const cityId of cities) {
      const state = await client.call<{ decisions: DecisionRecord[] }>(
        'administrator',
        'GET',
        `/candidacies/${cityId}`,
      );
      inState.set(candidacyWorkflowId(cityId), state.decisions);
      for (const districtId of DISTRICTS) {
        const id = districtPlanWorkflowId(candidacyWorkflowId(cityId), districtId);
        inState.set(id, (await temporal.workflow.getHandle(id).query(getDistrictPlanStateQuery)).decisions);
      }
    }
    const workflowOf = ({ cityId, districtId }: Acknowledged) =>
      districtId ? districtPlanWorkflowId(candidacyWorkflowId(cityId), districtId) : candidacyWorkflowId(cityId);
    const sentKinds = new Set<DecisionKind>(acknowledged.map((a) => a.decision.kind));

    const db = createKnex(KudakConfig.fromEnvironment(shared).database);
    let rows: { workflow_id: string; decision_id: string; kind: string }[] = [];
    try {
      // The workflows record decisions through activities: give the retried ones time to land.
      const deadline = Date.now() + 120_000;
      for (;;) {
        rows = await db('decisions').select('workflow_id', 'decision_id', 'kind').whereIn('city_id', cities);
        const recorded = new Set(rows.map((r) => r.decision_id));
        if (acknowledged.every((a) => recorded.has(a.decision.id)) || Date.now() > deadline) break;
        await sleep(1000);
      }
    } finally {
      await db.destroy();
    }
    const recorded = new Set(rows.map((r) => r.decision_id));

    const lost = acknowledged.filter(
      (a) => !(inState.get(workflowOf(a)) ?? []).some((d) => d.id === a.decision.id) || !recorded.has(a.decision.id),
    );
    // Duplicates: per workflow and kind of decision we sent, more in its state or in the table than
    // were acknowledged (a decision applied twice, or recorded twice); the one we count is the worse.
    let duplicated = 0;
    for (const [workflowId, decisions] of inState) {
      for (const kind of sentKinds) {
        const acked = acknowledged.filter((a) => workflowOf(a) === workflowId && a.decision.kind === kind).length;
        const found = decisions.filter((d) => d.kind === kind).length;
        const rowsOfKind = rows.filter((r) => r.workflow_id === workflowId && r.kind === kind).length;
        duplicated += Math.max(0, found - acked, rowsOfKind - acked);
      }
    }

    const fault = (what: string, f?: Fault) =>
      f ? `${what} killed at ${seconds(f.at)} s (after ${f.afterDecisions} decisions)` : `${what} never killed`;
    process.stdout.write(
      `cluster: ${acknowledged.length} decisions acknowledged, ${acknowledged.length - lost.length} found, ` +
        `${lost.length} lost, ${duplicated} duplicated, ${fault('worker', workerKill)}, ${fault('history', historyKill)}` +
        `${historyKill?.backAt ? ` and restarted at ${seconds(historyKill.backAt)} s` : ''}; ` +
        `${client.retried.unavailable} retries after 503, ${client.retried.network} after no answer; ` +
        `${seconds(Date.now())} s\n`,
    );
    expect(acknowledged).toHaveLength(DECISIONS);
    expect(workerKill).toBeDefined();
    expect(historyKill?.backAt).toBeDefined();
    expect(lost.map((a) => `${workflowOf(a)} ${a.decision.kind} ${a.decision.id}`)).toEqual([]);
    expect(duplicated).toBe(0);
  }, 900_000);
});
