import type { DecisionKind, DecisionRecord } from '@kudak/contracts';
import { ApiDriver, approveDistrictPlan, STEPS, type Answer, type Step } from '../support/api-driver';
import { activitiesSettled, cityWorkflowIds, decisionPresence, notExactlyOnce } from '../support/delivery-checks';
import { ProcessStack } from '../support/process-stack';

// The API SIGKILLed (by pid) while a request with an Idempotency-Key is in flight, or right after
// it answered, then started again; the client repeats the same request under the same key. The
// API promises (docs/api.md) that a repeat returns the first answer and acts once.

const CITY = 'hamadan';
/**
 * How long after sending a request it is killed mid-request: a share of the typical decision's
 * answer time so far, so that the kill lands while the API waits on Temporal on a fast machine
 * and a slow one alike (the summary says how each case came out).
 */
function midRequestMs(city: ApiDriver): number {
  const times = city.decisionAnswers
    .filter((a) => a.status === 201)
    .map((a) => a.ms)
    .sort((a, b) => a - b);
  return times.length === 0 ? 100 : Math.max(10, Math.round(times[Math.floor(times.length / 2)] * 0.4));
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

type When = 'mid-request' | 'after the answer';

interface Case {
  what: string;
  when: When;
  send: (city: ApiDriver, key: string) => Promise<Answer>;
  /** Whether the request had acted, read after the restart and before the repeat. */
  acted: (city: ApiDriver) => Promise<boolean>;
  /** Decisions taken first, without a kill, to reach the case's stage. */
  before?: (city: ApiDriver) => Promise<DecisionRecord[]>;
  task?: string;
}

const decision = (what: string, when: When, step: Step, kind: DecisionKind): Case => ({
  what,
  when,
  task: step.task,
  send: (city, key) => city.decide(step, key),
  acted: async (city) => (await city.stateWhen('its state', () => true)).decisions.some((d) => d.kind === kind),
});

const CASES: Case[] = [
  {
    what: 'start',
    when: 'mid-request',
    send: (city, key) => city.start(key),
    acted: async (city) => (await city.state()).status === 200,
  },
  decision('MoU', 'after the answer', STEPS.memorandum, 'MOU_SIGNED'),
  {
    ...decision("children's council", 'mid-request', STEPS.input(1), 'ACTION_PLAN_INPUT_RECORDED'),
    before: approveDistrictPlan,
  },
  decision('action plan', 'after the answer', STEPS.submission(1), 'ACTION_PLAN_SUBMITTED'),
  decision('return', 'mid-request', STEPS.ministryReview('RETURN', 1), 'MINISTRY_RETURNED'),
  decision(
    'withdrawal',
    'after the answer',
    { role: 'administrator', route: 'withdrawal', body: { reason: 'The council withdraws' } },
    'WITHDRAWN',
  ),
];

describe('fault: the API is SIGKILLed between repeats of a request under one Idempotency-Key', () => {
  let stack: ProcessStack;
  beforeAll(async () => {
    stack = await ProcessStack.start({ name: 'api-kill' });
  }, 90_000);
  afterAll(async () => {
    await stack?.stop();
  });

  it('acts once and answers the repeat after the restart with the first answer', async () => {
    const city = new ApiDriver(stack, CITY);
    const acknowledged: DecisionRecord[] = [];
    const results: string[] = [];
    const failures: string[] = [];

    for (const [i, c] of CASES.entries()) {
      const key = `kill-${i}-${c.what.replace(/\W+/g, '-')}`;
      if (c.before) acknowledged.push(...(await c.before(city)));
      if (c.task) await city.stateWhen(`task ${c.task}`, (s) => s.openTasks.some((t) => t.kind === c.task));
      const pid = stack.api.pid;
      const delay = midRequestMs(city);
      const sent = c.send(city, key);
      let first: Answer | undefined;
      if (c.when === 'after the answer') first = await sent;
      else await sleep(delay);
      await stack.api.kill('SIGKILL');
      const cut = c.when === 'mid-request' ? await sent : undefined;
      if (cut && cut.status !== 0) first = cut; // it answered before the kill after all
      const restartMs = await stack.startApi();
      const acted = await c.acted(city);
      const repeat = await c.send(city, key);

      const same = first ? JSON.stringify(repeat.body) === JSON.stringify(first.body) : undefined;
      results.push(
        `${c.what} (${c.when === 'mid-request' ? `${delay} ms into the request` : c.when}` +
          `${first ? `, first ${first.status}` : ', no first answer'}; pid ${pid} killed, ` +
          `restart ${(restartMs / 1000).toFixed(1)} s; ${acted ? 'had acted' : 'had not acted'}): repeat ${repeat.status}` +
          `${same === undefined ? '' : same ? ', the first answer' : ', another answer'}`,
      );
      if (repeat.status !== 201 || same === false) {
        failures.push(
          `${c.what}: first ${JSON.stringify(first?.body)}, repeat ${repeat.status} ${JSON.stringify(repeat.body)}`,
        );
      }
      if (c.what !== 'start') {
        for (const answer of [first, repeat])
          if (answer?.status === 201) acknowledged.push(answer.body as DecisionRecord);
      }
    }

    await activitiesSettled(await stack.temporalClient(), cityWorkflowIds(CITY), 120_000);
    const distinct = [...new Map(acknowledged.map((d) => [d.id, d])).values()];
    const { presence, unacknowledged } = await decisionPresence(stack, city, distinct);
    console.log(
      `[fault] API SIGKILL during Idempotency-Key repeats: ${CASES.length} kills; ${results.join('; ')}; ` +
        `${presence.length - notExactlyOnce(presence).length} of ${presence.length} decisions once in state, timeline ` +
        `and database, ${unacknowledged.length} unacknowledged`,
    );
    expect(failures).toEqual([]);
    expect(notExactlyOnce(presence)).toEqual([]);
    expect(unacknowledged).toEqual([]);
  }, 240_000);
});
