import * as path from 'node:path';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { DeterminismViolationError } from '@temporalio/workflow';
import { PROCESS_PATCHES } from '@kudak/contracts';
import { withSharedModuleReplaced } from '../support/module-swap';
import { workflowsFromSource } from '../support/workflow-bundle';
import { markersOf, replayHistories, storedHistories } from './replay-histories';

// The process changes of issue 9 (tasks for every deadline, task notices, a committee that waits
// for its members) are guarded by patched(): candidacies recorded before them replay unchanged.
describe('patched(process changes): candidacies recorded before them keep their commands', () => {
  it('the histories since v4 carry each change once, the district plans the notices only; older ones none', () => {
    const expected = {
      'candidacy-workflow': Object.values(PROCESS_PATCHES),
      'district-plan-workflow': [PROCESS_PATCHES.taskAssignedNotices],
    };
    for (const [workflowType, changes] of Object.entries(expected)) {
      for (const { name, version, history } of storedHistories(workflowType)) {
        const events = historyFromJSON(history).events ?? [];
        const carried = Object.values(PROCESS_PATCHES).filter((id) => markersOf(events, id).length === 1);
        expect({ name, carried }).toEqual({ name, carried: version >= 4 ? changes : [] });
      }
    }
  });

  it('without the guard, the changes would break the replay of the candidacies recorded before them', async () => {
    const unguarded = {
      ...workflowsFromSource(),
      ...withSharedModuleReplaced(
        'process-patches',
        path.resolve(__dirname, '..', 'fixtures', 'process-changes-unguarded', 'process-patches.ts'),
      ),
    };
    const v3 = storedHistories('candidacy-workflow').find((h) => h.name === 'v3-acceded.json')!;
    const district = storedHistories('district-plan-workflow').find((h) => h.name === 'v3-approved.json')!;
    expect(await replayHistories([v3])).toEqual([undefined]);
    const [candidacyDivergence, districtDivergence] = await replayHistories([v3, district], unguarded);
    expect(candidacyDivergence).toBeInstanceOf(DeterminismViolationError);
    expect(districtDivergence).toBeInstanceOf(DeterminismViolationError);
  });
});
