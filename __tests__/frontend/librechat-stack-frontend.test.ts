import { App, Testing } from 'cdktf';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { EnvironmentConfig } from '../../src/config/schema';
import { IMMUTABLE, prepareFrontendAssets } from '../../src/frontend/asset-manifest';
import { LibreChatStack, type LibreChatStackProps } from '../../src/librechat-stack';
import { devConfig, REPO_ROOT } from '../helpers/config';
import { checkModuleBlock, loadModuleInterface } from '../helpers/module-interfaces';
import {
  fixtureImageBuild,
  modulesFrom,
  resourcesOf,
  SPA_ROUTING_FUNCTION_CODE,
} from '../helpers/synth';

const FIXTURE_DIST = join(__dirname, 'fixtures', 'client-dist');

function synth(config: EnvironmentConfig, extra: Partial<LibreChatStackProps> = {}) {
  const stack = new LibreChatStack(Testing.app(), 'dev', {
    environment: 'dev',
    config,
    imageBuild: fixtureImageBuild(config),
    spaRoutingFunctionCode: SPA_ROUTING_FUNCTION_CODE,
    ...extra,
  });
  const json = JSON.parse(Testing.synth(stack));
  const annotations = stack.node
    .findAll()
    .flatMap((c) => c.node.metadata)
    .map((m) => ({ level: m.type, message: m.data }));
  return { stack, json, annotations };
}

const moduleId = (json: any, source: string, bucket?: string) =>
  Object.entries<any>(json.module).find(
    ([, m]) => m.source === source && (bucket === undefined || m.bucket === bucket),
  )![0];

