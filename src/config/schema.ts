import { isAbsolute } from 'node:path';
import { z } from 'zod';
import { API_ROUTE_DEFAULTS } from '../api/api-distribution-route';
import { FIRST_GENERATION } from '../api/origin-verify-secret';
import { STREAMING_REST_API_DEFAULTS } from '../api/streaming-rest-api';
import { DEFAULT_LAMBDA_ARCHITECTURE, LAMBDA_ARCHITECTURES } from '../backend/function-image';
import { DEFAULT_DOCUMENTDB_PORT } from '../backend/function-security-group';
import { LIBRECHAT_FUNCTION_DEFAULTS } from '../backend/librechat-function';
import { SESSION_CACHE_DEFAULTS } from '../backend/session-cache';
import {
  ENV_NAME,
  LAMBDA_RESERVED_VARIABLES,
  ORIGIN_HEADER_NAME,
  STACK_MANAGED_VARIABLES,
  VARIABLES,
} from '../../handler/src/contract';
import { SSM_PARAMETER_ARN, SSM_PARAMETER_NAME } from '../core/names';
import { DEFAULT_PRICE_CLASS, PRICE_CLASSES } from '../frontend/frontend-distribution';
import { SITE_FIREWALL_DEFAULTS } from '../frontend/site-firewall';
import { MONITORING_DEFAULTS } from '../operations/service-alarms';
import {
  hasCredentials,
  objectKeyProblems,
  rejectTerraformTemplates,
  tagProblems,
} from './free-text';
import { handlerSettingsProblem } from './handler-settings';
import { AWS_PARTITION_REGIONS } from './regions';

// The shape of one environment file in config/<env>.json. Every setting of an environment has
// exactly one home here; constructs receive the parsed, typed values and never read files.

const AWS_REGION = /^[a-z]{2}(-gov)?-[a-z]+-\d$/;
const VPC_ID = /^vpc-[0-9a-f]{8}([0-9a-f]{9})?$/;
const SUBNET_ID = /^subnet-[0-9a-f]{8}([0-9a-f]{9})?$/;
const HOSTED_ZONE_ID = /^Z[0-9A-Z]{1,31}$/;
const ACM_CERT_ARN = /^arn:aws:acm:([a-z0-9-]+):\d{12}:certificate\/[0-9a-f-]{36}$/;
const KMS_KEY_ARN = /^arn:aws:kms:[a-z0-9-]+:\d{12}:key\/[0-9a-f-]{36}$/;
const DOMAIN_NAME = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
const S3_BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const S3_URI = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])\/(.+)$/;
const SSM_PARAMETER = new RegExp(`${SSM_PARAMETER_NAME.source}|${SSM_PARAMETER_ARN.source}`);
const DYNAMODB_TABLE = /^[A-Za-z0-9_.-]{3,255}$/;
const SECURITY_GROUP_ID = /^sg-[0-9a-f]{8}([0-9a-f]{9})?$/;
// A task definition family (optionally :revision) or its ARN; an ECS container name.
const ECS_TASK_DEFINITION =
  /^([A-Za-z0-9_-]{1,255}(:\d+)?|arn:aws[a-z-]*:ecs:[a-z0-9-]+:\d{12}:task-definition\/[A-Za-z0-9_-]{1,255}(:\d+)?)$/;
const ECS_CONTAINER_NAME = /^[A-Za-z0-9_-]{1,255}$/;
const CONTAINER_IMAGE =
  /^[a-z0-9]+([._-][a-z0-9]+)*(:\d+)?(\/[a-z0-9]+([._-][a-z0-9]+)*)+(:[\w][\w.-]{0,127})?(@sha256:[0-9a-f]{64})?$/;
const PINNED_IMAGE =
  /^\d{12}\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com\/[a-z0-9._/-]+@sha256:[0-9a-f]{64}$/;

/** What the design leaves out of the ECS task's environment (the function sets its own). */
export const DEFAULT_INHERIT_EXCLUDE = ['ASSETS_URL', 'HOST', 'PORT', 'TRUST_PROXY'];

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

const url = (expected: string) =>
  z.url({ protocol: /^https?$/, error: `expected ${expected}` }).refine((u) => !hasCredentials(u), {
    error: `expected ${expected} without a user name or password (they would land in the Terraform state; pass credentials as librechat.secrets)`,
  });

