import { spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  BUILD_STAMP,
  cacheControlFor,
  FrontendAssetsError,
  IMMUTABLE,
  INSTALL_COMMAND,
  isContentHashed,
  NO_CACHE,
  prepareFrontendAssets,
  readAssetManifest,
  sourceHash,
  type CommandRunner,
} from '../../src/frontend/asset-manifest';
import { devConfig } from '../helpers/config';
import { FIXTURE_DIST, FIXTURE_DIST_EXPECTED } from './fixtures/client-dist';

const FILE = 'config/dev.json';
const DEFAULT_INPUTS = ['package.json', 'package-lock.json', 'client', 'packages'];

const frontend = (change: (f: Record<string, any>) => void) =>
  devConfig((c) => {
    c.frontend = {};
    change(c.frontend);
  }).frontend;

describe('readAssetManifest', () => {
  const files = readAssetManifest(FIXTURE_DIST);
  const byKey = Object.fromEntries(files.map((f) => [f.key, f]));

  it('lists every file of the dist by its key, with its absolute path', () => {
    expect(files.map((f) => f.key)).toEqual([
      'assets/fonts/Inter-SemiBold.woff2',
      'assets/index.BdE8x7Qz.js',
      'assets/index.D8b4DHJx.css',
      'assets/logo.svg',
      'config.json',
      'index.html',
      'manifest.webmanifest',
      'sw.js',
    ]);
    expect(byKey['assets/logo.svg'].source).toBe(join(FIXTURE_DIST, 'assets', 'logo.svg'));
  });

  it.each(FIXTURE_DIST_EXPECTED)(
    '%s: Content-Type %s, Cache-Control %s',
    (key, contentType, cacheControl) => {
      expect(byKey[key]).toMatchObject({ contentType, cacheControl });
    },
  );

  it('uses the agreed Cache-Control values', () => {
    expect(IMMUTABLE).toBe('public, max-age=31536000, immutable');
    expect(NO_CACHE).toBe('no-cache');
  });

  it('hashes each file by content (MD5, as S3 reports for single-part uploads)', () => {
    expect(byKey['sw.js'].sourceHash).toBe(
      require('node:crypto')
        .createHash('md5')
        .update(readFileSync(join(FIXTURE_DIST, 'sw.js')))
        .digest('hex'),
    );
    expect(new Set(files.map((f) => f.sourceHash)).size).toBe(files.length);
  });

  it('leaves out the build stamp and falls back to application/octet-stream', () => {
    const dist = mkdtempSync(join(tmpdir(), 'dist-'));
    try {
      writeFileSync(join(dist, 'index.html'), '<!doctype html>');
      writeFileSync(join(dist, BUILD_STAMP), 'abc');
      writeFileSync(join(dist, 'blob.unknownext'), 'x');
      expect(readAssetManifest(dist).map((f) => [f.key, f.contentType])).toEqual([
        ['blob.unknownext', 'application/octet-stream'],
        ['index.html', 'text/html; charset=utf-8'],
      ]);
    } finally {
      rmSync(dist, { recursive: true, force: true });
    }
  });
});

describe('what is published from a dist', () => {
  let dist: string;
  let outside: string;
  beforeEach(() => {
    dist = mkdtempSync(join(tmpdir(), 'dist-'));
    outside = mkdtempSync(join(tmpdir(), 'outside-'));
    writeFileSync(join(dist, 'index.html'), '<!doctype html>');
    mkdirSync(join(dist, 'assets'));
    writeFileSync(join(dist, 'assets', 'index.BdE8x7Qz.js'), 'x');
    writeFileSync(
      join(dist, 'assets', 'index.BdE8x7Qz.js.map'),
      '{"sources":["../src/secret.ts"]}',
    );
    writeFileSync(join(dist, '.env'), 'OPENAI_API_KEY=sk-live');
    mkdirSync(join(dist, '.git'));
    writeFileSync(join(dist, '.git', 'config'), '[core]');
    writeFileSync(join(outside, 'id_rsa'), 'PRIVATE KEY');
    symlinkSync(join(outside, 'id_rsa'), join(dist, 'assets', 'logo.svg'));
  });
  afterEach(() => {
    rmSync(dist, { recursive: true, force: true });
    rmSync(outside, { recursive: true, force: true });
  });

  it('leaves out dotfiles, source maps and symlinks by default', () => {
    expect(readAssetManifest(dist).map((f) => f.key)).toEqual([
      'assets/index.BdE8x7Qz.js',
      'index.html',
    ]);
  });

  it('publishes each only when asked for', () => {
    expect(readAssetManifest(dist, { sourceMaps: true }).map((f) => f.key)).toContain(
      'assets/index.BdE8x7Qz.js.map',
    );
    expect(readAssetManifest(dist, { dotfiles: true }).map((f) => f.key)).toEqual(
      expect.arrayContaining(['.env', '.git/config']),
    );
    expect(readAssetManifest(dist, { symlinks: true }).map((f) => f.key)).toContain(
      'assets/logo.svg',
    );
  });

  it('follows frontend.publish from the environment file', () => {
    const manifest = prepareFrontendAssets(
      devConfig((c) => (c.frontend = { distDir: dist, publish: { sourceMaps: true } })).frontend,
      { baseDir: tmpdir(), file: 'config/dev.json' },
    );
    expect(manifest!.files.map((f) => f.key)).toEqual([
      'assets/index.BdE8x7Qz.js',
      'assets/index.BdE8x7Qz.js.map',
      'index.html',
    ]);
  });
});

