import { SUPPRESSION_RULE_ID } from '../guardrails/guardrails';
import { GUARDRAIL_RULES } from '../guardrails/rules';
import { markdownTable } from './generated-section';

/** The guardrail table of docs/guardrails.md, from the rules themselves. */
export function guardrailReference(): string {
  const rows = GUARDRAIL_RULES.map((rule) => [`\`${rule.id}\``, rule.description, rule.fix]);
  rows.push([
    `\`${SUPPRESSION_RULE_ID}\``,
    'a suppression names a known rule and still suppresses a finding',
    'fix the rule id, or remove the stale suppression',
  ]);
  return markdownTable(['rule', 'checks', 'fix'], rows);
}
