import { ApiGatewayAccount } from '@cdktf/provider-aws/lib/api-gateway-account';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { Construct } from 'constructs';

export interface ApiGatewayAccountLoggingProps {
  /** Name of the role API Gateway assumes to write logs, e.g. `librechat-apigw-logs-dev`. */
  readonly roleName: string;
}

/**
 * API Gateway writes access logs only when the account (per region) names a CloudWatch role.
 * That setting is account-wide: enable this construct in one environment per account and region.
 */
export class ApiGatewayAccountLogging extends Construct {
  readonly account: ApiGatewayAccount;

  constructor(scope: Construct, id: string, props: ApiGatewayAccountLoggingProps) {
    super(scope, id);
    const role = new IamRole(this, 'role', {
      name: props.roleName,
      assumeRolePolicy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { Service: 'apigateway.amazonaws.com' },
            Action: 'sts:AssumeRole',
          },
        ],
      }),
    });
    const attachment = new IamRolePolicyAttachment(this, 'push_to_cloudwatch', {
      role: role.name,
      policyArn: 'arn:aws:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs',
    });
    this.account = new ApiGatewayAccount(this, 'account', {
      cloudwatchRoleArn: role.arn,
      dependsOn: [attachment],
    });
  }
}
