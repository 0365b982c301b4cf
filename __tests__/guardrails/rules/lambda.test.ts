import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { LambdaCapacityProvider } from '@cdktf/provider-aws/lib/lambda-capacity-provider';
import { LambdaFunction, type LambdaFunctionConfig } from '@cdktf/provider-aws/lib/lambda-function';
import type { Construct } from 'constructs';
import { isSecretPointer, literalBytes, looksSecret } from '../../../src/guardrails/rules/lambda';
import { findingsOf, linesOf, ruleIds } from '../../helpers/guardrails';

function fn(scope: Construct, change: Partial<LambdaFunctionConfig> = {}) {
  return new LambdaFunction(scope, 'fn', {
    functionName: 'librechat-api-dev',
    role: 'arn:aws:iam::123456789012:role/fn',
    packageType: 'Image',
    imageUri: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/api@sha256:abc',
    vpcConfig: { subnetIds: ['subnet-a', 'subnet-b'], securityGroupIds: ['sg-1'] },
    ...change,
  });
}

function logGroup(scope: Construct, name = '/aws/lambda/librechat-api-dev', retention = 30) {
  return new CloudwatchLogGroup(scope, 'logs', { name, retentionInDays: retention });
}

describe('GR-LAMBDA-VPC', () => {
  it('passes a function in the VPC with its log group', () => {
    expect(
      findingsOf((s) => {
        logGroup(s);
        fn(s);
      }),
    ).toEqual([]);
  });

  it('flags a function outside the VPC or without security groups', () => {
    const outside = findingsOf((s) => {
      logGroup(s);
      fn(s, { vpcConfig: undefined });
    });
    expect(linesOf(outside, 'GR-LAMBDA-VPC')).toEqual([
      "GR-LAMBDA-VPC aws_lambda_function.fn (test/fn): vpc_config has no subnet_ids and no security_group_ids. Fix: set vpc_config { subnet_ids = the private subnets, security_group_ids = the function's own security group }",
    ]);
    const noGroups = findingsOf((s) => {
      logGroup(s);
      fn(s, { vpcConfig: { subnetIds: ['subnet-a'], securityGroupIds: [] } });
    });
    expect(linesOf(noGroups, 'GR-LAMBDA-VPC')).toEqual([
      expect.stringContaining('vpc_config has no security_group_ids'),
    ]);
  });
});

describe('GR-LAMBDA-VPC on Lambda Managed Instances', () => {
  function onProvider(
    scope: Construct,
    vpcConfig: { subnetIds: string[]; securityGroupIds: string[] },
  ) {
    const provider = new LambdaCapacityProvider(scope, 'cp', {
      name: 'librechat-api-dev',
      vpcConfig: [vpcConfig],
      permissionsConfig: [{ capacityProviderOperatorRoleArn: 'arn:aws:iam::123456789012:role/op' }],
    });
    logGroup(scope);
    fn(scope, {
      vpcConfig: undefined,
      capacityProviderConfig: {
        lambdaManagedInstancesCapacityProviderConfig: { capacityProviderArn: provider.arn },
      },
    });
  }

  it("passes a function placed by its capacity provider's vpc_config", () => {
    expect(
      findingsOf((s) => onProvider(s, { subnetIds: ['subnet-a'], securityGroupIds: ['sg-1'] })),
    ).toEqual([]);
  });

  it('flags a capacity provider without security groups', () => {
    const findings = findingsOf((s) =>
      onProvider(s, { subnetIds: ['subnet-a'], securityGroupIds: [] }),
    );
    expect(linesOf(findings, 'GR-LAMBDA-VPC')).toEqual([
      expect.stringContaining('vpc_config has no security_group_ids'),
    ]);
  });
});

describe('GR-LAMBDA-LOG-GROUP', () => {
  it('flags a function without a log group of the stack', () => {
    const findings = findingsOf((s) => fn(s));
    expect(ruleIds(findings)).toEqual(['GR-LAMBDA-LOG-GROUP']);
    expect(linesOf(findings, 'GR-LAMBDA-LOG-GROUP')[0]).toContain(
      'no aws_cloudwatch_log_group of the stack is its log group (function_name "librechat-api-dev"). Fix: add aws_cloudwatch_log_group "/aws/lambda/<function_name>"',
    );
  });

  it('flags a log group without retention (and the log group itself under GR-LOG-RETENTION)', () => {
    const findings = findingsOf((s) => {
      new CloudwatchLogGroup(s, 'logs', { name: '/aws/lambda/librechat-api-dev' });
      fn(s);
    });
    expect(ruleIds(findings)).toEqual(['GR-LAMBDA-LOG-GROUP', 'GR-LOG-RETENTION']);
    expect(linesOf(findings, 'GR-LAMBDA-LOG-GROUP')[0]).toContain(
      'its log group aws_cloudwatch_log_group.logs has no retention_in_days',
    );
  });

  it('matches a log group named after the function by reference, or logging_config.log_group', () => {
    expect(
      findingsOf((s) => {
        const f = fn(s);
        logGroup(s, `/aws/lambda/${f.functionName}`);
      }),
    ).toEqual([]);
    expect(
      findingsOf((s) => {
        const group = logGroup(s, '/librechat/dev/api');
        fn(s, { loggingConfig: { logFormat: 'JSON', logGroup: group.name } });
      }),
    ).toEqual([]);
  });

  it('does not accept a log group of another function', () => {
    const findings = findingsOf((s) => {
      logGroup(s, '/aws/lambda/other');
      fn(s);
    });
    expect(ruleIds(findings)).toEqual(['GR-LAMBDA-LOG-GROUP']);
  });
});

