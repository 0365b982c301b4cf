import { relative, sep } from 'node:path';

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
