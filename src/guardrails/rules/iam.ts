import type { GuardrailRule, Violation } from '../rule';
import { blocksOf, listOf } from '../terraform-document';
import { policyProblems, statementProblems } from './policy';
import { S3_BUCKET_MODULE_SOURCE } from './s3';

/** Resource types whose `policy` attribute is an IAM policy document. */
const POLICY_RESOURCES = [
  'aws_iam_policy',
  'aws_iam_role_policy',
  'aws_iam_user_policy',
  'aws_iam_group_policy',
  'aws_s3_bucket_policy',
];

export const iamWildcardRule: GuardrailRule = {
  id: 'GR-IAM-WILDCARD',
  description:
    'No Allow statement grants action "*" or "service:*", resource "*" (except actions that only support "*"), NotAction or NotResource',
  fix: 'list the exact actions and resource ARNs; build policies with JSON.stringify (tokens inside) or aws_iam_policy_document so they can be checked',
  check(document) {
    const out: Violation[] = [];
    const report = (element: Violation['element'], problems: string[]) =>
      problems.forEach((problem) => out.push({ element, problem }));
    for (const type of POLICY_RESOURCES) {
      for (const r of document.resources(type)) report(r, policyProblems(r.body.policy, 'policy'));
    }
    for (const role of document.resources('aws_iam_role')) {
      blocksOf(role.body.inline_policy).forEach((p, i) =>
        report(role, policyProblems(p.policy, `inline_policy ${p.name ?? i}`)),
      );
    }
    for (const m of document.modules(S3_BUCKET_MODULE_SOURCE)) {
      report(m, policyProblems(m.body.policy, 'policy'));
    }
    for (const d of document.dataSources('aws_iam_policy_document')) {
      blocksOf(d.body.statement).forEach((s, i) =>
        report(
          d,
          statementProblems(
            {
              effect: s.effect,
              actions: listOf(s.actions),
              resources: listOf(s.resources),
              notActions: listOf(s.not_actions),
              notResources: listOf(s.not_resources),
            },
            `statement ${s.sid ? `"${s.sid}"` : i}`,
          ),
        ),
      );
    }
    return out;
  },
};
