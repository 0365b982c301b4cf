import { mkdtempSync, readdirSync, writeFileSync, copyFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadEnvironments, parseEnvironmentFile } from '../../src/config/load';
import { parseS3Uri } from '../../src/config/schema';
import { devConfigInput, REPO_ROOT } from '../helpers/config';

const FILE = 'config/dev.json';

function problemsFor(change: (raw: Record<string, any>) => void): string[] {
  const raw = devConfigInput();
  change(raw);
  const result = parseEnvironmentFile(FILE, JSON.stringify(raw));
  if (!result.problems) throw new Error('expected the file to be rejected, but it was accepted');
  return result.problems;
}

describe('config/dev.json', () => {
  it('is valid and holds the values of the design documents', () => {
    const [dev] = loadEnvironments(join(REPO_ROOT, 'config'), REPO_ROOT);
    expect(dev.name).toBe('dev');
    expect(dev.file).toBe('config/dev.json');
    const c = dev.config;
    expect(c.region).toBe('eu-west-1');
    expect(c.network.vpcId).toBe('vpc-05e4efdfad1c2252a');
    expect(c.network.privateSubnetIds).toEqual([
      'subnet-0b336ffd64e2358e8',
      'subnet-005e834e314ffdd6c',
      'subnet-0cd1448a488983eda',
    ]);
    expect(c.domain).toEqual({
      name: 'lambda-test.sandbox.data.apro.is',
      hostedZoneId: 'Z094499229C0ZN7M8OFEE',
      certificateArn:
        'arn:aws:acm:us-east-1:515966504419:certificate/ca7a072b-830c-427f-ae2b-c49418366489',
    });
    expect(parseS3Uri(c.librechat.configObject)).toEqual({
      bucket: 'genai-shared-config',
      key: 'lambda-test/librechat/librechat.yaml',
    });
    expect(c.librechat.configReplacesDomain).toBe('genai.sandbox.data.apro.is');
    expect(Object.keys(c.librechat.secrets).sort()).toEqual([
      'CREDS_IV',
      'CREDS_KEY',
      'FIRECRAWL_API_KEY',
      'JWT_REFRESH_SECRET',
      'JWT_SECRET',
      'LITELLM_API_KEY',
      'MEILI_MASTER_KEY',
      'MONGO_URI',
      'OPENID_CLIENT_ID',
      'OPENID_CLIENT_SECRET',
      'OPENID_SESSION_SECRET',
    ]);
    expect(c.lambda).toMatchObject({ memoryMb: 1024, timeoutSeconds: 900 });
    expect(c.redis).toMatchObject({
      nodeType: 'cache.t4g.micro',
      engineVersion: '7.1',
      transitEncryption: false,
    });
  });

  it('fills defaults for sections an environment leaves out', () => {
    const raw = devConfigInput();
    delete raw.lambda;
    delete raw.redis;
    delete raw.librechat.configPath;
    delete raw.librechat.image;
    const result = parseEnvironmentFile(FILE, JSON.stringify(raw));
    expect(result.problems).toBeUndefined();
    expect(result.config!.lambda).toEqual({
      memoryMb: 1024,
      timeoutSeconds: 900,
      ephemeralStorageMb: 2048,
      architecture: 'x86_64',
      logRetentionDays: 30,
      compute: 'on-demand',
      provisionedConcurrency: 0,
    });
    expect(result.config!.lambda.managedInstances).toBeUndefined();
    expect(result.config!.redis.transitEncryption).toBe(false);
    expect(result.config!.librechat.configPath).toBe('/tmp/librechat.yaml');
    expect(result.config!.librechat.uploadLimitMb).toBe(4);
    expect(result.config!.librechat.image.baseImage).toBe(
      'ghcr.io/danny-avila/librechat-api:v0.8.2-rc1',
    );
  });

  it('gives every alarm threshold a default and no alarm e-mail', () => {
    const raw = devConfigInput();
    delete raw.monitoring;
    const result = parseEnvironmentFile(FILE, JSON.stringify(raw));
    expect(result.problems).toBeUndefined();
    expect(result.config!.monitoring).toEqual({
      periodSeconds: 300,
      evaluationPeriods: 1,
      lambda: {
        errors: 5,
        throttles: 1,
        durationTimeoutFraction: 0.8,
        concurrentExecutions: 100,
        capacityProviderCpuPercent: 80,
        capacityProviderMemoryPercent: 80,
      },
      api: { serverErrors: 5, latencyP99Ms: 60000 },
      redis: { engineCpuPercent: 80, memoryPercent: 80, evictions: 1, currentConnections: 1000 },
      cloudfront: { error5xxRatePercent: 5 },
    });
  });
});

