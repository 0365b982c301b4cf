import type { GuardrailRule, Violation } from '../rule';
import {
  blocksOf,
  referenceOf,
  type TerraformDocument,
  type TerraformElement,
} from '../terraform-document';

function nonEmptyList(value: unknown): boolean {
  return (
    (Array.isArray(value) && value.length > 0) ||
    (typeof value === 'string' && value.includes('${'))
  );
}

export const lambdaVpcRule: GuardrailRule = {
  id: 'GR-LAMBDA-VPC',
  description:
    "Lambda functions run in the VPC (vpc_config with subnets and security groups, their own or, on Lambda Managed Instances, their capacity provider's)",
  fix: "set vpc_config { subnet_ids = the private subnets, security_group_ids = the function's own security group }",
  check(document) {
    const out: Violation[] = [];
    for (const fn of document.resources('aws_lambda_function')) {
      const vpc = blocksOf(placementOf(document, fn).vpc_config)[0];
      const missing = [
        ...(nonEmptyList(vpc?.subnet_ids) ? [] : ['subnet_ids']),
        ...(nonEmptyList(vpc?.security_group_ids) ? [] : ['security_group_ids']),
      ];
      if (missing.length) {
        out.push({ element: fn, problem: `vpc_config has no ${missing.join(' and no ')}` });
      }
    }
    return out;
  },
};

/**
 * Where a function's network placement is written: on Lambda Managed Instances the capacity
 * provider it references (by expression or by name) holds it, else the function itself.
 */
function placementOf(document: TerraformDocument, fn: TerraformElement): Record<string, unknown> {
  const managed = blocksOf(
    blocksOf(fn.body.capacity_provider_config)[0]
      ?.lambda_managed_instances_capacity_provider_config,
  )[0];
  if (!managed) return fn.body;
  const arn = managed.capacity_provider_arn;
  const ref = referenceOf(arn);
  const provider = document
    .resources('aws_lambda_capacity_provider')
    .find((p) =>
      ref ? p.address === ref.address : typeof arn === 'string' && arn.endsWith(`:${p.body.name}`),
    );
  return provider?.body ?? {};
}

/** The log group a function writes to: logging_config.log_group, else /aws/lambda/<name>. */
function logGroupOf(
  document: TerraformDocument,
  fn: TerraformElement,
): TerraformElement | undefined {
  const groups = document.resources('aws_cloudwatch_log_group');
  const configured = blocksOf(fn.body.logging_config)[0]?.log_group;
  if (configured !== undefined) {
    const ref = referenceOf(configured);
    if (ref) return groups.find((g) => g.address === ref.address);
    return groups.find((g) => g.body.name === configured);
  }
  const expected = new Set([
    `/aws/lambda/${fn.body.function_name}`,
    `/aws/lambda/\${${fn.address}.function_name}`,
  ]);
  return groups.find((g) => expected.has(g.body.name));
}

/** Retention set to a positive number of days (a Terraform expression is trusted). */
export function hasRetention(value: unknown): boolean {
  if (typeof value === 'string') return value.includes('${') || Number(value) > 0;
  return typeof value === 'number' && value > 0;
}

export const lambdaLogGroupRule: GuardrailRule = {
  id: 'GR-LAMBDA-LOG-GROUP',
  description:
    'Lambda functions log to a log group of the stack with retention (/aws/lambda/<function_name> or logging_config.log_group)',
  fix: 'add aws_cloudwatch_log_group "/aws/lambda/<function_name>" with retention_in_days (or point logging_config.log_group at one) and make the function depend on it',
  check(document) {
    const out: Violation[] = [];
    for (const fn of document.resources('aws_lambda_function')) {
      const group = logGroupOf(document, fn);
      if (!group) {
        out.push({
          element: fn,
          problem: `no aws_cloudwatch_log_group of the stack is its log group (function_name ${JSON.stringify(fn.body.function_name ?? null)})`,
        });
      } else if (!hasRetention(group.body.retention_in_days)) {
        out.push({
          element: fn,
          problem: `its log group ${group.address} has no retention_in_days`,
          fix: 'set retention_in_days on the log group',
        });
      }
    }
    return out;
  },
};

/** Name parts that mark a variable as carrying a secret. */
const SECRET_WORDS = new Set([
  'SECRET',
  'SECRETS',
  'PASSWORD',
  'PASSWD',
  'PASSPHRASE',
  'PWD',
  'TOKEN',
  'TOKENS',
  'APIKEY',
  'CREDS',
  'CREDENTIAL',
  'CREDENTIALS',
  'PRIVATE',
  'SALT',
]);
/**
 * Last name parts that describe a secret's settings rather than carry it: REFRESH_TOKEN_EXPIRY,
 * ALLOW_PASSWORD_RESET, MIN_PASSWORD_LENGTH, FIRECRAWL_API_URL, JWT_SECRET_PARAMETER_ARN.
 */
const DESCRIPTOR_WORDS = new Set([
  'EXPIRY',
  'TTL',
  'TIMEOUT',
  'LENGTH',
  'RESET',
  'URL',
  'ENDPOINT',
  'HOST',
  'PORT',
  'NAME',
  'ARN',
  'PARAMETER',
  'PATH',
  'FILE',
  'REGION',
  'ID',
  'ENABLED',
]);
/** Connection strings that embed a user and password. */
const SECRET_NAMES = new Set(['MONGO_URI', 'MONGODB_URI', 'DATABASE_URL', 'DATABASE_URI']);

