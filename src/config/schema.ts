import { isAbsolute } from 'node:path';
import { z } from 'zod';
import { ENV_VAR_NAME } from '../core/names';

// The shape of one environment file in config/<env>.json. Every setting of an environment has
// exactly one home here; constructs receive the parsed, typed values and never read files.

const AWS_REGION = /^[a-z]{2}(-gov)?-[a-z]+-\d$/;
const VPC_ID = /^vpc-[0-9a-f]{8}([0-9a-f]{9})?$/;
const SUBNET_ID = /^subnet-[0-9a-f]{8}([0-9a-f]{9})?$/;
const HOSTED_ZONE_ID = /^Z[0-9A-Z]{1,31}$/;
const ACM_CERT_ARN = /^arn:aws:acm:([a-z0-9-]+):\d{12}:certificate\/[0-9a-f-]{36}$/;
const KMS_KEY_ARN = /^arn:aws:kms:[a-z0-9-]+:\d{12}:key\/[0-9a-f-]{36}$/;
const DOMAIN_NAME = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
const HOST_NAME = DOMAIN_NAME;
const S3_BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const S3_URI = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])\/(.+)$/;
const SSM_PARAMETER =
  /^(\/[A-Za-z0-9_.\-/]+|arn:aws:ssm:[a-z0-9-]+:\d{12}:parameter\/[A-Za-z0-9_.\-/]+)$/;
const DYNAMODB_TABLE = /^[A-Za-z0-9_.-]{3,255}$/;
const CONTAINER_IMAGE =
  /^[a-z0-9]+([._-][a-z0-9]+)*(:\d+)?(\/[a-z0-9]+([._-][a-z0-9]+)*)+(:[\w][\w.-]{0,127})?(@sha256:[0-9a-f]{64})?$/;
const PINNED_IMAGE =
  /^\d{12}\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com\/[a-z0-9._/-]+@sha256:[0-9a-f]{64}$/;

/** Lambda (and so Redis) reserve these; setting them in the plain environment is an error. */
export const RESERVED_LAMBDA_VARIABLES = [
  'AWS_REGION',
  'AWS_DEFAULT_REGION',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_LAMBDA_FUNCTION_NAME',
  'AWS_LAMBDA_RUNTIME_API',
  'LAMBDA_TASK_ROOT',
  '_HANDLER',
] as const;

/**
 * Variables the stack itself gives the Lambda function (from other config fields and from the
 * other constructs); an environment file cannot set or override them. Kept in step with what the
 * stack really sets by a test over the synthesized function.
 */
export const STACK_MANAGED_VARIABLES = [
  'DOMAIN_SERVER',
  'DOMAIN_CLIENT',
  'CONFIG_PATH',
  'CONFIG_S3_BUCKET',
  'CONFIG_S3_KEY',
  'CONFIG_REPLACE',
  'USE_REDIS',
  'REDIS_URI',
  'AWS_BUCKET_NAME',
  'LITELLM_BASE_URL',
  'SEARXNG_INSTANCE_URL',
  'RAG_API_URL',
  'MEILI_HOST',
  'FIRECRAWL_API_URL',
  'FORCED_IN_MEMORY_CACHE_NAMESPACES',
  'SSM_SECRETS',
  'ORIGIN_VERIFY_SECRET',
  'ORIGIN_VERIFY_HEADER',
  'HANDLER_UPLOAD_LIMIT_MB',
] as const;

const matching = (pattern: RegExp, expected: string) =>
  z
    .string({ error: (issue) => (issue.input === undefined ? 'required' : `expected ${expected}`) })
    .regex(pattern, {
      error: (issue) => `expected ${expected}, got ${JSON.stringify(issue.input)}`,
    });

const integerIn = (min: number, max: number, what: string) =>
  z
    .number({ error: `expected ${what}: a whole number from ${min} to ${max}` })
    .int({ error: `expected ${what}: a whole number from ${min} to ${max}` })
    .min(min, { error: `expected ${what}: a whole number from ${min} to ${max}` })
    .max(max, { error: `expected ${what}: a whole number from ${min} to ${max}` });

