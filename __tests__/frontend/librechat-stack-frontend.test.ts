import { App, Testing } from 'cdktf';
import { join, resolve } from 'node:path';
import type { EnvironmentConfig } from '../../src/config/schema';
import { prepareFrontendAssets } from '../../src/frontend/asset-manifest';
import { distContentHash } from '../../src/frontend/client-publisher';
import { LibreChatStack, type LibreChatStackProps } from '../../src/librechat-stack';
import { devConfig } from '../helpers/config';
import { checkModuleBlock, loadModuleInterface } from '../helpers/module-interfaces';
import {
  fixtureImageBuild,
  modulesFrom,
  PUBLISH_SCRIPT,
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
    publishScript: PUBLISH_SCRIPT,
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
  const { stack, json, annotations } = synth(devConfig());
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

  it('publishes the web client of the LibreChat image on deploy, after the bucket and the distribution', () => {
    const [id, publish] = Object.entries<any>(resourcesOf(json, 'terraform_data')).find(([, r]) =>
      JSON.stringify(r).includes('publish-client'),
    )!;
    const image = devConfig().librechat.image.baseImage;
    expect(publish.triggers_replace).toEqual({
      source: `${image} linux/amd64`,
      bucket: `\${module.${bucketId}.s3_bucket_id}`,
      options: '{"dotfiles":false,"sourceMaps":false,"symlinks":false}',
    });
    expect(publish.depends_on).toEqual([`module.${bucketId}`, `module.${cloudfrontId}`]);
    const exec = publish.provisioner[0]['local-exec'];
    expect(exec.environment).toEqual({
      PUBLISH_BUCKET: `\${module.${bucketId}.s3_bucket_id}`,
      PUBLISH_OPTIONS: '{"dotfiles":false,"sourceMaps":false,"symlinks":false}',
      PUBLISH_REGION: 'eu-west-1',
      SOURCE_IMAGE: image,
      SOURCE_PLATFORM: 'linux/amd64',
    });
    const stackDir = join(resolve(App.of(stack).outdir), 'stacks', 'dev');
    expect(resolve(stackDir, JSON.parse(exec.command.replace(/^node /, '')))).toBe(PUBLISH_SCRIPT);
    expect(id).toMatch(/client-publication/);
    // One publishing path: no per-file objects in the frontend bucket.
    for (const object of Object.values<any>(resourcesOf(json, 'aws_s3_object'))) {
      expect(object.bucket).not.toContain(bucketId);
    }
    expect(annotations).toContainEqual({
      level: '@cdktf/info',
      message: `frontend: publishing the web client of ${image} on deploy (docker and the AWS CLI needed)`,
    });
    expect(annotations.map((a) => a.level)).not.toContain('@cdktf/warn');
  });

  it('publishes the image for the function architecture', () => {
    const arm = synth(devConfig((c) => (c.lambda = { ...c.lambda, architecture: 'arm64' })));
    const publish = Object.values<any>(resourcesOf(arm.json, 'terraform_data')).find((r) =>
      JSON.stringify(r).includes('publish-client'),
    );
    expect(publish.provisioner[0]['local-exec'].environment.SOURCE_PLATFORM).toBe('linux/arm64');
  });

  it('publishes a configured dist the same way, keyed by its content, its path relative to the stack', () => {
    const config = devConfig((c) => (c.frontend = { distDir: FIXTURE_DIST }));
    const frontendAssets = prepareFrontendAssets(config.frontend, {
      baseDir: __dirname,
      file: 'config/dev.json',
    });
    const published = synth(config, { frontendAssets });
    const publish = Object.values<any>(resourcesOf(published.json, 'terraform_data')).find((r) =>
      JSON.stringify(r).includes('publish-client'),
    );
    const stackDir = join(resolve(App.of(published.stack).outdir), 'stacks', 'dev');
    const env = publish.provisioner[0]['local-exec'].environment;
    expect(resolve(stackDir, env.SOURCE_DIR)).toBe(FIXTURE_DIST);
    expect(env.SOURCE_IMAGE).toBeUndefined();
    expect(publish.triggers_replace.source).toBe(distContentHash(frontendAssets!.files));
    expect(published.annotations).toContainEqual({
      level: '@cdktf/info',
      message: `frontend: publishing ${env.SOURCE_DIR} (prebuilt) on deploy (the AWS CLI needed)`,
    });
  });

  it('refuses a config that names a frontend whose assets were not prepared', () => {
    const config = devConfig((c) => (c.frontend = { distDir: FIXTURE_DIST }));
    expect(() => synth(config)).toThrow(
      'frontend: the config names a distDir, but no frontendAssets were prepared',
    );
  });
});
