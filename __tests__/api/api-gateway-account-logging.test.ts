import { ApiGatewayAccountLogging } from '../../src/api/api-gateway-account-logging';
import { onlyResource, synthScope } from '../helpers/synth';

describe('ApiGatewayAccountLogging', () => {
  const json = synthScope((scope) => {
    new ApiGatewayAccountLogging(scope, 'logging', { roleName: 'librechat-apigw-logs-dev' });
  });

  it('gives API Gateway a role to push logs and names it in the account settings', () => {
    const role = onlyResource(json, 'aws_iam_role');
    expect(role.name).toBe('librechat-apigw-logs-dev');
    expect(JSON.parse(role.assume_role_policy).Statement[0].Principal).toEqual({
      Service: 'apigateway.amazonaws.com',
    });
    expect(onlyResource(json, 'aws_iam_role_policy_attachment').policy_arn).toBe(
      'arn:aws:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs',
    );
    expect(onlyResource(json, 'aws_api_gateway_account').cloudwatch_role_arn).toMatch(
      /^\$\{aws_iam_role\.\w+\.arn\}$/,
    );
  });
});