// The stack writes `arn:aws:` ARNs: only regions of the aws partition, from the real list.
const awsRegion = () =>
  matching(AWS_REGION, 'an AWS region such as eu-west-1').refine(
    (r) => AWS_PARTITION_REGIONS.includes(r),
    {
      error: (issue) =>
        `expected a region of the aws partition such as eu-west-1 (${JSON.stringify(issue.input)} is not one; other partitions such as aws-cn or aws-us-gov are not supported)`,
    },
  );

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
    ).describe(
      'S3 bucket of the Terraform state; the key is librechat-lambda/<env>/terraform.tfstate, encrypted, with S3-native locking',
    ),
    region: awsRegion().describe('region of the state bucket'),
    dynamodbTable: matching(DYNAMODB_TABLE, 'a DynamoDB table name')
      .optional()
      .describe(
        'legacy DynamoDB lock table, only if you still use one (S3-native locking needs none)',
      ),
  })
  .strict();

const networkSchema = z
  .object({
    vpcId: matching(VPC_ID, 'a VPC id such as vpc-05e4efdfad1c2252a').describe(
      'the existing VPC (looked up for its CIDR)',
    ),
    privateSubnetIds: z
      .array(matching(SUBNET_ID, 'a subnet id such as subnet-0b336ffd64e2358e8'), {
        error: 'expected a list of subnet ids',
      })
      .min(2, { error: 'expected at least two private subnets (in different availability zones)' })
      .refine((ids) => new Set(ids).size === ids.length, { error: 'expected distinct subnet ids' })
      .describe(
        'at least two private subnets, in different availability zones, for Lambda and Redis',
      ),
    // Existing groups attached to the function beside its own (Lambda allows five in all).
    additionalSecurityGroupIds: z
      .array(matching(SECURITY_GROUP_ID, 'a security group id such as sg-07d152120863401c2'), {
        error: 'expected a list of security group ids',
      })
      .max(4, { error: "expected at most 4 groups (Lambda allows 5, one is the function's own)" })
      .refine((ids) => new Set(ids).size === ids.length, {
        error: 'expected distinct security group ids',
      })
      .default([])
      .describe(
        "existing security groups attached to the function beside its own (dev: the shared-services group, which gives the ECS task's access to DocumentDB and the Cloud Map services)",
      ),
  })
  .strict();

const domainSchema = z
  .object({
    name: matching(DOMAIN_NAME, 'a lowercase DNS name such as lambda-test.example.com').describe(
      "the site's domain (CloudFront alias, Route53 record)",
    ),
    hostedZoneId: matching(
      HOSTED_ZONE_ID,
      'a Route53 hosted zone id such as Z094499229C0ZN7M8OFEE',
    ).describe('the existing Route53 hosted zone of the domain'),
    certificateArn: matching(
      ACM_CERT_ARN,
      'an ACM certificate ARN such as arn:aws:acm:us-east-1:123456789012:certificate/<uuid>',
    )
      .refine((arn) => arn.split(':')[3] === 'us-east-1', {
        error:
          'expected a certificate in us-east-1 (CloudFront only uses certificates from us-east-1)',
      })
      .describe(
        'an existing ACM certificate for the domain, in us-east-1 (CloudFront uses only those)',
      ),
  })
  .strict();

const serviceUrlsSchema = z
  .object({
    litellm: url('the LiteLLM base URL, e.g. http://litellm.example.local:4000/v1').describe(
      'LiteLLM base URL (LITELLM_BASE_URL)',
    ),
    searxng: url('the SearXNG URL, e.g. http://searxng.example.local:8080').describe(
      'SearXNG URL (SEARXNG_INSTANCE_URL)',
    ),
    ragApi: url('the RAG API URL, e.g. http://rag-api.example.local:8000').describe(
      'RAG API URL (RAG_API_URL)',
    ),
    meilisearch: url('the Meilisearch URL, e.g. http://meilisearch.example.local:7700').describe(
      'Meilisearch URL (MEILI_HOST)',
    ),
    firecrawl: url('the Firecrawl URL, e.g. http://firecrawl.example.local:3002').describe(
      'Firecrawl URL (FIRECRAWL_API_URL)',
    ),
  })
  .strict();

const envName = matching(ENV_NAME, 'an environment variable name in UPPER_SNAKE_CASE');