describe('bad environment files are rejected with the file, the field and the expected form', () => {
  const cases: Array<[string, (raw: Record<string, any>) => void, string, string]> = [
    [
      'unknown top-level field',
      (r) => (r.regoin = 'eu-west-1'),
      '(top level)',
      'unknown field "regoin"',
    ],
    [
      'unknown nested field',
      (r) => (r.lambda.memory = 2048),
      'lambda: unknown field "memory"',
      'did you mean "memoryMb"?',
    ],
    ['missing region', (r) => delete r.region, 'region', 'required'],
    [
      'malformed region',
      (r) => (r.region = 'Ireland'),
      'region',
      'an AWS region such as eu-west-1',
    ],
    [
      'malformed VPC id',
      (r) => (r.network.vpcId = 'vpc-xyz'),
      'network.vpcId',
      'a VPC id such as vpc-',
    ],
    [
      'malformed subnet id',
      (r) => (r.network.privateSubnetIds[1] = 'subnet-12'),
      'network.privateSubnetIds[1]',
      'a subnet id such as subnet-',
    ],
    [
      'fewer than two subnets',
      (r) => (r.network.privateSubnetIds = ['subnet-0b336ffd64e2358e8']),
      'network.privateSubnetIds',
      'at least two private subnets',
    ],
    [
      'duplicate subnets',
      (r) =>
        (r.network.privateSubnetIds = ['subnet-0b336ffd64e2358e8', 'subnet-0b336ffd64e2358e8']),
      'network.privateSubnetIds',
      'distinct subnet ids',
    ],
    [
      'subnets not a list',
      (r) => (r.network.privateSubnetIds = 'subnet-0b336ffd64e2358e8'),
      'network.privateSubnetIds',
      'a list of subnet ids',
    ],
    [
      'certificate outside us-east-1',
      (r) => (r.domain.certificateArn = r.domain.certificateArn.replace('us-east-1', 'eu-west-1')),
      'domain.certificateArn',
      'a certificate in us-east-1',
    ],
    [
      'not an ACM ARN',
      (r) => (r.domain.certificateArn = 'arn:aws:iam::515966504419:server-certificate/x'),
      'domain.certificateArn',
      'an ACM certificate ARN',
    ],
    [
      'malformed hosted zone id',
      (r) => (r.domain.hostedZoneId = 'z-123'),
      'domain.hostedZoneId',
      'a Route53 hosted zone id',
    ],
    [
      'domain with uppercase and no TLD',
      (r) => (r.domain.name = 'LambdaTest'),
      'domain.name',
      'a lowercase DNS name',
    ],
    [
      'config object not an s3 URI',
      (r) => (r.librechat.configObject = 'https://bucket/key.yaml'),
      'librechat.configObject',
      'an S3 object URI such as s3://',
    ],
    [
      'secret name not an env var',
      (r) => (r.librechat.secrets['jwt-secret'] = '/x/y'),
      'librechat.secrets.jwt-secret',
      'UPPER_SNAKE_CASE',
    ],
    [
      'secret parameter malformed',
      (r) => (r.librechat.secrets.JWT_SECRET = 'ecs/genai/JWT'),
      'librechat.secrets.JWT_SECRET',
      'an SSM parameter name starting with /',
    ],
    [
      'MONGO_URI missing',
      (r) => delete r.librechat.secrets.MONGO_URI,
      'librechat.secrets',
      'expected MONGO_URI',
    ],
    [
      'service URL not a URL',
      (r) => (r.librechat.serviceUrls.litellm = 'litellm:4000'),
      'librechat.serviceUrls.litellm',
      'the LiteLLM base URL',
    ],
    [
      'memory as a string',
      (r) => (r.lambda.memoryMb = '1024'),
      'lambda.memoryMb',
      'a whole number from 128 to 10240',
    ],
    [
      'timeout beyond 15 minutes',
      (r) => (r.lambda.timeoutSeconds = 901),
      'lambda.timeoutSeconds',
      'a whole number from 1 to 900',
    ],
    [
      'unsupported architecture',
      (r) => (r.lambda.architecture = 'x86'),
      'lambda.architecture',
      'x86_64 or arm64',
    ],
    [
      'log retention CloudWatch does not offer',
      (r) => (r.lambda.logRetentionDays = 10),
      'lambda.logRetentionDays',
      'one of the CloudWatch Logs retention periods',
    ],
    [
      'malformed Redis node type',
      (r) => (r.redis.nodeType = 't4g.micro'),
      'redis.nodeType',
      'an ElastiCache node type',
    ],
    [
      'transit encryption as a string',
      (r) => (r.redis.transitEncryption = 'yes'),
      'redis.transitEncryption',
      'true or false',
    ],
    [
      'reserved Lambda variable',
      (r) => (r.librechat.environment = { AWS_REGION: 'eu-west-1' }),
      'librechat.environment',
      'no reserved Lambda variables',
    ],
    [
      'variable both plain and secret',
      (r) => (r.librechat.environment = { JWT_SECRET: 'x' }),
      'librechat.environment.JWT_SECRET',
      'either plain or a secret',
    ],
    [
      'upload limit larger than one Lambda invocation carries',
      (r) => (r.librechat.uploadLimitMb = 5),
      'librechat.uploadLimitMb',
      'a whole number from 1 to 4',
    ],
    [
      'config path outside /tmp',
      (r) => (r.librechat.configPath = '/app/librechat.yaml'),
      'librechat.configPath',
      'under /tmp',
    ],
    [
      'replaced domain equals the new one',
      (r) => (r.librechat.configReplacesDomain = r.domain.name),
      'librechat.configReplacesDomain',
      'other than domain.name',
    ],
    [
      'state bucket malformed',
      (r) => (r.state.bucket = 'Terraform_State'),
      'state.bucket',
      'an S3 bucket name',
    ],
    [
      'prebuilt image not pinned by digest',
      (r) =>
        (r.librechat.image.prebuiltImageUri =
          '515966504419.dkr.ecr.eu-west-1.amazonaws.com/librechat-lambda-api:latest'),
      'librechat.image.prebuiltImageUri',
      'pinned by digest',
    ],
    [
      'API stage name with a slash',
      (r) => (r.api.stageName = 'v1/prod'),
      'api.stageName',
      'a stage name of letters, digits',
    ],
    [
      'CloudFront response timeout above 180 s',
      (r) => (r.api.originReadTimeoutSeconds = 300),
      'api.originReadTimeoutSeconds',
      'above 60 needs a quota increase',
    ],
    [
      'origin header not x-prefixed',
      (r) => (r.api.originVerifyHeader = 'Origin-Verify'),
      'api.originVerifyHeader',
      'starting with x-',
    ],
    [
      'throttle rate of zero',
      (r) => (r.api.throttle.rateLimit = 0),
      'api.throttle.rateLimit',
      'a whole number from 1 to 10000',
    ],
    [
      'alarm e-mail without a domain',
      (r) => (r.monitoring = { alarmEmail: 'ops@localhost' }),
      'monitoring.alarmEmail',
      'an e-mail address',
    ],
    [
      'duration fraction above the timeout',
      (r) => (r.monitoring = { lambda: { durationTimeoutFraction: 1.5 } }),
      'monitoring.lambda.durationTimeoutFraction',
      'a fraction of the timeout above 0 and at most 1',
    ],
    [
      'Redis memory threshold above 100 %',
      (r) => (r.monitoring = { redis: { memoryPercent: 120 } }),
      'monitoring.redis.memoryPercent',
      'a number from 0 to 100',
    ],
    [
      'alarm period not a whole minute',
      (r) => (r.monitoring = { periodSeconds: 90 }),
      'monitoring.periodSeconds',
      'a multiple of 60 seconds',
    ],
    [
      'unknown monitoring field',
      (r) => (r.monitoring = { lambda: { timeoutAlarm: true } }),
      'monitoring.lambda',
      'timeoutAlarm',
    ],
  ];

  it.each(cases)('%s', (_name, change, field, expected) => {
    const problems = problemsFor(change);
    const match = problems.find((p) => p.includes(field) && p.includes(expected));
    if (!match)
      throw new Error(
        `no problem names "${field}" with "${expected}"; got:\n${problems.join('\n')}`,
      );
    expect(match.startsWith(`${FILE}: `)).toBe(true);
  });

  it('has at least 15 distinct cases', () => {
    expect(new Set(cases.map(([, , field]) => field)).size).toBeGreaterThanOrEqual(15);
  });

  it('suggests the field a misspelt one was meant to be, and only a close one', () => {
    const problems = problemsFor((r) => {
      r.regoin = 'eu-west-1';
      r.domain.nme = 'x.example.com';
      r.lambda.zzzzzz = 1;
    });
    expect(problems).toContain(
      `${FILE}: (top level): unknown field "regoin" (did you mean "region"?)`,
    );
    expect(problems).toContain(`${FILE}: domain: unknown field "nme" (did you mean "name"?)`);
    expect(problems.find((p) => p.includes('"zzzzzz"'))).toMatch(/check the spelling\)$/);
  });

  it('says what kind of value a type error was given, never the value itself', () => {
    const problems = problemsFor((r) => {
      r.network.vpcId = 12345;
      r.librechat.environment = ['sk-very-secret-value'];
    });
    expect(problems.find((p) => p.includes('network.vpcId'))).toMatch(/\(got a number\)$/);
    const env = problems.find((p) => p.includes('librechat.environment'));
    expect(env).toMatch(/\(got a list\)$/);
    expect(problems.join('\n')).not.toContain('sk-very-secret-value');
  });

  it('reports a JSON syntax error with the file name', () => {
    const result = parseEnvironmentFile(FILE, '{ "region": "eu-west-1", }');
    expect(result.problems).toHaveLength(1);
    expect(result.problems![0]).toMatch(/^config\/dev\.json: not valid JSON/);
  });

  it('reports every problem of a file at once', () => {
    const problems = problemsFor((r) => {
      r.network.vpcId = 'nope';
      r.domain.hostedZoneId = 'nope';
    });
    expect(
      problems.filter((p) => p.includes('network.vpcId') || p.includes('domain.hostedZoneId')),
    ).toHaveLength(2);
  });
});

