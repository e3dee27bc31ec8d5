import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { candidacyWorkflowId, getCandidacyStateQuery, type StartCandidacyInput } from '@kudak/contracts';
import { startTimeSkippingServer } from './support/temporal-servers';
import { createTestWorker } from './support/test-worker';

describe('candidacyWorkflow on the time-skipping test server', () => {
  let env: TestWorkflowEnvironment;

  beforeAll(async () => {
    env = await startTimeSkippingServer();
  });
  afterAll(async () => {
    await env?.teardown();
  });

  const input: StartCandidacyInput = {
    cityId: 'isfahan',
    cityName: 'Isfahan',
    country: 'IR',
    districts: [{ id: 'district-1', name: 'District 1' }],
    startedBy: 'admin-1',
  };

  it('opens at COMMITMENT with the city, its districts and the start time from workflow time', async () => {
    const { worker, taskQueue } = await createTestWorker(env, {});
    await worker.runUntil(async () => {
      const handle = await env.client.workflow.start('candidacyWorkflow', {
        workflowId: candidacyWorkflowId(input.cityId),
        taskQueue,
        args: [input],
      });
      const state = await handle.query(getCandidacyStateQuery);
      expect(state).toMatchObject({ cityId: 'isfahan', stage: 'COMMITMENT', startedBy: 'admin-1' });
      expect(state.districts).toEqual(input.districts);
      const { startTime } = await handle.describe();
      expect(state.startedAt).toBe(startTime.toISOString());
    });
  });
});
