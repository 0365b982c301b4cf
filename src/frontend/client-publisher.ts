import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  accessSync,
  constants,
  cpSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import {
  BUILD_STAMP,
  IMMUTABLE,
  readAssetManifest,
  type FrontendAssetFile,
  type PublishOptions,
} from './asset-manifest';
import { injectStopRelay, stopRelayScript } from './stop-relay';

// Publishes the web client to the frontend bucket on deploy (terraform_data local-exec, see
// ClientPublication). One path for every source: the LibreChat image's /app/client/dist (copied
// out with `docker create` + `docker cp`, nothing is run), or a directory on this machine (a
// prebuilt dist or one built by synth). The AWS CLI uploads; nothing here runs at synth time.

/** Where the LibreChat image keeps its built client. */
export const CLIENT_DIST_IN_IMAGE = '/app/client/dist';
/** The keys of the last publish, so the one after it can remove what neither release uses. */
export const RELEASE_RECORD_KEY = '_publish/release.json';
/** The entry file: uploaded last, once everything it references is in place. */
export const ENTRY_FILE = 'index.html';

/** Where the client comes from. */
export type ClientSource =
  { readonly image: string; readonly platform: string } | { readonly distDir: string };

export interface PublishClientOptions {
  readonly bucket: string;
  readonly region: string;
  readonly source: ClientSource;
  /** What is published beyond the client's own files (dotfiles, source maps, symlinks). */
  readonly publishOptions?: PublishOptions;
  /** Environment of the docker and aws processes (PATH finds them). @default process.env */
  readonly env?: NodeJS.ProcessEnv;
  /** Progress lines. @default stdout */
  readonly log?: (line: string) => void;
}

/** A publish that cannot go on; the message says what is missing or which command failed. */
export class PublishError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PublishError';
  }
}

/**
 * The one place the published client is changed before upload (the staging copy, never the
 * source): index.html loads the stop relay script first (docs/stop-button.md), published beside
 * it under a content-hashed name.
 */
export function prepareStagedClient(stagingDir: string): void {
  const script = stopRelayScript();
  writeFileSync(join(stagingDir, script.key), script.content);
  const index = join(stagingDir, ENTRY_FILE);
  writeFileSync(index, injectStopRelay(readFileSync(index, 'utf8'), script.key));
}

/** Files uploaded together: same Content-Type and Cache-Control. */
export interface UploadGroup {
  readonly contentType: string;
  readonly cacheControl: string;
  readonly keys: readonly string[];
}

/**
 * Upload order: the content-hashed assets first, then the revalidated entry files, index.html
 * last of all, so no published entry ever references an asset that is not there yet.
 */
export function uploadGroups(files: readonly FrontendAssetFile[]): UploadGroup[] {
  const rank = (f: FrontendAssetFile) =>
    f.key === ENTRY_FILE ? 2 : f.cacheControl === IMMUTABLE ? 0 : 1;
  const groups = new Map<string, UploadGroup & { keys: string[]; rank: number }>();
  for (const file of files) {
    const id = `${rank(file)}\0${file.contentType}\0${file.cacheControl}`;
    const group = groups.get(id) ?? {
      rank: rank(file),
      contentType: file.contentType,
      cacheControl: file.cacheControl,
      keys: [],
    };
    group.keys.push(file.key);
    groups.set(id, group);
  }
  return [...groups.entries()]
    .sort(([a, x], [b, y]) => x.rank - y.rank || (a < b ? -1 : a > b ? 1 : 0))
    .map(([, { contentType, cacheControl, keys }]) => ({ contentType, cacheControl, keys }));
}

/** What a publish removes: objects neither this release nor the previous one uses. */
export function staleKeys(
  existing: readonly string[],
  release: readonly string[],
  previous: readonly string[],
): string[] {
  const keep = new Set([...release, ...previous, RELEASE_RECORD_KEY]);
  return existing.filter((key) => !keep.has(key));
}

