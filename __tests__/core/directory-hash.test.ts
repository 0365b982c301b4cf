import { mkdirSync, mkdtempSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { directoryFiles, directoryHash } from '../../src/core/directory-hash';

function tree(root: string, files: Record<string, string>): string {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  return root;
}

describe('directoryFiles and directoryHash', () => {
  let work: string;
  beforeEach(() => {
    work = mkdtempSync(join(tmpdir(), 'directory-hash-'));
  });
  afterEach(() => rmSync(work, { recursive: true, force: true }));

  const FILES = { 'b.txt': 'b', 'a/z.txt': 'z', 'a-b/y.txt': 'y', 'node_modules/m/i.js': 'm' };

  it('lists files by relative path, directory entries by name, symlinks listed not followed', () => {
    const root = tree(join(work, 'src'), FILES);
    symlinkSync(join(root, 'a'), join(root, 'link'));
    expect(directoryFiles(root)).toEqual([
      'a/z.txt',
      'a-b/y.txt',
      'b.txt',
      'link',
      'node_modules/m/i.js',
    ]);
  });

  it('does not enter a skipped directory, and counts only what the filter keeps', () => {
    const root = tree(join(work, 'src'), FILES);
    const visited: string[] = [];
    const skip = (path: string, isDirectory: boolean) => {
      visited.push(path);
      return isDirectory && path.endsWith('node_modules');
    };
    expect(directoryFiles(root, { skip })).toEqual(['a/z.txt', 'a-b/y.txt', 'b.txt']);
    expect(visited).not.toContain('node_modules/m');
    const filter = (paths: string[]) => paths.filter((p) => p.startsWith('a'));
    expect(directoryFiles(root, { skip, filter })).toEqual(['a/z.txt', 'a-b/y.txt']);
    const hash = directoryHash(root, { skip, filter });
    writeFileSync(join(root, 'b.txt'), 'changed but filtered out');
    writeFileSync(join(root, 'node_modules', 'm', 'i.js'), 'changed but skipped');
    expect(directoryHash(root, { skip, filter })).toBe(hash);
  });

  it('is equal for equal content wherever it lives, whatever the file times', () => {
    const one = tree(join(work, 'one'), FILES);
    const two = tree(join(work, 'two'), FILES);
    utimesSync(join(two, 'b.txt'), new Date(0), new Date(0));
    expect(directoryHash(two)).toBe(directoryHash(one));
    expect(directoryHash(one)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('changes with a file content, a file name, a new file, a symlink target and an input', () => {
    const root = tree(join(work, 'src'), FILES);
    symlinkSync('a', join(root, 'link'));
    const hashes = [directoryHash(root, { inputs: { platform: 'linux/amd64' } })];
    const next = () => {
      hashes.push(directoryHash(root, { inputs: { platform: 'linux/amd64' } }));
    };
    writeFileSync(join(root, 'b.txt'), 'B');
    next();
    rmSync(join(root, 'b.txt'));
    writeFileSync(join(root, 'c.txt'), 'B');
    next();
    writeFileSync(join(root, 'a', 'new.txt'), '');
    next();
    rmSync(join(root, 'link'));
    symlinkSync('a-b', join(root, 'link'));
    next();
    hashes.push(directoryHash(root, { inputs: { platform: 'linux/arm64' } }));
    expect(new Set(hashes).size).toBe(hashes.length);
  });

  it('keeps the value of an unchanged directory (it is the Lambda image tag)', () => {
    // A changed value rebuilds and redeploys every environment's image: change it on purpose only.
    const root = tree(join(work, 'handler'), { Dockerfile: 'FROM scratch\n', 'src/index.js': '' });
    expect(directoryHash(root, { inputs: { platform: 'linux/amd64' } })).toBe(
      '58d23e5aa0e8604502397f0fbbe55ede1883451a170d7685d41f5940c6a5cb6c',
    );
  });
});
