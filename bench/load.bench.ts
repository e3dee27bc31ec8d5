// Load benchmark: Kudak through its HTTP API, as `npm start` runs it (the dev server on its SQLite
// file, the worker and the API each their own process, from dist/), against bare Temporal on the
// same server, measured interleaved in the same run (a bare worker in this process, updates sent
// straight to its workflows). Run with `npm run bench:load -- [options]`:
//
//   --cities N         cities whose 15 district plans are submitted and approved (default 8): half
//                      at concurrency 1, half at concurrency 16
//   --open 10,100,1000 open candidacies at which /me/tasks, the list and the worker's memory are read
//   --short            CI's form: 2 cities, 10 and 100 open candidacies
//   --temporal H:P     an already running Temporal (a cluster) instead of a dev server of its own
//   --direct           also sends each city's decisions to a twin city as Updates straight to its
//                      district workflows (no API), in a third interleaved batch: the API's share
//   --pause MS         waits MS before each decision, untimed (default 0: back to back), so the
//                      previous decision's effects (its activities, the candidacy's task) have run:
//                      the decision's own path, apart from the effects' CPU
//   --floor            also sends each city's bare updates to stand-ins that schedule one activity
//                      per update, in a fourth interleaved batch: the least a workflow that records
//                      its decisions through activities costs, against bare
//
// Prints starts per second, decision latency p50/p95/p99 and CPU per decision at concurrency 1 and
// 16, /me/tasks and list latency per number of open candidacies, and the worker's RSS per open
// candidacy, each with its ratio to bare Temporal. Goal (issue 11): decision p50 within 1.5x and
// p99 within 3x of a bare executeUpdate at concurrency 1 and 16.
import '../test/support/quiet-temporal-runtime';
import { randomUUID } from 'node:crypto';
import * as path from 'node:path';
import { Client, Connection, WorkflowNotFoundError } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import {
  candidacyWorkflowId,
  DECISIONS,
  districtPlanWorkflowId,
  type Actor,
  type ReviewDistrictPlanInput,
  type Role,
  type SubmitDistrictPlanInput,
} from '@kudak/contracts';
import { ProcessStack, waitUntil } from '../test/support/process-stack';
import { workflowsFromSource } from '../test/support/workflow-bundle';
import { bareUpdate, type BareShape } from './fixtures/bare-workflows';
import { cpuMs, ownCpuMs, rssMiB } from './support/process-usage';
import { percentile, printTable, runPooled, timed, type Row } from './support/latency';
import { parseLoadOptions, type LoadOptions } from './support/load-options';

const DISTRICTS = Array.from({ length: 15 }, (_, i) => `d${i + 1}`);
/** A country of the bench's own, so that on a shared cluster no other test's candidacy is in scope. */
const COUNTRY = 'NZ';
const LIST_ROUNDS = 20;
const MIN_LIST_ROUNDS = 3;
const READS_BUDGET_MS = 60_000;
const START_CONCURRENCY = 8;
const START_ATTEMPTS = 5;
/** A district plan's bare stand-in: a workflow that ends after two updates (the submission, the review). */
const BARE_DISTRICT: BareShape = {
  children: 0,
  childUpdates: 2,
  childActivities: 0,
  parentUpdates: 0,
  parentActivities: 0,
  timers: 0,
  timerMonths: 0,
};
const PLAN = { summary: 'Play streets' };
const APPROVAL = { decision: 'APPROVE' };

/** A bare stand-in whose every update schedules one activity (--floor). */
const FLOOR_DISTRICT: BareShape = { ...BARE_DISTRICT, activityPerUpdate: true };

/**
 * How a batch of decisions is sent: through the API, as Updates straight to Kudak's workflows, to
 * bare Temporal, or to bare stand-ins that schedule an activity per update.
 */
type Side = 'kudak' | 'direct' | 'bare' | 'floor';

class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