const librechatSchema = z
  .object({
    image: z
      .object({
        baseImage: matching(
          CONTAINER_IMAGE,
          'a container image reference such as ghcr.io/org/image:tag',
        )
          .default('ghcr.io/danny-avila/librechat-api:v0.8.2-rc1')
          .describe(
            'the LibreChat API image the Lambda image is built on (a tag, or tag@sha256:... to pin it)',
          ),
        // The RDS CA bundle's sha256 (`ADD --checksum` in handler/Dockerfile); docs/security.md.
        rdsCaBundleSha256: matching(
          /^[0-9a-f]{64}$/,
          'the sha256 of the RDS CA bundle, 64 lowercase hex digits',
        )
          .optional()
          .describe(
            'sha256 of the RDS CA bundle the image build downloads (ADD --checksum; required to build: docs/security.md)',
          ),
        prebuiltImageUri: matching(
          PINNED_IMAGE,
          'an ECR image pinned by digest: <account>.dkr.ecr.<region>.amazonaws.com/<repo>@sha256:<64 hex>',
        )
          .optional()
          .describe('an ECR image built elsewhere, pinned by digest: nothing is built on deploy'),
      })
      .strict()
      .prefault({})
      .describe('the Lambda image'),
    configObject: matching(S3_URI, 'an S3 object URI such as s3://bucket/path/librechat.yaml')
      .superRefine((uri, ctx) => {
        const key = S3_URI.exec(uri)?.[2];
        for (const message of key === undefined ? [] : objectKeyProblems(key)) {
          ctx.addIssue({ code: 'custom', message });
        }
      })
      .describe('s3://bucket/key of librechat.yaml, fetched by the handler at cold start'),
    configPath: z
      .string()
      .regex(/^\/tmp\/[\w./-]+$/, {
        error: 'expected an absolute path under /tmp (the only writable place in Lambda)',
      })
      .default(VARIABLES.CONFIG_PATH.default)
      .describe('where the handler writes librechat.yaml for LibreChat (under /tmp)'),
    // The handler's HANDLER_UPLOAD_LIMIT_MB (one invocation carries about 4.4 MiB of file).
    uploadLimitMb: integerIn(
      VARIABLES.HANDLER_UPLOAD_LIMIT_MB.min,
      VARIABLES.HANDLER_UPLOAD_LIMIT_MB.max,
      'the largest upload in MiB (Lambda fits about 4.4 MiB)',
    )
      .default(VARIABLES.HANDLER_UPLOAD_LIMIT_MB.default)
      .describe(
        'the largest upload in MiB: merged into librechat.yaml as a ceiling at cold start, so the client refuses bigger files itself (a request carries about 4.4 MiB at most)',
      ),
    configReplacesDomain: matching(
      DOMAIN_NAME,
      'the domain written in librechat.yaml that this environment replaces with domain.name',
    )
      .optional()
      .describe(
        'a domain written in librechat.yaml that this environment replaces with domain.name',
      ),
    documentDb: z
      .object({
        port: integerIn(1, 65535, 'a TCP port')
          .default(DEFAULT_DOCUMENTDB_PORT)
          .describe("the cluster's port: opens the function's egress rule"),
      })
      .strict()
      .prefault({})
      .describe(
        'the existing DocumentDB cluster (the connection string itself is the MONGO_URI secret)',
      ),
    serviceUrls: serviceUrlsSchema.describe('the existing Cloud Map services LibreChat calls'),
    secrets: z
      .record(
        envName,
        // Never quotes the value: this field names where secrets live.
        z
          .string({ error: 'expected an SSM parameter name starting with / or a parameter ARN' })
          .regex(SSM_PARAMETER, {
            error: 'expected an SSM parameter name starting with / or a parameter ARN',
          }),
      )
      .refine((s) => Object.keys(s).length > 0, {
        error: 'expected at least one secret (MONGO_URI)',
      })
      .refine((s) => 'MONGO_URI' in s, {
        error: 'expected MONGO_URI: LibreChat cannot start without it',
      })
      .describe(
        'variable name -> SSM parameter name or ARN, read by the handler at cold start (must hold MONGO_URI); values never enter Terraform',
      ),
    secretsKmsKeyArn: matching(KMS_KEY_ARN, 'a KMS key ARN (only for a customer-managed key)')
      .optional()
      .describe(
        'the customer-managed KMS key of the parameters (grants kms:Decrypt); leave out for the aws/ssm key',
      ),
    environment: z
      .record(envName, z.string({ error: 'expected a string value' }))
      .refine(
        (vars) =>
          !Object.keys(vars).some((k) =>
            (LAMBDA_RESERVED_VARIABLES as readonly string[]).includes(k),
          ),
        {
          error: `expected no reserved Lambda variables (${LAMBDA_RESERVED_VARIABLES.join(', ')})`,
        },
      )
      .default({})
      .describe(
        "extra plain variables for LibreChat; names the stack sets itself (USE_REDIS, SSM_SECRETS, ...) and Lambda's reserved ones are rejected",
      ),
    // The existing ECS task's environment, inherited by LibreChat at cold start (docs/deploy.md).
    environmentFrom: z
      .object({
        ecsTaskDefinition: matching(
          ECS_TASK_DEFINITION,
          'an ECS task definition family (optionally family:revision) or its ARN, e.g. aprochat-api',
        ).describe('the ECS task definition (family, family:revision or ARN)'),
        containerName: matching(
          ECS_CONTAINER_NAME,
          'the container of the task definition whose environment is inherited, e.g. aprochat-api',
        ).describe('the container whose environment is inherited'),
        exclude: z
          .array(envName, { error: 'expected a list of environment variable names' })
          .default(DEFAULT_INHERIT_EXCLUDE)
          .describe('names not inherited (replaces the default list)'),
      })
      .strict()
      .optional()
      .describe(
        "inherit an ECS container's environment at cold start, under everything the stack and librechat.environment set (docs/deploy.md)",
      ),
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
          (LAMBDA_RESERVED_VARIABLES as readonly string[]).includes(name)
        ) {
          ctx.addIssue({
            code: 'custom',
            path: [field, name],
            message: `${name} is reserved by Lambda and cannot be set`,
          });
        }
      }
    }
    const settings = handlerSettingsProblem(lc.environment);
    if (settings) {
      ctx.addIssue({
        code: 'custom',
        path: settings.name ? ['environment', settings.name] : ['environment'],
        message: settings.message,
      });
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

/** How the LibreChat function runs (docs/compute-modes.md). */
export const COMPUTE_MODES = ['on-demand', 'managed-instances'] as const;

const EC2_INSTANCE_TYPE = /^[a-z][a-z0-9-]*\.(\*|[a-z0-9-]+)$/;

// Lambda Managed Instances: the capacity provider and how the function uses it.
const managedInstancesSchema = z
  .object({
    maxConcurrency: integerIn(1, 1600, 'the invocations one execution environment serves at once')
      .default(64)
      .describe(
        'invocations one execution environment serves at once (PerExecutionEnvironmentMaxConcurrency)',
      ),
    memoryGibPerVcpu: z
      .union([z.literal(2), z.literal(4), z.literal(8)], {
        error: 'expected 2, 4 or 8 (GiB of memory per vCPU)',
      })
      .default(2)
      .describe('GiB of memory per vCPU of an execution environment'),
    instanceTypes: z
      .array(matching(EC2_INSTANCE_TYPE, 'an EC2 instance type such as m7g.large or m7g.*'), {
        error: 'expected a list of EC2 instance types',
      })
      .min(1, { error: 'expected at least one instance type (or leave it out)' })
      .optional()
      .describe('EC2 instance types the capacity provider may use (default: chosen by Lambda)'),
    maxVcpus: integerIn(1, 15000, 'the most vCPUs the capacity provider may run')
      .optional()
      .describe('the most vCPUs the capacity provider may run (caps cost)'),
    targetCpuPercent: integerIn(1, 100, 'the average CPU percentage to scale to')
      .optional()
      .describe('the average CPU percentage the capacity provider scales to'),
  })
  .strict();

/** `lambda.managedInstances` with its defaults applied. */
export type ManagedInstancesConfig = z.output<typeof managedInstancesSchema>;

const lambdaSchema = z
  .object({
    memoryMb: integerIn(128, 10240, 'the Lambda memory in MB')
      .default(LIBRECHAT_FUNCTION_DEFAULTS.memoryMb)
      .describe('Lambda memory in MB (CPU scales with it)'),
    timeoutSeconds: integerIn(1, 900, 'the Lambda timeout in seconds')
      .default(LIBRECHAT_FUNCTION_DEFAULTS.timeoutSeconds)
      .describe('Lambda timeout in seconds: the longest a streamed reply can run'),
    ephemeralStorageMb: integerIn(512, 10240, 'the Lambda /tmp size in MB')
      .default(LIBRECHAT_FUNCTION_DEFAULTS.ephemeralStorageMb)
      .describe('size of /tmp in MB (LibreChat writes logs, uploads and the config there)'),
    architecture: z
      .enum(LAMBDA_ARCHITECTURES, { error: `expected ${LAMBDA_ARCHITECTURES.join(' or ')}` })
      .default(DEFAULT_LAMBDA_ARCHITECTURE)
      .describe('Lambda architecture; the image is built for it'),
    logRetentionDays: logRetentionDays
      .default(LIBRECHAT_FUNCTION_DEFAULTS.logRetentionDays)
      .describe("retention of the function's log group (a CloudWatch Logs retention period)"),
    // Environments kept initialised on a published version's alias (0: none, no alias).
    provisionedConcurrency: integerIn(0, 10000, 'the provisioned concurrency (0 for none)')
      .default(0)
      .describe(
        "environments kept initialised on a published version's alias, which the API invokes (trade-off: docs/deploy.md)",
      ),
    // The most environments this function may take from the account's shared pool.
    reservedConcurrency: integerIn(1, 100000, 'the reserved concurrency')
      .optional()
      .describe("cap on concurrent environments, taken from the account's shared pool"),
    compute: z
      .enum(COMPUTE_MODES, { error: `expected one of ${COMPUTE_MODES.join(', ')}` })
      .default('on-demand')
      .describe(
        'on-demand (one request per environment, frozen between requests) or managed-instances (Lambda Managed Instances: never frozen, many requests per environment; docs/compute-modes.md)',
      ),
    managedInstances: managedInstancesSchema
      .optional()
      .describe('settings of managed-instances (only with compute managed-instances)'),
  })
  .strict()
  .superRefine((l, ctx) => {
    if (l.reservedConcurrency !== undefined && l.provisionedConcurrency > l.reservedConcurrency) {
      ctx.addIssue({
        code: 'custom',
        path: ['provisionedConcurrency'],
        message: `expected at most reservedConcurrency (${l.reservedConcurrency}): Lambda cannot provision more than it reserves`,
      });
    }
    if (l.compute !== 'managed-instances') {
      if (l.managedInstances !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['managedInstances'],
          message: 'expected no managedInstances settings unless compute is managed-instances',
        });
      }
      return;
    }
    if (l.provisionedConcurrency > 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['provisionedConcurrency'],
        message:
          'expected 0 on managed-instances: its environments are never frozen and its capacity provider scales them',
      });
    }
    const ratio = (l.managedInstances ?? managedInstancesSchema.parse({})).memoryGibPerVcpu;
    const least = Math.max(2048, ratio * 1024);
    if (l.memoryMb < least) {
      ctx.addIssue({
        code: 'custom',
        path: ['memoryMb'],
        message: `expected at least ${least} MB on managed-instances (2 GB minimum, and at least one vCPU at ${ratio} GiB per vCPU)`,
      });
    }
  })
  .transform((l) => ({
    ...l,
    // Defaults of the managed-instances settings, present only in that mode.
    managedInstances:
      l.compute === 'managed-instances'
        ? (l.managedInstances ?? managedInstancesSchema.parse({}))
        : undefined,
  }))
  .prefault({});

