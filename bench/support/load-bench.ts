// The load benchmark's workload (see bench/load.bench.ts): a city's decisions through the API,
// straight to its workflows, or to its bare stand-ins, and the reads at each number of open candidacies.
import { randomUUID } from 'node:crypto';
import { Client, WorkflowNotFoundError } from '@temporalio/client';
import {
  candidacyWorkflowId,
  DECISIONS,
  DEFAULT_POLICY,
  districtPlanWorkflowId,
  type Actor,
  type DistrictPlanWorkflowInput,
  type ReviewDistrictPlanInput,
  type Role,
  type SubmitDistrictPlanInput,
} from '@kudak/contracts';
import { ProcessStack, waitUntil } from '../../test/support/process-stack';
import { bareUpdate, type BareShape } from '../fixtures/bare-workflows';
import { cpuMs, ownCpuMs } from './process-usage';
import { runPooled, timed } from './latency';
import type { LoadOptions } from './load-options';

export const DISTRICTS = Array.from({ length: 15 }, (_, i) => `d${i + 1}`);
/** A country of the bench's own, so that on a shared cluster no other test's candidacy is in scope. */
const COUNTRY = 'NZ';
const LIST_ROUNDS = 20;
const MIN_LIST_ROUNDS = 3;
const READS_BUDGET_MS = 60_000;
export const START_CONCURRENCY = 8;
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
export const FLOOR_DISTRICT: BareShape = { ...BARE_DISTRICT, activityPerUpdate: true };

/**
 * How a batch of decisions is sent: through the API, as Updates straight to Kudak's workflows, to
 * bare Temporal, to bare stand-ins that schedule an activity per update, or as Updates to Kudak's
 * district workflows run by this process's worker with no-op activities.
 */
type Side = 'kudak' | 'direct' | 'bare' | 'floor' | 'shape';

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

export type CpuSource = 'temporal' | 'worker' | 'api' | 'bench';
export const CPU_SOURCES: CpuSource[] = ['temporal', 'worker', 'api', 'bench'];

export class LoadBench {
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
    /** The task queue of this process's worker for Kudak's workflows with no-op activities (--shape). */
    private readonly shapeQueue?: string,
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

  bareId(city: number, district: string, side: 'bare' | 'floor' | 'shape' = 'bare'): string {
    return `${side}-${this.run}-${city}-${district}`;
  }

  /**
   * Starts city i's 15 district workflows on the --shape queue, as the candidacy would (its
   * default policy, no contacts, as the benchmark's cities have none), under a bare stand-in for
   * the candidacy that takes their signals.
   */
  async startShape(city: number): Promise<void> {
    if (!this.shapeQueue) throw new Error('no worker for --shape');
    const parent = this.bareId(city, 'parent', 'shape');
    await this.startBare(parent, { ...BARE_DISTRICT, childUpdates: 1 });
    for (const d of DISTRICTS) {
      const input: DistrictPlanWorkflowInput = {
        candidacyWorkflowId: parent,
        cityId: `shape-${this.run}-${city}`,
        cityName: `Bench city ${city}`,
        country: COUNTRY,
        district: { id: d, name: `District ${d}` },
        policy: DEFAULT_POLICY,
        contacts: [],
      };
      const workflowId = this.bareId(city, d, 'shape');
      await this.client.workflow.start('districtPlanWorkflow', {
        workflowId,
        taskQueue: this.shapeQueue,
        args: [input],
      });
      this.bareStarted.push(workflowId);
    }
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
      if (side === 'direct' || side === 'shape') {
        const workflowId =
          side === 'direct'
            ? districtPlanWorkflowId(candidacyWorkflowId(this.directCityId(city)), d)
            : this.bareId(city, d, 'shape');
        const handle = this.client.workflow.getHandle(workflowId);
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
   * updates (and with `direct`, its twin's Updates; with `floor`, its floor stand-ins' updates; with
   * `shape`, its district workflows' Updates on this process's worker) in alternate batches, each
   * decision after `pauseMs` untimed. Returns each side's latencies and CPU per decision.
   */
  async decisions(
    cities: number[],
    concurrency: number,
    options: Pick<LoadOptions, 'direct' | 'floor' | 'shape' | 'pause'>,
  ) {
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
    const shape = side();
    const batches: Array<[Side, typeof kudak]> = [
      ['kudak', kudak],
      ...(options.direct ? [['direct', straight] as [Side, typeof kudak]] : []),
      ['bare', bare],
      ...(options.floor ? [['floor', floor] as [Side, typeof kudak]] : []),
      ...(options.shape ? [['shape', shape] as [Side, typeof kudak]] : []),
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
    return { kudak, bare, direct: straight, floor, shape };
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