/** One decision on one district (or one update of its bare stand-in), after the job it depends on. */
interface Job {
  run(): Promise<unknown>;
  /** The index of the job that must be done first (a plan's submission before its review). */
  after?: number;
}

/** The CPU each of the stack's processes and this one have used so far, in ms. */
function stackCpuMs(stack: ProcessStack): Record<CpuSource, number> {
  return {
    temporal: cpuMs(stack.temporal.pid),
    worker: cpuMs(stack.worker.pid),
    api: cpuMs(stack.api.pid),
    bench: ownCpuMs(),
  };
}

type CpuSource = 'temporal' | 'worker' | 'api' | 'bench';
const CPU_SOURCES: CpuSource[] = ['temporal', 'worker', 'api', 'bench'];

class LoadBench {
  private readonly run = randomUUID().slice(0, 8);
  private readonly tokens = new Map<Role, Promise<string>>();
  private readonly started: string[] = [];
  private readonly bareStarted: string[] = [];
  private openCandidacies = 0;
  /** Starts the API answered with a 503 and that were sent again. */
  startRetries = 0;

  constructor(
    private readonly stack: ProcessStack,
    private readonly client: Client,
    private readonly bareQueue: string,
  ) {}

  private token(role: Role): Promise<string> {
    if (!this.tokens.has(role)) {
      this.tokens.set(
        role,
        this.stack.token({
          role,
          sub: `bench-${role}`,
          country: COUNTRY,
          cities: ['*'],
          ...(role === 'district_submitter' ? { districts: DISTRICTS } : {}),
        }),
      );
    }
    return this.tokens.get(role)!;
  }

