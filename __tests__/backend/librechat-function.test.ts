import {
  LibreChatFunction,
  type LibreChatFunctionProps,
} from '../../src/backend/librechat-function';
import { SsmParameter } from '@cdktf/provider-aws/lib/ssm-parameter';
import { onlyResource, resourcesOf, synthScope, type TerraformJson } from '../helpers/synth';

const KMS = 'arn:aws:kms:eu-west-1:515966504419:key/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0';
const IMAGE = `515966504419.dkr.ecr.eu-west-1.amazonaws.com/librechat-lambda-api-dev@sha256:${'d'.repeat(64)}`;
const props: LibreChatFunctionProps = {
  functionName: 'librechat-api-dev',
  imageUri: IMAGE,
  subnetIds: ['subnet-0b336ffd64e2358e8', 'subnet-005e834e314ffdd6c'],
  securityGroupIds: ['sg-0123456789abcdef0'],
  region: 'eu-west-1',
  accountId: '515966504419',
  domainName: 'lambda-test.sandbox.data.apro.is',
  configObject: { bucket: 'genai-shared-config', key: 'lambda-test/librechat/librechat.yaml' },
  configReplacesDomain: 'genai.sandbox.data.apro.is',
  redisUri: 'redis://cache.example:6379',
  serviceUrls: {
    litellm: 'http://litellm.dev-aprochat-core.local:4000/v1',
    searxng: 'http://searxng.dev-aprochat-core.local:8080',
    ragApi: 'http://rag-api.dev-aprochat-core.local:8000',
    meilisearch: 'http://meilisearch.dev-aprochat-core.local:7700',
    firecrawl: 'http://firecrawl.dev-aprochat-core.local:3002',
  },
  secrets: {
    MONGO_URI: '/ecs/genai/mongo/DB_URI',
    JWT_SECRET: '/ecs/genai/librechat/JWT_SECRET',
    CREDS_KEY: 'arn:aws:ssm:eu-west-1:111122223333:parameter/shared/CREDS_KEY',
  },
};

function synth(change: Partial<LibreChatFunctionProps> = {}): TerraformJson {
  return synthScope((s) => new LibreChatFunction(s, 'api', { ...props, ...change }));
}

/** The statements of the role's inline policy document. */
function permissions(json: TerraformJson): any[] {
  const doc = Object.entries<any>(json.data.aws_iam_policy_document).find(([id]) =>
    onlyResource(json, 'aws_iam_role_policy').policy.includes(id),
  );
  return doc![1].statement;
}

