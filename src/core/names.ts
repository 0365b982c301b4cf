import { relative, sep } from 'node:path';

/** An environment variable (and Docker build argument) name: UPPER_SNAKE_CASE. */
export const ENV_VAR_NAME = /^[A-Z_][A-Z0-9_]*$/;

/** An SSM parameter given by name (hierarchical, starting with `/`). */
export const SSM_PARAMETER_NAME = /^\/[A-Za-z0-9_.\-/]+$/;

/** An SSM parameter given by ARN, in any partition. */
export const SSM_PARAMETER_ARN =
  /^arn:aws[a-z-]*:ssm:[a-z0-9-]+:\d{12}:parameter\/[A-Za-z0-9_.\-/]+$/;

/**
 * `to` relative to `from`, with forward slashes: paths written into the synthesized Terraform
 * must not depend on where, or on which OS, the repository is checked out.
 */
export function portableRelativePath(from: string, to: string): string {
  return relative(from, to).split(sep).join('/');
}

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