  /** Calls the API as `role`; throws naming the route unless the answer is a 2xx. */
  async call(role: Role, method: string, route: string, body?: object, idempotencyKey?: string): Promise<unknown> {
    const res = await this.stack.fetch(route, {
      method,
      headers: {
        authorization: `Bearer ${await this.token(role)}`,
        'content-type': 'application/json',
        ...(idempotencyKey ? { 'idempotency-key': idempotencyKey } : {}),
      },
      body: body && JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new ApiError(`${method} ${route}: ${res.status} ${text}`, res.status);
    return text ? (JSON.parse(text) as unknown) : undefined;
  }

  cityId(i: number): string {
    return `bench-${this.run}-${i}`;
  }

  /** The twin of city i whose decisions go straight to its workflows (--direct). */
  directCityId(i: number): string {
    return `bench-${this.run}-direct-${i}`;
  }

  /** Starts a candidacy through the API; `districts` of the 15 (the open-candidacy filler has 1). */
  async startCandidacy(cityId: string, districts = DISTRICTS.length): Promise<void> {
    const body = {
      cityId,
      cityName: `Bench city ${cityId}`,
      country: COUNTRY,
      districts: DISTRICTS.slice(0, districts).map((id) => ({ id, name: `District ${id}` })),
    };
    // A busy machine may answer a start with a 503: counted, and retried under the same key.
    for (let attempt = 1; ; attempt++) {
      try {
        await this.call('administrator', 'POST', '/candidacies', body, `start-${cityId}`);
        break;
      } catch (err) {
        if (!(err instanceof ApiError && err.status === 503) || attempt === START_ATTEMPTS) throw err;
        this.startRetries++;
      }
    }
    this.started.push(cityId);
    this.openCandidacies++;
  }

  async startBare(workflowId: string, shape = BARE_DISTRICT): Promise<void> {
    await this.client.workflow.start('bareChildWorkflow', {
      workflowId,
      taskQueue: this.bareQueue,
      args: [shape],
    });
    this.bareStarted.push(workflowId);
  }

  bareId(city: number, district: string, side: 'bare' | 'floor' = 'bare'): string {
    return `${side}-${this.run}-${city}-${district}`;
  }

  /** Signs the memorandum and waits until the 15 district workflows run. */
  async openDistrictPlanning(cityId: string): Promise<void> {
    await this.call('administrator', 'POST', `/candidacies/${cityId}/memorandum`, { reason: 'MoU signed' });
    const parent = candidacyWorkflowId(cityId);
    await waitUntil(`${cityId}'s district plans`, 120_000, async () => {
      try {
        await Promise.all(
          DISTRICTS.map((d) => this.client.workflow.getHandle(districtPlanWorkflowId(parent, d)).describe()),
        );
        return true;
      } catch (err) {
        if (err instanceof WorkflowNotFoundError) return false;
        throw err;
      }
    });
  }

  /**
   * A city's 30 decisions (each plan submitted, then approved) through the API, or the same as Updates
   * straight to its twin's district workflows (the actor the API would name), or its bare stand-ins' 30 updates.
   */
  cityJobs(city: number, side: Side): Job[] {
    const send = (d: string, step: 'plan' | 'review'): (() => Promise<unknown>) => {
      if (side === 'bare' || side === 'floor') {
        const handle = this.client.workflow.getHandle(this.bareId(city, d, side));
        return () => handle.executeUpdate(bareUpdate, { args: [step] });
      }
      if (side === 'direct') {
        const parent = candidacyWorkflowId(this.directCityId(city));
        const handle = this.client.workflow.getHandle(districtPlanWorkflowId(parent, d));
        const actor = (role: Role): Actor => ({ id: `bench-${role}`, role, organisation: 'Kudak load benchmark' });
        return step === 'plan'
          ? () =>
              handle.executeUpdate(DECISIONS.submitDistrictPlan.update, {
                args: [{ ...PLAN, actor: actor('district_submitter') } satisfies SubmitDistrictPlanInput],
              })
          : () =>
              handle.executeUpdate(DECISIONS.reviewDistrictPlan.update, {
                args: [{ decision: 'APPROVE', actor: actor('reviewer') } satisfies ReviewDistrictPlanInput],
              });
      }
      const cityId = this.cityId(city);
      return step === 'plan'
        ? () => this.call('district_submitter', 'POST', `/candidacies/${cityId}/districts/${d}/plan`, PLAN)
        : () => this.call('reviewer', 'POST', `/candidacies/${cityId}/districts/${d}/review`, APPROVAL);
    };
    return [
      ...DISTRICTS.map((d): Job => ({ run: send(d, 'plan') })),
      ...DISTRICTS.map((d, i): Job => ({ run: send(d, 'review'), after: i })),
    ];
  }

  /**
   * Takes the cities' decisions at `concurrency`, a city's Kudak decisions and its bare stand-ins'
   * updates (and with `direct`, its twin's Updates; with `floor`, its floor stand-ins' updates) in
   * alternate batches, each decision after `pauseMs` untimed. Returns each side's latencies and CPU
   * per decision.
   */
  async decisions(cities: number[], concurrency: number, options: Pick<LoadOptions, 'direct' | 'floor' | 'pause'>) {
    const pauseMs = options.pause;
    const side = () => ({
      latencies: [] as number[],
      cpuMs: { temporal: 0, worker: 0, api: 0, bench: 0 } as Record<CpuSource, number>,
      count: 0,
      failures: [] as string[],
    });
    const kudak = side();
    const bare = side();
    const straight = side();
    const floor = side();
    const batches: Array<[Side, typeof kudak]> = [
      ['kudak', kudak],
      ...(options.direct ? [['direct', straight] as [Side, typeof kudak]] : []),
      ['bare', bare],
      ...(options.floor ? [['floor', floor] as [Side, typeof kudak]] : []),
    ];
    for (const city of cities) {
      for (const [sent, into] of batches) {
        const jobs = this.cityJobs(city, sent);
        const done: Promise<void>[] = [];
        const cpuBefore = stackCpuMs(this.stack);
        const runs = jobs.map(
          (job, i) => () =>
            (done[i] = (async () => {
              if (job.after !== undefined) await done[job.after];
              if (pauseMs > 0) await new Promise((resolve) => setTimeout(resolve, pauseMs));
              // A refusal or a 503 is an answer too: counted and shown, not timed.
              try {
                into.latencies.push(await timed(() => job.run()));
              } catch (err) {
                into.failures.push(err instanceof Error ? err.message : String(err));
              }
            })()),
        );
        await runPooled(runs, concurrency);
        const cpuAfter = stackCpuMs(this.stack);
        for (const source of CPU_SOURCES) into.cpuMs[source] += cpuAfter[source] - cpuBefore[source];
        into.count += jobs.length;
      }
    }
    return { kudak, bare, direct: straight, floor };
  }

  /**
   * Starts filler candidacies (one district, at the memorandum) until `count` are open, then as
   * many bare workflows that end at once. Returns how many each started and the time it took.
   */
  async openUntil(count: number): Promise<{ started: number; kudakMs: number; bareMs: number }> {
    const missing = Math.max(0, count - this.openCandidacies);
    const base = this.openCandidacies;
    const kudakMs = await timed(() =>
      runPooled(
        Array.from({ length: missing }, (_, i) => () => this.startCandidacy(`bench-${this.run}-open-${base + i}`, 1)),
        START_CONCURRENCY,
      ),
    );
    const done: BareShape = { ...BARE_DISTRICT, childUpdates: 0 };
    const bareMs = await timed(() =>
      runPooled(
        Array.from({ length: missing }, (_, i) => async () => {
          const workflowId = `bare-${this.run}-start-${base + i}`;
          await this.client.workflow.start('bareChildWorkflow', {
            workflowId,
            taskQueue: this.bareQueue,
            args: [done],
          });
        }),
        START_CONCURRENCY,
      ),
    );
    return { started: missing, kudakMs, bareMs };
  }

  /** /me/tasks and the list's first page, and a bare visibility page, in alternate rounds. */
  async reads() {
    const tasks = { latencies: [] as number[], failed: 0 };
    const list = { latencies: [] as number[], failed: 0 };
    const bare: number[] = [];
    // A route that answers in seconds at 1,000 candidacies gets fewer rounds, not the run's whole hour.
    const until = Date.now() + READS_BUDGET_MS;
    for (let r = 0; r < LIST_ROUNDS && (r < MIN_LIST_ROUNDS || Date.now() < until); r++) {
      for (const [into, route] of [
        [tasks, '/me/tasks'],
        [list, '/candidacies?pageSize=20'],
      ] as const) {
        try {
          into.latencies.push(await timed(() => this.call('administrator', 'GET', route)));
        } catch (err) {
          if (!(err instanceof ApiError)) throw err;
          into.failed++; // a 503 (Temporal did not answer in time) is this route's answer at this size
        }
      }
      bare.push(
        await timed(() =>
          this.client.workflowService.listWorkflowExecutions({
            namespace: 'default',
            pageSize: 20,
            query: `WorkflowId STARTS_WITH "candidacy-bench-${this.run}" AND ExecutionStatus = "Running"`,
          }),
        ),
      );
    }
    return { tasks, list, bare };
  }

  /** On a shared Temporal, ends what the run started (a dev server of its own goes with the stack). */
  async terminateAll(): Promise<void> {
    const ids = [...this.started.map(candidacyWorkflowId), ...this.bareStarted];
    await runPooled(
      ids.map(
        (id) => () =>
          this.client.workflow
            .getHandle(id)
            .terminate('load benchmark finished')
            .catch(() => undefined),
      ),
      START_CONCURRENCY,
    );
  }
}

async function main(): Promise<void> {
  const options = parseLoadOptions(process.argv.slice(2));
  const wallStarted = Date.now();
  const stack = await ProcessStack.start({ name: 'bench-load', temporalAddress: options.temporal });
  const connection = await Connection.connect({ address: stack.temporalAddress });
  const client = new Client({ connection });
  const bareQueue = `bench-bare-${randomUUID()}`;
  const bareConnection = await NativeConnection.connect({ address: stack.temporalAddress });
  const bareWorker = await Worker.create({
    connection: bareConnection,
    taskQueue: bareQueue,
    ...workflowsFromSource(path.join(__dirname, 'fixtures', 'bare-workflows')),
    activities: { noop: async () => undefined },
  });
  const bench = new LoadBench(stack, client, bareQueue);
  try {
    await bareWorker.runUntil(async () => {
      const cities = Array.from({ length: options.cities }, (_, i) => i);
      // Starts: the cities through the API, then as many bare workflows, then the rest of the bare
      // stand-ins (one per district) unmeasured.
      const kudakStartMs = await timed(() =>
        runPooled(
          cities.map((i) => () => bench.startCandidacy(bench.cityId(i))),
          START_CONCURRENCY,
        ),
      );
      const twins = options.direct ? cities.map((i) => bench.directCityId(i)) : [];
      await runPooled(
        twins.map((cityId) => () => bench.startCandidacy(cityId)),
        START_CONCURRENCY,
      );
      const bareStartMs = await timed(() =>
        runPooled(
          cities.map((i) => () => bench.startBare(bench.bareId(i, DISTRICTS[0]))),
          START_CONCURRENCY,
        ),
      );
      await runPooled(
        cities.flatMap((i) => DISTRICTS.slice(1).map((d) => () => bench.startBare(bench.bareId(i, d)))),
        START_CONCURRENCY,
      );
      if (options.floor) {
        await runPooled(
          cities.flatMap((i) =>
            DISTRICTS.map((d) => () => bench.startBare(bench.bareId(i, d, 'floor'), FLOOR_DISTRICT)),
          ),
          START_CONCURRENCY,
        );
      }
      await runPooled(
        [...cities.map((i) => bench.cityId(i)), ...twins].map((cityId) => () => bench.openDistrictPlanning(cityId)),
        4,
      );

      const half = Math.floor(options.cities / 2);
      const one = await bench.decisions(cities.slice(0, half), 1, options);
      const sixteen = await bench.decisions(cities.slice(half), 16, options);

      const rows: Row[] = [
        [
          `starts per second (${options.cities} cities of 15 districts)`,
          options.cities / (kudakStartMs / 1000),
          options.cities / (bareStartMs / 1000),
        ],
      ];
      for (const [concurrency, { kudak, bare, direct, floor }] of [
        [1, one],
        [16, sixteen],
      ] as const) {
        for (const p of [50, 95, 99]) {
          rows.push([
            `decision p${p} ms, concurrency ${concurrency}`,
            percentile(kudak.latencies, p),
            percentile(bare.latencies, p),
          ]);
        }
        const total = (cpu: Record<CpuSource, number>) => CPU_SOURCES.reduce((sum, source) => sum + cpu[source], 0);
        if (options.direct) {
          rows.push([
            `  Update straight to Kudak CPU ms, c${concurrency}`,
            total(direct.cpuMs) / direct.count,
            total(bare.cpuMs) / bare.count,
          ]);
          for (const p of [50, 95, 99]) {
            rows.push([
              `  Update straight to Kudak p${p} ms, c${concurrency}`,
              percentile(direct.latencies, p),
              percentile(bare.latencies, p),
            ]);
          }
          rows.push([`  failed straight Updates, concurrency ${concurrency}`, direct.failures.length, 0]);
        }
        if (options.floor) {
          // The floor's ratio is the least any design that records each decision by an activity pays.
          rows.push([
            `  bare + an activity CPU ms, c${concurrency}`,
            total(floor.cpuMs) / floor.count,
            total(bare.cpuMs) / bare.count,
          ]);
          for (const p of [50, 95, 99]) {
            rows.push([
              `  bare + an activity p${p} ms, c${concurrency}`,
              percentile(floor.latencies, p),
              percentile(bare.latencies, p),
            ]);
          }
        }
        rows.push([
          `CPU ms per decision, concurrency ${concurrency}`,
          total(kudak.cpuMs) / kudak.count,
          total(bare.cpuMs) / bare.count,
        ]);
        for (const source of CPU_SOURCES) {
          // The bare side has no API and no worker process of its own: its worker runs in this one.
          rows.push([`  of which ${source}`, kudak.cpuMs[source] / kudak.count, bare.cpuMs[source] / bare.count]);
        }
        rows.push([`failed decisions, concurrency ${concurrency}`, kudak.failures.length, bare.failures.length]);
      }

      const memory: { open: number; rss?: number }[] = [];
      for (const open of options.open) {
        const starts = await bench.openUntil(open);
        if (starts.started >= 10) {
          rows.push([
            `starts per second (${starts.started} starts)`,
            starts.started / (starts.kudakMs / 1000),
            starts.started / (starts.bareMs / 1000),
          ]);
        }
        const { tasks, list, bare } = await bench.reads();
        for (const [name, route] of [
          ['/me/tasks', tasks],
          ['GET /candidacies', list],
        ] as const) {
          rows.push([`${name} p50 ms, ${open} open`, percentile(route.latencies, 50), percentile(bare, 50)]);
          rows.push([`${name} p95 ms, ${open} open`, percentile(route.latencies, 95), percentile(bare, 95)]);
          if (route.failed > 0)
            rows.push([`${name} failed (of ${route.failed + route.latencies.length})`, route.failed, 0]);
        }
        memory.push({ open, rss: rssMiB(stack.worker.pid) });
      }
      for (const { open, rss } of memory) rows.push([`worker RSS MiB, ${open} open`, rss ?? '-', '-']);
      const [first, last] = [memory[0], memory[memory.length - 1]];
      if (first.rss !== undefined && last.rss !== undefined && last.open > first.open) {
        const kib = ((last.rss - first.rss) * 1024) / (last.open - first.open);
        rows.push([`worker RSS KiB per open candidacy (${first.open}->${last.open})`, kib, '-']);
      }

      const samples = `${half * 30} and ${(options.cities - half) * 30} decisions`;
      printTable(
        `Kudak load benchmark: ${options.cities} cities x 15 districts (${samples} at concurrency 1 and 16), ` +
          `bare Temporal interleaved${options.pause ? `, ${options.pause} ms untimed before each decision` : ''}; ratio = kudak/bare`,
        rows,
      );
      const ratio = (c: typeof one, p: number) => percentile(c.kudak.latencies, p) / percentile(c.bare.latencies, p);
      for (const [concurrency, c] of [
        [1, one],
        [16, sixteen],
      ] as const) {
        const p50 = ratio(c, 50);
        const p99 = ratio(c, 99);
        console.log(
          `goal at concurrency ${concurrency}: p50 ${p50.toFixed(2)}x (within 1.5x: ${p50 <= 1.5 ? 'met' : 'NOT met'}), ` +
            `p99 ${p99.toFixed(2)}x (within 3x: ${p99 <= 3 ? 'met' : 'NOT met'})`,
        );
      }
      const failures = [
        ...one.kudak.failures,
        ...sixteen.kudak.failures,
        ...one.direct.failures,
        ...sixteen.direct.failures,
        ...one.bare.failures,
        ...sixteen.bare.failures,
        ...one.floor.failures,
        ...sixteen.floor.failures,
      ];
      for (const failure of new Set(
        failures.map((f) => f.replace(/bench-[0-9a-f]+-\d+/g, '<city>').replace(/\/d\d+\//, '/<d>/')),
      )) {
        console.log(`failed: ${failure}`);
      }
      console.log(`starts answered with a 503 and sent again: ${bench.startRetries}`);
      console.log(`wall time ${((Date.now() - wallStarted) / 1000).toFixed(0)} s`);
    });
  } finally {
    if (options.temporal) await bench.terminateAll();
    await connection.close();
    await bareConnection.close();
    await stack.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
