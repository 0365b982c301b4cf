import { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { IamPolicy } from '@cdktf/provider-aws/lib/iam-policy';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { Fn, TerraformVariable } from 'cdktf';
import type { Construct } from 'constructs';
import { findingsOf, linesOf, ruleIds } from '../../helpers/guardrails';

function rolePolicy(scope: Construct, statements: object[]) {
  return new IamRolePolicy(scope, 'policy', {
    role: 'fn-role',
    policy: JSON.stringify({ Version: '2012-10-17', Statement: statements }),
  });
}

describe('GR-IAM-WILDCARD', () => {
  it('flags "*" and service:* actions and "*" resources in Allow statements', () => {
    const findings = findingsOf((s) =>
      rolePolicy(s, [
        { Sid: 'All', Effect: 'Allow', Action: '*', Resource: 'arn:aws:s3:::b/*' },
        { Sid: 'S3', Effect: 'Allow', Action: ['s3:*'], Resource: '*' },
      ]),
    );
    expect(linesOf(findings, 'GR-IAM-WILDCARD')).toEqual([
      'GR-IAM-WILDCARD aws_iam_role_policy.policy (test/policy): policy statement "All" allows action "*". Fix: list the exact actions and resource ARNs; build policies with JSON.stringify (tokens inside) or aws_iam_policy_document so they can be checked',
      expect.stringContaining('policy statement "S3" allows action "s3:*"'),
      expect.stringContaining('policy statement "S3" allows resource "*"'),
    ]);
  });

  it('passes exact actions on token ARNs, Deny statements, and "*"-only actions such as ecr:GetAuthorizationToken', () => {
    const findings = findingsOf((s) => {
      const bucketArn = new TerraformVariable(s, 'bucket_arn', { type: 'string' }).stringValue;
      rolePolicy(s, [
        { Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject'], Resource: `${bucketArn}/*` },
        { Effect: 'Deny', Action: 's3:*', Resource: '*' },
        { Effect: 'Allow', Action: 'ecr:GetAuthorizationToken', Resource: '*' },
      ]);
    });
    expect(findings).toEqual([]);
  });

  it('flags NotAction / NotResource in Allow statements (everything but a list)', () => {
    const findings = findingsOf((s) =>
      rolePolicy(s, [{ Effect: 'Allow', NotAction: 'iam:*', Resource: 'arn:aws:s3:::b' }]),
    );
    expect(linesOf(findings, 'GR-IAM-WILDCARD')).toEqual([
      expect.stringContaining('policy statement 0 allows NotAction (everything else)'),
    ]);
  });

  it('reads wildcard literals in a Fn.jsonencode policy as text (the documented limit)', () => {
    const findings = findingsOf(
      (s) =>
        new IamPolicy(s, 'encoded', {
          name: 'x',
          policy: Fn.jsonencode({
            Version: '2012-10-17',
            Statement: [{ Effect: 'Allow', Action: 'dynamodb:*', Resource: 'arn:x' }],
          }),
        }),
    );
    expect(linesOf(findings, 'GR-IAM-WILDCARD')).toEqual([
      expect.stringContaining(
        'aws_iam_policy.encoded (test/encoded): policy (a Terraform expression, read as text) contains "dynamodb:*"',
      ),
    ]);
  });

  it('checks aws_iam_policy_document statements', () => {
    const findings = findingsOf((s) => {
      new DataAwsIamPolicyDocument(s, 'doc', {
        statement: [
          {
            sid: 'Ok',
            actions: ['logs:PutLogEvents'],
            resources: ['arn:aws:logs:*:*:log-group:x:*'],
          },
          { sid: 'Bad', actions: ['logs:*'], resources: ['*'] },
        ],
      });
    });
    expect(ruleIds(findings)).toEqual(['GR-IAM-WILDCARD']);
    expect(linesOf(findings, 'GR-IAM-WILDCARD')).toEqual([
      expect.stringContaining(
        'data.aws_iam_policy_document.doc (test/doc): statement "Bad" allows action "logs:*"',
      ),
      expect.stringContaining('statement "Bad" allows resource "*"'),
    ]);
  });
});
