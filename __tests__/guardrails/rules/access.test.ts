import { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { LambdaFunctionUrl } from '@cdktf/provider-aws/lib/lambda-function-url';
import { LambdaPermission } from '@cdktf/provider-aws/lib/lambda-permission';
import { Guardrails } from '../../../src/guardrails';
import { hasWildcardScope } from '../../../src/guardrails/rules/iam-access';
import { findingsOf, linesOf } from '../../helpers/guardrails';
import { synthStack } from '../../helpers/synth';

// Each rule is shown failing on a mutation of what the stack really emits, and passing on the
// stack itself (the dev stack has zero findings: guardrails.test.ts).

function lambdaRole(scope: any, trust: object) {
  return new IamRole(scope, 'role', { name: 'fn', assumeRolePolicy: JSON.stringify(trust) });
}
const SERVICE_TRUST = {
  Version: '2012-10-17',
  Statement: [
    { Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' },
  ],
};

describe('GR-IAM-MANAGED-POLICY', () => {
  it('flags AdministratorAccess on the function role, passes the VPC execution policy', () => {
    const findings = findingsOf((s) => {
      lambdaRole(s, SERVICE_TRUST);
      new IamRolePolicyAttachment(s, 'vpc', {
        role: 'fn',
        policyArn: 'arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole',
      });
      new IamRolePolicyAttachment(s, 'admin', {
        role: 'fn',
        policyArn: 'arn:aws:iam::aws:policy/AdministratorAccess',
      });
    });
    expect(linesOf(findings, 'GR-IAM-MANAGED-POLICY')).toEqual([
      expect.stringContaining(
        'aws_iam_role_policy_attachment.admin (test/admin): policy_arn attaches "arn:aws:iam::aws:policy/AdministratorAccess"',
      ),
    ]);
  });

  it('flags it in the dev stack when the function role gets AdministratorAccess', () => {
    const { stack } = synthStack();
    new IamRolePolicyAttachment(stack.librechatFunction, 'admin', {
      role: stack.librechatFunction.roleName,
      policyArn: 'arn:aws:iam::aws:policy/AdministratorAccess',
    });
    expect(
      Guardrails.of(stack)!
        .findings()
        .map((f) => f.ruleId),
    ).toEqual(['GR-IAM-MANAGED-POLICY']);
  });
});

describe('GR-IAM-TRUST', () => {
  it('flags "*", account and federated principals, in JSON and in policy documents', () => {
    const findings = findingsOf((s) => {
      lambdaRole(s, {
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Principal: '*', Action: 'sts:AssumeRole' },
          {
            Effect: 'Allow',
            Principal: { AWS: 'arn:aws:iam::999999999999:root' },
            Action: 'sts:AssumeRole',
          },
        ],
      });
      const doc = new DataAwsIamPolicyDocument(s, 'trust', {
        statement: [
          {
            actions: ['sts:AssumeRoleWithWebIdentity'],
            principals: [{ type: 'Federated', identifiers: ['cognito-identity.amazonaws.com'] }],
          },
        ],
      });
      new IamRole(s, 'other', { name: 'other', assumeRolePolicy: doc.json });
    });
    expect(linesOf(findings, 'GR-IAM-TRUST')).toEqual([
      expect.stringContaining(
        'aws_iam_role.role (test/role): trust assume_role_policy statement 0 allows principal * ["*"]',
      ),
      expect.stringContaining(
        'statement 1 allows principal AWS ["arn:aws:iam::999999999999:root"]',
      ),
      expect.stringContaining(
        'aws_iam_role.other (test/other): trust statement 0 allows principal Federated',
      ),
    ]);
  });

  it('passes a service principal, and flags the dev function role trusting an account', () => {
    expect(findingsOf((s) => lambdaRole(s, SERVICE_TRUST))).toEqual([]);
    const { stack } = synthStack();
    stack.librechatFunction.role.assumeRolePolicy = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Principal: { AWS: '123456789012' }, Action: 'sts:AssumeRole' },
      ],
    });
    expect(
      Guardrails.of(stack)!
        .findings()
        .map((f) => f.ruleId),
    ).toEqual(['GR-IAM-TRUST']);
  });
});