const url = (expected: string) => z.url({ protocol: /^https?$/, error: `expected ${expected}` });

/** CloudWatch Logs accepts only these retention periods. */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288,
  3653,
] as const;

const logRetentionDays = z
  .number()
  .refine((n) => (LOG_RETENTION_DAYS as readonly number[]).includes(n), {
    error: `expected one of the CloudWatch Logs retention periods: ${LOG_RETENTION_DAYS.join(', ')}`,
  });

const stateSchema = z
  .object({
    bucket: matching(
      S3_BUCKET,
      'an S3 bucket name (3-63 lowercase letters, digits, dots, hyphens)',
    ),
    region: matching(AWS_REGION, 'an AWS region such as eu-west-1'),
    dynamodbTable: matching(DYNAMODB_TABLE, 'a DynamoDB table name').optional(),
  })
  .strict();

const networkSchema = z
  .object({
    vpcId: matching(VPC_ID, 'a VPC id such as vpc-05e4efdfad1c2252a'),
    privateSubnetIds: z
      .array(matching(SUBNET_ID, 'a subnet id such as subnet-0b336ffd64e2358e8'), {
        error: 'expected a list of subnet ids',
      })
      .min(2, { error: 'expected at least two private subnets (in different availability zones)' })
      .refine((ids) => new Set(ids).size === ids.length, { error: 'expected distinct subnet ids' }),
  })
  .strict();

const domainSchema = z
  .object({
    name: matching(DOMAIN_NAME, 'a lowercase DNS name such as lambda-test.example.com'),
    hostedZoneId: matching(
      HOSTED_ZONE_ID,
      'a Route53 hosted zone id such as Z094499229C0ZN7M8OFEE',
    ),
    certificateArn: matching(
      ACM_CERT_ARN,
      'an ACM certificate ARN such as arn:aws:acm:us-east-1:123456789012:certificate/<uuid>',
    ).refine((arn) => arn.split(':')[3] === 'us-east-1', {
      error:
        'expected a certificate in us-east-1 (CloudFront only uses certificates from us-east-1)',
    }),
  })
  .strict();

const serviceUrlsSchema = z
  .object({
    litellm: url('the LiteLLM base URL, e.g. http://litellm.example.local:4000/v1'),
    searxng: url('the SearXNG URL, e.g. http://searxng.example.local:8080'),
    ragApi: url('the RAG API URL, e.g. http://rag-api.example.local:8000'),
    meilisearch: url('the Meilisearch URL, e.g. http://meilisearch.example.local:7700'),
    firecrawl: url('the Firecrawl URL, e.g. http://firecrawl.example.local:3002'),
  })
  .strict();

const envName = matching(ENV_VAR_NAME, 'an environment variable name in UPPER_SNAKE_CASE');