const redisSchema = z
  .object({
    nodeType: matching(
      /^cache\.[a-z0-9]+\.[a-z0-9]+$/,
      'an ElastiCache node type such as cache.t4g.micro',
    )
      .default(SESSION_CACHE_DEFAULTS.nodeType)
      .describe('ElastiCache node type'),
    engineVersion: matching(/^[67]\.\d+$/, 'a Redis engine version such as 7.1')
      .default(SESSION_CACHE_DEFAULTS.engineVersion)
      .describe('Redis engine version (6.x or 7.x)'),
    transitEncryption: z
      .boolean({ error: 'expected true or false' })
      .default(false)
      .describe('TLS between the function and Redis (rediss://)'),
    slowLogRetentionDays: logRetentionDays
      .default(14)
      .describe('retention of the slow-log log group'),
  })
  .strict()
  .prefault({});

const localPath = (expected: string) =>
  z
    .string({ error: (issue) => (issue.input === undefined ? 'required' : `expected ${expected}`) })
    .min(1, { error: `expected ${expected}` })
    .refine((p) => !p.includes('\0'), { error: `expected ${expected}` });

// Where the published web client comes from. Relative paths resolve against the directory of the
// environment file (config/), like paths in any other configuration file.
/** Where the published web client comes from (`image`: the LibreChat image's /app/client/dist). */
export const FRONTEND_SOURCES = ['image', 'distDir', 'build'] as const;