// An exact path as an AWS CLI --include pattern (fnmatch: *, ? and [ are special).
const exactPattern = (key: string) => key.replace(/[*?[]/g, (c) => `[${c}]`);

function onPath(command: string, env: NodeJS.ProcessEnv): boolean {
  return (env.PATH ?? '').split(delimiter).some((dir) => {
    try {
      accessSync(join(dir, command), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

/** Copies the client into a fresh staging directory, publishes it, and removes the staging copy. */
export function publishClient(options: PublishClientOptions): void {
  const env = options.env ?? process.env;
  const log = options.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  const { bucket, region, source } = options;
  const fromImage = 'image' in source;
  if (fromImage && !onPath('docker', env)) {
    throw new PublishError(
      'docker is not installed or not on the PATH (needed to copy the web client out of the LibreChat image)',
    );
  }
  if (!onPath('aws', env)) {
    throw new PublishError(
      'the AWS CLI (aws) is not installed or not on the PATH (needed to upload the web client)',
    );
  }

  const run = (command: string, args: string[]): string => {
    const result = spawnSync(command, args, { env, encoding: 'utf8', maxBuffer: 256 << 20 });
    if (result.status !== 0) {
      const detail = (result.stderr || result.error?.message || '').trim();
      throw new PublishError(
        `\`${command} ${args.slice(0, 3).join(' ')}\` failed (${result.status === null ? 'could not run' : `exit code ${result.status}`})${detail ? `: ${detail}` : ''}`,
      );
    }
    return result.stdout;
  };
  const aws = (...args: string[]) => run('aws', [...args, '--region', region]);

  const work = mkdtempSync(join(tmpdir(), 'librechat-client-'));
  try {
    const staged = join(work, 'dist');
    if ('image' in source) {
      log(`publish-client: copying ${CLIENT_DIST_IN_IMAGE} out of ${source.image}`);
      const container = run('docker', ['create', '--platform', source.platform, source.image])
        .trim()
        .split('\n')
        .pop()!;
      try {
        run('docker', ['cp', `${container}:${CLIENT_DIST_IN_IMAGE}`, staged]);
      } finally {
        // Best effort: a failed removal must not hide why the copy failed.
        if (spawnSync('docker', ['rm', container], { env }).status !== 0) {
          log(`publish-client: could not remove container ${container} (docker rm ${container})`);
        }
      }
    } else {
      if (!existsSync(source.distDir)) {
        throw new PublishError(`${source.distDir} does not exist (run cdktf synth again)`);
      }
      cpSync(source.distDir, staged, { recursive: true });
      rmSync(join(staged, BUILD_STAMP), { force: true });
    }
    if (!existsSync(join(staged, ENTRY_FILE))) {
      throw new PublishError(
        `the client from ${'image' in source ? `${source.image}:${CLIENT_DIST_IN_IMAGE}` : source.distDir} has no ${ENTRY_FILE}`,
      );
    }
    prepareStagedClient(staged);
    const files = readAssetManifest(staged, options.publishOptions);
    const release = files.map((f) => f.key);

    const listed = aws(
      's3api',
      'list-objects-v2',
      '--bucket',
      bucket,
      '--query',
      'Contents[].Key',
      '--output',
      'json',
    );
    const existing = (JSON.parse(listed.trim() || 'null') as string[] | null) ?? [];
    // Without a record (first publish, or a bucket published another way) everything present
    // counts as the previous release: nothing is removed this time.
    let previous = existing;
    if (existing.includes(RELEASE_RECORD_KEY)) {
      const recordFile = join(work, 'previous-release.json');
      aws('s3', 'cp', `s3://${bucket}/${RELEASE_RECORD_KEY}`, recordFile, '--only-show-errors');
      previous = readRecord(recordFile);
    }

    for (const group of uploadGroups(files)) {
      log(
        `publish-client: uploading ${group.keys.length} file(s) as ${group.contentType}, ${group.cacheControl}`,
      );
      aws(
        's3',
        'cp',
        staged,
        `s3://${bucket}/`,
        '--recursive',
        '--exclude',
        '*',
        ...group.keys.flatMap((key) => ['--include', exactPattern(key)]),
        '--content-type',
        group.contentType,
        '--cache-control',
        group.cacheControl,
        '--only-show-errors',
      );
    }

    const record = join(work, 'release.json');
    writeFileSync(record, `${JSON.stringify({ keys: release }, null, 2)}\n`);
    aws(
      's3',
      'cp',
      record,
      `s3://${bucket}/${RELEASE_RECORD_KEY}`,
      '--content-type',
      'application/json',
      '--cache-control',
      'no-cache',
      '--only-show-errors',
    );

    const stale = staleKeys(existing, release, previous);
    for (let i = 0; i < stale.length; i += 1000) {
      const batch = join(work, `delete-${i}.json`);
      writeFileSync(
        batch,
        JSON.stringify({ Objects: stale.slice(i, i + 1000).map((Key) => ({ Key })), Quiet: true }),
      );
      aws('s3api', 'delete-objects', '--bucket', bucket, '--delete', `file://${batch}`);
    }
    log(
      `publish-client: published ${files.length} files to s3://${bucket}, removed ${stale.length} left from older releases`,
    );
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function readRecord(file: string): string[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    parsed = undefined;
  }
  const keys = (parsed as { keys?: unknown } | undefined)?.keys;
  if (!Array.isArray(keys) || !keys.every((k) => typeof k === 'string')) {
    throw new PublishError(
      `${RELEASE_RECORD_KEY} in the bucket is not a release record ({"keys": [...]}): delete it to start afresh`,
    );
  }
  return keys;
}

/** The content of a dist as one hash (publishing trigger of a directory source). */
export function distContentHash(files: readonly FrontendAssetFile[]): string {
  const hash = createHash('sha256');
  for (const f of files) {
    hash.update(`${f.key}\0${f.sourceHash}\0${f.contentType}\0${f.cacheControl}\n`);
  }
  return hash.digest('hex');
}

/** Variables the stack gives the publish command (ClientPublication). */
export const PUBLISH_ENV = {
  bucket: 'PUBLISH_BUCKET',
  region: 'PUBLISH_REGION',
  image: 'SOURCE_IMAGE',
  platform: 'SOURCE_PLATFORM',
  distDir: 'SOURCE_DIR',
  /** JSON of `PublishOptions` (frontend.publish). */
  publishOptions: 'PUBLISH_OPTIONS',
} as const;

/** The command's entry point: options from the environment, errors as one line on stderr. */
export function publishClientCommand(env: NodeJS.ProcessEnv = process.env): number {
  try {
    const value = (name: string) => {
      const v = env[name]?.trim();
      if (!v) throw new PublishError(`environment variable ${name} is not set (the stack sets it)`);
      return v;
    };
    const source: ClientSource = env[PUBLISH_ENV.image]
      ? { image: value(PUBLISH_ENV.image), platform: value(PUBLISH_ENV.platform) }
      : { distDir: value(PUBLISH_ENV.distDir) };
    let publishOptions: PublishOptions | undefined;
    try {
      publishOptions = JSON.parse(env[PUBLISH_ENV.publishOptions] ?? '{}') as PublishOptions;
    } catch {
      throw new PublishError(`${PUBLISH_ENV.publishOptions} is not JSON (the stack sets it)`);
    }
    publishClient({
      bucket: value(PUBLISH_ENV.bucket),
      region: value(PUBLISH_ENV.region),
      source,
      publishOptions,
      env,
    });
    return 0;
  } catch (e) {
    if (e instanceof PublishError) {
      process.stderr.write(`publish-client: ${e.message}\n`);
      return 1;
    }
    throw e;
  }
}
