import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, lstatSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import { contentType } from 'mime-types';
import type { FrontendConfig } from '../config/schema';
import { directoryFiles, directoryHash } from '../core/directory-hash';
import { portableRelativePath } from '../core/names';

// Turns the configured web client (a prebuilt dist, or a LibreChat checkout to build) into the
// list of files to publish. It runs before the stack is built (main.ts), so constructs only ever
// receive this typed list and never touch the file system or run a build themselves.

/** Browsers and CloudFront may keep a content-hashed file forever: its name changes with it. */
export const IMMUTABLE = 'public, max-age=31536000, immutable';
/** Entry files (index.html, sw.js, manifest) keep their name: always revalidate. */
export const NO_CACHE = 'no-cache';
/** Records, inside the dist, the source hash it was built from; never published. */
export const BUILD_STAMP = '.librechat-source-hash';
/** The install step before the configured build command. */
export const INSTALL_COMMAND = 'npm ci --no-audit --no-fund';

/** One file of the dist, as it is published. */
export interface FrontendAssetFile {
  /** Object key: the path inside the dist, with `/`. */
  readonly key: string;
  /** Absolute path of the file. */
  readonly source: string;
  readonly contentType: string;
  readonly cacheControl: string;
  /** MD5 of the content (hex): a changed file is uploaded again. */
  readonly sourceHash: string;
}

/** What will be published, and where it came from. */
export interface FrontendAssetManifest {
  readonly distDir: string;
  /** `prebuilt`: distDir from the config; `built`/`up-to-date`: built from source this run or before. */
  readonly origin: 'prebuilt' | 'built' | 'up-to-date';
  readonly files: readonly FrontendAssetFile[];
}

/** A configured frontend that cannot be published; the message names file, field and path. */
export class FrontendAssetsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FrontendAssetsError';
  }
}

// Dot-form `name.<hash>.ext` (LibreChat's Vite config, webpack): 8-64 base64url characters that
// are neither a single-case word (`jquery.validate.js`) nor a number such as a date. Dash-form `name-<hash>.ext` (Vite's default,
// workbox): exactly 8 characters with a digit and an uppercase letter, or 8+ hex digits with a
// letter and a digit, so `Inter-SemiBold.woff2` or `icon-192x192.png` stay revalidated. An
// unrecognized hash only costs a revalidation; a wrong `immutable` would pin a stale file.
const DOT_HASH = /\.([A-Za-z0-9_-]{8,64})\.[A-Za-z0-9]+$/;
const DASH_HASH = /-([A-Za-z0-9_-]{8})\.[A-Za-z0-9]+$/;
const DASH_HEX = /-([0-9a-f]{8,64})\.[A-Za-z0-9]+$/;
const SUFFIXES = /\.(gz|br|map)$/;

/** Whether a dist path carries a content hash in its file name. */
export function isContentHashed(path: string): boolean {
  const name = path.slice(path.lastIndexOf('/') + 1).replace(SUFFIXES, '');
  const dot = DOT_HASH.exec(name)?.[1];
  if (dot && !/^[a-z_-]+$/.test(dot) && !/^[A-Z_-]+$/.test(dot) && !/^\d+$/.test(dot)) {
    return true;
  }
  const dash = DASH_HASH.exec(name)?.[1];
  if (dash && /\d/.test(dash) && /[A-Z]/.test(dash)) return true;
  const hex = DASH_HEX.exec(name)?.[1];
  return hex !== undefined && /\d/.test(hex) && /[a-f]/.test(hex);
}

/** Cache-Control of a published file. */
export function cacheControlFor(path: string): string {
  return isContentHashed(path) ? IMMUTABLE : NO_CACHE;
}

/** Content-Type from the mime-types database, with `charset=utf-8` on text types. */
export function contentTypeFor(path: string): string {
  return contentType(path.slice(path.lastIndexOf('/') + 1)) || 'application/octet-stream';
}

const md5 = (data: Buffer | string) => createHash('md5').update(data).digest('hex');

/**
 * What is published beyond the client's own files; each is left out unless asked for. Dotfiles
 * (`.env`, `.git/`, editor files) and source maps give away secrets or source; a symlink may
 * point anywhere on the machine that runs the deploy.
 */
export interface PublishOptions {
  readonly dotfiles?: boolean;
  readonly sourceMaps?: boolean;
  readonly symlinks?: boolean;
}

/** Why a dist path is not published under `options`, or undefined when it is. */
export function unpublishedReason(
  rel: string,
  isSymlink: boolean,
  options: PublishOptions = {},
): string | undefined {
  if (rel === BUILD_STAMP) return 'build stamp';
  if (!options.dotfiles && rel.split('/').some((segment) => segment.startsWith('.'))) {
    return 'dotfile';
  }
  if (!options.sourceMaps && /\.map$/i.test(rel)) return 'source map';
  if (!options.symlinks && isSymlink) return 'symlink';
  return undefined;
}

/** Every file of a built client, with its key, Content-Type, Cache-Control and hash. */
export function readAssetManifest(
  distDir: string,
  options: PublishOptions = {},
): FrontendAssetFile[] {
  const skip = (rel: string) =>
    unpublishedReason(
      rel,
      lstatSync(join(distDir, ...rel.split('/'))).isSymbolicLink(),
      options,
    ) !== undefined;
  return directoryFiles(distDir, { skip }).flatMap((key) => {
    const source = join(distDir, ...key.split('/'));
    if (!statSync(source).isFile()) return [];
    return [
      {
        key,
        source,
        contentType: contentTypeFor(key),
        cacheControl: cacheControlFor(key),
        sourceHash: md5(readFileSync(source)),
      },
    ];
  });
}