const frontendSchema = z
  .object({
    source: z
      .enum(FRONTEND_SOURCES, { error: `expected one of ${FRONTEND_SOURCES.join(', ')}` })
      .optional()
      .describe(
        "where the published client comes from: image (the LibreChat image's /app/client/dist, the default), distDir or build (default: the one of them given)",
      ),
    priceClass: z
      .enum(PRICE_CLASSES, { error: `expected one of ${PRICE_CLASSES.join(', ')}` })
      .default(DEFAULT_PRICE_CLASS)
      .describe('CloudFront price class: which edge locations serve the site (cost vs. latency)'),
    distDir: localPath(
      'a directory holding the built LibreChat client (index.html and assets), e.g. ../../LibreChat/client/dist',
    )
      .optional()
      .describe(
        'a prebuilt LibreChat client (a directory with index.html) to publish, relative to the environment file',
      ),
    build: z
      .object({
        sourceDir: localPath(
          'the LibreChat checkout to build the client from (the directory with package-lock.json)',
        ).describe(
          'the LibreChat checkout (the directory with package-lock.json), relative to the environment file',
        ),
        command: z
          .string({
            error: 'expected the npm command that builds the client, e.g. npm run frontend',
          })
          .trim()
          .min(1, {
            error: 'expected the npm command that builds the client, e.g. npm run frontend',
          })
          .describe(
            'the npm command that builds the client, run after npm ci (e.g. npm run frontend)',
          ),
        outputDir: localPath(
          'the directory the build writes, relative to sourceDir, e.g. client/dist',
        )
          .default('client/dist')
          .describe('where the build writes the client, relative to sourceDir'),
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
          .default(['package.json', 'package-lock.json', 'client', 'packages'])
          .describe(
            'what the build reads, relative to sourceDir: their content hash decides whether to build again',
          ),
      })
      .strict()
      .optional()
      .describe('instead of distDir: build the client from a LibreChat checkout on synth'),
    // Left out of the published client unless turned on here (asset-manifest.ts).
    publish: z
      .object({
        dotfiles: z
          .boolean({ error: 'expected true or false' })
          .default(false)
          .describe('publish files whose name starts with a dot'),
        sourceMaps: z
          .boolean({ error: 'expected true or false' })
          .default(false)
          .describe('publish source maps (*.map)'),
        symlinks: z
          .boolean({ error: 'expected true or false' })
          .default(false)
          .describe('follow symbolic links in the client directory'),
      })
      .strict()
      .prefault({})
      .describe('what a distDir or build publishes beyond the plain files'),
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
    for (const field of ['distDir', 'build'] as const) {
      if (fe.source === field && fe[field] === undefined) {
        ctx.addIssue({ code: 'custom', path: [field], message: `required with source ${field}` });
      }
      if (fe.source !== undefined && fe.source !== field && fe[field] !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: [field],
          message: `expected no ${field} with source ${fe.source} (or set source to ${field})`,
        });
      }
    }
  })
  // The source is the field given, else the LibreChat image (the client of the API's own version).
  .transform((fe) => ({
    ...fe,
    source:
      fe.source ??
      (fe.distDir !== undefined ? 'distDir' : fe.build !== undefined ? 'build' : 'image'),
  }))
  .prefault({});