describe('isContentHashed', () => {
  it.each([
    // LibreChat's Vite config: [name].[hash].js, assets with [name].[hash][extname].
    ['assets/index.BdE8x7Qz.js', true],
    ['assets/vendor.C-3aB_1x.js', true],
    ['assets/index.DiwrgTda.css', true],
    ['assets/index.BdE8x7Qz.js.gz', true],
    ['assets/index.BdE8x7Qz.js.map', true],
    // Vite's default [name]-[hash], workbox, webpack-style hex.
    ['assets/vendor-BdE8x7Qz.js', true],
    ['assets/index-D8b4DHJx.css', true],
    ['workbox-5e8a1f2c.js', true],
    ['static/js/main.3f2a1b9c.js', true],
    // Names that merely look like words, sizes or dates: revalidated.
    ['index.html', false],
    ['sw.js', false],
    ['registerSW.js', false],
    ['manifest.webmanifest', false],
    ['robots.txt', false],
    ['assets/fonts/Inter-SemiBold.woff2', false],
    ['assets/fonts/roboto-mono-latin-400-normal.woff2', false],
    ['assets/apple-touch-icon-180x180.png', false],
    ['assets/icon-192x192.png', false],
    ['assets/maskable-icon.png', false],
    ['assets/jquery.validate.js', false],
    ['assets/banner-20240101.png', false],
    ['assets/logo-banner12.png', false],
    ['assets/report.20240101.json', false],
  ])('%s: %s', (path, hashed) => {
    expect(isContentHashed(path)).toBe(hashed);
    expect(cacheControlFor(path)).toBe(hashed ? IMMUTABLE : NO_CACHE);
  });
});

