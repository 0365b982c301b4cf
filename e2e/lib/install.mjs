// Installs LibreChat (from LIBRECHAT_SOURCE: a `git archive` tarball or a checkout) and the
// MongoDB wire-protocol server into a cache directory, once; later runs reuse them. Each step
// leaves a marker file when it is complete, so an interrupted install resumes where it stopped.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  createReadStream,
  existsSync,
  mkdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { patchCongoDistinct } from './congo-patch.mjs';
import { log, timed } from './log.mjs';

// Bump when the recipe below changes, so old caches are not reused.
const RECIPE = 'r1';

// Versions LibreChat's lockfile names that the npm registry no longer serves, with a released
// sibling that has the same dependencies (checked against the registry at install time).
const SUBSTITUTES = { '@librechat/agents': { '3.0.52': '3.0.50' } };

// CongoDB (pure-JS MongoDB wire server) from @push.rocks/smartmongo 2.2.0: later versions need
// packages the registry does not have. Only what its congodb/ module imports is installed;
// smartmongo's own dependency list would pull mongodb-memory-server (a MongoDB download).
export const SMARTMONGO_VERSION = '2.2.0';
const CONGO_DEPS = [
  '@push.rocks/smartfs@1.5.0',
  '@push.rocks/smartpath@5.1.0',
  '@push.rocks/smartpromise@4.2.3',
  '@push.rocks/smartrx@3.0.10',
  'bson@6.10.4',
  'mingo@7.2.0',
];

export function cacheRoot() {
  return process.env.LIBRECHAT_E2E_CACHE || path.join(os.homedir(), '.cache', 'librechat-e2e');
}

function run(cmd, args, opts) {
  const logFile = opts.logFile;
  const r = spawnSync(cmd, args, {
    cwd: opts.cwd,
    env: { ...process.env, ...opts.env },
    encoding: 'utf8',
    maxBuffer: 512 * 1024 * 1024,
  });
  if (logFile) writeFileSync(logFile, `${r.stdout ?? ''}\n${r.stderr ?? ''}`, { flag: 'a' });
  if (r.status !== 0) {
    const out = `${r.stdout ?? ''}\n${r.stderr ?? ''}`.trim().split('\n').slice(-30).join('\n');
    throw new Error(
      `${cmd} ${args.join(' ')} (in ${opts.cwd}) failed with ${r.status ?? r.signal}:\n${out}`,
    );
  }
  return r.stdout;
}

async function sha256File(file) {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(file)) h.update(chunk);
  return h.digest('hex');
}

/** Where the source is and a key that changes whenever its content does. */
export async function describeSource(source) {
  if (!source) {
    throw new Error(
      'LIBRECHAT_SOURCE is not set: point it at a LibreChat checkout or a `git archive` tarball of a tag (see docs/e2e.md)',
    );
  }
  const abs = path.resolve(source);
  if (!existsSync(abs)) throw new Error(`LIBRECHAT_SOURCE=${source}: no such file or directory`);
  if (statSync(abs).isDirectory()) {
    if (!existsSync(path.join(abs, 'api', 'server', 'index.js'))) {
      throw new Error(
        `LIBRECHAT_SOURCE=${source}: not a LibreChat checkout (no api/server/index.js)`,
      );
    }
    const git = spawnSync('git', ['-C', abs, 'rev-parse', 'HEAD'], { encoding: 'utf8' });
    const id =
      git.status === 0
        ? git.stdout.trim()
        : createHash('sha256')
            .update(readFileSync(path.join(abs, 'package-lock.json')))
            .digest('hex');
    return { kind: 'dir', path: abs, key: id.slice(0, 16) };
  }
  if (!/\.(tar\.gz|tgz)$/.test(abs)) {
    throw new Error(`LIBRECHAT_SOURCE=${source}: expected a directory or a .tar.gz/.tgz archive`);
  }
  return { kind: 'tarball', path: abs, key: (await sha256File(abs)).slice(0, 16) };
}

function step(dir, name, fn) {
  const marker = path.join(dir, `.e2e-done-${name}`);
  if (existsSync(marker)) return false;
  fn();
  writeFileSync(marker, new Date().toISOString());
  return true;
}

