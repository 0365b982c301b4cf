import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  buildContextFiles,
  handlerImageBuild,
  imageSourceHash,
} from '../../src/backend/image-source-hash';
import { REPO_ROOT } from '../helpers/config';
import { FIXTURE_HANDLER_DIR } from '../helpers/synth';

describe('imageSourceHash', () => {
  let dir: string;
  beforeEach(() => {
    dir = join(mkdtempSync(join(tmpdir(), 'image-hash-')), 'handler');
    cpSync(FIXTURE_HANDLER_DIR, dir, { recursive: true });
  });
  afterEach(() => rmSync(join(dir, '..'), { recursive: true, force: true }));

  it('is a sha256 hex digest, equal for equal content wherever it lives', () => {
    const hash = imageSourceHash(dir, { baseImage: 'b' });
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(imageSourceHash(FIXTURE_HANDLER_DIR, { baseImage: 'b' })).toBe(hash);
  });

  it('changes when a source file, the Dockerfile, a file name or a new file changes', () => {
    const before = imageSourceHash(dir);
    writeFileSync(join(dir, 'src', 'index.js'), "export const handler = () => 'changed';\n");
    const afterSource = imageSourceHash(dir);
    expect(afterSource).not.toBe(before);
    writeFileSync(join(dir, 'Dockerfile'), 'FROM scratch\n');
    const afterDockerfile = imageSourceHash(dir);
    expect(afterDockerfile).not.toBe(afterSource);
    writeFileSync(join(dir, 'src', 'extra.js'), '');
    expect(imageSourceHash(dir)).not.toBe(afterDockerfile);
  });

  it('changes with the base image and the platform', () => {
    const base = imageSourceHash(dir, { baseImage: 'a:1', platform: 'linux/amd64' });
    expect(imageSourceHash(dir, { baseImage: 'a:2', platform: 'linux/amd64' })).not.toBe(base);
    expect(imageSourceHash(dir, { baseImage: 'a:1', platform: 'linux/arm64' })).not.toBe(base);
  });

  it('ignores node_modules, and whatever the .dockerignore keeps out of the build context', () => {
    const before = imageSourceHash(dir);
    for (const ignored of [
      'node_modules/pkg',
      'dist',
      'src/node_modules',
      'build-test/test',
      'test',
    ]) {
      mkdirSync(join(dir, ignored), { recursive: true });
      writeFileSync(join(dir, ignored, 'index.js'), 'generated');
    }
    writeFileSync(join(dir, 'README.md'), 'docs only');
    expect(imageSourceHash(dir)).toBe(before);
    expect(buildContextFiles(dir)).toEqual(['.dockerignore', 'Dockerfile', 'src/index.js']);
  });

  it('counts files the .dockerignore does not exclude, and the .dockerignore itself', () => {
    const before = imageSourceHash(dir);
    writeFileSync(join(dir, 'package.json'), '{}');
    const withPackage = imageSourceHash(dir);
    expect(withPackage).not.toBe(before);
    writeFileSync(join(dir, '.dockerignore'), 'dist\n');
    expect(imageSourceHash(dir)).not.toBe(withPackage);
  });

  it('rejects a missing directory with its path', () => {
    expect(() => imageSourceHash(join(dir, 'missing'))).toThrow(
      `image build context ${join(dir, 'missing')} is not a directory`,
    );
  });
});

describe('handlerImageBuild', () => {
  let repo: string;
  beforeEach(() => {
    repo = mkdtempSync(join(tmpdir(), 'repo-'));
    cpSync(FIXTURE_HANDLER_DIR, join(repo, 'handler'), { recursive: true });
  });
  afterEach(() => rmSync(repo, { recursive: true, force: true }));

  const optionsFor = (repo: string, architecture: 'x86_64' | 'arm64' = 'x86_64') => ({
    handlerDir: join(repo, 'handler'),
    stackDir: join(repo, 'cdktf.out', 'stacks', 'dev'),
    pushScript: join(repo, 'scripts', 'push-image.sh'),
    baseImage: 'ghcr.io/danny-avila/librechat-api:v0.8.2-rc1',
    architecture,
  });

  it('passes the base image as LIBRECHAT_IMAGE and paths relative to the stack directory', () => {
    const build = handlerImageBuild(optionsFor(repo));
    expect(build).toEqual({
      sourceHash: imageSourceHash(join(repo, 'handler'), {
        baseImage: 'ghcr.io/danny-avila/librechat-api:v0.8.2-rc1',
        platform: 'linux/amd64',
        dockerfile: 'Dockerfile',
      }),
      contextDir: '../../../handler',
      dockerfile: 'Dockerfile',
      pushScript: '../../../scripts/push-image.sh',
      buildArgs: { LIBRECHAT_IMAGE: 'ghcr.io/danny-avila/librechat-api:v0.8.2-rc1' },
    });
  });

  it('hashes an arm64 image differently from an x86_64 one', () => {
    expect(handlerImageBuild(optionsFor(repo, 'arm64')).sourceHash).not.toBe(
      handlerImageBuild(optionsFor(repo)).sourceHash,
    );
  });

  it('names the missing Dockerfile and the way out (a prebuilt image)', () => {
    rmSync(join(repo, 'handler', 'Dockerfile'));
    expect(() => handlerImageBuild(optionsFor(repo))).toThrow(
      `${join(repo, 'handler')}/Dockerfile not found`,
    );
    expect(() => handlerImageBuild(optionsFor(repo))).toThrow('librechat.image.prebuiltImageUri');
  });
});

