import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { Testing, TerraformStack } from 'cdktf';
import { Guardrails, formatFinding, type GuardrailFinding } from '../../src/guardrails';

/** A small guarded stack with an AWS provider; `build` adds what the test is about. */
export function guardedStack(build: (stack: TerraformStack) => void): TerraformStack {
  const stack = new TerraformStack(Testing.app(), 'test');
  new AwsProvider(stack, 'aws', { region: 'eu-west-1' });
  Guardrails.applyTo(stack);
  build(stack);
  return stack;
}

/** The guardrail findings of a small stack built by `build`. */
export function findingsOf(build: (stack: TerraformStack) => void): GuardrailFinding[] {
  const stack = guardedStack(build);
  return Guardrails.of(stack)!.findings();
}

/** Findings of one rule, as the printed lines (id, address, path, problem, fix). */
export function linesOf(findings: GuardrailFinding[], ruleId: string): string[] {
  return findings.filter((f) => f.ruleId === ruleId).map(formatFinding);
}

/** The rule ids of findings, sorted and unique. */
export function ruleIds(findings: GuardrailFinding[]): string[] {
  return [...new Set(findings.map((f) => f.ruleId))].sort();
}
