import { ElasticacheModule, S3BucketModule } from '../../.gen/modules';
import { LibreChatStack } from '../../src/librechat-stack';
import { Testing } from 'cdktf';
import { STACK_MANAGED_VARIABLES } from '../../handler/src/contract';
import { LIBRECHAT_RUNTIME_PROFILE } from '../../src/backend/librechat-runtime-profile';
import { devConfig } from '../helpers/config';
import { checkModuleBlock, loadModuleInterface } from '../helpers/module-interfaces';
import {
  modulesFrom,
  onlyResource,
  resourcesOf,
  PUBLISH_SCRIPT,
  SPA_ROUTING_FUNCTION_CODE,
  synthStack,
} from '../helpers/synth';
import { ValidationError } from '../../src/core/validation-error';

// How LibreChatStack wires the backend constructs together from config/dev.json.
const PREBUILT = `515966504419.dkr.ecr.eu-west-1.amazonaws.com/librechat-lambda-api-dev@sha256:${'e'.repeat(64)}`;

describe('LibreChatStack backend', () => {
  const { json } = synthStack();
  const fn = onlyResource(json, 'aws_lambda_function');
  const env: Record<string, string> = fn.environment.variables;
  const [redis] = modulesFrom(json, ElasticacheModule.SOURCE);
  const [files] = modulesFrom(json, S3BucketModule.SOURCE);
  const redisId = Object.keys(json.module).find((id) => json.module[id] === redis)!;
  const filesId = Object.keys(json.module).find((id) => json.module[id] === files)!;
  const sgId = Object.keys(resourcesOf(json, 'aws_security_group'))[0];

  it('names every resource per environment', () => {
    const { json: staging } = synthStack(devConfig(), 'staging');
    expect(onlyResource(staging, 'aws_lambda_function').function_name).toBe(
      'librechat-api-staging',
    );
    expect(onlyResource(staging, 'aws_ecr_repository').name).toBe('librechat-lambda-api-staging');
    expect(Object.values<any>(resourcesOf(staging, 'aws_iam_role')).map((r) => r.name)).toContain(
      'librechat-api-staging',
    );
    expect(onlyResource(staging, 'aws_security_group').name_prefix).toBe('librechat-api-staging-');
    expect(modulesFrom(staging, S3BucketModule.SOURCE)[0].bucket).toBe(
      'librechat-lambda-files-staging',
    );
    const cache = modulesFrom(staging, ElasticacheModule.SOURCE)[0];
    expect(cache.replication_group_id).toBe('librechat-lambda-redis-staging');
    expect(cache.security_group_name).toBe('librechat-lambda-redis-staging');
  });

  it('emits the backend module blocks with declared inputs only', () => {
    for (const block of [redis, files]) {
      expect(checkModuleBlock(block, loadModuleInterface(block.source, block.version))).toEqual([]);
    }
  });

  it('lets the Lambda group reach the Redis group and Redis admit the Lambda group, by reference', () => {
    expect(redis.security_group_rules.ingress_lambda.referenced_security_group_id).toBe(
      `\${aws_security_group.${sgId}.id}`,
    );
    const toRedis = Object.values<any>(
      resourcesOf(json, 'aws_vpc_security_group_egress_rule'),
    ).filter((r) => r.referenced_security_group_id !== undefined);
    expect(toRedis).toEqual([
      expect.objectContaining({
        security_group_id: `\${aws_security_group.${sgId}.id}`,
        referenced_security_group_id: `\${module.${redisId}.security_group_id}`,
        from_port: 6379,
        to_port: 6379,
      }),
    ]);
    // Beside its own group, the existing shared-services group (DocumentDB, Cloud Map services).
    expect(fn.vpc_config.security_group_ids).toEqual([
      `\${aws_security_group.${sgId}.id}`,
      'sg-07d152120863401c2',
    ]);
    const vpcCidr = `\${data.aws_vpc.${Object.keys(json.data.aws_vpc)[0]}.cidr_block}`;
    expect(
      Object.values<any>(resourcesOf(json, 'aws_vpc_security_group_egress_rule'))
        .filter((r) => r.cidr_ipv4 === vpcCidr)
        .map((r) => r.from_port)
        .sort(),
    ).toEqual([0, 27017]);
  });

  it('takes Redis, the file bucket and the function sizes from config and the other constructs', () => {
    expect(env.REDIS_URI).toBe(
      `redis://\${module.${redisId}.replication_group_primary_endpoint_address}:6379`,
    );
    expect(env.AWS_BUCKET_NAME).toBe(`\${module.${filesId}.s3_bucket_id}`);
    expect(redis).toMatchObject({ node_type: 'cache.t4g.micro', engine_version: '7.1' });
    expect(redis.subnet_ids).toEqual(devConfig().network.privateSubnetIds);
    expect(fn.vpc_config.subnet_ids).toEqual(devConfig().network.privateSubnetIds);
    expect(files.cors_rule[0].allowed_origins).toEqual([
      'https://lambda-test.sandbox.data.apro.is',
    ]);
    const { json: big } = synthStack(
      devConfig((c) => {
        c.lambda.memoryMb = 3008;
        c.lambda.architecture = 'arm64';
        c.lambda.logRetentionDays = 90;
        c.librechat.environment = { ALLOW_REGISTRATION: 'false' };
      }),
    );
    const bigFn = onlyResource(big, 'aws_lambda_function');
    expect(bigFn.memory_size).toBe(3008);
    expect(bigFn.architectures).toEqual(['arm64']);
    expect(bigFn.environment.variables.ALLOW_REGISTRATION).toBe('false');
    expect(
      Object.values<any>(resourcesOf(big, 'aws_cloudwatch_log_group')).find(
        (g) => g.name === '/aws/lambda/librechat-api-dev',
      ).retention_in_days,
    ).toBe(90);
    const push = Object.values<any>(resourcesOf(big, 'terraform_data')).find((r) =>
      r.provisioner[0]['local-exec'].command.includes('push-image'),
    );
    expect(push.provisioner[0]['local-exec'].environment.PLATFORM).toBe('linux/arm64');
  });

  it('switches REDIS_URI to rediss:// when transit encryption is on', () => {
    const { json: tls } = synthStack(devConfig((c) => (c.redis.transitEncryption = true)));
    expect(modulesFrom(tls, ElasticacheModule.SOURCE)[0].transit_encryption_enabled).toBe(true);
    expect(onlyResource(tls, 'aws_lambda_function').environment.variables.REDIS_URI).toMatch(
      /^rediss:\/\/\$\{module\.[\w-]+\.replication_group_primary_endpoint_address\}:6379$/,
    );
  });

  it('pins the image by the digest pushed on deploy, or by the prebuilt digest', () => {
    const repoId = Object.keys(resourcesOf(json, 'aws_ecr_repository'))[0];
    const imageId = Object.keys(json.data.aws_ecr_image)[0];
    expect(fn.image_uri).toBe(
      `\${aws_ecr_repository.${repoId}.repository_url}@\${data.aws_ecr_image.${imageId}.image_digest}`,
    );
    const { json: prebuilt } = synthStack(
      devConfig((c) => (c.librechat.image.prebuiltImageUri = PREBUILT)),
    );
    expect(onlyResource(prebuilt, 'aws_lambda_function').image_uri).toBe(PREBUILT);
    expect(JSON.stringify(resourcesOf(prebuilt, 'terraform_data'))).not.toContain('push-image');
  });

  it('refuses to synthesize without an image source', () => {
    const build = () =>
      new LibreChatStack(Testing.app(), 'dev', {
        environment: 'dev',
        config: devConfig(),
        spaRoutingFunctionCode: SPA_ROUTING_FUNCTION_CODE,
        publishScript: PUBLISH_SCRIPT,
      });
    expect(build).toThrow(ValidationError);
    expect(build).toThrow('LibreChatStack dev: no Lambda image');
  });

  it('keeps secret values out and parameter names in SSM_SECRETS and the IAM grant only', () => {
    const secrets = devConfig().librechat.secrets;
    // The config's secrets, plus the origin-verify parameters the API concern adds.
    expect(JSON.parse(env.SSM_SECRETS)).toEqual({
      ...secrets,
      ORIGIN_VERIFY_SECRET: '/librechat-lambda/dev/origin-verify',
      ORIGIN_VERIFY_PREVIOUS_SECRET: '/librechat-lambda/dev/origin-verify-previous',
    });
    for (const [name, value] of Object.entries(env)) {
      if (name === 'SSM_SECRETS') continue;
      for (const parameter of Object.values(secrets)) expect(value).not.toContain(parameter);
    }
    const { json: noGrant } = synthStack();
    delete noGrant.data.aws_iam_policy_document;
    delete noGrant.resource.aws_lambda_function;
    const rest = JSON.stringify(noGrant);
    for (const parameter of Object.values(secrets)) expect(rest).not.toContain(parameter);
    // No SSM data source (it would copy values into the state), no decryption, no Redis token.
    expect(json.data.aws_ssm_parameter).toBeUndefined();
    expect(JSON.stringify(json)).not.toMatch(/with_decryption|auth_token/);
  });

  it('grants kms:Decrypt only when the config names a customer-managed key', () => {
    const kms = 'arn:aws:kms:eu-west-1:515966504419:key/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0';
    expect(JSON.stringify(json.data.aws_iam_policy_document)).not.toContain('kms:Decrypt');
    const { json: cmk } = synthStack(devConfig((c) => (c.librechat.secretsKmsKeyArn = kms)));
    const docs = JSON.stringify(cmk.data.aws_iam_policy_document);
    expect(docs).toContain('kms:Decrypt');
    expect(docs).toContain(kms);
  });

  it('outputs the function, the repository, the Redis endpoint and the file bucket', () => {
    const fnId = Object.keys(resourcesOf(json, 'aws_lambda_function'))[0];
    const repoId = Object.keys(resourcesOf(json, 'aws_ecr_repository'))[0];
    expect(json.output).toMatchObject({
      lambda_function_name: { value: `\${aws_lambda_function.${fnId}.function_name}` },
      lambda_function_arn: { value: `\${aws_lambda_function.${fnId}.arn}` },
      ecr_repository_url: { value: `\${aws_ecr_repository.${repoId}.repository_url}` },
      redis_primary_endpoint: {
        value: `\${module.${redisId}.replication_group_primary_endpoint_address}`,
      },
      file_bucket_name: { value: `\${module.${filesId}.s3_bucket_id}` },
    });
  });
});

