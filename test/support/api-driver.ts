import type { CandidacyState, DecisionRecord, Role } from '@kudak/contracts';
import { waitUntil, type ProcessStack } from './process-stack';

/** One HTTP answer; status 0 when no answer came (connection refused or reset, or the time ran out). */
export interface Answer<T = unknown> {
  status: number;
  body: T;
  ms: number;
  retryAfter: string | null;
  error?: string;
}

/** Who takes each decision: the contacts' ids, so a notification names the person who acts. */
export const PEOPLE = {
  administrator: 'focal-point',
  district_submitter: 'district-mayor',
  reviewer: 'plan-reviewer',
  ministry_officer: 'moi-officer',
  committee_member: 'member-1',
  unicef_officer: 'unicef-officer',
  auditor: 'auditor',
} satisfies Record<Role, string>;

export const DISTRICT = 'd1';
export const COMMITTEE = ['member-1', 'member-2', 'member-3'];

/**
 * A candidacy's start body: one district, a steering committee of three (quorum 2), and two
 * contacts with e-mail addresses, so each stage and decision fills inboxes and sends e-mail.
 */
export function startBody(cityId: string) {
  return {
    cityId,
    cityName: `City ${cityId}`,
    country: 'IR',
    districts: [{ id: DISTRICT, name: 'District 1' }],
    contacts: [
      {
        id: PEOPLE.administrator,
        name: 'CFC focal point',
        role: 'administrator',
        locale: 'fa',
        email: `fp@${cityId}.example`,
      },
      {
        id: PEOPLE.ministry_officer,
        name: 'Ministry officer',
        role: 'ministry_officer',
        locale: 'en',
        email: `moi@${cityId}.example`,
      },
    ],
    policy: { committee: { members: COMMITTEE, quorum: 2 } },
  };
}

/** A decision route and its body, as the party entitled to it sends it. */
export interface Step {
  role: Role;
  route: string;
  body: object;
  /** The member who votes, when it is not member-1. */
  sub?: string;
  /** The open task the step waits for (in the candidacy's state) before it is sent. */
  task?: string;
}

/** The steps of one candidacy's way to the steering committee's vote. */
export const STEPS = {
  memorandum: { role: 'administrator', route: 'memorandum', body: { reason: 'MoU signed' }, task: 'SIGN_MEMORANDUM' },
  districtPlan: { role: 'district_submitter', route: `districts/${DISTRICT}/plan`, body: { summary: 'Play streets' } },
  districtReview: { role: 'reviewer', route: `districts/${DISTRICT}/review`, body: { decision: 'APPROVE' } },
  input: (round: number): Step => ({
    role: 'administrator',
    route: 'action-plan/inputs',
    body: { source: 'CHILDREN_COUNCIL', party: "Children's city council", summary: `Session ${round}` },
    task: 'SUBMIT_ACTION_PLAN',
  }),
  submission: (round: number): Step => ({
    role: 'administrator',
    route: 'action-plan/submission',
    body: { summary: `Operational plan, version ${round}` },
    task: 'SUBMIT_ACTION_PLAN',
  }),
  ministryReview: (decision: 'APPROVE' | 'RETURN', round: number): Step => ({
    role: 'ministry_officer',
    route: 'action-plan/review',
    body: decision === 'RETURN' ? { decision, reason: `Version ${round} needs indicators` } : { decision },
    task: 'REVIEW_ACTION_PLAN',
  }),
  vote: (member: string): Step => ({
    role: 'committee_member',
    route: 'committee/votes',
    body: { vote: 'APPROVE' },
    sub: member,
    task: 'COMMITTEE_VOTE',
  }),
} satisfies Record<string, Step | ((...args: never[]) => Step)>;

/** Calls the stack's API as each party of one city, with tokens from the stack's local key. */
export class ApiDriver {
  private readonly tokens = new Map<string, Promise<string>>();
  /** Every decision's answer so far (status and time taken). */
  readonly decisionAnswers: Pick<Answer, 'status' | 'ms'>[] = [];

  constructor(
    readonly stack: ProcessStack,
    readonly cityId: string,
  ) {}

  private token(role: Role, sub = PEOPLE[role]): Promise<string> {
    const id = `${role}/${sub}`;
    if (!this.tokens.has(id)) {
      this.tokens.set(
        id,
        this.stack.token({
          role,
          sub,
          cities: [this.cityId],
          ...(role === 'district_submitter' ? { districts: [DISTRICT] } : {}),
        }),
      );
    }
    return this.tokens.get(id)!;
  }

