import { execFileSync } from 'node:child_process';
import * as path from 'node:path';

// Two copies of protobufjs make Temporal's history (de)serialisation disagree and break replay.
describe('installed dependencies', () => {
  it('has exactly one protobufjs version', () => {
    const out = execFileSync('npm', ['ls', 'protobufjs', '--all', '--parseable', '--long'], {
      cwd: path.resolve(__dirname, '..'),
      encoding: 'utf8',
    });
    const versions = new Set(
      out
        .split('\n')
        .map((line) => line.split(':')[1])
        .filter((id): id is string => !!id && id.startsWith('protobufjs@')),
    );
    expect([...versions]).toEqual([expect.stringMatching(/^protobufjs@8\./)]);
  });
});
