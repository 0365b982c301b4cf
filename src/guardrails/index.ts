export * from './guardrails';
export type { GuardrailRule, Violation } from './rule';
export { GUARDRAIL_RULES } from './rules';
export { suppressGuardrail, type GuardrailSuppression } from './suppressions';