const apiSchema = z
  .object({
    stageName: matching(/^[A-Za-z0-9_-]{1,64}$/, 'a stage name of letters, digits, - or _')
      .default(STREAMING_REST_API_DEFAULTS.stageName)
      .describe("the REST API's single stage (CloudFront's origin path is /<stage>)"),
    throttle: z
      .object({
        burstLimit: integerIn(1, 10000, 'the stage burst limit (requests)')
          .default(STREAMING_REST_API_DEFAULTS.throttle.burstLimit)
          .describe('burst limit (requests)'),
        rateLimit: integerIn(1, 10000, 'the stage rate limit (requests per second)')
          .default(STREAMING_REST_API_DEFAULTS.throttle.rateLimit)
          .describe('steady rate limit (requests per second)'),
      })
      .strict()
      .prefault({})
      .describe('stage-wide throttling'),
    accessLogRetentionDays: logRetentionDays
      .default(STREAMING_REST_API_DEFAULTS.accessLogRetentionDays)
      .describe("retention of the stage's JSON access logs"),
    manageAccountLoggingRole: z
      .boolean({ error: 'expected true or false' })
      .default(false)
      .describe(
        "set the account's API Gateway CloudWatch role (one per account and region: one environment only)",
      )
      .describe(
        'create the account-wide API Gateway CloudWatch role (one setting per account and region: one environment only)',
      ),
    originReadTimeoutSeconds: integerIn(
      1,
      180,
      'the CloudFront response timeout in seconds (also the longest silent gap of a stream; above 60 needs a quota increase)',
    )
      .default(API_ROUTE_DEFAULTS.readTimeoutSeconds)
      .describe(
        "CloudFront's wait for the API's first byte and between stream chunks (above 60 needs a quota increase)",
      ),
    originKeepaliveTimeoutSeconds: integerIn(1, 60, 'the CloudFront keep-alive timeout in seconds')
      .default(API_ROUTE_DEFAULTS.keepaliveTimeoutSeconds)
      .describe("CloudFront's keep-alive timeout to the API"),
    originVerifyHeader: matching(ORIGIN_HEADER_NAME, 'a lowercase header name starting with x-')
      .default(VARIABLES.ORIGIN_VERIFY_HEADER.default)
      .describe('the header CloudFront adds so the handler can reject requests that bypass it'),
    // Raise by one to rotate the origin secret (docs/security.md); the previous value stays
    // accepted for originVerifyPreviousMinutes after the new one is stored.
    originVerifyGeneration: integerIn(
      1,
      1000000,
      'the origin secret generation (raise it by one to rotate the secret)',
    )
      .default(FIRST_GENERATION)
      .describe('the origin secret generation: raise it by one to rotate the secret'),
    // The handler's ORIGIN_VERIFY_PREVIOUS_WINDOW_S, in minutes.
    originVerifyPreviousMinutes: integerIn(
      1,
      VARIABLES.ORIGIN_VERIFY_PREVIOUS_WINDOW_S.max / 60,
      'how long the previous origin secret stays accepted after a rotation, in minutes',
    )
      .default(VARIABLES.ORIGIN_VERIFY_PREVIOUS_WINDOW_S.default / 60)
      .describe('minutes the previous origin secret stays accepted after a rotation'),
  })
  .strict()
  .prefault({});