describe('variables the stack manages', () => {
  it('are exactly the ones the config may not set: everything the function gets beyond librechat.environment', () => {
    const config = devConfig((c) => (c.librechat.environment = { ALLOW_REGISTRATION: 'false' }));
    const fn = onlyResource(synthStack(config).json, 'aws_lambda_function');
    // Runtime-profile defaults are not managed: the environment file may override them.
    const fromStack = Object.keys(fn.environment.variables).filter(
      (n) => n !== 'ALLOW_REGISTRATION' && !(n in LIBRECHAT_RUNTIME_PROFILE),
    );
    const secrets = Object.keys(JSON.parse(fn.environment.variables.SSM_SECRETS)).filter(
      (n) => !(n in config.librechat.secrets),
    );
    expect([...fromStack, ...secrets].sort()).toEqual([...STACK_MANAGED_VARIABLES].sort());
  });

  it('runtime-profile defaults yield to the environment file', () => {
    const config = devConfig((c) => (c.librechat.environment = { MONGO_MAX_POOL_SIZE: '12' }));
    const fn = onlyResource(synthStack(config).json, 'aws_lambda_function');
    expect(fn.environment.variables.MONGO_MAX_POOL_SIZE).toBe('12');
    expect(fn.environment.variables.MEILI_NO_SYNC).toBe('true');
  });
});

describe('the uploads bucket in the stack', () => {
  it('versions uploads (old versions expire after 30 days) and is destroyed with the stack by default', () => {
    const { json } = synthStack();
    const files = Object.values<any>(json.module).find(
      (m) => m.bucket === 'librechat-lambda-files-dev',
    );
    expect(files.force_destroy).toBe(true);
    expect(files.versioning).toEqual({ enabled: 'true' });
    expect(files.lifecycle_rule[0].noncurrent_version_expiration).toEqual({ days: 30 });
  });

  it('follows fileStorage.forceDestroy and fileStorage.versioning', () => {
    const { json } = synthStack(
      devConfig(
        (c) => (c.fileStorage = { ...c.fileStorage, forceDestroy: false, versioning: false }),
      ),
    );
    const files = Object.values<any>(json.module).find(
      (m) => m.bucket === 'librechat-lambda-files-dev',
    );
    expect(files.force_destroy).toBe(false);
    expect(files.versioning).toBeUndefined();
  });
});