function unpack(src, target) {
  rmSync(target, { recursive: true, force: true });
  mkdirSync(target, { recursive: true });
  if (src.kind === 'tarball') {
    run('tar', ['-xzf', src.path, '-C', target], { cwd: target });
    // A `git archive --prefix=x/` tarball has one top directory.
    if (!existsSync(path.join(target, 'package.json'))) {
      run(
        'sh',
        [
          '-c',
          'set -e; d=$(ls); [ "$(echo "$d" | wc -l)" = 1 ]; mv "$d"/* "$d"/.[!.]* . 2>/dev/null || true; rmdir "$d"',
        ],
        {
          cwd: target,
        },
      );
    }
  } else if (existsSync(path.join(src.path, '.git'))) {
    run('sh', ['-c', `git -C "${src.path}" archive HEAD | tar -x -C "${target}"`], { cwd: target });
  } else {
    run(
      'sh',
      ['-c', `tar -C "${src.path}" --exclude=node_modules -cf - . | tar -x -C "${target}"`],
      {
        cwd: target,
      },
    );
  }
  if (!existsSync(path.join(target, 'api', 'server', 'index.js'))) {
    throw new Error(`LIBRECHAT_SOURCE=${src.path}: no api/server/index.js after unpacking`);
  }
}

/** Re-points lockfile entries of versions the registry lacks to their substitutes. */
function substituteMissingVersions(lc, logFile) {
  const lockFile = path.join(lc, 'package-lock.json');
  const lock = JSON.parse(readFileSync(lockFile, 'utf8'));
  const manifests = ['package.json', 'api/package.json', 'packages/api/package.json'];
  for (const [name, versions] of Object.entries(SUBSTITUTES)) {
    for (const [missing, sub] of Object.entries(versions)) {
      const entries = Object.entries(lock.packages).filter(
        ([k, v]) =>
          (k === `node_modules/${name}` || k.endsWith(`/node_modules/${name}`)) &&
          v.version === missing,
      );
      if (entries.length === 0) continue;
      const have = spawnSync('npm', ['view', `${name}@${missing}`, 'version'], {
        encoding: 'utf8',
      });
      if (have.status === 0 && have.stdout.trim() === missing) continue;
      const info = JSON.parse(
        run('npm', ['view', `${name}@${sub}`, '--json', 'dist', 'dependencies', 'version'], {
          cwd: lc,
          logFile,
        }),
      );
      for (const [k, v] of entries) {
        const same =
          JSON.stringify(info.dependencies ?? {}) === JSON.stringify(v.dependencies ?? {});
        log(
          `lockfile: ${k} ${missing} -> ${sub} (not on the registry${same ? '; same dependencies' : '; DEPENDENCIES DIFFER'})`,
        );
        Object.assign(v, {
          version: info.version,
          resolved: info.dist.tarball,
          integrity: info.dist.integrity,
        });
      }
      for (const m of [...manifests, 'package-lock.json']) {
        const f = path.join(lc, m);
        if (!existsSync(f)) continue;
        const text =
          m === 'package-lock.json'
            ? JSON.stringify(lock, null, 2) + '\n'
            : readFileSync(f, 'utf8');
        writeFileSync(f, text.split(`"${name}": "^${missing}"`).join(`"${name}": "^${sub}"`));
      }
    }
  }
}

const QUIET_INSTALL_ENV = {
  PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '1',
  PUPPETEER_SKIP_DOWNLOAD: '1',
  MONGOMS_DISABLE_POSTINSTALL: '1',
  HUSKY: '0',
  CYPRESS_INSTALL_BINARY: '0',
};

/**
 * Installs LibreChat's server (and, with `client`, its built web client). Returns the paths.
 * The API server reads client/dist/index.html at start-up, so without the client build a
 * placeholder page stands in.
 */
