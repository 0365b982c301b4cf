import type { z } from 'zod';

// Checks for free text that reaches the Terraform JSON. Terraform evaluates `${...}` and `%{...}`
// in every string of a .tf.json file, so a config value such as `${file("/etc/hostname")}` or a
// reference to the origin secret would be evaluated at apply. Such values are rejected, never
// passed on. Kept apart from the schema so every section (and fields added later) reuses it.

/** A Terraform interpolation or template directive opener. */
export const TERRAFORM_TEMPLATE = /[$%]\{/;

/**
 * Fields whose values may hold secrets (or point at them): a problem there never quotes the
 * value. Paths are dot-joined prefixes such as `librechat.environment`.
 */
export const SECRET_BEARING_FIELDS: readonly string[] = [
  'librechat.secrets',
  'librechat.environment',
];

export function isSecretBearing(path: readonly PropertyKey[]): boolean {
  const joined = path.map(String).join('.');
  return SECRET_BEARING_FIELDS.some((f) => joined === f || joined.startsWith(`${f}.`));
}

const TEMPLATE_MESSAGE =
  'contains "${" or "%{", which Terraform would evaluate at apply: remove it (free text in this file is passed to Terraform as is)';

/**
 * Adds an issue for every string (object key or value) under `value` that holds a Terraform
 * template sequence. The message names the field and never quotes the value.
 */
export function rejectTerraformTemplates(
  ctx: z.core.$RefinementCtx,
  value: unknown,
  path: PropertyKey[] = [],
): void {
  if (typeof value === 'string') {
    if (TERRAFORM_TEMPLATE.test(value)) {
      ctx.addIssue({ code: 'custom', path, message: `the value ${TEMPLATE_MESSAGE}` });
    }
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((v, i) => rejectTerraformTemplates(ctx, v, [...path, i]));
    return;
  }
  if (value && typeof value === 'object') {
    for (const [key, v] of Object.entries(value)) {
      if (TERRAFORM_TEMPLATE.test(key)) {
        ctx.addIssue({ code: 'custom', path, message: `a key ${TEMPLATE_MESSAGE}` });
      }
      rejectTerraformTemplates(ctx, v, [...path, key]);
    }
  }
}

// AWS tag rules (Tagging AWS resources, "Tag naming limits and requirements").
const TAG_CHARACTERS = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

/** Problems of one tag, each with the expected form (the tag key may be quoted, never its value). */
export function tagProblems(key: string, value: string): string[] {
  const problems: string[] = [];
  if (key.length < 1 || key.length > 128)
    problems.push('expected a tag key of 1 to 128 characters');
  if (/^aws:/i.test(key))
    problems.push('expected a tag key not starting with "aws:" (reserved by AWS)');
  if (!TAG_CHARACTERS.test(key)) {
    problems.push('expected a tag key of letters, digits, spaces and _ . : / = + - @');
  }
  if (value.length > 256) problems.push('expected a tag value of at most 256 characters');
  if (!TAG_CHARACTERS.test(value)) {
    problems.push('expected a tag value of letters, digits, spaces and _ . : / = + - @');
  }
  return problems;
}

/** True when a URL carries a user name or password (they would land in the Terraform state). */
export function hasCredentials(url: string): boolean {
  try {
    const u = new URL(url);
    return u.username !== '' || u.password !== '';
  } catch {
    return false;
  }
}

/**
 * Problems of an S3 object key used in an IAM resource ARN: wildcards would widen the grant,
 * `.`/`..` segments name another object than the one meant.
 */
export function objectKeyProblems(key: string): string[] {
  const problems: string[] = [];
  if (/[*?]/.test(key)) problems.push('expected one object key, without the IAM wildcards * or ?');
  if (key.split('/').some((s) => s === '..' || s === '.')) {
    problems.push('expected an object key without "." or ".." path segments');
  }
  return problems;
}
