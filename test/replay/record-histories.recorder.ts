// Records the histories the replay specs use: `npm run histories:record -- <version>`.
// Run it when a workflow changes shape; keep the older files (they are what running
// candidacies look like) and commit the new ones beside them.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { candidacyWorkflowId, getCandidacyStateQuery } from '@kudak/contracts';
import { startTimeSkippingServer } from '../support/temporal-servers';
import { createTestWorker } from '../support/test-worker';
import { HISTORIES_DIR } from './replay-histories';

const version = process.env.HISTORY_VERSION ?? 'v1';

function save(workflowType: string, scenario: string, history: Parameters<typeof historyToJSON>[0]): void {
  const dir = path.join(HISTORIES_DIR, workflowType);
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${version}-${scenario}.json`);
  fs.writeFileSync(file, JSON.stringify(JSON.parse(historyToJSON(history)), null, 2) + '\n');
  console.log(`recorded ${path.relative(process.cwd(), file)}`);
}

describe('record histories', () => {
  let env: TestWorkflowEnvironment;
  beforeAll(async () => {
    env = await startTimeSkippingServer();
  });
  afterAll(async () => {
    await env?.teardown();
  });

  it('candidacy-workflow: opened at commitment', async () => {
    const { worker, taskQueue } = await createTestWorker(env, {});
    await worker.runUntil(async () => {
      const handle = await env.client.workflow.start('candidacyWorkflow', {
        workflowId: candidacyWorkflowId('isfahan'),
        taskQueue,
        args: [
          {
            cityId: 'isfahan',
            cityName: 'Isfahan',
            country: 'IR',
            districts: [{ id: 'district-1', name: 'District 1' }],
            startedBy: 'admin-1',
          },
        ],
      });
      expect((await handle.query(getCandidacyStateQuery)).stage).toBe('COMMITMENT');
      save('candidacy-workflow', 'commitment', await handle.fetchHistory());
    });
  });
});
