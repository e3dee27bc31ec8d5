import * as path from 'node:path';
import { DeterminismViolationError } from '@temporalio/workflow';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { candidacyWorkflowId, getCandidacyStateQuery } from '@kudak/contracts';
import { startTimeSkippingServer } from '../support/temporal-servers';
import { createTestWorker } from '../support/test-worker';
import { workflowsFromSource } from '../support/workflow-bundle';
import { replayHistories, storedHistories } from './replay-histories';

const fixtures = path.resolve(__dirname, '..', 'fixtures');

describe('candidacyWorkflow: patched() keeps first-release candidacies running', () => {
  let env: TestWorkflowEnvironment;
  beforeAll(async () => {
    env = await startTimeSkippingServer();
  });
  afterAll(async () => {
    await env?.teardown();
  });

  it("a candidacy started by the first release continues on today's code under the same workflow id", async () => {
    // No sticky cache: the next workflow task must go to the shared queue, where today's worker polls.
    const oldCode = await createTestWorker(
      env,
      {},
      { workflowsPath: path.join(fixtures, 'first-release-workflows'), maxCachedWorkflows: 0 },
    );
    const workflowId = candidacyWorkflowId('old-city');
    const handle = await oldCode.worker.runUntil(async () => {
      const h = await env.client.workflow.start('candidacyWorkflow', {
        workflowId,
        taskQueue: oldCode.taskQueue,
        args: [{ cityId: 'old-city', cityName: 'Old City', country: 'IR', districts: [], startedBy: 'api' }],
      });
      expect((await h.query(getCandidacyStateQuery)).stage).toBe('COMMITMENT');
      return h;
    });

    // Today's worker takes over the same task queue; a signal forces a new workflow task, which
    // replays the old history through the unpatched branch.
    const newCode = await createTestWorker(env, {}, { taskQueue: oldCode.taskQueue });
    await newCode.worker.runUntil(async () => {
      await handle.signal('kudakNudge');
      const state = await handle.query(getCandidacyStateQuery);
      expect(state).toMatchObject({ cityId: 'old-city', stage: 'COMMITMENT', startedBy: 'api' });
    });
    const history = await handle.fetchHistory();
    expect(history.events!.filter((e) => e.workflowTaskFailedEventAttributes)).toEqual([]);
    expect(history.events!.filter((e) => e.workflowTaskCompletedEventAttributes).length).toBeGreaterThanOrEqual(2);
    await handle.terminate('test finished');
  });

  it("the first-release history replays on today's code, and fails on a deliberately divergent change", async () => {
    const firstRelease = storedHistories('candidacy-workflow').filter((h) => h.version === 1);
    expect(firstRelease).toHaveLength(1);
    expect(await replayHistories(firstRelease)).toEqual([undefined]);
    const [divergence] = await replayHistories(
      firstRelease,
      workflowsFromSource(path.join(fixtures, 'divergent-workflows')),
    );
    expect(divergence).toBeInstanceOf(DeterminismViolationError);
  });
});