  /** One request; never throws for a missing answer (status 0 says so). */
  async call<T = unknown>(
    role: Role,
    method: 'GET' | 'POST',
    route: string,
    options: { body?: object; key?: string; sub?: string; timeoutMs?: number } = {},
  ): Promise<Answer<T>> {
    const headers: Record<string, string> = { authorization: `Bearer ${await this.token(role, options.sub)}` };
    if (options.body) headers['content-type'] = 'application/json';
    if (options.key) headers['idempotency-key'] = options.key;
    const started = Date.now();
    try {
      const res = await this.stack.fetch(route, {
        method,
        headers,
        body: options.body ? JSON.stringify(options.body) : undefined,
        timeoutMs: options.timeoutMs,
      });
      const text = await res.text();
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        // not JSON: kept as text
      }
      return {
        status: res.status,
        body: body as T,
        ms: Date.now() - started,
        retryAfter: res.headers.get('retry-after'),
      };
    } catch (err) {
      const error = `${(err as Error).message}${(err as Error).cause ? `: ${String((err as Error).cause)}` : ''}`;
      return { status: 0, body: undefined as T, ms: Date.now() - started, retryAfter: null, error };
    }
  }

  start(key?: string, timeoutMs?: number): Promise<Answer<CandidacyState & { workflowId: string }>> {
    return this.call('administrator', 'POST', '/candidacies', { body: startBody(this.cityId), key, timeoutMs });
  }

  /** Starts the candidacy; fails on anything but 201. */
  async begin(): Promise<CandidacyState> {
    const answer = await this.start();
    if (answer.status !== 201) throw new Error(`start ${this.cityId}: ${answer.status} ${JSON.stringify(answer.body)}`);
    return answer.body;
  }

  async decide(step: Step, key?: string, timeoutMs?: number): Promise<Answer<DecisionRecord>> {
    const answer = await this.call<DecisionRecord>(step.role, 'POST', `/candidacies/${this.cityId}/${step.route}`, {
      body: step.body,
      key,
      sub: step.sub,
      timeoutMs,
    });
    this.decisionAnswers.push({ status: answer.status, ms: answer.ms });
    return answer;
  }

  state(timeoutMs?: number): Promise<Answer<CandidacyState>> {
    return this.call('administrator', 'GET', `/candidacies/${this.cityId}`, { timeoutMs });
  }

  /** Reads the state until `ready` holds (a failed read is read again); returns that state. */
  async stateWhen(what: string, ready: (s: CandidacyState) => boolean, ms = 60_000): Promise<CandidacyState> {
    let state: CandidacyState | undefined;
    await waitUntil(`${this.cityId}: ${what}`, ms, async () => {
      const read = await this.state(15_000);
      if (read.status === 200 && ready(read.body)) state = read.body;
      return state !== undefined;
    });
    return state!;
  }

  /** Waits for the step's task, then sends it; fails on anything but 201. */
  async take(step: Step, key?: string): Promise<DecisionRecord> {
    if (step.task) await this.stateWhen(`task ${step.task}`, (s) => s.openTasks.some((t) => t.kind === step.task));
    const answer = await this.decide(step, key);
    if (answer.status !== 201) throw new Error(`${step.route}: ${answer.status} ${JSON.stringify(answer.body)}`);
    return answer.body;
  }

  /** Every line of the candidacy's timeline (its districts' too), page by page. */
  async timeline(): Promise<Array<{ kind: string; details?: { decisionId?: string } }>> {
    const entries: Array<{ kind: string; details?: { decisionId?: string } }> = [];
    for (let page = 0; page < 50; page++) {
      const read = await this.call<{ total: number; entries: typeof entries }>(
        'auditor',
        'GET',
        `/candidacies/${this.cityId}/history?offset=${entries.length}&limit=100`,
      );
      if (read.status !== 200) throw new Error(`timeline: ${read.status} ${JSON.stringify(read.body)}`);
      entries.push(...read.body.entries);
      if (entries.length >= read.body.total || read.body.entries.length === 0) return entries;
    }
    throw new Error('timeline: more than 50 pages');
  }
}

/** The district's plan submitted and approved, once the MoU has opened district planning. */
export async function approveDistrictPlan(city: ApiDriver): Promise<DecisionRecord[]> {
  const taken: DecisionRecord[] = [];
  // The district's workflow starts after the MoU; until then a district decision is a 409 that changes nothing.
  await waitUntil(`${city.cityId}: district plan accepted`, 60_000, async () => {
    const answer = await city.decide(STEPS.districtPlan);
    if (answer.status === 201) taken.push(answer.body);
    else if (!(answer.status === 409 && /not open/.test(JSON.stringify(answer.body)))) {
      throw new Error(`district plan: ${answer.status} ${JSON.stringify(answer.body)}`);
    }
    return answer.status === 201;
  });
  taken.push(await city.take(STEPS.districtReview));
  return taken;
}

/**
 * From a started candidacy to its action plan: MoU signed, the district's plan approved, the
 * children's council heard. Returns the decisions taken (the district's included).
 */
export async function toActionPlan(city: ApiDriver): Promise<DecisionRecord[]> {
  const taken = [await city.take(STEPS.memorandum)];
  taken.push(...(await approveDistrictPlan(city)));
  taken.push(await city.take(STEPS.input(0)));
  return taken;
}

/** From a started candidacy to the steering committee's open vote. */
export async function toCommitteeVote(city: ApiDriver): Promise<DecisionRecord[]> {
  const taken = await toActionPlan(city);
  taken.push(await city.take(STEPS.submission(1)));
  taken.push(await city.take(STEPS.ministryReview('APPROVE', 1)));
  await city.stateWhen('the committee vote', (s) => s.openTasks.some((t) => t.kind === 'COMMITTEE_VOTE'));
  return taken;
}