const librechatSchema = z
  .object({
    image: z
      .object({
        baseImage: matching(
          CONTAINER_IMAGE,
          'a container image reference such as ghcr.io/org/image:tag',
        ).default('ghcr.io/danny-avila/librechat-api:v0.8.2-rc1'),
        prebuiltImageUri: matching(
          PINNED_IMAGE,
          'an ECR image pinned by digest: <account>.dkr.ecr.<region>.amazonaws.com/<repo>@sha256:<64 hex>',
        ).optional(),
      })
      .strict()
      .prefault({}),
    configObject: matching(S3_URI, 'an S3 object URI such as s3://bucket/path/librechat.yaml'),
    configPath: z
      .string()
      .regex(/^\/tmp\/[\w./-]+$/, {
        error: 'expected an absolute path under /tmp (the only writable place in Lambda)',
      })
      .default('/tmp/librechat.yaml'),
    // One invocation takes 6,291,456 bytes including the event, after base64: about 4.4 MiB.
    uploadLimitMb: integerIn(1, 4, 'the largest upload in MiB (Lambda fits about 4.4 MiB)').default(
      4,
    ),
    configReplacesDomain: matching(
      DOMAIN_NAME,
      'the domain written in librechat.yaml that this environment replaces with domain.name',
    ).optional(),
    documentDb: z
      .object({
        host: matching(HOST_NAME, 'the DocumentDB cluster endpoint host name'),
        port: integerIn(1, 65535, 'a TCP port').default(27017),
      })
      .strict(),
    serviceUrls: serviceUrlsSchema,
    secrets: z
      .record(
        envName,
        matching(SSM_PARAMETER, 'an SSM parameter name starting with / or a parameter ARN'),
      )
      .refine((s) => Object.keys(s).length > 0, {
        error: 'expected at least one secret (MONGO_URI)',
      })
      .refine((s) => 'MONGO_URI' in s, {
        error: 'expected MONGO_URI: LibreChat cannot start without it',
      }),
    secretsKmsKeyArn: matching(
      KMS_KEY_ARN,
      'a KMS key ARN (only for a customer-managed key)',
    ).optional(),
    environment: z
      .record(envName, z.string({ error: 'expected a string value' }))
      .refine(
        (vars) =>
          !Object.keys(vars).some((k) =>
            (RESERVED_LAMBDA_VARIABLES as readonly string[]).includes(k),
          ),
        {
          error: `expected no reserved Lambda variables (${RESERVED_LAMBDA_VARIABLES.join(', ')})`,
        },
      )
      .default({}),
  })
  .strict()
  .superRefine((lc, ctx) => {
    for (const [field, names] of [
      ['environment', Object.keys(lc.environment)],
      ['secrets', Object.keys(lc.secrets)],
    ] as const) {
      for (const name of names) {
        if ((STACK_MANAGED_VARIABLES as readonly string[]).includes(name)) {
          ctx.addIssue({
            code: 'custom',
            path: [field, name],
            message: `${name} is set by the stack (from the other config fields and resources): remove it here`,
          });
        } else if (
          field === 'secrets' &&
          (RESERVED_LAMBDA_VARIABLES as readonly string[]).includes(name)
        ) {
          ctx.addIssue({
            code: 'custom',
            path: [field, name],
            message: `${name} is reserved by Lambda and cannot be set`,
          });
        }
      }
    }
    for (const name of Object.keys(lc.environment)) {
      if (name in lc.secrets) {
        ctx.addIssue({
          code: 'custom',
          path: ['environment', name],
          message: `${name} is also listed in librechat.secrets: a variable is either plain or a secret`,
        });
      }
    }
  });

const lambdaSchema = z
  .object({
    memoryMb: integerIn(128, 10240, 'the Lambda memory in MB').default(1024),
    timeoutSeconds: integerIn(1, 900, 'the Lambda timeout in seconds').default(900),
    ephemeralStorageMb: integerIn(512, 10240, 'the Lambda /tmp size in MB').default(2048),
    architecture: z
      .enum(['x86_64', 'arm64'], { error: 'expected x86_64 or arm64' })
      .default('x86_64'),
    logRetentionDays: logRetentionDays.default(30),
  })
  .strict()
  .prefault({});

const redisSchema = z
  .object({
    nodeType: matching(
      /^cache\.[a-z0-9]+\.[a-z0-9]+$/,
      'an ElastiCache node type such as cache.t4g.micro',
    ).default('cache.t4g.micro'),
    engineVersion: matching(/^[67]\.\d+$/, 'a Redis engine version such as 7.1').default('7.1'),
    transitEncryption: z.boolean({ error: 'expected true or false' }).default(false),
    slowLogRetentionDays: logRetentionDays.default(14),
  })
  .strict()
  .prefault({});

