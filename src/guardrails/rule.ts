import type { TerraformDocument, TerraformElement } from './terraform-document';

/** One problem a rule found on one element. */
export interface Violation {
  readonly element: TerraformElement;
  /** What is wrong, naming the attribute and the value found. */
  readonly problem: string;
  /** How to fix this case; the rule's general advice when absent. */
  readonly fix?: string;
}

/** A synth-time check over the whole stack document. */
export interface GuardrailRule {
  /** Stable id used in messages and suppressions, e.g. `GR-S3-PUBLIC-ACCESS`. */
  readonly id: string;
  /** What the rule requires, in one line (the README table). */
  readonly description: string;
  /** How to comply, in one line. */
  readonly fix: string;
  check(document: TerraformDocument): Violation[];
}