describe('GR-LAMBDA-SECRET-ENV', () => {
  const withVariables = (variables: Record<string, string>) =>
    findingsOf((s) => {
      logGroup(s);
      fn(s, { environment: { variables } });
    });

  it('flags secret-looking names with a value, without printing the value', () => {
    const findings = withVariables({
      JWT_SECRET: 'sup3r-s3cret-value',
      OPENAI_API_KEY: 'sk-live-123',
      MONGO_URI: 'mongodb://user:pw@docdb:27017/LibreChat',
    });
    const lines = linesOf(findings, 'GR-LAMBDA-SECRET-ENV');
    expect(lines).toEqual([
      'GR-LAMBDA-SECRET-ENV aws_lambda_function.fn (test/fn): environment variable JWT_SECRET carries a literal value. Fix: put the secret in SSM Parameter Store and list its parameter name in SSM_SECRETS (librechat.secrets); the handler reads it at cold start, so it never enters the Terraform JSON or state',
      expect.stringContaining('environment variable OPENAI_API_KEY carries a literal value'),
      expect.stringContaining('environment variable MONGO_URI carries a literal value'),
    ]);
    expect(lines.join('\n')).not.toMatch(/sup3r|sk-live|user:pw/);
  });

  it("flags a reference to an SSM parameter's value (it would land in the state)", () => {
    const findings = withVariables({ CREDS_KEY: '${data.aws_ssm_parameter.creds.value}' });
    expect(linesOf(findings, 'GR-LAMBDA-SECRET-ENV')).toEqual([
      expect.stringContaining('CREDS_KEY carries a Terraform-resolved value'),
    ]);
  });

  it('allows SSM_SECRETS, CONFIG_S3_KEY, cache namespaces, settings about secrets, booleans and pointers to secrets', () => {
    const findings = withVariables({
      SSM_SECRETS: JSON.stringify({ JWT_SECRET: '/librechat/dev/jwt-secret' }),
      CONFIG_S3_KEY: 'configs/librechat.yaml',
      FORCED_IN_MEMORY_CACHE_NAMESPACES: 'ROLES,CONFIG_STORE',
      DOMAIN_CLIENT: 'https://chat.example.com',
      ALLOW_REGISTRATION: 'false',
      JWT_SECRET_PARAMETER_ARN: 'arn:aws:ssm:eu-west-1:123456789012:parameter/librechat/dev/jwt',
      CREDS_KEY_PARAMETER: '${aws_ssm_parameter.creds.name}',
      OPENID_REUSE_TOKENS: 'true',
      REFRESH_TOKEN_EXPIRY: '604800000',
    });
    expect(findings).toEqual([]);
  });

  it.each([
    ['JWT_SECRET', true],
    ['JWT_REFRESH_SECRET', true],
    ['CREDS_KEY', true],
    ['CREDS_IV', true],
    ['MEILI_MASTER_KEY', true],
    ['GOOGLE_CLIENT_SECRET', true],
    ['DB_PASSWORD', true],
    ['GITHUB_TOKEN', true],
    ['MONGO_URI', true],
    ['SQL_CONNECTION_STRING', true],
    ['SSM_SECRETS', false],
    ['CONFIG_S3_KEY', false],
    ['FORCED_IN_MEMORY_CACHE_NAMESPACES', false],
    ['KEYCLOAK_URL', false],
    ['REFRESH_TOKEN_EXPIRY', false],
    ['ALLOW_PASSWORD_RESET', false],
    ['MIN_PASSWORD_LENGTH', false],
    ['FIRECRAWL_API_URL', false],
    ['OPENID_SESSION_SECRET', true],
    ['LDAP_BIND_CREDENTIALS', true],
    ['REDIS_URI', false],
  ])('looksSecret(%s) is %s', (name, expected) => {
    expect(looksSecret(name)).toBe(expected);
  });

  it.each([
    ['arn:aws:ssm:eu-west-1:1:parameter/x', true],
    ['arn:aws:secretsmanager:eu-west-1:1:secret:x-AbC', true],
    ['${aws_ssm_parameter.x.arn}', true],
    ['${data.aws_ssm_parameter.x.value}', false],
    ['${aws_secretsmanager_secret_version.x.secret_string}', false],
    ['plain', false],
  ])('isSecretPointer(%s) is %s', (value, expected) => {
    expect(isSecretPointer(value)).toBe(expected);
  });
});

describe('GR-LAMBDA-ENV-SIZE', () => {
  const withVariables = (variables: Record<string, string>) =>
    findingsOf((s) => {
      logGroup(s);
      fn(s, { environment: { variables } });
    });

  it('passes variables within 4096 bytes, counting names and values', () => {
    // 4 + 4092 = 4096 bytes exactly.
    expect(ruleIds(withVariables({ BIG1: 'x'.repeat(4092) }))).toEqual([]);
  });

  it('flags a function whose variables exceed what Lambda takes', () => {
    const findings = withVariables({ BIG1: 'x'.repeat(4092), B: '' });
    expect(linesOf(findings, 'GR-LAMBDA-ENV-SIZE')).toEqual([
      "GR-LAMBDA-ENV-SIZE aws_lambda_function.fn (test/fn): its environment variables take at least 4097 bytes, more than the 4096 Lambda allows (the apply would fail). Fix: move the bulk out of the function's variables: an ECS task's environment through librechat.environmentFrom (read from S3 at cold start), secrets through librechat.secrets",
    ]);
  });

  it('counts multi-byte characters as bytes and Terraform expressions as empty', () => {
    expect(literalBytes('é')).toBe(2);
    expect(literalBytes('redis://${module.r.address}:6379')).toBe('redis://:6379'.length);
    expect(literalBytes('${jsonencode({"a" = {"b" = 1}})}x')).toBe(1);
    expect(ruleIds(withVariables({ A: `\${${'x'.repeat(5000)}}` }))).toEqual([]);
  });
});