describe('the contract with handler/Dockerfile', () => {
  it('declares every build argument the stack passes', () => {
    const dockerfile = readFileSync(join(REPO_ROOT, 'handler', 'Dockerfile'), 'utf8');
    const declared = [...dockerfile.matchAll(/^ARG\s+([A-Z_][A-Z0-9_]*)/gm)].map((m) => m[1]);
    const build = handlerImageBuild({
      handlerDir: join(REPO_ROOT, 'handler'),
      stackDir: join(REPO_ROOT, 'cdktf.out', 'stacks', 'dev'),
      pushScript: join(REPO_ROOT, 'scripts', 'push-image.sh'),
      baseImage: 'ghcr.io/danny-avila/librechat-api:v0.8.2-rc1',
      architecture: 'x86_64',
    });
    for (const name of Object.keys(build.buildArgs ?? {})) expect(declared).toContain(name);
    expect(Object.keys(build.buildArgs ?? {})).toEqual(['LIBRECHAT_IMAGE']);
    const withChecksum = handlerImageBuild({
      handlerDir: join(REPO_ROOT, 'handler'),
      stackDir: join(REPO_ROOT, 'cdktf.out', 'stacks', 'dev'),
      pushScript: join(REPO_ROOT, 'scripts', 'push-image.sh'),
      baseImage: 'ghcr.io/danny-avila/librechat-api:v0.8.2-rc1',
      architecture: 'x86_64',
      rdsCaBundleSha256: 'c'.repeat(64),
    });
    for (const name of Object.keys(withChecksum.buildArgs ?? {})) expect(declared).toContain(name);
    expect(withChecksum.buildArgs?.RDS_CA_BUNDLE_SHA256).toBe('c'.repeat(64));
  });

  it('pins its frontend and checks the downloaded RDS CA bundle', () => {
    const dockerfile = readFileSync(join(REPO_ROOT, 'handler', 'Dockerfile'), 'utf8');
    const syntax = dockerfile.split('\n')[0];
    // A `# syntax` line naming a floating tag (docker/dockerfile:1) would change under the build.
    expect(syntax).toMatch(/^# syntax=docker\/dockerfile:\d+\.\d+\.\d+@sha256:[0-9a-f]{64}$/);
    expect(dockerfile).toMatch(
      /^ADD --checksum=sha256:\$\{RDS_CA_BUNDLE_SHA256\} \$\{RDS_CA_BUNDLE_URL\} \/opt\/aws\/rds-global-bundle\.pem$/m,
    );
    // No default: the checksum must come from the config, never from a guess.
    expect(dockerfile).toMatch(/^ARG RDS_CA_BUNDLE_SHA256$/m);
    expect(dockerfile.match(/^ADD /gm)).toHaveLength(1);
  });
});

describe('the base image digest', () => {
  const DIGEST = `sha256:${'d'.repeat(64)}`;
  const OTHER = `sha256:${'e'.repeat(64)}`;
  const options = (change: Record<string, unknown> = {}) => ({
    handlerDir: FIXTURE_HANDLER_DIR,
    stackDir: join(REPO_ROOT, 'cdktf.out', 'stacks', 'dev'),
    pushScript: join(REPO_ROOT, 'scripts', 'push-image.sh'),
    baseImage: 'ghcr.io/danny-avila/librechat-api:v0.8.2-rc1',
    architecture: 'x86_64' as const,
    ...change,
  });

  it('is part of the hash (a re-tagged upstream image rebuilds) and what the build pulls', () => {
    const a = handlerImageBuild(options({ baseImageDigest: DIGEST }));
    const b = handlerImageBuild(options({ baseImageDigest: OTHER }));
    const none = handlerImageBuild(options());
    expect(new Set([a.sourceHash, b.sourceHash, none.sourceHash]).size).toBe(3);
    expect(a.buildArgs?.LIBRECHAT_IMAGE).toBe(
      `ghcr.io/danny-avila/librechat-api:v0.8.2-rc1@${DIGEST}`,
    );
  });

  it('accepts a base image pinned with @sha256: as it is, and refuses a conflicting digest', () => {
    const pinned = `ghcr.io/danny-avila/librechat-api:v0.8.2-rc1@${DIGEST}`;
    const build = handlerImageBuild(options({ baseImage: pinned }));
    expect(build.buildArgs?.LIBRECHAT_IMAGE).toBe(pinned);
    expect(handlerImageBuild(options({ baseImage: pinned, baseImageDigest: DIGEST }))).toEqual(
      build,
    );
    expect(() => handlerImageBuild(options({ baseImage: pinned, baseImageDigest: OTHER }))).toThrow(
      /is pinned to sha256:d+, but sha256:e+ was resolved/,
    );
  });

  it('puts the RDS CA bundle checksum into the hash', () => {
    expect(handlerImageBuild(options({ rdsCaBundleSha256: 'a'.repeat(64) })).sourceHash).not.toBe(
      handlerImageBuild(options({ rdsCaBundleSha256: 'b'.repeat(64) })).sourceHash,
    );
  });
});