/**
 * Names that match the patterns but hold no secret, each with the reason. Keep this short: a
 * name that belongs here in one project may be a secret in another.
 */
export const NON_SECRET_ENVIRONMENT_NAMES: Readonly<Record<string, string>> = {
  SSM_SECRETS:
    'a JSON map of variable -> SSM parameter name; the handler reads the values at cold start',
  CONFIG_S3_KEY: 'the S3 object key of librechat.yaml, not a key in the cryptographic sense',
};

/** Does a variable name look like it carries a secret? */
export function looksSecret(name: string): boolean {
  if (name in NON_SECRET_ENVIRONMENT_NAMES) return false;
  const upper = name.toUpperCase();
  if (SECRET_NAMES.has(upper) || upper.endsWith('_CONNECTION_STRING')) return true;
  const words = upper.split(/[^A-Z0-9]+/).filter(Boolean);
  if (DESCRIPTOR_WORDS.has(words[words.length - 1])) return false;
  if (words.some((w) => SECRET_WORDS.has(w))) return true;
  // API_KEY, CREDS_KEY, MEILI_MASTER_KEY, ACCESS_KEY...: a trailing KEY.
  return words[words.length - 1] === 'KEY';
}

/**
 * Values that only point at where a secret lives: an SSM parameter or Secrets Manager ARN, or a
 * reference to such a resource's name/arn/id (never its value).
 */
export function isSecretPointer(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  if (/^arn:aws[a-z-]*:(ssm|secretsmanager):[^:]*:[^:]*:(parameter\/|secret:)/.test(value))
    return true;
  const ref = referenceOf(value);
  return (
    !!ref &&
    /^(data\.)?aws_(ssm_parameter|secretsmanager_secret)\./.test(ref.address) &&
    ['arn', 'name', 'id'].includes(ref.attribute)
  );
}

export const lambdaSecretEnvironmentRule: GuardrailRule = {
  id: 'GR-LAMBDA-SECRET-ENV',
  description:
    'No Lambda environment variable whose name looks like a secret (SECRET, PASSWORD, TOKEN, CREDS, *_KEY, MONGO_URI, ...) carries a value',
  fix: 'put the secret in SSM Parameter Store and list its parameter name in SSM_SECRETS (librechat.secrets); the handler reads it at cold start, so it never enters the Terraform JSON or state',
  check(document) {
    const out: Violation[] = [];
    for (const fn of document.resources('aws_lambda_function')) {
      const variables = blocksOf(fn.body.environment)[0]?.variables ?? {};
      for (const [name, value] of Object.entries<unknown>(variables)) {
        if (!looksSecret(name) || isSecretPointer(value)) continue;
        // Empty and boolean values cannot be secrets (OPENID_REUSE_TOKENS = "true").
        if (value === '' || value === null || value === undefined) continue;
        if (typeof value === 'boolean' || /^(true|false)$/i.test(String(value))) continue;
        // Neither literals nor references to a secret's value: both land in the state.
        out.push({
          element: fn,
          problem: `environment variable ${name} carries a ${typeof value === 'string' && value.includes('${') ? 'Terraform-resolved' : 'literal'} value`,
        });
      }
    }
    return out;
  },
};

/** Lambda's limit on all of a function's environment variables together (names and values). */
export const LAMBDA_ENVIRONMENT_LIMIT_BYTES = 4096;

/** The bytes of a value outside its Terraform expressions (`${...}`): a lower bound of its size. */
export function literalBytes(value: string): number {
  let literal = '';
  for (let i = 0; i < value.length; i++) {
    if (value[i] === '$' && value[i + 1] === '{') {
      let depth = 0;
      for (i += 1; i < value.length; i++) {
        if (value[i] === '{') depth++;
        else if (value[i] === '}' && --depth === 0) break;
      }
    } else {
      literal += value[i];
    }
  }
  return Buffer.byteLength(literal);
}

export const lambdaEnvironmentSizeRule: GuardrailRule = {
  id: 'GR-LAMBDA-ENV-SIZE',
  description: `A Lambda function's environment variables (names and values) fit Lambda's ${LAMBDA_ENVIRONMENT_LIMIT_BYTES} bytes; Terraform expressions count as empty, so the check is a lower bound`,
  fix: "move the bulk out of the function's variables: an ECS task's environment through librechat.environmentFrom (read from S3 at cold start), secrets through librechat.secrets",
  check(document) {
    const out: Violation[] = [];
    for (const fn of document.resources('aws_lambda_function')) {
      const variables = blocksOf(fn.body.environment)[0]?.variables ?? {};
      if (typeof variables !== 'object' || variables === null) continue;
      const bytes = Object.entries<unknown>(variables).reduce(
        (sum, [name, value]) =>
          sum + Buffer.byteLength(name) + (typeof value === 'string' ? literalBytes(value) : 0),
        0,
      );
      if (bytes > LAMBDA_ENVIRONMENT_LIMIT_BYTES) {
        out.push({
          element: fn,
          problem: `its environment variables take at least ${bytes} bytes, more than the ${LAMBDA_ENVIRONMENT_LIMIT_BYTES} Lambda allows (the apply would fail)`,
        });
      }
    }
    return out;
  },
};
