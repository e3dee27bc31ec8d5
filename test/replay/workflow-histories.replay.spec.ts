import { replayHistory, storedHistories } from './replay-histories';

// Every workflow type replays every stored history of every version against today's code.
describe.each(['candidacy-workflow', 'district-plan-workflow'])('%s replays its stored histories', (workflowType) => {
  const histories = storedHistories(workflowType);

  it('has stored histories of the current version to replay', () => {
    expect(histories.some((h) => h.name.startsWith('v2-'))).toBe(true);
  });

  it.each(histories.map((h) => [h.name, h] as const))('replays %s', async (name, h) => {
    await expect(replayHistory(name, h.history, undefined, h.workflowId)).resolves.toBeUndefined();
  });
});