describe('prepareFrontendAssets', () => {
  let work: string;
  beforeEach(() => {
    work = mkdtempSync(join(tmpdir(), 'frontend-'));
  });
  afterEach(() => rmSync(work, { recursive: true, force: true }));

  it('publishes nothing when neither distDir nor build is configured', () => {
    expect(
      prepareFrontendAssets(
        frontend(() => {}),
        { baseDir: work, file: FILE },
      ),
    ).toBeUndefined();
  });

  it('reads a prebuilt distDir, relative to the environment file directory', () => {
    cpSync(FIXTURE_DIST, join(work, 'client', 'dist'), { recursive: true });
    const configDir = join(work, 'config');
    mkdirSync(configDir);
    const manifest = prepareFrontendAssets(
      frontend((f) => (f.distDir = '../client/dist')),
      {
        baseDir: configDir,
        file: FILE,
      },
    );
    expect(manifest?.origin).toBe('prebuilt');
    expect(manifest?.distDir).toBe(join(work, 'client', 'dist'));
    // The dist's 8 files (the publish step adds the stop relay script on deploy).
    expect(manifest?.files).toHaveLength(8);
  });

  it('names the file, field and path when distDir is missing or not a client build', () => {
    const missing = join(work, 'nope');
    expect(() =>
      prepareFrontendAssets(
        frontend((f) => (f.distDir = missing)),
        { baseDir: work, file: FILE },
      ),
    ).toThrow(new FrontendAssetsError(`${FILE}: frontend.distDir: ${missing} is not a directory`));
    mkdirSync(join(work, 'empty'));
    expect(() =>
      prepareFrontendAssets(
        frontend((f) => (f.distDir = 'empty')),
        { baseDir: work, file: FILE },
      ),
    ).toThrow(`${FILE}: frontend.distDir: ${join(work, 'empty')} has no index.html`);
  });

  describe('building from source', () => {
    // A stand-in for a LibreChat checkout: its "build" is a node script that writes a dist.
    function fakeSource(dir: string) {
      mkdirSync(join(dir, 'client', 'src'), { recursive: true });
      writeFileSync(
        join(dir, 'package.json'),
        JSON.stringify({ name: 'fake-librechat', version: '1.0.0', private: true }),
      );
      writeFileSync(
        join(dir, 'package-lock.json'),
        JSON.stringify({
          name: 'fake-librechat',
          version: '1.0.0',
          lockfileVersion: 3,
          requires: true,
          packages: { '': { name: 'fake-librechat', version: '1.0.0' } },
        }),
      );
      writeFileSync(join(dir, 'client', 'src', 'app.txt'), 'v1');
      mkdirSync(join(dir, 'packages', 'data-provider', 'src'), { recursive: true });
      writeFileSync(join(dir, 'packages', 'data-provider', 'src', 'index.ts'), 'export {};');
      writeFileSync(
        join(dir, 'build.js'),
        [
          "const fs = require('node:fs');",
          "fs.rmSync('client/dist', { recursive: true, force: true });",
          "fs.mkdirSync('client/dist/assets', { recursive: true });",
          "const app = fs.readFileSync('client/src/app.txt', 'utf8');",
          "fs.writeFileSync('client/dist/index.html', '<!doctype html>' + app);",
          "fs.writeFileSync('client/dist/assets/index.BdE8x7Qz.js', 'console.log(1)');",
        ].join('\n'),
      );
    }
    const build = (sourceDir: string) =>
      frontend((f) => (f.build = { sourceDir, command: 'node build.js' }));

    // Records the commands and runs them for real, quietly.
    function recordingRunner(): { runner: CommandRunner; commands: string[] } {
      const commands: string[] = [];
      const runner: CommandRunner = (command, cwd) => {
        commands.push(command);
        return spawnSync(command, { cwd, shell: true, stdio: 'pipe' }).status;
      };
      return { runner, commands };
    }

    it('installs and builds with npm, records the source hash, then skips an unchanged source', () => {
      const source = join(work, 'LibreChat');
      fakeSource(source);
      const first = recordingRunner();
      const lines: string[] = [];
      const built = prepareFrontendAssets(build('LibreChat'), {
        baseDir: work,
        file: FILE,
        run: first.runner,
        log: (l) => lines.push(l),
      });
      expect(first.commands).toEqual([INSTALL_COMMAND, 'node build.js']);
      expect(INSTALL_COMMAND).toMatch(/^npm ci\b/);
      expect(lines).toEqual([
        `frontend: building the LibreChat client in ${source} (no earlier build recorded)`,
      ]);
      expect(built?.origin).toBe('built');
      expect(built?.distDir).toBe(join(source, 'client', 'dist'));
      expect(built?.files.map((f) => [f.key, f.cacheControl])).toEqual([
        ['assets/index.BdE8x7Qz.js', IMMUTABLE],
        ['index.html', NO_CACHE],
      ]);
      expect(readFileSync(join(source, 'client', 'dist', BUILD_STAMP), 'utf8').trim()).toBe(
        sourceHash(source, join(source, 'client', 'dist'), DEFAULT_INPUTS),
      );

      const second = recordingRunner();
      const again = prepareFrontendAssets(build('LibreChat'), {
        baseDir: work,
        file: FILE,
        run: second.runner,
      });
      expect(second.commands).toEqual([]);
      expect(again?.origin).toBe('up-to-date');
      expect(again?.files).toEqual(built?.files);
    }, 30_000);

    it('rebuilds when a source file changes, and only then', () => {
      const source = join(work, 'LibreChat');
      fakeSource(source);
      const dist = join(source, 'client', 'dist');
      const hash = () => sourceHash(source, dist, DEFAULT_INPUTS);
      const before = hash();
      // Build outputs, installed packages and what the build does not read are not sources.
      mkdirSync(join(source, 'client', 'node_modules', 'x'), { recursive: true });
      writeFileSync(join(source, 'client', 'node_modules', 'x', 'index.js'), '1');
      mkdirSync(join(source, 'data-node'));
      writeFileSync(join(source, 'data-node', 'WiredTiger.wt'), 'mongo data');
      mkdirSync(join(source, 'packages', 'data-provider', 'dist'), { recursive: true });
      writeFileSync(join(source, 'packages', 'data-provider', 'dist', 'index.js'), '1');
      mkdirSync(dist, { recursive: true });
      writeFileSync(join(dist, 'index.html'), 'old');
      expect(hash()).toBe(before);
      // Contents and names of sources are.
      writeFileSync(join(source, 'client', 'src', 'app.txt'), 'v2');
      const edited = hash();
      expect(edited).not.toBe(before);
      writeFileSync(join(source, 'client', 'src', 'new.txt'), '');
      const added = hash();
      expect(added).not.toBe(edited);
      writeFileSync(join(source, 'packages', 'data-provider', 'src', 'index.ts'), 'export {}; ');
      const inPackages = hash();
      expect(inPackages).not.toBe(added);
      // A file input counts; a file beside the inputs does not.
      writeFileSync(join(source, 'package.json'), '{"name":"fake-librechat","version":"1.0.1"}');
      const fileInput = hash();
      expect(fileInput).not.toBe(inPackages);
      writeFileSync(join(source, 'README.md'), 'not read by the build');
      expect(hash()).toBe(fileInput);

      // A stale stamp means a build; a matching one means none.
      writeFileSync(join(dist, BUILD_STAMP), `${before}\n`);
      const runs: string[] = [];
      const fakeRun: CommandRunner = (command) => (runs.push(command), 0);
      const rebuilt = prepareFrontendAssets(build(source), {
        baseDir: work,
        file: FILE,
        run: fakeRun,
        log: () => {},
      });
      expect(runs).toEqual([INSTALL_COMMAND, 'node build.js']);
      expect(rebuilt?.origin).toBe('built');
      runs.length = 0;
      expect(
        prepareFrontendAssets(build(source), { baseDir: work, file: FILE, run: fakeRun })?.origin,
      ).toBe('up-to-date');
      expect(runs).toEqual([]);
    });

    it('names the field, command and directory when the install or build fails', () => {
      const source = join(work, 'LibreChat');
      fakeSource(source);
      const failAt =
        (failing: string): CommandRunner =>
        (command) =>
          command === failing ? 2 : 0;
      expect(() =>
        prepareFrontendAssets(build(source), {
          baseDir: work,
          file: FILE,
          run: failAt('node build.js'),
          log: () => {},
        }),
      ).toThrow(
        `${FILE}: frontend.build.command: \`node build.js\` failed in ${source} (exit code 2)`,
      );
      expect(() =>
        prepareFrontendAssets(build(source), {
          baseDir: work,
          file: FILE,
          run: failAt(INSTALL_COMMAND),
          log: () => {},
        }),
      ).toThrow(`${FILE}: frontend.build.sourceDir (install): \`${INSTALL_COMMAND}\` failed`);
      // A failed build leaves no stamp behind, even one that matched an earlier source state.
      mkdirSync(join(source, 'client', 'dist'), { recursive: true });
      writeFileSync(join(source, 'client', 'dist', BUILD_STAMP), 'earlier\n');
      expect(() =>
        prepareFrontendAssets(build(source), {
          baseDir: work,
          file: FILE,
          run: failAt('node build.js'),
          log: () => {},
        }),
      ).toThrow(FrontendAssetsError);
      expect(existsSync(join(source, 'client', 'dist', BUILD_STAMP))).toBe(false);
      rmSync(join(source, 'client', 'dist'), { recursive: true });
      // The build "succeeded" but wrote nothing: the output directory is named.
      expect(() =>
        prepareFrontendAssets(build(source), {
          baseDir: work,
          file: FILE,
          run: () => 0,
          log: () => {},
        }),
      ).toThrow(
        `${FILE}: frontend.build.outputDir: ${join(source, 'client', 'dist')} is not a directory`,
      );
      expect(existsSync(join(source, 'client', 'dist', BUILD_STAMP))).toBe(false);
    });

    it('names the inputs that are not in the source directory', () => {
      const source = join(work, 'LibreChat');
      fakeSource(source);
      const config = frontend(
        (f) =>
          (f.build = { sourceDir: source, command: 'node build.js', inputs: ['client', 'api'] }),
      );
      expect(config.build?.inputs).toEqual(['client', 'api']);
      expect(() => prepareFrontendAssets(config, { baseDir: work, file: FILE })).toThrow(
        `${FILE}: frontend.build.inputs: api not found in ${source}`,
      );
    });

    it('names sourceDir when it is missing or not an npm project', () => {
      expect(() => prepareFrontendAssets(build('missing'), { baseDir: work, file: FILE })).toThrow(
        `${FILE}: frontend.build.sourceDir: ${join(work, 'missing')} is not a directory`,
      );
      mkdirSync(join(work, 'bare'));
      expect(() => prepareFrontendAssets(build('bare'), { baseDir: work, file: FILE })).toThrow(
        `${FILE}: frontend.build.sourceDir: ${join(work, 'bare')} has no package.json`,
      );
    });
  });
});
