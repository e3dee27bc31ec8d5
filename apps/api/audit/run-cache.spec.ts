import * as fs from 'node:fs';
import * as path from 'node:path';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { RunCache } from './run-cache';
import { buildTimeline, timelineEntriesOf, type RunHistory } from './timeline.builder';

describe(RunCache.name, () => {
  const stored = (folder: string, file: string, workflowId: string): RunHistory => {
    const json = fs.readFileSync(path.join(__dirname, '../../../test/histories', folder, file), 'utf8');
    return { workflowId, runId: `${file}-run`, events: historyFromJSON(JSON.parse(json)).events ?? [] };
  };
  const candidacy = stored('candidacy-workflow', 'v6-acceded.json', 'candidacy-isfahan');
  const district = stored('district-plan-workflow', 'v6-approved.json', 'candidacy-isfahan/district/district-1');

  it('derives once per run and length, again when the run has grown', () => {
    const derive = jest.fn((run: RunHistory) => [run.events.length]);
    const sut = new RunCache(derive, 100, (value) => value.length);
    const shorter = { ...district, events: district.events.slice(0, -1) };
    expect(sut.get(district)).toEqual([district.events.length]);
    expect(sut.get(district)).toEqual([district.events.length]);
    expect(sut.get(shorter)).toEqual([district.events.length - 1]);
    expect(sut.get({ ...district, runId: 'another' })).toEqual([district.events.length]);
    expect(derive).toHaveBeenCalledTimes(3);
  });

  it('gives the timeline built from kept lines equal to one derived anew', () => {
    const sut = new RunCache(timelineEntriesOf, 10_000, (lines) => lines.length);
    const runs = [candidacy, district];
    const fresh = buildTimeline(runs);
    expect(fresh.length).toBeGreaterThan(50);
    expect(buildTimeline(runs, (run) => sut.get(run))).toEqual(fresh);
    expect(buildTimeline(runs, (run) => sut.get(run))).toEqual(fresh); // from what was kept
  });
});
