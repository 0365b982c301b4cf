import { TerraformStack, type App } from 'cdktf';
import type { IConstruct, IValidation } from 'constructs';
import { GUARDRAIL_RULES } from './rules';
import type { GuardrailRule } from './rule';
import { suppressionsOf } from './suppressions';
import { TerraformDocument, type Block } from './terraform-document';

/** Rule id of findings about suppressions themselves (unknown rule, nothing suppressed). */
export const SUPPRESSION_RULE_ID = 'GR-SUPPRESSION';

/** One guardrail finding: which rule, where, what is wrong and how to fix it. */
export interface GuardrailFinding {
  readonly ruleId: string;
  /** Terraform address (`aws_s3_bucket.files`, `module.cdn`). */
  readonly address: string;
  /** Construct path (`dev/frontend/bucket`). */
  readonly path: string;
  readonly problem: string;
  readonly fix: string;
}

/** `GR-S3-TLS-ONLY module.bucket (dev/frontend/bucket): ... Fix: ...` */
export function formatFinding(finding: GuardrailFinding): string {
  return `${finding.ruleId} ${finding.address} (${finding.path}): ${finding.problem}. Fix: ${finding.fix}`;
}

/** All findings as one message, one finding per line. */
export function formatFindings(findings: readonly GuardrailFinding[]): string {
  return [
    `Guardrails: ${findings.length} finding(s); nothing was synthesized.`,
    ...findings.map((f) => `  ${formatFinding(f)}`),
  ].join('\n');
}

/** A suppression as recorded on a construct, keyed by the construct's path. */
export interface RecordedSuppression {
  readonly path: string;
  readonly ruleId: string;
  readonly reason: string;
}

/**
 * Runs `rules` over a resolved Terraform document and applies the suppressions: pure, so it can
 * be used on any synthesized JSON. Suppressions of unknown rules or that match no finding are
 * reported as GR-SUPPRESSION findings.
 */
export function evaluateGuardrails(
  json: Block,
  suppressions: readonly RecordedSuppression[] = [],
  rules: readonly GuardrailRule[] = GUARDRAIL_RULES,
): GuardrailFinding[] {
  const document = new TerraformDocument(json);
  const knownIds = new Set(GUARDRAIL_RULES.map((r) => r.id));
  const used = new Set<RecordedSuppression>();
  const findings: GuardrailFinding[] = [];
  for (const rule of rules) {
    for (const violation of rule.check(document)) {
      const { element } = violation;
      const suppression = suppressions.find((s) => s.ruleId === rule.id && s.path === element.path);
      if (suppression) {
        used.add(suppression);
        continue;
      }
      findings.push({
        ruleId: rule.id,
        address: element.address,
        path: element.path,
        problem: violation.problem,
        fix: violation.fix ?? rule.fix,
      });
    }
  }
  const activeIds = new Set(rules.map((r) => r.id));
  for (const s of suppressions) {
    if (used.has(s)) continue;
    const address = document.elements.find((e) => e.path === s.path)?.address ?? s.path;
    if (!knownIds.has(s.ruleId)) {
      findings.push({
        ruleId: SUPPRESSION_RULE_ID,
        address,
        path: s.path,
        problem: `suppression of unknown rule ${s.ruleId}`,
        fix: `use one of ${[...knownIds].join(', ')}`,
      });
    } else if (activeIds.has(s.ruleId)) {
      findings.push({
        ruleId: SUPPRESSION_RULE_ID,
        address,
        path: s.path,
        problem: `suppression of ${s.ruleId} ("${s.reason}") matches no finding`,
        fix: 'remove the suppressGuardrail call: the element complies (or the rule moved)',
      });
    }
  }
  return findings;
}

const APPLIED = new WeakMap<TerraformStack, Guardrails>();

/**
 * Synth-time security and correctness rules over a whole stack (like cdk-nag or Checkov, but a
 * regression cannot reach `terraform plan`). Registered as a validation of the stack, so
 * `app.synth()` fails with every finding at once before the stack's JSON is written.
 *
 * The rules read `stack.toTerraform()`, the resolved document synth writes, rather than construct
 * props: module inputs (snake_case, with their module defaults) and `addOverride` values are only
 * final there.
 */
export class Guardrails implements IValidation {
  /** Applies the guardrails to a stack (once; later calls return the same instance). */
  static applyTo(stack: TerraformStack): Guardrails {
    let guardrails = APPLIED.get(stack);
    if (!guardrails) {
      guardrails = new Guardrails(stack);
      APPLIED.set(stack, guardrails);
      stack.node.addValidation(guardrails);
    }
    return guardrails;
  }

  /** The guardrails applied to a stack, if any. */
  static of(stack: TerraformStack): Guardrails | undefined {
    return APPLIED.get(stack);
  }

  private constructor(private readonly stack: TerraformStack) {}

  /** Every suppression recorded on a construct of the stack. */
  suppressions(): RecordedSuppression[] {
    return this.stack.node
      .findAll()
      .flatMap((c: IConstruct) => suppressionsOf(c).map((s) => ({ path: c.node.path, ...s })));
  }

  /** The findings of the stack as it is now. */
  findings(): GuardrailFinding[] {
    return evaluateGuardrails(this.stack.toTerraform(), this.suppressions());
  }

  /** IValidation: one message per finding (cdktf prefixes the stack path). */
  validate(): string[] {
    return this.findings().map(formatFinding);
  }
}

/**
 * Findings of every guarded stack under `root` (an App), across all stacks at once. Prepares
 * the stacks first, as synth does, so cross-stack references and the default backend exist.
 * Aspects are not invoked here (cdktf would invoke them again in synth, and not every aspect is
 * idempotent): changes an aspect makes are still checked by the stack's validation in synth.
 */
export function findingsOfApp(root: IConstruct): GuardrailFinding[] {
  const stacks = root.node.findAll().filter(TerraformStack.isStack);
  stacks.forEach((stack) => stack.prepareStack());
  return stacks.flatMap((stack) => Guardrails.of(stack)?.findings() ?? []);
}

/**
 * Checks every stack of the app and synthesizes only when none has a finding, so a failing run
 * writes nothing (cdktf alone would write the stacks validated before the failing one). Returns
 * the findings; empty means the app was synthesized.
 */
export function synthWithGuardrails(app: App): GuardrailFinding[] {
  const findings = findingsOfApp(app);
  if (findings.length === 0) app.synth();
  return findings;
}
