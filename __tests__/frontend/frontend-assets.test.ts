import { cpSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import {
  NO_CACHE,
  readAssetManifest,
  type FrontendAssetFile,
} from '../../src/frontend/asset-manifest';
import { FrontendAssets } from '../../src/frontend/frontend-assets';
import { TerraformStack, Testing } from 'cdktf';
import { resourcesOf, synthScope } from '../helpers/synth';
import { FIXTURE_DIST, FIXTURE_DIST_EXPECTED } from './fixtures/client-dist';

const BUCKET = '${module.frontend-bucket.s3_bucket_id}';

function synthAssets(files: readonly FrontendAssetFile[]) {
  const json = synthScope((scope) => {
    new FrontendAssets(scope, 'frontend-assets', {
      bucket: BUCKET,
      bucketName: 'librechat-frontend-dev',
      manifest: { distDir: '/dist', origin: 'prebuilt', files },
    });
  });
  const objects = resourcesOf(json, 'aws_s3_object');
  const byKey: Record<string, any> = {};
  const idOf: Record<string, string> = {};
  for (const [id, object] of Object.entries<any>(objects)) {
    byKey[object.key] = object;
    idOf[object.key] = id;
  }
  return { objects, byKey, idOf };
}

describe('FrontendAssets', () => {
  let dist: string;
  beforeEach(() => {
    dist = mkdtempSync(join(tmpdir(), 'dist-'));
    cpSync(FIXTURE_DIST, dist, { recursive: true });
  });
  afterEach(() => rmSync(dist, { recursive: true, force: true }));

  it('uploads every file of the dist as one object into the bucket', () => {
    const files = readAssetManifest(dist);
    const { objects, byKey } = synthAssets(files);
    expect(Object.keys(objects)).toHaveLength(8);
    for (const file of files) {
      expect(byKey[file.key]).toMatchObject({
        bucket: BUCKET,
        key: file.key,
        source: join(dist, ...file.key.split('/')),
        source_hash: file.sourceHash,
      });
    }
  });

  it.each(FIXTURE_DIST_EXPECTED)(
    'publishes %s as %s with Cache-Control %s',
    (key, contentType, cacheControl) => {
      const { byKey } = synthAssets(readAssetManifest(dist));
      expect(byKey[key].content_type).toBe(contentType);
      expect(byKey[key].cache_control).toBe(cacheControl);
    },
  );

  it('uploads entry files only after the hashed assets they point at', () => {
    const { byKey, idOf } = synthAssets(readAssetManifest(dist));
    const hashed = ['assets/index.BdE8x7Qz.js', 'assets/index.D8b4DHJx.css']
      .map((key) => `aws_s3_object.${idOf[key]}`)
      .sort();
    expect([...byKey['index.html'].depends_on].sort()).toEqual(hashed);
    expect([...byKey['sw.js'].depends_on].sort()).toEqual(hashed);
    expect(byKey['assets/index.BdE8x7Qz.js'].depends_on).toBeUndefined();
  });

  it('writes sources relative to the directory Terraform runs in, when given', () => {
    const json = synthScope((scope) => {
      new FrontendAssets(scope, 'frontend-assets', {
        bucket: BUCKET,
        bucketName: 'librechat-frontend-dev',
        manifest: { distDir: dist, origin: 'prebuilt', files: readAssetManifest(dist) },
        workingDirectory: join(dist, '..', 'cdktf.out', 'stacks', 'dev'),
      });
    });
    const objects = Object.values<any>(resourcesOf(json, 'aws_s3_object'));
    const index = objects.find((o) => o.key === 'assets/index.BdE8x7Qz.js');
    expect(index.source).toBe(`../../../${basename(dist)}/assets/index.BdE8x7Qz.js`);
  });

  it('drops the object of a file removed from the dist and leaves the others where they are', () => {
    const before = synthAssets(readAssetManifest(dist));
    unlinkSync(join(dist, 'assets', 'logo.svg'));
    const after = synthAssets(readAssetManifest(dist));
    expect(Object.keys(after.objects)).toHaveLength(7);
    expect(after.byKey['assets/logo.svg']).toBeUndefined();
    const { ['assets/logo.svg']: removed, ...kept } = before.idOf;
    expect(removed).toBeDefined();
    expect(after.idOf).toEqual(kept);
  });

  it('changes the source hash of a changed file only', () => {
    const before = synthAssets(readAssetManifest(dist));
    writeFileSync(join(dist, 'index.html'), '<!doctype html><title>new</title>');
    const after = synthAssets(readAssetManifest(dist));
    expect(after.byKey['index.html'].source_hash).not.toBe(before.byKey['index.html'].source_hash);
    expect(after.idOf).toEqual(before.idOf);
    for (const key of Object.keys(before.byKey).filter((k) => k !== 'index.html')) {
      expect(after.byKey[key].source_hash).toBe(before.byKey[key].source_hash);
    }
  });

  it('gives keys that differ only in unusual characters distinct resources', () => {
    const file = (key: string): FrontendAssetFile => ({
      key,
      source: `/dist/${key}`,
      contentType: 'text/plain; charset=utf-8',
      cacheControl: NO_CACHE,
      sourceHash: key,
    });
    const { objects } = synthAssets([file('a b.txt'), file('a_b.txt'), file('a+b.txt')]);
    expect(Object.keys(objects)).toHaveLength(3);
  });

  it('publishes nothing and says so when no client is configured', () => {
    const stack = new TerraformStack(Testing.app(), 'test');
    const assets = new FrontendAssets(stack, 'frontend-assets', {
      bucket: BUCKET,
      bucketName: 'librechat-frontend-dev',
    });
    expect(assets.objects).toEqual([]);
    expect(assets.node.metadata.map((m) => [m.type, m.data])).toEqual([
      [
        '@cdktf/warn',
        'frontend: neither frontend.distDir nor frontend.build is configured, so no frontend assets will be published to librechat-frontend-dev (the site answers 403 until they are)',
      ],
    ]);
  });
});
