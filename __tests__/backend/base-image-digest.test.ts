import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pinnedDigest, resolveImageDigest } from '../../src/backend/base-image-digest';

// A stand-in for the docker CLI that records its arguments and answers like
// `docker buildx imagetools inspect --format '{{json .Manifest}}'` (no Docker engine here).
describe('resolveImageDigest', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'digest-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function fakeDocker(body: string): string {
    const path = join(dir, 'docker');
    writeFileSync(path, `#!/usr/bin/bash\necho "$*" > "${dir}/args"\n${body}\n`);
    chmodSync(path, 0o755);
    return path;
  }
  const DIGEST = `sha256:${'1a'.repeat(32)}`;

  it("asks the registry for the reference's manifest and returns its digest", () => {
    const docker = fakeDocker(
      `echo '{"mediaType":"application/vnd.oci.image.index.v1+json","digest":"${DIGEST}","size":1609}'`,
    );
    expect(resolveImageDigest('ghcr.io/danny-avila/librechat-api:v0.8.2-rc1', { docker })).toEqual({
      digest: DIGEST,
    });
    expect(readFileSync(join(dir, 'args'), 'utf8').trim()).toBe(
      'buildx imagetools inspect ghcr.io/danny-avila/librechat-api:v0.8.2-rc1 --format {{json .Manifest}}',
    );
  });

  it('returns a pinned reference as it is, without asking', () => {
    const docker = fakeDocker('exit 9');
    expect(resolveImageDigest(`ghcr.io/x/y:v1@${DIGEST}`, { docker })).toEqual({ digest: DIGEST });
    expect(pinnedDigest(`ghcr.io/x/y@${DIGEST}`)).toBe(DIGEST);
    expect(pinnedDigest('ghcr.io/x/y:v1')).toBeUndefined();
  });

  it('reports why it could not resolve: no docker, a failing registry call, a strange answer', () => {
    expect(resolveImageDigest('a/b:c', { docker: join(dir, 'missing') }).problem).toMatch(
      /could not run docker \(ENOENT\)/,
    );
    const failing = fakeDocker('echo "ERROR: failed to resolve: not found" >&2; exit 1');
    expect(resolveImageDigest('a/b:c', { docker: failing }).problem).toBe(
      'docker buildx imagetools inspect failed (exit 1): ERROR: failed to resolve: not found',
    );
    const strange = fakeDocker('echo not-json');
    expect(resolveImageDigest('a/b:c', { docker: strange }).problem).toMatch(/unexpected answer/);
  });
});