// AWS WAF: a CloudFront web ACL (rate limit per IP, AWS managed rule groups) and a regional web
// ACL on the API stage that drops requests without the origin header before Lambda runs.
const wafSchema = z
  .object({
    enabled: z
      .boolean({ error: 'expected true or false' })
      .default(true)
      .describe('the web ACLs on the distribution and the API stage (cost: docs/security.md)'),
    // A LibreChat page load sends about 20 API requests; 2000 per 5 minutes is ~100 page loads.
    rateLimit: integerIn(
      10,
      2000000000,
      'the requests one IP may send per evaluation window before it is blocked',
    )
      .default(SITE_FIREWALL_DEFAULTS.rateLimit)
      .describe('requests one IP may send per window before it is blocked'),
    rateWindowSeconds: z
      .union([z.literal(60), z.literal(120), z.literal(300), z.literal(600)], {
        error: 'expected the rate window in seconds: 60, 120, 300 or 600',
      })
      .default(SITE_FIREWALL_DEFAULTS.rateWindowSeconds)
      .describe('the rate window in seconds'),
  })
  .strict()
  .prefault({});

// The uploads bucket.
const fileStorageSchema = z
  .object({
    versioning: z
      .boolean({ error: 'expected true or false' })
      .default(true)
      .describe('keep old versions of overwritten or deleted uploads'),
    noncurrentVersionExpirationDays: integerIn(
      1,
      3650,
      'the days an overwritten or deleted upload is kept as an old version',
    )
      .default(30)
      .describe('days an old version is kept'),
    // The design's destroy criterion: `cdktf destroy` removes everything. false keeps the bucket
    // (and every upload) when it still holds objects.
    forceDestroy: z
      .boolean({ error: 'expected true or false' })
      .default(true)
      .describe('destroy removes the bucket with its uploads (false keeps a non-empty bucket)'),
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
    alarmEmail: matching(EMAIL_ADDRESS, 'an e-mail address such as ops@example.com')
      .optional()
      .describe(
        'e-mail subscribed to both alarm topics (the recipient must confirm the subscription)',
      ),
    periodSeconds: integerIn(60, 86400, 'the alarm period in seconds')
      .refine((n) => n % 60 === 0, { error: 'expected a multiple of 60 seconds' })
      .default(MONITORING_DEFAULTS.periodSeconds)
      .describe('alarm period in seconds (a multiple of 60)'),
    evaluationPeriods: integerIn(1, 100, 'the number of periods an alarm must breach')
      .default(MONITORING_DEFAULTS.evaluationPeriods)
      .describe('how many periods in a row must breach before an alarm fires'),
    lambda: z
      .object({
        errors: integerIn(1, 1000000, 'the Lambda errors per period')
          .default(5)
          .describe('Lambda errors (including timeouts) per period'),
        throttles: integerIn(1, 1000000, 'the Lambda throttles per period')
          .default(1)
          .describe('Lambda throttles per period'),
        durationTimeoutFraction: z
          .number({ error: 'expected a fraction of the timeout above 0 and at most 1, e.g. 0.8' })
          .gt(0, { error: 'expected a fraction of the timeout above 0 and at most 1, e.g. 0.8' })
          .max(1, { error: 'expected a fraction of the timeout above 0 and at most 1, e.g. 0.8' })
          .default(0.8)
          .describe('alarm when the p99 duration reaches this fraction of lambda.timeoutSeconds'),
        concurrentExecutions: integerIn(1, 100000, 'the Lambda concurrent executions')
          .default(100)
          .describe('maximum concurrent executions (each open stream holds one)'),
        // Only with lambda.compute managed-instances: the capacity provider's instances.
        capacityProviderCpuPercent: percent('the capacity provider CPU percentage')
          .default(80)
          .describe('managed-instances only: capacity provider CPU utilization (average, %)'),
        capacityProviderMemoryPercent: percent('the capacity provider memory percentage')
          .default(80)
          .describe('managed-instances only: capacity provider memory utilization (average, %)'),
      })
      .strict()
      .prefault({})
      .describe('Lambda alarms'),
    api: z
      .object({
        serverErrors: integerIn(1, 1000000, 'the API Gateway 5XX errors per period')
          .default(5)
          .describe('API Gateway 5XX responses per period'),
        latencyP99Ms: integerIn(1, 900000, 'the API Gateway p99 latency in milliseconds')
          .default(60000)
          .describe('API Gateway p99 latency in milliseconds'),
      })
      .strict()
      .prefault({})
      .describe('API Gateway alarms'),
    redis: z
      .object({
        engineCpuPercent: percent('the Redis engine CPU percentage')
          .default(80)
          .describe('Redis EngineCPUUtilization (average, %)'),
        memoryPercent: percent('the Redis memory usage percentage')
          .default(80)
          .describe('Redis DatabaseMemoryUsagePercentage (average, %)'),
        evictions: integerIn(1, 1000000000, 'the Redis evictions per period')
          .default(1)
          .describe('Redis evicted keys per period'),
        currentConnections: integerIn(1, 65000, 'the Redis current connections')
          .default(1000)
          .describe('maximum Redis client connections'),
      })
      .strict()
      .prefault({})
      .describe('Redis alarms'),
    cloudfront: z
      .object({
        error5xxRatePercent: percent('the CloudFront 5xx error rate percentage')
          .default(5)
          .describe('CloudFront 5xxErrorRate (average, % of requests)'),
      })
      .strict()
      .prefault({})
      .describe('CloudFront alarms'),
  })
  .strict()
  .prefault({});

