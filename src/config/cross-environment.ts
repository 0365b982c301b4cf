import type { EnvironmentConfig } from './schema';

/** Where an environment keeps its Terraform state: one key per environment name. */
export function stateKey(environment: string): string {
  return `librechat-lambda/${environment}/terraform.tfstate`;
}

interface Checked {
  readonly name: string;
  readonly file: string;
  readonly config: EnvironmentConfig;
}

// Settings that must differ between environments: [what, value of one environment, why].
const UNIQUE: Array<[string, (e: Checked) => string | undefined, string]> = [
  [
    'domain.name',
    (e) => e.config.domain.name,
    'both would claim the same DNS record and CloudFront alias',
  ],
  [
    'state.bucket and state key',
    (e) => `s3://${e.config.state.bucket}/${stateKey(e.name)}`,
    'both would write the same Terraform state',
  ],
  [
    'api.manageAccountLoggingRole: true in region',
    (e) => (e.config.api.manageAccountLoggingRole ? e.config.region : undefined),
    "API Gateway's CloudWatch role is one setting per account and region: let one environment manage it and set false in the others",
  ],
];

/**
 * Problems between environment files that each are valid alone: two environments that would
 * fight over one resource or account setting. Each problem names both files.
 */
export function crossEnvironmentProblems(environments: readonly Checked[]): string[] {
  const problems: string[] = [];
  for (const [what, valueOf, why] of UNIQUE) {
    const seen = new Map<string, Checked>();
    for (const env of environments) {
      const value = valueOf(env);
      if (value === undefined) continue;
      const first = seen.get(value);
      if (first) {
        problems.push(
          `${first.file} and ${env.file}: both set ${what} ${JSON.stringify(value)}: ${why}`,
        );
      } else {
        seen.set(value, env);
      }
    }
  }
  return problems;
}
