import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { START_INPUT_CHECK_PATCH } from '@kudak/contracts';
import { markersOf, storedHistories } from './replay-histories';

// The candidacy checks its start input behind patched(START_INPUT_CHECK_PATCH), on a first run
// only (a continued run's input was checked by the run before). The replay spec replays these
// histories; this one makes sure the stored ones hold both branches of the guard.
describe('patched(start-input-check): stored histories hold both sides of the guard', () => {
  const candidacies = storedHistories('candidacy-workflow').map(({ name, version, history }) => {
    const events = historyFromJSON(history).events ?? [];
    const started = events[0]?.workflowExecutionStartedEventAttributes;
    return {
      name,
      version,
      continued: Boolean(started?.continuedExecutionRunId),
      markers: markersOf(events, START_INPUT_CHECK_PATCH).length,
    };
  });

  it('first runs recorded since v5 carry the marker once; continued runs and older recordings none', () => {
    const expected = candidacies.map((h) => ({ ...h, markers: h.version >= 5 && !h.continued ? 1 : 0 }));
    expect(candidacies).toEqual(expected);
  });

  it('there are v5 first runs with the marker and v5 continued runs without it', () => {
    const v5 = candidacies.filter((h) => h.version === 5);
    expect(v5.filter((h) => !h.continued && h.markers === 1).length).toBeGreaterThanOrEqual(4);
    expect(v5.filter((h) => h.continued && h.markers === 0).length).toBeGreaterThanOrEqual(2);
  });
});