export const environmentConfigSchema = z
  .object({
    $schema: z.string().optional(),
    region: awsRegion().describe('AWS region of the stack'),
    tags: z
      .record(z.string(), z.string({ error: 'expected a string tag value' }))
      .superRefine((tags, ctx) => {
        for (const [key, value] of Object.entries(tags)) {
          for (const message of tagProblems(key, value)) {
            ctx.addIssue({ code: 'custom', path: [key], message });
          }
        }
      })
      .default({})
      .describe(
        'extra tags on every resource (project, environment and managed-by are always set)',
      ),
    state: stateSchema.describe('the S3 backend of the Terraform state'),
    network: networkSchema.describe('the existing VPC'),
    domain: domainSchema.describe('the site domain, its hosted zone and certificate'),
    librechat: librechatSchema.describe('the LibreChat image, its configuration and secrets'),
    lambda: lambdaSchema.describe('the function'),
    redis: redisSchema.describe('the ElastiCache Redis session cache'),
    frontend: frontendSchema.describe('the published web client and its distribution'),
    api: apiSchema.describe('the REST API and the API route of the distribution'),
    monitoring: monitoringSchema.describe('alarm thresholds (the alarm fires at >= threshold)'),
    waf: wafSchema.describe('AWS WAF on the site and the API stage'),
    fileStorage: fileStorageSchema.describe('the uploads bucket'),
  })
  .strict()
  // Every string of the file (names, URLs, tags, environment values, keys) reaches Terraform:
  // checked even when other fields already failed, so no template is ever left unreported.
  .superRefine((cfg, ctx) => rejectTerraformTemplates(ctx, cfg), { when: () => true })
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
