import { ApiGatewayIntegration } from '@cdktf/provider-aws/lib/api-gateway-integration';
import type { Construct } from 'constructs';
import { findingsOf, linesOf, ruleIds } from '../../helpers/guardrails';

const FUNCTION_ARN = 'arn:aws:lambda:eu-west-1:123456789012:function:librechat-api-dev';
const STREAMING_URI = `arn:aws:apigateway:eu-west-1:lambda:path/2021-11-15/functions/${FUNCTION_ARN}/response-streaming-invocations`;

function integration(scope: Construct, uri: string, stream = true) {
  const i = new ApiGatewayIntegration(scope, 'proxy', {
    restApiId: 'api',
    resourceId: 'res',
    httpMethod: 'ANY',
    type: 'AWS_PROXY',
    integrationHttpMethod: 'POST',
    uri,
  });
  if (stream) i.addOverride('response_transfer_mode', 'STREAM');
  return i;
}

describe('GR-APIGW-STREAMING', () => {
  it('passes a STREAM integration on the response-streaming-invocations uri', () => {
    expect(findingsOf((s) => integration(s, STREAMING_URI))).toEqual([]);
  });

  it('flags a buffered integration: no STREAM mode, the 2015-03-31 invoke uri', () => {
    const findings = findingsOf((s) =>
      integration(
        s,
        `arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/${FUNCTION_ARN}/invocations`,
        false,
      ),
    );
    expect(linesOf(findings, 'GR-APIGW-STREAMING')).toEqual([
      expect.stringMatching(
        /^GR-APIGW-STREAMING aws_api_gateway_integration\.proxy \(test\/proxy\): response_transfer_mode is null\. Fix: addOverride\("response_transfer_mode", "STREAM"\)/,
      ),
      expect.stringContaining('is not the 2021-11-15 response-streaming-invocations path'),
    ]);
  });

  it("flags STREAM mode on a function's invoke_arn, accepts response_streaming_invoke_arn", () => {
    expect(
      ruleIds(findingsOf((s) => integration(s, '${aws_lambda_function.api.invoke_arn}'))),
    ).toEqual(['GR-APIGW-STREAMING']);
    expect(
      findingsOf((s) => integration(s, '${aws_lambda_function.api.response_streaming_invoke_arn}')),
    ).toEqual([]);
  });

  it('exempts MOCK integrations (CORS preflight)', () => {
    expect(
      findingsOf(
        (s) =>
          new ApiGatewayIntegration(s, 'options', {
            restApiId: 'api',
            resourceId: 'res',
            httpMethod: 'OPTIONS',
            type: 'MOCK',
          }),
      ),
    ).toEqual([]);
  });
});
