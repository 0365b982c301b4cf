import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { devConfig, REPO_ROOT } from '../helpers/config';
import {
  modulesFrom,
  onlyResource,
  resourcesOf,
  resolveTokens,
  synthStack,
  type TerraformJson,
} from '../helpers/synth';

// Every statement README.md or docs/ make about the synthesized configuration carries a marker
// `<!-- claim: id -->`; each id has exactly one check here, run against the dev stack.

const DOCS = [
  join(REPO_ROOT, 'README.md'),
  ...readdirSync(join(REPO_ROOT, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => join(REPO_ROOT, 'docs', f)),
]
  .map((file) => readFileSync(file, 'utf8'))
  .join('\n');
const CLAIM = /<!-- claim: ([a-z0-9-]+) -->/g;
const PINNED =
  '515966504419.dkr.ecr.eu-west-1.amazonaws.com/librechat-lambda-api-dev@sha256:' + 'a'.repeat(64);

const { stack: devStack, json: dev } = synthStack();
const fn = onlyResource(dev, 'aws_lambda_function');
const env: Record<string, string> = fn.environment.variables;
const ssmSecrets: Record<string, string> = JSON.parse(env.SSM_SECRETS);
const cloudfront = modulesFrom(dev, 'terraform-aws-modules/cloudfront/aws')[0];
const alarms = Object.values<any>(resourcesOf(dev, 'aws_cloudwatch_metric_alarm'));
const ref = (json: TerraformJson, type: string, where: (r: any) => boolean = () => true) => {
  const found = Object.entries<any>(resourcesOf(json, type)).filter(([, r]) => where(r));
  if (found.length !== 1) throw new Error(`expected one ${type}, found ${found.length}`);
  return `${type}.${found[0][0]}`;
};

const checks: Record<string, () => void> = {
  'alarm-topics': () => {
    const topics = Object.values<any>(resourcesOf(dev, 'aws_sns_topic'));
    expect(topics.map((t) => [t.name, t.provider]).sort()).toEqual([
      ['librechat-alarms-dev', 'aws'],
      ['librechat-alarms-dev', 'aws.us_east_1'],
    ]);
    const cf = alarms.find((a) => a.namespace === 'AWS/CloudFront');
    expect(cf.provider).toBe('aws.us_east_1');
    expect(cf.alarm_actions).toEqual([
      `\${${ref(dev, 'aws_sns_topic', (t) => t.provider === 'aws.us_east_1')}.arn}`,
    ]);
  },
  'alarm-email': () => {
    expect(resourcesOf(dev, 'aws_sns_topic_subscription')).toEqual({});
    const { json } = synthStack(
      devConfig((c) => (c.monitoring = { alarmEmail: 'ops@example.com' })),
    );
    const subs = Object.values<any>(resourcesOf(json, 'aws_sns_topic_subscription'));
    expect(subs.map((s) => `${s.protocol}:${s.endpoint}:${s.provider}`).sort()).toEqual([
      'email:ops@example.com:aws',
      'email:ops@example.com:aws.us_east_1',
    ]);
  },
  alarms: () => {
    expect(alarms).toHaveLength(11);
    expect(alarms.filter((a) => a.provider === 'aws')).toHaveLength(10);
    for (const a of alarms) {
      expect(a.alarm_name).toMatch(/^librechat-dev-/);
      expect(a).toMatchObject({
        comparison_operator: 'GreaterThanOrEqualToThreshold',
        treat_missing_data: 'notBreaching',
        period: 300,
        evaluation_periods: 1,
      });
      expect(a.ok_actions).toEqual(a.alarm_actions);
    }
    // 0.8 x 900 s, at p99.
    expect(alarms.find((a) => a.alarm_name === 'librechat-dev-lambda-duration')).toMatchObject({
      extended_statistic: 'p99',
      threshold: 720000,
    });
    expect(alarms.find((a) => a.alarm_name === 'librechat-dev-redis-engine-cpu').metric_name).toBe(
      'EngineCPUUtilization',
    );
    expect(
      alarms
        .filter((a) => a.namespace === 'AWS/ElastiCache')
        .map((a) => a.dimensions.CacheClusterId),
    ).toEqual(Array(4).fill(expect.stringMatching(/replication_group_id\}-001$/)));
  },
  dashboard: () => {
    const dashboard = onlyResource(dev, 'aws_cloudwatch_dashboard');
    expect(dashboard.dashboard_name).toBe('librechat-dev');
    const widgets = resolveTokens(devStack, devStack.serviceDashboard.widgets);
    const log = widgets.find((w: any) => w.type === 'log');
    const logGroup = ref(
      dev,
      'aws_cloudwatch_log_group',
      (g) => g.name === '/aws/lambda/librechat-api-dev',
    );
    expect(log.properties.query).toContain(`SOURCE '\${${logGroup}.name}'`);
    expect(log.properties.query).toContain("@type = 'REPORT'");
    expect(log.properties.query).toContain('@initDuration');
  },
  outputs: () => {
    expect(Object.keys(dev.output).sort()).toEqual(
      [
        'site_url',
        'cloudfront_distribution_id',
        'cloudfront_distribution_arn',
        'cloudfront_domain_name',
        'api_invoke_url',
        'lambda_function_name',
        'lambda_function_arn',
        'ecr_repository_url',
        'redis_primary_endpoint',
        'file_bucket_name',
        'frontend_bucket_name',
        'dashboard_url',
        'alarm_topic_arns',
      ].sort(),
    );
    for (const output of Object.values<any>(dev.output)) {
      expect(output.sensitive).toBeUndefined();
      expect(JSON.stringify(output.value)).not.toMatch(/random_password|aws_ssm_parameter/);
    }
  },
  'lambda-vpc': () => {
    expect(fn.vpc_config).toEqual({
      subnet_ids: devConfig().network.privateSubnetIds,
      security_group_ids: [`\${${ref(dev, 'aws_security_group')}.id}`, 'sg-07d152120863401c2'],
    });
  },
  'docdb-egress': () => {
    const rules = Object.values<any>(resourcesOf(dev, 'aws_vpc_security_group_egress_rule'));
    expect(rules).toContainEqual(
      expect.objectContaining({
        from_port: 27017,
        to_port: 27017,
        cidr_ipv4: expect.stringMatching(/^\$\{data\.aws_vpc\.[\w-]+\.cidr_block\}$/),
      }),
    );
  },
  'mongo-uri-secret': () => {
    expect(ssmSecrets.MONGO_URI).toBe('/ecs/genai/mongo/DB_URI');
    expect(env.MONGO_URI).toBeUndefined();
  },
  'function-logs': () => {
    const group = Object.values<any>(resourcesOf(dev, 'aws_cloudwatch_log_group')).find(
      (g) => g.name === '/aws/lambda/librechat-api-dev',
    );
    expect(group.retention_in_days).toBe(30);
  },
  'api-route': () => {
    expect(cloudfront.ordered_cache_behavior).toContainEqual(
      expect.objectContaining({ path_pattern: '/api/*', target_origin_id: 'api' }),
    );
  },
  'stage-prod': () => {
    expect(onlyResource(dev, 'aws_api_gateway_stage').stage_name).toBe('prod');
    expect(cloudfront.origin.api.origin_path).toBe('/prod');
  },
  'origin-verify-header': () => {
    expect(Object.keys(cloudfront.origin.api.custom_header)).toEqual(['x-origin-verify']);
    // The value the current SSM parameter holds (one of the two rotation slots).
    const current = Object.values<any>(resourcesOf(dev, 'aws_ssm_parameter')).find(
      (p) => p.name === '/librechat-lambda/dev/origin-verify',
    );
    expect(current.value).toMatch(/^\$\{random_password\.[\w-]+\.result\}$/);
    expect(cloudfront.origin.api.custom_header['x-origin-verify']).toBe(current.value);
    expect(env.ORIGIN_VERIFY_HEADER).toBe('x-origin-verify');
    expect(ssmSecrets.ORIGIN_VERIFY_SECRET).toBe('/librechat-lambda/dev/origin-verify');
  },
  'lambda-timeout': () => {
    expect(fn.timeout).toBe(900);
    const proxy = Object.values<any>(resourcesOf(dev, 'aws_api_gateway_integration')).find(
      (i) => i.type === 'AWS_PROXY',
    );
    expect(proxy).toMatchObject({ response_transfer_mode: 'STREAM', timeout_milliseconds: 900000 });
  },
  'regional-endpoint': () => {
    expect(onlyResource(dev, 'aws_api_gateway_rest_api').endpoint_configuration).toEqual({
      types: ['REGIONAL'],
    });
  },
  'sessions-in-redis': () => {
    expect(env.USE_REDIS).toBe('true');
    expect(env.REDIS_URI).toMatch(
      /^redis:\/\/\$\{module\.[\w-]+\.replication_group_primary_endpoint_address\}:6379$/,
    );
    expect(ssmSecrets).toMatchObject({
      JWT_SECRET: expect.any(String),
      JWT_REFRESH_SECRET: expect.any(String),
    });
  },
  'image-digest': () => {
    expect(fn.image_uri).toMatch(
      /^\$\{aws_ecr_repository\.[\w-]+\.repository_url\}@\$\{data\.aws_ecr_image\.[\w-]+\.image_digest\}$/,
    );
  },
  'base-image-hash': () => {
    const tag = (json: TerraformJson) => Object.values<any>(json.data.aws_ecr_image)[0].image_tag;
    const { json: upgraded } = synthStack(
      devConfig((c) => (c.librechat.image.baseImage = 'ghcr.io/danny-avila/librechat-api:v0.8.2')),
    );
    expect(tag(upgraded)).toMatch(/^[0-9a-f]{64}$/);
    expect(tag(upgraded)).not.toBe(tag(dev));
  },
  'config-in-memory': () => {
    expect(env.FORCED_IN_MEMORY_CACHE_NAMESPACES).toBe('CONFIG_STORE,APP_CONFIG');
  },
  'ecr-keeps-5': () => {
    const policy = JSON.parse(onlyResource(dev, 'aws_ecr_lifecycle_policy').policy);
    expect(policy.rules).toEqual([
      expect.objectContaining({
        selection: expect.objectContaining({ countType: 'imageCountMoreThan', countNumber: 5 }),
        action: { type: 'expire' },
      }),
    ]);
  },
  'prebuilt-image': () => {
    const { json } = synthStack(devConfig((c) => (c.librechat.image.prebuiltImageUri = PINNED)));
    expect(onlyResource(json, 'aws_lambda_function').image_uri).toBe(PINNED);
    // Only the web client's publish step remains: no image build.
    expect(JSON.stringify(resourcesOf(json, 'terraform_data'))).not.toContain('push-image');
  },
  'force-destroy': () => {
    const buckets = modulesFrom(dev, 'terraform-aws-modules/s3-bucket/aws');
    expect(buckets.map((b) => [b.bucket, b.force_destroy]).sort()).toEqual([
      ['librechat-frontend-dev', true],
      ['librechat-lambda-files-dev', true],
    ]);
    expect(onlyResource(dev, 'aws_ecr_repository').force_delete).toBe(true);
  },
  'account-logging': () => {
    expect(onlyResource(dev, 'aws_api_gateway_account').cloudwatch_role_arn).toBeDefined();
    const { json } = synthStack(devConfig((c) => (c.api.manageAccountLoggingRole = false)));
    expect(resourcesOf(json, 'aws_api_gateway_account')).toEqual({});
  },
  'origin-read-timeout': () => {
    expect(cloudfront.origin.api.custom_origin_config.origin_read_timeout).toBe(60);
  },
};

describe('claims of the README and docs/ about the synthesized configuration', () => {
  const claimed = [...DOCS.matchAll(CLAIM)].map((m) => m[1]);

  it('marks each claim once, and every marked claim has a check and every check a claim', () => {
    expect(claimed.length).toBeGreaterThan(0);
    expect(new Set(claimed).size).toBe(claimed.length);
    expect([...claimed].sort()).toEqual(Object.keys(checks).sort());
  });

  it.each(Object.keys(checks))('%s', (id) => {
    checks[id]();
  });
});