export async function installLibreChat({ source, client }) {
  const src = await describeSource(source);
  const dir = path.join(cacheRoot(), `librechat-${src.key}-${RECIPE}`);
  const lc = path.join(dir, 'LibreChat');
  const logs = path.join(dir, 'install-logs');
  mkdirSync(logs, { recursive: true });
  const timings = {};
  log(`LibreChat from ${src.path} -> ${lc}`);
  timings.unpack = await timed('unpack', () => step(dir, 'unpack', () => unpack(src, lc)));
  timings.lockfile = await timed('lockfile substitutes', () =>
    step(dir, 'lockfile', () => substituteMissingVersions(lc, path.join(logs, 'lockfile.log'))),
  );
  // All workspaces: a workspace-filtered install misses hoisted dependencies.
  timings.npmCi = await timed('npm ci (LibreChat)', () =>
    step(dir, 'npm-ci', () =>
      run('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=warn'], {
        cwd: lc,
        env: QUIET_INSTALL_ENV,
        logFile: path.join(logs, 'npm-ci.log'),
      }),
    ),
  );
  for (const p of ['data-provider', 'data-schemas', 'api']) {
    timings[`build:${p}`] = await timed(`build packages/${p}`, () =>
      step(dir, `build-${p}`, () =>
        run('npm', ['run', 'build'], {
          cwd: path.join(lc, 'packages', p),
          logFile: path.join(logs, `build-${p}.log`),
        }),
      ),
    );
  }
  const indexHtml = path.join(lc, 'client', 'dist', 'index.html');
  if (client) {
    timings['build:client-package'] = await timed('build packages/client', () =>
      step(dir, 'build-client-package', () =>
        run('npm', ['run', 'build'], {
          cwd: path.join(lc, 'packages', 'client'),
          logFile: path.join(logs, 'build-client-package.log'),
        }),
      ),
    );
    timings['build:client'] = await timed('build client (vite)', () =>
      step(dir, 'build-client', () => {
        rmSync(path.join(lc, 'client', 'dist'), { recursive: true, force: true });
        run('npm', ['run', 'build'], {
          cwd: path.join(lc, 'client'),
          // vite's build of this client needs more than Node's default heap.
          env: { NODE_OPTIONS: '--max-old-space-size=6144' },
          logFile: path.join(logs, 'build-client.log'),
        });
      }),
    );
  } else if (!existsSync(indexHtml)) {
    mkdirSync(path.dirname(indexHtml), { recursive: true });
    writeFileSync(
      indexHtml,
      '<!DOCTYPE html><html lang="en-US"><head><base href="/"><title>LibreChat (API only)</title></head><body></body></html>\n',
    );
  }
  return { dir, lc, clientDist: path.join(lc, 'client', 'dist'), timings };
}

/** Installs CongoDB with the one fix LibreChat needs (see congo-patch.mjs). */
export async function installCongo() {
  const dir = path.join(cacheRoot(), `congo-${SMARTMONGO_VERSION}-${RECIPE}`);
  mkdirSync(dir, { recursive: true });
  const logFile = path.join(dir, 'install.log');
  await timed('install CongoDB', () =>
    step(dir, 'install', () => {
      writeFileSync(
        path.join(dir, 'package.json'),
        '{"name":"congo-runner","private":true,"type":"module"}\n',
      );
      run(
        'npm',
        ['install', '--no-audit', '--no-fund', '--loglevel=warn', '--save-exact', ...CONGO_DEPS],
        { cwd: dir, logFile },
      );
      const tgz = run('npm', ['pack', '--silent', `@push.rocks/smartmongo@${SMARTMONGO_VERSION}`], {
        cwd: dir,
        logFile,
      }).trim();
      const target = path.join(dir, 'node_modules', '@push.rocks', 'smartmongo');
      rmSync(target, { recursive: true, force: true });
      mkdirSync(target, { recursive: true });
      run('tar', ['-xzf', tgz, '-C', target, '--strip-components=1'], { cwd: dir });
      rmSync(path.join(dir, tgz), { force: true });
      patchCongoDistinct(target);
    }),
  );
  return {
    dir,
    entry: path.join(
      dir,
      'node_modules',
      '@push.rocks',
      'smartmongo',
      'dist_ts',
      'congodb',
      'index.js',
    ),
  };
}
