import type { DecisionRecord } from '@kudak/contracts';
import { DECISION_MAY_STILL_BE_TAKEN } from '../../apps/api/decisions/decisions.service';
import { ApiDriver, STEPS, toActionPlan } from '../support/api-driver';
import { activitiesSettled, cityWorkflowIds, decisionPresence, notExactlyOnce } from '../support/delivery-checks';
import { ProcessStack } from '../support/process-stack';

// The embedded default's Temporal dev server frozen (SIGSTOP) while a decision is on its way: the
// call reaches the server, which does not answer. The API answers 503 within seconds, saying that
// the decision may still be taken; once the server runs again (SIGCONT) the same decision resent
// under its Idempotency-Key is answered with the one decision, taken once. An action-plan input is
// the decision sent: the validator would take a second one, so only the key keeps it single.

const CITY = 'yazd';
/** "Within a few seconds": the API's own deadline on a call to Temporal, with room for a loaded machine. */
const ANSWER_WITHIN_MS = 10_000;

describe('fault: the Temporal dev server hangs (SIGSTOP) while a decision is sent', () => {
  let stack: ProcessStack;
  let frozen: number | undefined;
  beforeAll(async () => {
    stack = await ProcessStack.start({ name: 'dev-server-hang' });
  }, 90_000);
  afterAll(async () => {
    if (frozen) process.kill(frozen, 'SIGCONT');
    await stack?.stop();
  });

  it('answers 503 saying the decision may still be taken, and the same decision resent under its key acts once', async () => {
    const city = new ApiDriver(stack, CITY);
    await city.begin();
    const acknowledged: DecisionRecord[] = await toActionPlan(city);
    const before = await city.stateWhen('the action plan open', (s) =>
      s.openTasks.some((t) => t.kind === 'SUBMIT_ACTION_PLAN'),
    );
    const earlier = new Set(before.decisions.map((d) => d.id));

    frozen = stack.temporal.pid!;
    process.kill(frozen, 'SIGSTOP');
    const hung = await city.decide(STEPS.input(1), 'sent-while-hung');
    process.kill(frozen, 'SIGCONT');
    frozen = undefined;

    const resent = await city.take(STEPS.input(1), 'sent-while-hung');
    acknowledged.push(resent);
    await activitiesSettled(await stack.temporalClient(), cityWorkflowIds(CITY), 120_000);
    const { presence, unacknowledged } = await decisionPresence(stack, city, acknowledged);
    const state = await city.stateWhen('its state', () => true);
    const added = state.decisions.filter((d) => !earlier.has(d.id));
    console.log(
      `[fault] dev server SIGSTOP: a decision sent while it hung answered ${hung.status} in ${(hung.ms / 1000).toFixed(1)} s ` +
        `("${(hung.body as unknown as { message?: string })?.message}"); resent under its key after SIGCONT: ` +
        `${added.length} decision added to the state, ${notExactlyOnce(presence).length} acknowledged decisions not exactly once`,
    );

    expect({
      status: hung.status,
      retryAfter: !!hung.retryAfter,
      fast: hung.ms < ANSWER_WITHIN_MS,
      message: (hung.body as unknown as { message?: string })?.message,
    }).toEqual({ status: 503, retryAfter: true, fast: true, message: DECISION_MAY_STILL_BE_TAKEN });
    expect(added.map((d) => d.id)).toEqual([resent.id]);
    expect(notExactlyOnce(presence)).toEqual([]);
    expect(unacknowledged).toEqual([]);
  }, 240_000);
});