// Build outputs and installed packages are not sources: hashing them would make every build
// look like a source change (LibreChat also writes packages/*/dist).
const NOT_SOURCE = new Set([
  'node_modules',
  '.git',
  'dist',
  'coverage',
  '.turbo',
  '.cache',
  '.vite',
]);

/**
 * Hash of the build's inputs (files and directories relative to `sourceDir`): relative paths and
 * contents, with node_modules, build outputs and `outputDir` left out.
 */
export function sourceHash(
  sourceDir: string,
  outputDir: string,
  inputs: readonly string[],
): string {
  const outputRel = portableRelativePath(sourceDir, outputDir);
  const roots = inputs.map((i) => i.split(sep).join('/').replace(/\/+$/, ''));
  const inInput = (rel: string) => roots.some((root) => rel === root || rel.startsWith(`${root}/`));
  const aboveInput = (rel: string) => roots.some((root) => root.startsWith(`${rel}/`));
  const skip = (rel: string, isDir: boolean) => {
    if (rel === outputRel) return true;
    if (!isDir) return !inInput(rel);
    if (aboveInput(rel)) return false;
    return (
      !inInput(rel) || (!roots.includes(rel) && NOT_SOURCE.has(rel.slice(rel.lastIndexOf('/') + 1)))
    );
  };
  return directoryHash(sourceDir, { skip });
}

/** Runs a shell command in `cwd`; returns its exit status (null if it could not run). */
export type CommandRunner = (command: string, cwd: string) => number | null;

// npm's output goes to stderr: the build is progress for the operator, not app output.
const runCommand: CommandRunner = (command, cwd) =>
  spawnSync(command, { cwd, shell: true, stdio: ['ignore', 2, 2] }).status;

export interface PrepareFrontendAssetsOptions {
  /** Directory relative paths resolve against: the environment file's directory. */
  readonly baseDir: string;
  /** The environment file, for messages (e.g. `config/dev.json`). */
  readonly file: string;
  /** Runs the install and build commands (tests pass their own). */
  readonly run?: CommandRunner;
  /** Progress lines (default: stderr). */
  readonly log?: (line: string) => void;
}

function requireDir(path: string, what: string): void {
  if (!existsSync(path) || !statSync(path).isDirectory()) {
    throw new FrontendAssetsError(`${what}: ${path} is not a directory`);
  }
}

function requireIndexHtml(distDir: string, what: string): void {
  if (!existsSync(join(distDir, 'index.html'))) {
    throw new FrontendAssetsError(
      `${what}: ${distDir} has no index.html (expected the built LibreChat client)`,
    );
  }
}

/**
 * The files to publish for an environment's `frontend` section, or undefined when it names none.
 * With `build`, runs `npm ci` and the build command in the source directory, but only when the
 * source hash differs from the one recorded in the dist by the last successful build.
 */
export function prepareFrontendAssets(
  frontend: FrontendConfig,
  options: PrepareFrontendAssetsOptions,
): FrontendAssetManifest | undefined {
  const { baseDir, file } = options;
  if (frontend.distDir !== undefined) {
    const distDir = resolve(baseDir, frontend.distDir);
    requireDir(distDir, `${file}: frontend.distDir`);
    requireIndexHtml(distDir, `${file}: frontend.distDir`);
    return {
      distDir,
      origin: 'prebuilt',
      files: readAssetManifest(distDir, frontend.publish),
    };
  }
  if (frontend.build === undefined) return undefined;

  const run = options.run ?? runCommand;
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const sourceDir = resolve(baseDir, frontend.build.sourceDir);
  requireDir(sourceDir, `${file}: frontend.build.sourceDir`);
  if (!existsSync(join(sourceDir, 'package.json'))) {
    throw new FrontendAssetsError(
      `${file}: frontend.build.sourceDir: ${sourceDir} has no package.json (expected a LibreChat checkout)`,
    );
  }
  const distDir = resolve(sourceDir, frontend.build.outputDir);
  const { inputs } = frontend.build;
  const missing = inputs.filter((input) => !existsSync(join(sourceDir, input)));
  if (missing.length > 0) {
    throw new FrontendAssetsError(
      `${file}: frontend.build.inputs: ${missing.join(', ')} not found in ${sourceDir}`,
    );
  }
  const stamp = join(distDir, BUILD_STAMP);
  const before = sourceHash(sourceDir, distDir, inputs);
  const built = existsSync(stamp) ? readFileSync(stamp, 'utf8').trim() : undefined;
  if (built === before && existsSync(join(distDir, 'index.html'))) {
    return {
      distDir,
      origin: 'up-to-date',
      files: readAssetManifest(distDir, frontend.publish),
    };
  }

  log(
    `frontend: building the LibreChat client in ${sourceDir} (${built === undefined ? 'no earlier build recorded' : 'sources changed'})`,
  );
  // Until this build succeeds, the dist matches no source state.
  rmSync(stamp, { force: true });
  for (const [field, command] of [
    ['frontend.build.sourceDir (install)', INSTALL_COMMAND],
    ['frontend.build.command', frontend.build.command],
  ] as const) {
    const status = run(command, sourceDir);
    if (status !== 0) {
      throw new FrontendAssetsError(
        `${file}: ${field}: \`${command}\` failed in ${sourceDir} (${status === null ? 'could not run' : `exit code ${status}`})`,
      );
    }
  }
  requireDir(distDir, `${file}: frontend.build.outputDir`);
  requireIndexHtml(distDir, `${file}: frontend.build.outputDir`);
  // Recorded after the build, so files the build itself generates do not trigger the next one.
  writeFileSync(stamp, `${sourceHash(sourceDir, distDir, inputs)}\n`);
  return {
    distDir,
    origin: 'built',
    files: readAssetManifest(distDir, frontend.publish),
  };
}