/** CloudFront price classes: which edge locations serve the site (cost vs. latency). */
export const PRICE_CLASSES = ['PriceClass_100', 'PriceClass_200', 'PriceClass_All'] as const;

const localPath = (expected: string) =>
  z
    .string({ error: (issue) => (issue.input === undefined ? 'required' : `expected ${expected}`) })
    .min(1, { error: `expected ${expected}` })
    .refine((p) => !p.includes('\0'), { error: `expected ${expected}` });

// Where the published web client comes from. Relative paths resolve against the directory of the
// environment file (config/), like paths in any other configuration file.
const frontendSchema = z
  .object({
    priceClass: z
      .enum(PRICE_CLASSES, { error: `expected one of ${PRICE_CLASSES.join(', ')}` })
      .default('PriceClass_100'),
    distDir: localPath(
      'a directory holding the built LibreChat client (index.html and assets), e.g. ../../LibreChat/client/dist',
    ).optional(),
    build: z
      .object({
        sourceDir: localPath(
          'the LibreChat checkout to build the client from (the directory with package-lock.json)',
        ),
        command: z
          .string({
            error: 'expected the npm command that builds the client, e.g. npm run frontend',
          })
          .trim()
          .min(1, {
            error: 'expected the npm command that builds the client, e.g. npm run frontend',
          }),
        outputDir: localPath(
          'the directory the build writes, relative to sourceDir, e.g. client/dist',
        ).default('client/dist'),
        // What the build reads: its content hash decides whether to build again. Naming it keeps
        // a checkout's runtime data (data-node/, uploads/, logs/) out of the hash.
        inputs: z
          .array(
            localPath('a file or directory of sourceDir the build reads, e.g. client').refine(
              (p) => !isAbsolute(p) && !p.split(/[\\/]/).includes('..'),
              { error: 'expected a path inside sourceDir, relative to it, e.g. client' },
            ),
            { error: 'expected a list of paths inside sourceDir' },
          )
          .min(1, { error: 'expected at least one path inside sourceDir' })
          .default(['package.json', 'package-lock.json', 'client', 'packages']),
      })
      .strict()
      .optional(),
  })
  .strict()
  .superRefine((fe, ctx) => {
    if (fe.distDir !== undefined && fe.build !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['build'],
        message:
          'expected either distDir (a prebuilt client) or build (a client built from source), not both',
      });
    }
  })
  .prefault({});

const apiSchema = z
  .object({
    stageName: matching(/^[A-Za-z0-9_-]{1,64}$/, 'a stage name of letters, digits, - or _').default(
      'prod',
    ),
    throttle: z
      .object({
        burstLimit: integerIn(1, 10000, 'the stage burst limit (requests)').default(200),
        rateLimit: integerIn(1, 10000, 'the stage rate limit (requests per second)').default(100),
      })
      .strict()
      .prefault({}),
    accessLogRetentionDays: logRetentionDays.default(30),
    manageAccountLoggingRole: z.boolean({ error: 'expected true or false' }).default(false),
    originReadTimeoutSeconds: integerIn(
      1,
      180,
      'the CloudFront response timeout in seconds (also the longest silent gap of a stream; above 60 needs a quota increase)',
    ).default(60),
    originKeepaliveTimeoutSeconds: integerIn(
      1,
      60,
      'the CloudFront keep-alive timeout in seconds',
    ).default(5),
    originVerifyHeader: matching(
      /^x-[a-z0-9-]+$/,
      'a lowercase header name starting with x-',
    ).default('x-origin-verify'),
  })
  .strict()
  .prefault({});