describe('LibreChatStack: frontend', () => {
  const { json, annotations } = synth(devConfig());
  const cloudfrontId = moduleId(json, 'terraform-aws-modules/cloudfront/aws');
  const bucketId = moduleId(json, 'terraform-aws-modules/s3-bucket/aws', 'librechat-frontend-dev');
  const [distribution] = modulesFrom(json, 'terraform-aws-modules/cloudfront/aws');
  const bucket = json.module[bucketId];

  it('emits the bucket and distribution modules with declared inputs only', () => {
    for (const block of [distribution, bucket]) {
      expect(checkModuleBlock(block, loadModuleInterface(block.source, block.version))).toEqual([]);
    }
    expect(bucket.bucket).toBe('librechat-frontend-dev');
    expect(distribution.aliases).toEqual(['lambda-test.sandbox.data.apro.is']);
    expect(distribution.viewer_certificate.acm_certificate_arn).toBe(
      devConfig().domain.certificateArn,
    );
    expect(distribution.price_class).toBe('PriceClass_100');
  });

  it('has no dependency cycle: only the bucket policy refers to the distribution', () => {
    expect(JSON.stringify(distribution)).not.toContain(`module.${bucketId}`);
    expect(distribution.origin.s3_frontend.domain_name).toBe(
      'librechat-frontend-dev.s3.eu-west-1.amazonaws.com',
    );
    const policy = Object.values<any>(json.data.aws_iam_policy_document).find((p) =>
      JSON.stringify(p).includes('cloudfront.amazonaws.com'),
    );
    expect(policy.statement[0].condition[0].values).toEqual([
      `\${module.${cloudfrontId}.cloudfront_distribution_arn}`,
    ]);
  });

  it("routes /api/* and /oauth/* to the API's origin, with SPA routing on the default behavior only", () => {
    expect(Object.keys(distribution.origin).sort()).toEqual(['api', 's3_frontend']);
    expect(distribution.ordered_cache_behavior).toHaveLength(2);
    const [api, oauth] = distribution.ordered_cache_behavior;
    expect(api).toMatchObject({ path_pattern: '/api/*', target_origin_id: 'api' });
    expect(oauth).toMatchObject({ path_pattern: '/oauth/*', target_origin_id: 'api' });
    expect(api.function_association).toBeUndefined();
    expect(oauth.function_association).toBeUndefined();
    expect(distribution.default_cache_behavior.function_association).toEqual({
      'viewer-request': { function_key: 'spa_routing' },
    });
    expect(distribution.custom_error_response).toBeUndefined();
  });

  it('points the domain at the distribution with A and AAAA alias records', () => {
    const records = Object.values<any>(resourcesOf(json, 'aws_route53_record'));
    expect(records.map((r) => r.type).sort()).toEqual(['A', 'AAAA']);
    for (const record of records) {
      expect(record.zone_id).toBe('Z094499229C0ZN7M8OFEE');
      expect(record.name).toBe('lambda-test.sandbox.data.apro.is');
      expect(record.alias).toEqual({
        name: `\${module.${cloudfrontId}.cloudfront_distribution_domain_name}`,
        zone_id: `\${module.${cloudfrontId}.cloudfront_distribution_hosted_zone_id}`,
        evaluate_target_health: false,
      });
    }
  });

  it('outputs the distribution id, ARN and domain name and the site URL', () => {
    expect(json.output).toMatchObject({
      cloudfront_distribution_id: {
        value: `\${module.${cloudfrontId}.cloudfront_distribution_id}`,
      },
      cloudfront_distribution_arn: {
        value: `\${module.${cloudfrontId}.cloudfront_distribution_arn}`,
      },
      cloudfront_domain_name: {
        value: `\${module.${cloudfrontId}.cloudfront_distribution_domain_name}`,
      },
      site_url: { value: 'https://lambda-test.sandbox.data.apro.is' },
    });
  });

  it('says, without failing, that no assets will be published when none are configured', () => {
    expect(resourcesOf(json, 'aws_s3_object')).toEqual({});
    expect(annotations).toContainEqual({
      level: '@cdktf/warn',
      message: expect.stringContaining(
        'neither frontend.distDir nor frontend.build is configured, so no frontend assets will be published to librechat-frontend-dev',
      ),
    });
  });

  it('publishes a configured dist into the bucket, after the bucket exists', () => {
    const config = devConfig((c) => (c.frontend = { distDir: FIXTURE_DIST }));
    const frontendAssets = prepareFrontendAssets(config.frontend, {
      baseDir: __dirname,
      file: 'config/dev.json',
    });
    const published = synth(config, { frontendAssets });
    const objects = Object.values<any>(resourcesOf(published.json, 'aws_s3_object'));
    expect(objects).toHaveLength(9); // the dist's 8 files and the stop relay script
    const stackDir = join(resolve(App.of(published.stack).outdir), 'stacks', 'dev');
    for (const object of objects) {
      expect(object.bucket).toBe(`\${module.${bucketId}.s3_bucket_id}`);
      expect(object.provider).toBe('aws');
      if (object.content !== undefined) continue; // index.html and the stop relay script
      expect(resolve(stackDir, object.source)).toBe(join(FIXTURE_DIST, ...object.key.split('/')));
    }
    // The published index.html loads the stop relay script before anything else runs.
    const byKey = Object.fromEntries(objects.map((o) => [o.key, o]));
    const html: string = byKey['index.html'].content;
    const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
    const src = /^<script src="\/(stop-relay\.[0-9a-f]{10}\.js)">$/.exec(scripts[0])?.[1];
    expect(src).toBeDefined();
    expect(html.indexOf(scripts[0])).toBeLessThan(html.indexOf('</head>'));
    expect(html.replace(`${scripts[0]}</script>\n    `, '')).toBe(
      readFileSync(join(FIXTURE_DIST, 'index.html'), 'utf8'),
    );
    expect(byKey[src!]).toMatchObject({
      content: readFileSync(join(REPO_ROOT, 'src', 'frontend', 'client', 'stop-relay.js'), 'utf8'),
      content_type: 'text/javascript; charset=utf-8',
      cache_control: IMMUTABLE,
    });
    expect(byKey['index.html'].source).toBeUndefined();
    expect(byKey['index.html'].depends_on).toContain(
      `aws_s3_object.${Object.keys(resourcesOf(published.json, 'aws_s3_object')).find((id) => id.includes('stop-relay'))}`,
    );
    expect(published.annotations).toContainEqual({
      level: '@cdktf/info',
      message: `frontend: publishing 9 files from ${FIXTURE_DIST} (prebuilt) to librechat-frontend-dev`,
    });
    expect(published.annotations.map((a) => a.level)).not.toContain('@cdktf/warn');
  });

  it('refuses a config that names a frontend whose assets were not prepared', () => {
    const config = devConfig((c) => (c.frontend = { distDir: FIXTURE_DIST }));
    expect(() => synth(config)).toThrow(/no frontendAssets were prepared/);
  });
});