describe('loadEnvironments', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'envs-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('returns one environment per file, named after it', () => {
    copyFileSync(join(REPO_ROOT, 'config', 'dev.json'), join(dir, 'dev.json'));
    const staging = devConfigInput();
    staging.domain.name = 'staging.sandbox.data.apro.is';
    staging.api.manageAccountLoggingRole = false;
    writeFileSync(join(dir, 'staging.json'), JSON.stringify(staging));
    writeFileSync(join(dir, 'README.md'), 'not an environment');
    expect(loadEnvironments(dir).map((e) => e.name)).toEqual(['dev', 'staging']);
  });

  it('rejects a file name that cannot be an environment name', () => {
    copyFileSync(join(REPO_ROOT, 'config', 'dev.json'), join(dir, 'Prod_EU.json'));
    expect(() => loadEnvironments(dir)).toThrow(
      /Prod_EU\.json: file name "Prod_EU" is not a usable environment name/,
    );
  });

  it('rejects an empty directory and a missing one', () => {
    expect(() => loadEnvironments(dir)).toThrow(/no environment files/);
    expect(() => loadEnvironments(join(dir, 'missing'))).toThrow(ConfigError);
  });

  it('lists problems of every file before failing', () => {
    const raw = devConfigInput();
    raw.region = 'nowhere';
    writeFileSync(join(dir, 'qa.json'), JSON.stringify(raw));
    writeFileSync(join(dir, 'uat.json'), '[');
    let error: ConfigError | undefined;
    try {
      loadEnvironments(dir);
    } catch (e) {
      error = e as ConfigError;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect(
      error!.problems.some((p) =>
        p.endsWith('qa.json: region: expected an AWS region such as eu-west-1, got "nowhere"'),
      ),
    ).toBe(true);
    expect(error!.problems.some((p) => /uat\.json: not valid JSON/.test(p))).toBe(true);
    expect(readdirSync(dir)).toEqual(['qa.json', 'uat.json']);
  });
});
