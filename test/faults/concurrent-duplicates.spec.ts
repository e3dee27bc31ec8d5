import type { DecisionRecord } from '@kudak/contracts';
import { ApiDriver, STEPS, toCommitteeVote, type Answer } from '../support/api-driver';
import {
  activitiesSettled,
  cityWorkflowIds,
  decisionPresence,
  deliveryReport,
  notExactlyOnce,
  repeated,
  scheduledNotices,
} from '../support/delivery-checks';
import { ProcessStack } from '../support/process-stack';

// Twenty identical requests at once, as a double-clicking user or a retrying client sends them:
// starts of one city's candidacy and one member's committee votes, without a key (one acts, the
// rest are 409) and under one shared Idempotency-Key (one acts, every answer is its answer).
// Nothing is duplicated in the state, on the timeline or in the database.

const COPIES = 20;

/** How many answers had each status, e.g. {"201":1,"409":19}. */
function tally(answers: Answer[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const { status } of answers) counts[status || 'none'] = (counts[status || 'none'] ?? 0) + 1;
  return counts;
}

/** The distinct messages of the 409 answers. */
const refusals = (answers: Answer[]) => [
  ...new Set(answers.filter((a) => a.status === 409).map((a) => (a.body as { message?: string }).message)),
];

const times = <T>(make: () => Promise<T>) => Promise.all(Array.from({ length: COPIES }, make));

/**
 * What a client does with a keyed request that answered 503 (the API's deadline passed under load):
 * sends it again under the same Idempotency-Key after Retry-After, a few times. The key makes that
 * safe: the request acts once whichever copy reached the candidacy.
 */
async function resendOn503<T>(send: () => Promise<Answer<T>>, attempts = 5): Promise<Answer<T>> {
  let answer = await send();
  for (let attempt = 1; attempt < attempts && answer.status === 503; attempt++) {
    const seconds = Math.min(Number(answer.retryAfter) || 1, 3);
    await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
    answer = await send();
  }
  return answer;
}

/**
 * Unkeyed copies: one acts (201), the rest are refused (409). Under load a copy may answer 503
 * instead, honestly: the API's deadline passed, and without a key the caller cannot tell whether it
 * acted (what keys are for). So the answers are 201, 409 and 503 only; one 201 unless a 503 may
 * have been the one that acted; never two. Whether it acted once is checked on the state.
 */
function unkeyedAnswersAreHonest(answers: Answer[]): boolean {
  const counts = tally(answers);
  const onlyKnown = Object.keys(counts).every((status) => ['201', '409', '503'].includes(status));
  const created = counts[201] ?? 0;
  return onlyKnown && (created === 1 || (created === 0 && (counts[503] ?? 0) > 0));
}

describe('fault: concurrent identical starts and votes', () => {
  let stack: ProcessStack;
  beforeAll(async () => {
    stack = await ProcessStack.start({ name: 'concurrent-duplicates' });
  }, 90_000);
  afterAll(async () => {
    await stack?.stop();
  });

  it(`acts once on ${COPIES} identical starts and on ${COPIES} identical votes`, async () => {
    const unkeyed = new ApiDriver(stack, 'mashhad');
    const keyed = new ApiDriver(stack, 'ahvaz');
    const startsWithoutKey = await times(() => unkeyed.start());
    const startsUnderKey = await times(() => resendOn503(() => keyed.start('start-ahvaz-once')));
    const runIds = await Promise.all(
      [unkeyed, keyed].map(async (c) => {
        const client = await stack.temporalClient();
        const runs = client.workflow.list({ query: `WorkflowId = 'candidacy-${c.cityId}'` });
        const ids: string[] = [];
        for await (const run of runs) ids.push(run.runId);
        return ids;
      }),
    );

    const acknowledged: DecisionRecord[] = await toCommitteeVote(keyed);
    const member = STEPS.vote('member-1');
    const votesWithoutKey = await times(() => keyed.decide(member));
    const votesUnderKey = await times(() => resendOn503(() => keyed.decide(STEPS.vote('member-2'), 'vote-member-2')));
    acknowledged.push(...[...votesWithoutKey, ...votesUnderKey].filter((a) => a.status === 201).map((a) => a.body));
    const distinct = [...new Map(acknowledged.map((d) => [d.id, d])).values()];

    await activitiesSettled(await stack.temporalClient(), cityWorkflowIds(keyed.cityId), 120_000);
    const state = await keyed.stateWhen('its state', () => true);
    const ballots = state.committeeRounds.flatMap((r) => r.ballots.map((b) => b.memberId));
    const { presence, unacknowledged } = await decisionPresence(stack, keyed, distinct);
    const notices = await scheduledNotices(await stack.temporalClient(), cityWorkflowIds(keyed.cityId));
    const inbox = deliveryReport(stack, [keyed.cityId], notices);

    console.log(
      `[fault] concurrent duplicates: ${COPIES} identical starts answered ${JSON.stringify(tally(startsWithoutKey))} ` +
        `(${runIds[0].length} run); ${COPIES} under one key ${JSON.stringify(tally(startsUnderKey))} ` +
        `(${new Set(startsUnderKey.map((a) => (a.body as { workflowId?: string })?.workflowId)).size} candidacy, ${runIds[1].length} run); ` +
        `${COPIES} identical votes by one member ${JSON.stringify(tally(votesWithoutKey))}; ` +
        `${COPIES} under one key ${JSON.stringify(tally(votesUnderKey))} ` +
        `(${new Set(votesUnderKey.map((a) => a.body?.id)).size} decision id); ballots ${ballots.join(', ')}; ` +
        `${presence.length - notExactlyOnce(presence).length} of ${presence.length} decisions once in state, timeline and ` +
        `database, ${unacknowledged.length} unacknowledged; ${inbox.notices} notifications, ` +
        `${inbox.inboxMissing.length + inbox.inboxUnexpected.length} missing or extra in the inbox`,
    );

    expect({ starts: tally(startsWithoutKey), honest: unkeyedAnswersAreHonest(startsWithoutKey) }).toMatchObject({
      honest: true,
    });
    expect(refusals(startsWithoutKey)).toEqual([`A candidacy for city 'mashhad' already exists (candidacy-mashhad)`]);
    expect(tally(startsUnderKey)).toEqual({ 201: COPIES });
    expect(new Set(startsUnderKey.map((a) => JSON.stringify(a.body))).size).toBe(1);
    expect(runIds.map((ids) => ids.length)).toEqual([1, 1]);
    expect({ votes: tally(votesWithoutKey), honest: unkeyedAnswersAreHonest(votesWithoutKey) }).toMatchObject({
      honest: true,
    });
    expect(refusals(votesWithoutKey)).toEqual(['member-1 has already voted or recused in round 1']);
    expect(tally(votesUnderKey)).toEqual({ 201: COPIES });
    expect(new Set(votesUnderKey.map((a) => JSON.stringify(a.body))).size).toBe(1);
    expect(ballots.sort()).toEqual(['member-1', 'member-2']);
    expect(repeated(ballots)).toEqual([]);
    expect(notExactlyOnce(presence)).toEqual([]);
    expect(unacknowledged).toEqual([]);
    expect(inbox).toMatchObject({ inboxMissing: [], inboxUnexpected: [] });
  }, 240_000);
});
