import { listOf, type Block } from '../terraform-document';

/**
 * A policy attribute as the rules can read it: a JSON document (tokens inside strings resolve to
 * `${...}` and stay valid JSON), or an opaque Terraform expression such as `${jsonencode({...})}`
 * whose text is all that is known at synth.
 */
export interface ParsedPolicy {
  readonly document?: Block;
  readonly expression?: string;
}

export function parsePolicy(policy: unknown): ParsedPolicy {
  if (policy && typeof policy === 'object') return { document: policy as Block };
  if (typeof policy !== 'string' || policy.trim() === '') return {};
  try {
    const document = JSON.parse(policy);
    if (document && typeof document === 'object') return { document };
  } catch {
    // Not JSON: a Terraform expression (jsonencode, file, a reference).
  }
  return { expression: policy };
}

/** The policy's statements, Statement being one object or a list. */
export function statementsOf(document: Block): Block[] {
  return listOf(document.Statement).filter((s): s is Block => !!s && typeof s === 'object');
}

/** `*` and whole-service wildcards such as `s3:*`. */
export function isWildcardAction(action: unknown): boolean {
  return typeof action === 'string' && /^(\*|[A-Za-z0-9-]+:\*)$/.test(action.trim());
}

/**
 * Actions that support no resource-level permissions, so AWS requires Resource "*" for them
 * (Service Authorization Reference: no resource types listed). A statement made only of these
 * may use "*" as its resource.
 */
export const RESOURCE_STAR_ONLY_ACTIONS: ReadonlySet<string> = new Set([
  'ecr:GetAuthorizationToken',
  'xray:PutTraceSegments',
  'xray:PutTelemetryRecords',
  'cloudwatch:PutMetricData',
  'ec2:CreateNetworkInterface',
  'ec2:DescribeNetworkInterfaces',
  'ec2:DeleteNetworkInterface',
  'ec2:AssignPrivateIpAddresses',
  'ec2:UnassignPrivateIpAddresses',
]);

/** Problems of one statement in IAM JSON form (Effect/Action/Resource/NotAction/NotResource). */
export function statementProblems(
  statement: {
    effect?: unknown;
    actions: unknown[];
    resources: unknown[];
    notActions: unknown[];
    notResources: unknown[];
  },
  label: string,
): string[] {
  if ((statement.effect ?? 'Allow') !== 'Allow') return [];
  const problems: string[] = [];
  const wildcards = statement.actions.filter(isWildcardAction);
  if (wildcards.length)
    problems.push(`${label} allows action ${wildcards.map((a) => `"${a}"`).join(', ')}`);
  const starOnly =
    statement.actions.length > 0 &&
    statement.actions.every((a) => typeof a === 'string' && RESOURCE_STAR_ONLY_ACTIONS.has(a));
  if (!starOnly && statement.resources.some((r) => r === '*')) {
    problems.push(`${label} allows resource "*"`);
  }
  if (statement.notActions.length) problems.push(`${label} allows NotAction (everything else)`);
  if (statement.notResources.length) problems.push(`${label} allows NotResource (everything else)`);
  return problems;
}

/** Problems of a whole policy attribute. */
export function policyProblems(policy: unknown, attribute: string): string[] {
  const parsed = parsePolicy(policy);
  if (parsed.document) {
    return statementsOf(parsed.document).flatMap((s, i) =>
      statementProblems(
        {
          effect: s.Effect,
          actions: listOf(s.Action),
          resources: listOf(s.Resource),
          notActions: listOf(s.NotAction),
          notResources: listOf(s.NotResource),
        },
        `${attribute} statement ${s.Sid ? `"${s.Sid}"` : i}`,
      ),
    );
  }
  if (parsed.expression) {
    // Only the expression's text is known: quoted wildcard literals are reported (whatever their
    // Effect); wildcards that come from variables or references cannot be seen at synth.
    const literals = [...parsed.expression.matchAll(/"(\*|[A-Za-z0-9-]+:\*)"/g)].map((m) => m[1]);
    if (literals.length) {
      return [
        `${attribute} (a Terraform expression, read as text) contains ${[...new Set(literals)].map((l) => `"${l}"`).join(', ')}`,
      ];
    }
  }
  return [];
}
