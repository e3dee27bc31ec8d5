import type { Client, WorkflowHandle } from '@temporalio/client';
import {
  candidacyWorkflowId,
  districtPlanWorkflowId,
  getCandidacyStateQuery,
  getDistrictPlanStateQuery,
  withdrawCandidacyUpdate,
  type Actor,
  type CandidacyPolicy,
  type CandidacyStage,
  type CandidacyState,
  type Contact,
  type DistrictPlanState,
  type ObligationInput,
  type StartCandidacyInput,
} from '@kudak/contracts';
import type { UpdateDefinition } from '@temporalio/common';

export const actors = {
  admin: { id: 'focal-point', role: 'administrator', organisation: 'Isfahan Municipality', name: 'CFC focal point' },
  reviewer: { id: 'plan-reviewer', role: 'reviewer', organisation: 'Isfahan Municipality' },
  ministry: { id: 'moi-officer', role: 'ministry_officer', organisation: 'Ministry of Interior' },
  unicef: { id: 'unicef-officer', role: 'unicef_officer', organisation: 'UNICEF Iran' },
  auditor: { id: 'auditor-1', role: 'auditor', organisation: 'National audit' },
  member: (n: number): Actor => ({ id: `member-${n}`, role: 'committee_member', organisation: 'Steering committee' }),
  submitter: (districtId: string): Actor => ({
    id: `mayor-${districtId}`,
    role: 'district_submitter',
    organisation: `District ${districtId}`,
  }),
} satisfies Record<string, Actor | ((x: never) => Actor)>;

/** The article's example: UNICEF's dedicated funding, owed under the MoU; it gates implementation. */
export const UNICEF_FUNDING: ObligationInput = {
  id: 'unicef-funding',
  party: 'UNICEF',
  partyRole: 'unicef_officer',
  owedTo: 'Isfahan Municipality',
  description: 'Dedicated CFC funding',
  dueAt: '2100-01-01T00:00:00.000Z',
  gatesStage: 'IMPLEMENTATION',
};

export interface CityOptions {
  cityId: string;
  districts?: number;
  policy?: Partial<CandidacyPolicy>;
  obligations?: ObligationInput[];
  email?: (contactId: string) => string | undefined;
}

/** A city like Isfahan: districts, its parties as contacts, a three-member committee. */
export function cityInput(options: CityOptions): StartCandidacyInput {
  const districts = Array.from({ length: options.districts ?? 15 }, (_, i) => ({
    id: `d${i + 1}`,
    name: `District ${i + 1}`,
  }));
  const email = options.email ?? (() => undefined);
  const contact = (a: Actor, locale: 'fa' | 'en', districtId?: string): Contact => ({
    id: a.id,
    name: a.name ?? a.id,
    role: a.role,
    locale,
    email: email(a.id),
    districtId,
  });
  return {
    cityId: options.cityId,
    cityName: 'Isfahan',
    country: 'IR',
    districts,
    contacts: [
      contact(actors.admin, 'fa'),
      contact(actors.reviewer, 'fa'),
      contact(actors.ministry, 'fa'),
      contact(actors.unicef, 'en'),
      ...[1, 2, 3].map((n) => contact(actors.member(n), 'fa')),
      ...districts.map((d) => contact(actors.submitter(d.id), 'fa', d.id)),
    ],
    obligations: options.obligations ?? [],
    policy: { committee: { members: ['member-1', 'member-2', 'member-3'], quorum: 2 }, ...options.policy },
    startedBy: actors.admin,
  };
}

// 40 s: under CI's load a workflow task handed to a worker that was shutting down is given to
// another only after its 10 s task timeout, and the next step waits behind it.
async function poll<T>(read: () => Promise<T>, ok: (value: T) => boolean, what: string, ms = 40_000): Promise<T> {
  const deadline = Date.now() + ms;
  let last: T | undefined;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      last = await read();
      if (ok(last)) return last;
    } catch (err) {
      lastError = err;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(
    `timed out waiting for ${what}; last: ${JSON.stringify(last)?.slice(0, 500)} ${lastError instanceof Error ? lastError.message : ''}`,
  );
}

