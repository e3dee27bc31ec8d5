import { replayHistories, storedHistories, WORKFLOW_TYPES, type StoredHistory } from './replay-histories';

// Every workflow type replays every stored history of every version against today's code, all
// with one replay worker on the run's bundle.
const histories = new Map<string, StoredHistory[]>(WORKFLOW_TYPES.map((type) => [type, storedHistories(type)]));
const newestVersion = Math.max(...[...histories.values()].flat().map((h) => h.version));

const errors = new Map<StoredHistory, Error | undefined>();
beforeAll(async () => {
  const all = [...histories.values()].flat();
  (await replayHistories(all)).forEach((error, i) => errors.set(all[i], error));
});

describe.each(WORKFLOW_TYPES)('%s replays its stored histories', (workflowType) => {
  const ofType = histories.get(workflowType)!;

  it(`has stored histories of the newest version (v${newestVersion}) to replay`, () => {
    expect(ofType.some((h) => h.version === newestVersion)).toBe(true);
  });

  it.each(ofType.map((h) => [h.name, h] as const))('replays %s', (_name, h) => {
    expect(errors.has(h)).toBe(true);
    expect(errors.get(h)).toBeUndefined();
  });
});
