import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Client } from '@temporalio/client';
import * as protoUtils from '@temporalio/common/lib/proto-utils';
import { CandidacyHistoryService } from './candidacy-history.service';
import type { RunHistory } from './timeline.builder';

describe(CandidacyHistoryService.name, () => {
  const stored = path.join(__dirname, '../../../test/histories/district-plan-workflow/v2-approved.json');
  const events = protoUtils.historyFromJSON(JSON.parse(fs.readFileSync(stored, 'utf8'))).events ?? [];
  const run = (count: number, runId = 'run-1'): RunHistory => ({
    workflowId: 'candidacy-isfahan/district/d1',
    runId,
    events: events.slice(0, count),
  });
  let conversions: jest.SpyInstance;
  let sut: CandidacyHistoryService;

  beforeEach(() => {
    conversions = jest.spyOn(protoUtils, 'historyToJSON');
    sut = new CandidacyHistoryService({} as Client);
  });
  afterEach(() => conversions.mockRestore());

  it('gives the JSON the Temporal SDK gives, made once per run and length', () => {
    const expected = protoUtils.historyToJSON({ events });
    conversions.mockClear();
    expect(sut.jsonText(run(events.length))).toBe(expected);
    expect(sut.jsonText(run(events.length))).toBe(expected);
    expect(conversions).toHaveBeenCalledTimes(1);
  });

  it('makes the JSON again for a run that has grown, and for another run', () => {
    const shorter = JSON.parse(sut.jsonText(run(events.length - 1))) as { events: unknown[] };
    const longer = JSON.parse(sut.jsonText(run(events.length))) as { events: unknown[] };
    sut.jsonText(run(events.length - 1, 'run-2'));
    expect(conversions).toHaveBeenCalledTimes(3);
    expect(shorter.events).toHaveLength(events.length - 1);
    expect(longer.events).toHaveLength(events.length);
  });
});
