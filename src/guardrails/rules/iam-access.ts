import type { GuardrailRule, Violation } from '../rule';
import { listOf } from '../terraform-document';
import { permissionStatements, trustStatements } from './statements';

/**
 * AWS managed policies a role of this stack may have: Lambda in a VPC, and API Gateway's
 * CloudWatch logging role. Anything else (AdministratorAccess, PowerUserAccess...) is a finding.
 */
export const ALLOWED_MANAGED_POLICIES: ReadonlySet<string> = new Set([
  'arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole',
  'arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole',
  'arn:aws:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs',
  // The capacity provider's operator role (Lambda Managed Instances): the minimum AWS documents
  // for Lambda to run instances in the account (docs/compute-modes.md).
  'arn:aws:iam::aws:policy/AWSLambdaManagedEC2ResourceOperator',
]);

/** A policy of the stack itself (its statements are checked by the other IAM rules). */
function isStackPolicy(arn: string): boolean {
  return /^\$\{aws_iam_policy\.[A-Za-z0-9_-]+\.arn\}$/.test(arn);
}

export const iamManagedPolicyRule: GuardrailRule = {
  id: 'GR-IAM-MANAGED-POLICY',
  description:
    'Roles get AWS managed policies only from an allow-list (Lambda VPC/basic execution, API Gateway CloudWatch logging); customer policies of the stack are checked by the other IAM rules',
  fix: 'grant the exact permissions in an inline policy (aws_iam_policy_document), or add a reviewed managed policy to ALLOWED_MANAGED_POLICIES',
  check(document) {
    const out: Violation[] = [];
    const check = (element: Violation['element'], arns: unknown[], attribute: string) => {
      for (const arn of arns) {
        if (typeof arn !== 'string' || ALLOWED_MANAGED_POLICIES.has(arn) || isStackPolicy(arn)) {
          continue;
        }
        out.push({ element, problem: `${attribute} attaches ${JSON.stringify(arn)}` });
      }
    };
    for (const type of [
      'aws_iam_role_policy_attachment',
      'aws_iam_policy_attachment',
      'aws_iam_user_policy_attachment',
      'aws_iam_group_policy_attachment',
    ]) {
      for (const a of document.resources(type)) check(a, [a.body.policy_arn], 'policy_arn');
    }
    for (const role of document.resources('aws_iam_role')) {
      check(role, listOf(role.body.managed_policy_arns), 'managed_policy_arns');
    }
    for (const e of document.resources('aws_iam_role_policy_attachments_exclusive')) {
      check(e, listOf(e.body.policy_arns), 'policy_arns');
    }
    return out;
  },
};

export const iamTrustRule: GuardrailRule = {
  id: 'GR-IAM-TRUST',
  description:
    'Role trust policies let only AWS services assume the role: no principal "*", no account or user principal, no federated principal',
  fix: 'trust the one service that runs the role: principals { type = "Service", identifiers = ["lambda.amazonaws.com"] }',
  check(document) {
    const out: Violation[] = [];
    for (const role of document.resources('aws_iam_role')) {
      const statements = trustStatements(document, role);
      if (!statements) continue;
      for (const s of statements) {
        if (s.effect !== 'Allow') continue;
        for (const [type, ids] of Object.entries(s.principals)) {
          if (type === 'Service' && !ids.includes('*')) continue;
          out.push({
            element: role,
            problem: `trust ${s.label} allows principal ${type} ${JSON.stringify(ids)}`,
          });
        }
      }
    }
    return out;
  },
};

/** Actions that grant or pass access: on a wildcard ARN they reach far beyond one resource. */
export const ACCESS_GRANTING_ACTIONS = [
  /^iam:PassRole$/i,
  /^iam:\*$/,
  /^iam:(Attach|Detach|Put|Delete)(Role|User|Group)Policy$/i,
  /^iam:(CreatePolicyVersion|UpdateAssumeRolePolicy|CreateAccessKey)$/i,
  /^sts:AssumeRole$/i,
  /^s3:\*$/,
  /^s3:PutBucketPolicy$/i,
  /^kms:(\*|CreateGrant|PutKeyPolicy)$/i,
  /^\*$/,
];

/** An ARN whose account or resource part is (or contains) a wildcard. */
export function hasWildcardScope(arn: string): boolean {
  if (arn === '*') return true;
  const parts = arn.split(':');
  if (parts.length < 6 || parts[0] !== 'arn') return false;
  const account = parts[4];
  const resource = parts.slice(5).join(':');
  // Terraform references (${...}) resolve to one concrete value: not a wildcard.
  const literal = (text: string) => text.replace(/\$\{[^}]*\}/g, 'x');
  return literal(account).includes('*') || /(^|[/:])\*$|^\*/.test(literal(resource));
}

export const iamAccessScopeRule: GuardrailRule = {
  id: 'GR-IAM-ACCESS-SCOPE',
  description:
    'Actions that grant or pass access (iam:PassRole, sts:AssumeRole, iam:Put*Policy, s3:*, s3:PutBucketPolicy, kms:CreateGrant...) name exact ARNs: no wildcard in the account or resource part',
  fix: 'name the one role, bucket or key (arn:aws:iam::<account>:role/<name>), built from the resource it is about',
  check(document) {
    const out: Violation[] = [];
    for (const s of permissionStatements(document)) {
      if (s.effect !== 'Allow') continue;
      const granting = s.actions.filter((a) => ACCESS_GRANTING_ACTIONS.some((p) => p.test(a)));
      if (granting.length === 0) continue;
      const wide = s.resources.filter(hasWildcardScope);
      if (wide.length === 0) continue;
      out.push({
        element: s.element,
        problem: `${s.label} allows ${granting.map((a) => `"${a}"`).join(', ')} on ${wide.map((r) => `"${r}"`).join(', ')}`,
      });
    }
    return out;
  },
};
