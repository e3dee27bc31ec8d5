import type { temporal } from '@temporalio/proto';
import { districtPlanWorkflowId, signMemorandumUpdate } from '@kudak/contracts';
import { actors, CandidacyDriver, cityInput } from '../support/candidacy-fixtures';
import { approveDistricts } from '../support/candidacy-steps';
import { holdSqliteLock } from '../support/sqlite-lock';
import { startDevServerHarness, type LifecycleHarness } from '../support/lifecycle-harness';

// An exclusive lock on the app database (another process holds BEGIN EXCLUSIVE for 15 s) while
// candidacies take decisions on a real worker and the run's dev server. The worker must keep
// answering workflow tasks: the lock delays only the activities that write to the database.

const LOCK_MS = 15_000;
const CITIES = 4;
const DISTRICTS = 2;

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

const failedWorkflowTasks = (events: HistoryEvent[]) =>
  events.filter((e) => e.workflowTaskTimedOutEventAttributes || e.workflowTaskFailedEventAttributes);

describe('fault: the app database is locked while decisions are taken', () => {
  let stack: LifecycleHarness;
  beforeAll(async () => {
    stack = await startDevServerHarness();
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('keeps taking decisions during the lock and records each once after it', async () => {
    const { env, acts, taskQueue } = stack;
    const suffix = Date.now().toString(36);
    const cities = await Promise.all(
      Array.from({ length: CITIES }, (_, i) =>
        CandidacyDriver.start(
          env.client,
          taskQueue,
          cityInput({ cityId: `locked-${suffix}-${i}`, districts: DISTRICTS }),
        ),
      ),
    );
    await Promise.all(cities.map((c) => c.task('SIGN_MEMORANDUM')));
    await acts.settled();

    const databaseFile = process.env.DATABASE_URL!.slice('sqlite:'.length);
    const lock = await holdSqliteLock(databaseFile, LOCK_MS);
    const latencies: number[] = [];
    const timed = async (decide: () => Promise<unknown>) => {
      const started = Date.now();
      await decide();
      latencies.push(Date.now() - started);
    };
    await Promise.all(
      cities.map(async (c) => {
        await c.task('SIGN_MEMORANDUM');
        await timed(() => c.update(signMemorandumUpdate, { actor: actors.admin, reason: 'MoU signed' }));
        await approveDistricts(c, ['d1', 'd2']);
      }),
    );
    const decidedAt = Date.now();
    const workflowIds = cities.flatMap((c) => [
      c.workflowId,
      ...['d1', 'd2'].map((d) => districtPlanWorkflowId(c.workflowId, d)),
    ]);
    const recordedDecisions = async () =>
      (await acts.knex('decisions').whereIn('workflow_id', workflowIds).pluck('decision_id')).sort();
    // Readers are not held up by the lock (WAL), and nothing could be written while it was held.
    const recordedDuringLock = await recordedDecisions();
    const releasedAt = await lock.released;
    expect(decidedAt).toBeLessThan(releasedAt);
    expect(recordedDuringLock).toEqual([]);
    // Every decision the workflows accepted (the candidacy's and its districts'), by id.
    const accepted = (
      await Promise.all(
        cities.flatMap((c) => [
          c.state().then((s) => s.decisions),
          ...['d1', 'd2'].map((d) => c.districtState(d).then((s) => s.decisions)),
        ]),
      )
    )
      .flat()
      .map((d) => d.id)
      .sort();
    expect(accepted).toHaveLength(CITIES * (1 + 2 * DISTRICTS));

    // The records arrive after the lock is gone, each once (Temporal retries the activities).
    const deadline = Date.now() + 60_000;
    let recorded: string[] = [];
    while (Date.now() < deadline) {
      recorded = await recordedDecisions();
      if (recorded.length >= accepted.length) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(recorded).toEqual(accepted);

    const histories = await Promise.all(
      workflowIds.map(async (id) => ({
        id,
        events: (await env.client.workflow.getHandle(id).fetchHistory()).events ?? [],
      })),
    );
    const failures = histories.flatMap(({ id, events }) =>
      failedWorkflowTasks(events).map((e) => `${id}: ${JSON.stringify(e)}`),
    );

    console.log(
      `[fault] app database locked ${((releasedAt - lock.takenAt) / 1000).toFixed(1)} s: ` +
        `${accepted.length} decisions accepted during the lock (all taken ${((decidedAt - lock.takenAt) / 1000).toFixed(1)} s ` +
        `after it was taken; slowest MoU ${Math.max(...latencies)} ms), ${recorded.length} recorded once after it, ` +
        `${failures.length} workflow tasks failed or timed out`,
    );
    expect(failures).toEqual([]);
    expect(Math.max(...latencies)).toBeLessThan(5_000);
  });
});