describe('GR-IAM-ACCESS-SCOPE', () => {
  it('reads wildcards in the account and resource parts only', () => {
    expect(hasWildcardScope('arn:aws:iam::*:role/fn')).toBe(true);
    expect(hasWildcardScope('arn:aws:iam::123456789012:role/*')).toBe(true);
    expect(hasWildcardScope('arn:aws:s3:::*')).toBe(true);
    expect(hasWildcardScope('*')).toBe(true);
    expect(hasWildcardScope('arn:aws:iam::123456789012:role/fn')).toBe(false);
    expect(hasWildcardScope('arn:aws:iam::${data.aws_caller_identity.x.account_id}:role/fn')).toBe(
      false,
    );
    expect(hasWildcardScope('${aws_s3_bucket.b.arn}/*')).toBe(false);
  });

  it('flags iam:PassRole on any role and s3:* on every bucket; passes exact ARNs', () => {
    const findings = findingsOf((s) => {
      new IamRolePolicy(s, 'policy', {
        role: 'fn',
        policy: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            {
              Sid: 'Pass',
              Effect: 'Allow',
              Action: 'iam:PassRole',
              Resource: 'arn:aws:iam::123456789012:role/*',
            },
            { Sid: 'AllBuckets', Effect: 'Allow', Action: 's3:*', Resource: 'arn:aws:s3:::*' },
            {
              Sid: 'OneRole',
              Effect: 'Allow',
              Action: 'iam:PassRole',
              Resource: 'arn:aws:iam::123456789012:role/fn',
            },
            {
              Sid: 'Objects',
              Effect: 'Allow',
              Action: 's3:GetObject',
              Resource: 'arn:aws:s3:::b/*',
            },
          ],
        }),
      });
    });
    expect(linesOf(findings, 'GR-IAM-ACCESS-SCOPE')).toEqual([
      expect.stringContaining(
        'policy statement "Pass" allows "iam:PassRole" on "arn:aws:iam::123456789012:role/*"',
      ),
      expect.stringContaining('policy statement "AllBuckets" allows "s3:*" on "arn:aws:s3:::*"'),
    ]);
  });
});

describe('GR-LAMBDA-PERMISSION', () => {
  it('flags principal "*", an account principal, and a missing source_arn', () => {
    const findings = findingsOf((s) => {
      new LambdaPermission(s, 'anyone', {
        action: 'lambda:InvokeFunction',
        functionName: 'fn',
        principal: '*',
        sourceArn: 'arn:aws:execute-api:eu-west-1:123456789012:abc/*',
      });
      new LambdaPermission(s, 'nosource', {
        action: 'lambda:InvokeFunction',
        functionName: 'fn',
        principal: 'apigateway.amazonaws.com',
      });
      new LambdaPermission(s, 'account', {
        action: 'lambda:InvokeFunction',
        functionName: 'fn',
        principal: '999999999999',
        sourceArn: 'arn:x',
      });
    });
    expect(linesOf(findings, 'GR-LAMBDA-PERMISSION')).toEqual([
      expect.stringContaining(
        'aws_lambda_permission.anyone (test/anyone): principal "*" is not one AWS service',
      ),
      expect.stringContaining('aws_lambda_permission.nosource (test/nosource): no source_arn'),
      expect.stringContaining(
        'aws_lambda_permission.account (test/account): principal "999999999999"',
      ),
    ]);
  });

  it('flags the dev stack when its invoke permission loses the source ARN', () => {
    const { stack, json } = synthStack();
    const permission = stack.node
      .findAll()
      .find((c) => c instanceof LambdaPermission) as LambdaPermission;
    expect(Object.keys(json.resource.aws_lambda_permission).length).toBeGreaterThan(0);
    permission.addOverride('source_arn', null);
    expect(
      Guardrails.of(stack)!
        .findings()
        .map((f) => f.ruleId),
    ).toEqual(['GR-LAMBDA-PERMISSION']);
  });
});

describe('GR-LAMBDA-URL-AUTH', () => {
  it('flags a function URL without IAM auth, passes AWS_IAM', () => {
    const findings = findingsOf((s) => {
      new LambdaFunctionUrl(s, 'open', { functionName: 'fn', authorizationType: 'NONE' });
      new LambdaFunctionUrl(s, 'iam', { functionName: 'fn', authorizationType: 'AWS_IAM' });
    });
    expect(linesOf(findings, 'GR-LAMBDA-URL-AUTH')).toEqual([
      expect.stringContaining(
        'aws_lambda_function_url.open (test/open): authorization_type is "NONE"',
      ),
    ]);
  });
});