describe('LibreChatFunction', () => {
  const json = synth();
  const fn = onlyResource(json, 'aws_lambda_function');
  const env: Record<string, string> = fn.environment.variables;

  it('runs the digest-pinned image with the configured sizes in the VPC', () => {
    expect(fn).toMatchObject({
      function_name: 'librechat-api-dev',
      package_type: 'Image',
      image_uri: IMAGE,
      architectures: ['x86_64'],
      memory_size: 1024,
      timeout: 900,
      ephemeral_storage: { size: 2048 },
      vpc_config: {
        subnet_ids: ['subnet-0b336ffd64e2358e8', 'subnet-005e834e314ffdd6c'],
        security_group_ids: ['sg-0123456789abcdef0'],
      },
    });
    const sized = onlyResource(
      synth({
        memoryMb: 2048,
        timeoutSeconds: 60,
        ephemeralStorageMb: 4096,
        architecture: 'arm64',
      }),
      'aws_lambda_function',
    );
    expect(sized).toMatchObject({
      memory_size: 2048,
      timeout: 60,
      ephemeral_storage: { size: 4096 },
      architectures: ['arm64'],
    });
  });

  it('sets the environment of the ECS task definition, adapted to Lambda', () => {
    expect(env).toEqual({
      DOMAIN_SERVER: 'https://lambda-test.sandbox.data.apro.is',
      DOMAIN_CLIENT: 'https://lambda-test.sandbox.data.apro.is',
      CONFIG_PATH: '/tmp/librechat.yaml',
      CONFIG_S3_BUCKET: 'genai-shared-config',
      CONFIG_S3_KEY: 'lambda-test/librechat/librechat.yaml',
      CONFIG_REPLACE: JSON.stringify({
        'genai.sandbox.data.apro.is': 'lambda-test.sandbox.data.apro.is',
      }),
      USE_REDIS: 'true',
      REDIS_URI: 'redis://cache.example:6379',
      AWS_LAMBDA_NODEJS_WORKER_COUNT: '1',
      LITELLM_BASE_URL: 'http://litellm.dev-aprochat-core.local:4000/v1',
      SEARXNG_INSTANCE_URL: 'http://searxng.dev-aprochat-core.local:8080',
      RAG_API_URL: 'http://rag-api.dev-aprochat-core.local:8000',
      MEILI_HOST: 'http://meilisearch.dev-aprochat-core.local:7700',
      FIRECRAWL_API_URL: 'http://firecrawl.dev-aprochat-core.local:3002',
      FORCED_IN_MEMORY_CACHE_NAMESPACES: 'CONFIG_STORE,APP_CONFIG',
      HANDLER_ABORT_KEY_PREFIX: 'librechat-api-dev',
      HANDLER_UPLOAD_LIMIT_MB: '4',
      SSM_SECRETS: JSON.stringify(props.secrets),
      // The runtime profile (docs/librechat-in-lambda.md).
      MEILI_NO_SYNC: 'true',
      DEBUG_LOGGING: 'false',
      CONSOLE_JSON: 'true',
      MONGO_MAX_POOL_SIZE: '5',
      LEADER_LEASE_DURATION: '3600',
      UV_CACHE_DIR: '/tmp/uv-cache',
    });
    expect(env).not.toHaveProperty('AWS_REGION');
    const plain = onlyResource(synth({ configReplacesDomain: undefined }), 'aws_lambda_function');
    expect(plain.environment.variables.CONFIG_REPLACE).toBe('{}');
  });

  it('lets the environment file or a secret override each runtime-profile default', () => {
    const over = onlyResource(
      synth({
        environment: { MONGO_MAX_POOL_SIZE: '20', DEBUG_LOGGING: 'true' },
        secrets: { ...props.secrets, LEADER_LEASE_DURATION: '/x/lease' },
      }),
      'aws_lambda_function',
    ).environment.variables;
    expect(over.MONGO_MAX_POOL_SIZE).toBe('20');
    expect(over.DEBUG_LOGGING).toBe('true');
    expect(over).not.toHaveProperty('LEADER_LEASE_DURATION');
    expect(JSON.parse(over.SSM_SECRETS).LEADER_LEASE_DURATION).toBe('/x/lease');
    expect(over.MEILI_NO_SYNC).toBe('true');
  });

  it('passes the upload limit to the handler and rejects one Lambda cannot carry', () => {
    const two = onlyResource(synth({ uploadLimitMb: 2 }), 'aws_lambda_function');
    expect(two.environment.variables.HANDLER_UPLOAD_LIMIT_MB).toBe('2');
    expect(() => synth({ uploadLimitMb: 5 })).toThrow(
      /uploadLimitMb must be a whole number from 1 to 4, got 5/,
    );
  });

  it('passes secrets as parameter names only, mentioned by no other variable', () => {
    expect(JSON.parse(env.SSM_SECRETS)).toEqual(props.secrets);
    for (const [name, value] of Object.entries(env)) {
      if (name === 'SSM_SECRETS') continue;
      for (const parameter of Object.values(props.secrets)) expect(value).not.toContain(parameter);
    }
    // Nothing in the stack reads a parameter's value.
    expect(json.data.aws_ssm_parameter).toBeUndefined();
    expect(resourcesOf(json, 'aws_ssm_parameter')).toEqual({});
  });

  it('merges additional plain variables and secrets from other concerns', () => {
    const merged = synth({
      environment: { ALLOW_REGISTRATION: 'false' },
      additionalEnvironment: { ORIGIN_VERIFY_HEADER: 'x-origin-verify' },
      additionalSecrets: { ORIGIN_VERIFY_SECRET: '/librechat/dev/origin-verify' },
    });
    const vars = onlyResource(merged, 'aws_lambda_function').environment.variables;
    expect(vars.ALLOW_REGISTRATION).toBe('false');
    expect(vars.ORIGIN_VERIFY_HEADER).toBe('x-origin-verify');
    expect(vars).not.toHaveProperty('ORIGIN_VERIFY_SECRET');
    expect(JSON.parse(vars.SSM_SECRETS)).toEqual({
      ...props.secrets,
      ORIGIN_VERIFY_SECRET: '/librechat/dev/origin-verify',
    });
    expect(permissions(merged)[0].resources).toContain(
      'arn:aws:ssm:eu-west-1:515966504419:parameter/librechat/dev/origin-verify',
    );
  });

  it('takes variables and secrets added after construction (for concerns composed later)', () => {
    let api!: LibreChatFunction;
    const later = synthScope((s) => {
      api = new LibreChatFunction(s, 'api', props);
      api
        .addEnvironment('ORIGIN_VERIFY_HEADER', 'x-origin-verify')
        .addSecret('ORIGIN_VERIFY_SECRET', '/librechat/dev/origin-verify');
    });
    const vars = onlyResource(later, 'aws_lambda_function').environment.variables;
    expect(vars.ORIGIN_VERIFY_HEADER).toBe('x-origin-verify');
    expect(JSON.parse(vars.SSM_SECRETS).ORIGIN_VERIFY_SECRET).toBe('/librechat/dev/origin-verify');
    expect(permissions(later)[0].resources).toContain(
      'arn:aws:ssm:eu-west-1:515966504419:parameter/librechat/dev/origin-verify',
    );
    expect(api.secrets.ORIGIN_VERIFY_SECRET).toBe('/librechat/dev/origin-verify');
    expect(() => api.addEnvironment('ORIGIN_VERIFY_SECRET', 'x')).toThrow(
      'ORIGIN_VERIFY_SECRET is both a plain variable and a secret',
    );
    expect(() => api.addSecret('SSM_SECRETS', '/x')).toThrow('SSM_SECRETS is set by the stack');
  });

  it('takes a secret as its SSM parameter: named by it in the grant, and created after it', () => {
    const json = synthScope((s) => {
      const parameter = new SsmParameter(s, 'origin', {
        name: '/librechat/dev/origin-verify',
        type: 'SecureString',
        value: 'generated',
      });
      new LibreChatFunction(s, 'api', props).addSecret('ORIGIN_VERIFY_SECRET', parameter);
    });
    const fn = onlyResource(json, 'aws_lambda_function');
    expect(JSON.parse(fn.environment.variables.SSM_SECRETS).ORIGIN_VERIFY_SECRET).toBe(
      '/librechat/dev/origin-verify',
    );
    expect(permissions(json)[0].resources).toContain(
      'arn:aws:ssm:eu-west-1:515966504419:parameter/librechat/dev/origin-verify',
    );
    expect(fn.depends_on).toContain('aws_ssm_parameter.origin');
    // Still after its log group and permissions, which the constructor put first.
    expect(
      fn.depends_on.filter((d: string) => d.startsWith('aws_cloudwatch_log_group.')),
    ).toHaveLength(1);
  });

  it('adds what other concerns grant to its role, between the secrets and the config object', () => {
    const json = synthScope((s) =>
      new LibreChatFunction(s, 'api', props).addToRolePolicy({
        sid: 'Other',
        effect: 'Allow',
        actions: ['s3:GetObject'],
        resources: ['arn:aws:s3:::other/*'],
      }),
    );
    expect(permissions(json).map((st) => st.sid)).toEqual(['ReadSecrets', 'Other', 'ReadConfig']);
  });

  it.each([
    [
      'a name both plain and secret',
      { additionalEnvironment: { MONGO_URI: 'mongodb://x' } },
      'MONGO_URI is both a plain variable and a secret',
    ],
    [
      'a secret given twice',
      { additionalSecrets: { JWT_SECRET: '/other/JWT_SECRET' } },
      'secret JWT_SECRET is given twice',
    ],
    [
      'a reserved plain variable',
      { additionalEnvironment: { AWS_REGION: 'eu-west-1' } },
      'plain variable AWS_REGION is reserved by Lambda',
    ],
    [
      'a reserved secret',
      { additionalSecrets: { AWS_SECRET_ACCESS_KEY: '/x' } },
      'secret AWS_SECRET_ACCESS_KEY is reserved by Lambda',
    ],
    [
      'overriding a variable the stack sets',
      { environment: { REDIS_URI: 'redis://elsewhere:6379' } },
      'REDIS_URI is set by the stack',
    ],
    [
      'a secret named like a stack variable',
      { additionalSecrets: { DOMAIN_SERVER: '/x' } },
      'secret DOMAIN_SERVER is set by the stack',
    ],
    [
      'a lowercase name',
      { additionalEnvironment: { origin: 'x' } },
      'plain variable "origin": expected UPPER_SNAKE_CASE',
    ],
    [
      'a secret that is not a parameter',
      { additionalSecrets: { TOKEN: 'hunter2' } },
      'secret TOKEN: expected an SSM parameter name',
    ],
    ['a Redis URI of another scheme', { redisUri: 'http://cache:6379' }, 'redisUri must start'],
  ])('rejects %s with a clear message', (_what, change, message) => {
    expect(() => synth(change as Partial<LibreChatFunctionProps>)).toThrow(message);
  });

  it('creates its log group with a retention, before the function', () => {
    const logs = onlyResource(json, 'aws_cloudwatch_log_group');
    expect(logs).toMatchObject({ name: '/aws/lambda/librechat-api-dev', retention_in_days: 30 });
    const logId = Object.keys(resourcesOf(json, 'aws_cloudwatch_log_group'))[0];
    expect(fn.depends_on).toContain(`aws_cloudwatch_log_group.${logId}`);
    expect(
      onlyResource(synth({ logRetentionDays: 7 }), 'aws_cloudwatch_log_group').retention_in_days,
    ).toBe(7);
  });

  describe('role', () => {
    const role = onlyResource(json, 'aws_iam_role');
    const statements = permissions(json);

    it('is assumed by Lambda only and has the managed VPC access policy', () => {
      const trust = Object.entries<any>(json.data.aws_iam_policy_document).find(([id]) =>
        role.assume_role_policy.includes(id),
      )![1];
      expect(trust.statement).toEqual([
        {
          effect: 'Allow',
          actions: ['sts:AssumeRole'],
          principals: [{ type: 'Service', identifiers: ['lambda.amazonaws.com'] }],
        },
      ]);
      expect(
        Object.values<any>(resourcesOf(json, 'aws_iam_role_policy_attachment')).map(
          (a) => a.policy_arn,
        ),
      ).toEqual(['arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole']);
      expect(role.name).toBe('librechat-api-dev');
    });

    it('grants exactly the parameters and the config object, nothing on "*"', () => {
      expect(statements).toEqual([
        {
          sid: 'ReadSecrets',
          effect: 'Allow',
          actions: ['ssm:GetParameters', 'ssm:GetParameter'],
          resources: [
            'arn:aws:ssm:eu-west-1:111122223333:parameter/shared/CREDS_KEY',
            'arn:aws:ssm:eu-west-1:515966504419:parameter/ecs/genai/librechat/JWT_SECRET',
            'arn:aws:ssm:eu-west-1:515966504419:parameter/ecs/genai/mongo/DB_URI',
          ],
        },
        {
          sid: 'ReadConfig',
          effect: 'Allow',
          actions: ['s3:GetObject'],
          resources: ['arn:aws:s3:::genai-shared-config/lambda-test/librechat/librechat.yaml'],
        },
      ]);
      const all = JSON.stringify(json.data.aws_iam_policy_document);
      expect(all).not.toMatch(/"\*"/);
      expect(all).not.toContain('kms:');
    });

    it('grants kms:Decrypt on the customer-managed key only, via SSM', () => {
      const withKey = permissions(synth({ secretsKmsKeyArn: KMS }));
      expect(withKey.find((s) => s.sid === 'DecryptSecrets')).toEqual({
        sid: 'DecryptSecrets',
        effect: 'Allow',
        actions: ['kms:Decrypt'],
        resources: [KMS],
        condition: [
          {
            test: 'StringEquals',
            variable: 'kms:ViaService',
            values: ['ssm.eu-west-1.amazonaws.com'],
          },
        ],
      });
    });

    it('is attached before the function first runs', () => {
      const policyId = Object.keys(resourcesOf(json, 'aws_iam_role_policy'))[0];
      const attachmentId = Object.keys(resourcesOf(json, 'aws_iam_role_policy_attachment'))[0];
      expect(fn.depends_on).toEqual(
        expect.arrayContaining([
          `aws_iam_role_policy.${policyId}`,
          `aws_iam_role_policy_attachment.${attachmentId}`,
        ]),
      );
      expect(fn.role).toBe(
        `\${aws_iam_role.${Object.keys(resourcesOf(json, 'aws_iam_role'))[0]}.arn}`,
      );
    });
  });
});
