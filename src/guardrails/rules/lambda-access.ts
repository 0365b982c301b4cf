import type { GuardrailRule, Violation } from '../rule';
import { blocksOf } from '../terraform-document';

const SERVICE_PRINCIPAL = /^[a-z0-9.-]+\.amazonaws\.com$/;

export const lambdaPermissionRule: GuardrailRule = {
  id: 'GR-LAMBDA-PERMISSION',
  description:
    'aws_lambda_permission grants one AWS service (never "*" or an account) and names its source_arn',
  fix: 'principal = the calling service (apigateway.amazonaws.com) and source_arn = the exact API stage/route ARN',
  check(document) {
    const out: Violation[] = [];
    for (const p of document.resources('aws_lambda_permission')) {
      const principal = p.body.principal;
      if (typeof principal !== 'string' || !SERVICE_PRINCIPAL.test(principal)) {
        out.push({
          element: p,
          problem: `principal ${JSON.stringify(principal ?? null)} is not one AWS service`,
        });
      }
      if (typeof p.body.source_arn !== 'string' || p.body.source_arn.trim() === '') {
        out.push({ element: p, problem: 'no source_arn: any resource of that service may invoke' });
      }
    }
    return out;
  },
};

export const lambdaUrlAuthRule: GuardrailRule = {
  id: 'GR-LAMBDA-URL-AUTH',
  description:
    'No aws_lambda_function_url with authorization_type NONE (a public URL that bypasses CloudFront, WAF and the API)',
  fix: 'serve the function through the API (and CloudFront); if a function URL is needed, use authorization_type = "AWS_IAM"',
  check(document) {
    return document
      .resources('aws_lambda_function_url')
      .filter((u) => u.body.authorization_type !== 'AWS_IAM')
      .map((u) => ({
        element: u,
        problem: `authorization_type is ${JSON.stringify(u.body.authorization_type ?? null)}`,
      }));
  },
};

/**
 * Attributes whose values are secrets: a Lambda environment that references one copies the
 * secret into the function configuration (and the plan), whatever the variable is called.
 */
export const SECRET_ATTRIBUTES: readonly RegExp[] = [
  /\brandom_password\.[A-Za-z0-9_-]+\.(result|bcrypt_hash)\b/,
  /\b(data\.)?aws_ssm_parameter\.[A-Za-z0-9_-]+\.(value|insecure_value)\b/,
  /\b(data\.)?aws_secretsmanager_secret_version\.[A-Za-z0-9_-]+\.secret_(string|binary)\b/,
  /\baws_iam_access_key\.[A-Za-z0-9_-]+\.(secret|ses_smtp_password_v4)\b/,
  /\btls_private_key\.[A-Za-z0-9_-]+\.private_key_\w+\b/,
  /\baws_elasticache_replication_group\.[A-Za-z0-9_-]+\.auth_token\b/,
];

export const lambdaSecretReferenceRule: GuardrailRule = {
  id: 'GR-LAMBDA-SECRET-REFERENCE',
  description:
    'No Lambda environment value references a secret-bearing attribute (random_password.*.result, aws_ssm_parameter.*.value, ...), whatever the variable is named',
  fix: 'pass the SSM parameter name (librechat.secrets / addSecret); the handler reads the value at cold start',
  check(document) {
    const out: Violation[] = [];
    for (const fn of document.resources('aws_lambda_function')) {
      const variables = blocksOf(fn.body.environment)[0]?.variables ?? {};
      for (const [name, value] of Object.entries<unknown>(variables)) {
        if (typeof value !== 'string' || !value.includes('${')) continue;
        const hit = SECRET_ATTRIBUTES.map((p) => p.exec(value)?.[0]).find(Boolean);
        if (hit)
          out.push({ element: fn, problem: `environment variable ${name} references ${hit}` });
      }
    }
    return out;
  },
};