const EMAIL_ADDRESS =
  /^[A-Za-z0-9._%+-]+@([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$/;

const percent = (what: string) =>
  z
    .number({ error: `expected ${what}: a number from 0 to 100` })
    .min(0, { error: `expected ${what}: a number from 0 to 100` })
    .max(100, { error: `expected ${what}: a number from 0 to 100` });

// CloudWatch alarms and dashboard. Every alarm fires when its statistic over one period reaches
// the threshold (>=) for `evaluationPeriods` periods in a row; missing data never alarms.
const monitoringSchema = z
  .object({
    alarmEmail: matching(EMAIL_ADDRESS, 'an e-mail address such as ops@example.com').optional(),
    periodSeconds: integerIn(60, 86400, 'the alarm period in seconds')
      .refine((n) => n % 60 === 0, { error: 'expected a multiple of 60 seconds' })
      .default(300),
    evaluationPeriods: integerIn(1, 100, 'the number of periods an alarm must breach').default(1),
    lambda: z
      .object({
        errors: integerIn(1, 1000000, 'the Lambda errors per period').default(5),
        throttles: integerIn(1, 1000000, 'the Lambda throttles per period').default(1),
        durationTimeoutFraction: z
          .number({ error: 'expected a fraction of the timeout above 0 and at most 1, e.g. 0.8' })
          .gt(0, { error: 'expected a fraction of the timeout above 0 and at most 1, e.g. 0.8' })
          .max(1, { error: 'expected a fraction of the timeout above 0 and at most 1, e.g. 0.8' })
          .default(0.8),
        concurrentExecutions: integerIn(1, 100000, 'the Lambda concurrent executions').default(100),
      })
      .strict()
      .prefault({}),
    api: z
      .object({
        serverErrors: integerIn(1, 1000000, 'the API Gateway 5XX errors per period').default(5),
        latencyP99Ms: integerIn(1, 900000, 'the API Gateway p99 latency in milliseconds').default(
          60000,
        ),
      })
      .strict()
      .prefault({}),
    redis: z
      .object({
        engineCpuPercent: percent('the Redis engine CPU percentage').default(80),
        memoryPercent: percent('the Redis memory usage percentage').default(80),
        evictions: integerIn(1, 1000000000, 'the Redis evictions per period').default(1),
        currentConnections: integerIn(1, 65000, 'the Redis current connections').default(1000),
      })
      .strict()
      .prefault({}),
    cloudfront: z
      .object({
        error5xxRatePercent: percent('the CloudFront 5xx error rate percentage').default(5),
      })
      .strict()
      .prefault({}),
  })
  .strict()
  .prefault({});

export const environmentConfigSchema = z
  .object({
    $schema: z.string().optional(),
    region: matching(AWS_REGION, 'an AWS region such as eu-west-1'),
    tags: z.record(z.string(), z.string()).default({}),
    state: stateSchema,
    network: networkSchema,
    domain: domainSchema,
    librechat: librechatSchema,
    lambda: lambdaSchema,
    redis: redisSchema,
    frontend: frontendSchema,
    api: apiSchema,
    monitoring: monitoringSchema,
  })
  .strict()
  .superRefine((cfg, ctx) => {
    if (cfg.librechat.configReplacesDomain === cfg.domain.name) {
      ctx.addIssue({
        code: 'custom',
        path: ['librechat', 'configReplacesDomain'],
        message: 'expected a domain other than domain.name (it is replaced by domain.name)',
      });
    }
  });

/** A validated environment file, with defaults applied. */
export type EnvironmentConfig = z.output<typeof environmentConfigSchema>;
/** The `frontend` section: price class and where the published web client comes from. */
export type FrontendConfig = EnvironmentConfig['frontend'];
/** The `monitoring` section: alarm thresholds and the optional alarm e-mail. */
export type MonitoringConfig = EnvironmentConfig['monitoring'];
/** What may be written in an environment file (defaults make fields optional). */
export type EnvironmentConfigInput = z.input<typeof environmentConfigSchema>;

/** Splits a validated s3:// URI into bucket and key. */
export function parseS3Uri(uri: string): { bucket: string; key: string } {
  const m = S3_URI.exec(uri);
  if (!m) throw new Error(`not an s3:// URI: ${uri}`);
  return { bucket: m[1], key: m[2] };
}
