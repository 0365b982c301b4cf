import {
  blocksOf,
  listOf,
  type Block,
  type TerraformDocument,
  type TerraformElement,
} from '../terraform-document';
import { parsePolicy, statementsOf } from './policy';
import { S3_BUCKET_MODULE_SOURCE } from './s3';

/** One IAM policy statement of the stack, in one shape whatever it was written as. */
export interface PolicyStatement {
  readonly element: TerraformElement;
  /** `policy statement "Sid"`, `statement 0`, ... for messages. */
  readonly label: string;
  readonly effect: string;
  readonly actions: string[];
  readonly resources: string[];
  /** Principal type -> identifiers (`*` alone is `{ '*': ['*'] }`). */
  readonly principals: Record<string, string[]>;
}

/** Resource types whose `policy` attribute is an IAM policy document. */
export const POLICY_RESOURCES = [
  'aws_iam_policy',
  'aws_iam_role_policy',
  'aws_iam_user_policy',
  'aws_iam_group_policy',
  'aws_s3_bucket_policy',
];

const strings = (value: unknown): string[] =>
  listOf(value).filter((v): v is string => typeof v === 'string');

function principalsOfJson(principal: unknown): Record<string, string[]> {
  if (principal === undefined) return {};
  if (typeof principal === 'string') return { [principal === '*' ? '*' : 'AWS']: [principal] };
  const out: Record<string, string[]> = {};
  for (const [type, ids] of Object.entries(principal as Block)) out[type] = strings(ids);
  return out;
}

/** Statements of one policy attribute (JSON text or object). */
export function jsonStatements(
  element: TerraformElement,
  policy: unknown,
  attribute: string,
): PolicyStatement[] {
  const { document } = parsePolicy(policy);
  if (!document) return [];
  return statementsOf(document).map((s, i) => ({
    element,
    label: `${attribute} statement ${s.Sid ? `"${s.Sid}"` : i}`,
    effect: String(s.Effect ?? 'Allow'),
    actions: strings(s.Action),
    resources: strings(s.Resource),
    principals: principalsOfJson(s.Principal),
  }));
}

/** Statements of an `aws_iam_policy_document` data source. */
export function documentStatements(element: TerraformElement): PolicyStatement[] {
  return blocksOf(element.body.statement).map((s, i) => {
    const principals: Record<string, string[]> = {};
    for (const p of blocksOf(s.principals)) {
      principals[String(p.type)] = [
        ...(principals[String(p.type)] ?? []),
        ...strings(p.identifiers),
      ];
    }
    return {
      element,
      label: `statement ${s.sid ? `"${s.sid}"` : i}`,
      effect: String(s.effect ?? 'Allow'),
      actions: strings(s.actions),
      resources: strings(s.resources),
      principals,
    };
  });
}

/** Every permission statement of the stack (policies, inline policies, policy documents). */
export function permissionStatements(document: TerraformDocument): PolicyStatement[] {
  const out: PolicyStatement[] = [];
  for (const type of POLICY_RESOURCES) {
    for (const r of document.resources(type))
      out.push(...jsonStatements(r, r.body.policy, 'policy'));
  }
  for (const role of document.resources('aws_iam_role')) {
    blocksOf(role.body.inline_policy).forEach((p, i) =>
      out.push(...jsonStatements(role, p.policy, `inline_policy ${p.name ?? i}`)),
    );
  }
  for (const m of document.modules(S3_BUCKET_MODULE_SOURCE)) {
    out.push(...jsonStatements(m, m.body.policy, 'policy'));
  }
  for (const d of document.dataSources('aws_iam_policy_document'))
    out.push(...documentStatements(d));
  return out;
}

/** The trust policy statements of a role (JSON, or an aws_iam_policy_document it references). */
export function trustStatements(
  document: TerraformDocument,
  role: TerraformElement,
): PolicyStatement[] | undefined {
  const policy = role.body.assume_role_policy;
  const referenced = document.referenced(policy);
  if (referenced?.type === 'aws_iam_policy_document') {
    return documentStatements(referenced).map((s) => ({ ...s, element: role }));
  }
  const parsed = parsePolicy(policy);
  return parsed.document ? jsonStatements(role, policy, 'assume_role_policy') : undefined;
}