/** Drives one candidacy through the real server the way the API does: updates carrying actors. */
export class CandidacyDriver {
  readonly workflowId: string;
  readonly handle: WorkflowHandle;

  constructor(
    readonly client: Client,
    readonly cityId: string,
  ) {
    this.workflowId = candidacyWorkflowId(cityId);
    this.handle = client.workflow.getHandle(this.workflowId);
  }

  static async start(client: Client, taskQueue: string, input: StartCandidacyInput): Promise<CandidacyDriver> {
    await client.workflow.start('candidacyWorkflow', {
      workflowId: candidacyWorkflowId(input.cityId),
      taskQueue,
      args: [{ start: input }],
    });
    return new CandidacyDriver(client, input.cityId);
  }

  state(): Promise<CandidacyState> {
    return this.handle.query(getCandidacyStateQuery);
  }

  until(ok: (s: CandidacyState) => boolean, what: string): Promise<CandidacyState> {
    return poll(() => this.state(), ok, what);
  }

  stage(stage: CandidacyStage): Promise<CandidacyState> {
    return this.until((s) => s.stage === stage, `stage ${stage}`);
  }

  task(kind: string): Promise<CandidacyState> {
    return this.until((s) => s.openTasks.some((t) => t.kind === kind), `open task ${kind}`);
  }

  update<Args extends [unknown], Ret>(def: UpdateDefinition<Ret, Args>, arg: Args[0]): Promise<Ret> {
    return this.handle.executeUpdate(def, { args: [arg] as Args });
  }

  district(districtId: string): WorkflowHandle {
    return this.client.workflow.getHandle(districtPlanWorkflowId(this.workflowId, districtId));
  }

  districtState(districtId: string): Promise<DistrictPlanState> {
    return this.district(districtId).query(getDistrictPlanStateQuery);
  }

  /** Waits until the district workflow is running and has opened the given task. */
  districtTask(districtId: string, kind: string): Promise<DistrictPlanState> {
    return poll(
      () => this.districtState(districtId),
      (s) => s.openTasks.some((t) => t.kind === kind),
      `district ${districtId} task ${kind}`,
    );
  }

  districtUpdate<Args extends [unknown], Ret>(
    districtId: string,
    def: UpdateDefinition<Ret, Args>,
    arg: Args[0],
  ): Promise<Ret> {
    return this.district(districtId).executeUpdate(def, { args: [arg] as Args });
  }

  /** Number of events in this candidacy's current run. */
  async historyLength(handle: WorkflowHandle = this.handle): Promise<number> {
    return (await handle.fetchHistory()).events?.length ?? 0;
  }
}

/**
 * The candidacies of one spec file's scenarios: each starts a city of its own, and each scenario's
 * are withdrawn when it ends (not terminated: the time-skipping server would keep waiting on their
 * abandoned activities) so they stop reacting while later scenarios skip time.
 */
export class ScenarioCities {
  private seq = 0;
  private readonly open: CandidacyDriver[] = [];

  constructor(
    private readonly server: () => { client: Client; taskQueue: string },
    private readonly defaults: Omit<CityOptions, 'cityId'> & { prefix: string },
  ) {}

  async start(options: Partial<CityOptions> = {}): Promise<CandidacyDriver> {
    const { client, taskQueue } = this.server();
    const { prefix, ...defaults } = this.defaults;
    const input = cityInput({ cityId: `${prefix}-${++this.seq}`, ...defaults, ...options });
    const c = await CandidacyDriver.start(client, taskQueue, input);
    this.open.push(c);
    return c;
  }

  async withdrawAll(): Promise<void> {
    await Promise.all(
      this.open.splice(0).map(async (c) => {
        await c
          .update(withdrawCandidacyUpdate, { actor: actors.admin, reason: 'scenario finished' })
          .catch(() => undefined);
        await c.handle.result().catch(() => undefined);
      }),
    );
  }
}
