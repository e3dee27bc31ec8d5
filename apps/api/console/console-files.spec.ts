import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ConsoleFiles } from './console-files';

describe(ConsoleFiles.name, () => {
  let dir: string;
  let sut: ConsoleFiles;

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kudak-console-files-'));
    fs.mkdirSync(path.join(dir, 'assets'));
    fs.writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>Kudak</title>');
    fs.writeFileSync(path.join(dir, 'assets', 'index-3f2a.js'), 'console.log(1);'.repeat(100));
    fs.writeFileSync(path.join(dir, '.env'), 'SECRET=1');
    sut = new ConsoleFiles(dir);
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('reads a file of the folder, with its type, its ETag and its gzipped body when worth it', () => {
    const file = sut.read('/assets/index-3f2a.js');
    expect(file).toMatchObject({ contentType: 'text/javascript; charset=utf-8', etag: expect.stringMatching(/^"/) });
    expect(file!.body.toString()).toBe('console.log(1);'.repeat(100));
    expect(file!.gzipped!.length).toBeLessThan(file!.body.length);
    expect(sut.index()!.contentType).toBe('text/html; charset=utf-8');
  });

  it.each([
    ['a missing file', '/assets/nothing.js'],
    ['a folder', '/assets'],
    ['a dotfile', '/.env'],
    ['a way out of the folder', '/assets/..%2F..%2Fetc%2Fpasswd'],
    ['a NUL', '/index.html%00'],
    ['a malformed escape', '/%E0%A4%A'],
    // The file system refuses these (ENAMETOOLONG, ENOTDIR): not a console file either, never a throw.
    ['a name longer than the file system takes', `/candidacies/${'a'.repeat(5000)}`],
    ['a file taken for a folder', '/index.html/x'],
  ])('is undefined for %s', (_what, urlPath) => {
    expect(sut.read(urlPath)).toBeUndefined();
  });
});
