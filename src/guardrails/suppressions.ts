import { TerraformDataSource, TerraformModule, TerraformResource } from 'cdktf';
import type { IConstruct } from 'constructs';

/** An explicit, reasoned exception to one rule on one resource or module. */
export interface GuardrailSuppression {
  readonly ruleId: string;
  readonly reason: string;
}

const SUPPRESSIONS = new WeakMap<IConstruct, GuardrailSuppression[]>();

/**
 * Exempts one Terraform resource, data source or module from one guardrail rule. The reason is
 * required (it is the review record of the exception) and the suppression covers that element
 * only, not its children or siblings. A suppression of an unknown rule, or one that suppresses
 * nothing, is itself reported at synth so exceptions do not outlive their cause.
 */
export function suppressGuardrail(construct: IConstruct, ruleId: string, reason: string): void {
  const path = construct.node.path;
  if (
    !TerraformResource.isTerraformResource(construct) &&
    !(construct instanceof TerraformDataSource) &&
    !(construct instanceof TerraformModule)
  ) {
    throw new Error(
      `suppressGuardrail(${path}, ${ruleId}): suppress on the Terraform resource, data source or module that breaks the rule, not on a wrapping construct`,
    );
  }
  if (typeof ruleId !== 'string' || ruleId.trim() === '') {
    throw new Error(`suppressGuardrail(${path}): a rule id such as GR-IAM-WILDCARD is required`);
  }
  if (typeof reason !== 'string' || reason.trim() === '') {
    throw new Error(
      `suppressGuardrail(${path}, ${ruleId}): a non-empty reason is required (why this exception is safe)`,
    );
  }
  const list = SUPPRESSIONS.get(construct) ?? [];
  list.push({ ruleId: ruleId.trim(), reason: reason.trim() });
  SUPPRESSIONS.set(construct, list);
}

/** The suppressions recorded on one construct. */
export function suppressionsOf(construct: IConstruct): readonly GuardrailSuppression[] {
  return SUPPRESSIONS.get(construct) ?? [];
}
