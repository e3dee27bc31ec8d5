import { storedHistories, replayHistory } from './replay-histories';

describe('candidacyWorkflow replays its stored histories', () => {
  const histories = storedHistories('candidacy-workflow');

  it('has stored histories to replay', () => {
    expect(histories.length).toBeGreaterThan(0);
  });

  it.each(histories.map((h) => [h.name, h.history] as const))('replays %s', async (name, history) => {
    await expect(replayHistory(name, history)).resolves.toBeUndefined();
  });
});
