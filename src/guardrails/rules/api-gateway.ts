import type { GuardrailRule, Violation } from '../rule';
import { referenceOf } from '../terraform-document';

/** The response-streaming invocation path of Lambda (API version 2021-11-15). */
export function isStreamingLambdaUri(uri: unknown): boolean {
  if (typeof uri !== 'string') return false;
  const ref = referenceOf(uri);
  if (ref) return ref.attribute === 'response_streaming_invoke_arn';
  return /:lambda:path\/2021-11-15\/functions\/.+\/response-streaming-invocations$/.test(uri);
}

export const apiGatewayStreamingRule: GuardrailRule = {
  id: 'GR-APIGW-STREAMING',
  description:
    'API Gateway Lambda proxy integrations stream: response_transfer_mode STREAM, POST, the 2021-11-15 .../response-streaming-invocations uri',
  fix: 'addOverride("response_transfer_mode", "STREAM"), integration_http_method = "POST", uri = arn:aws:apigateway:<region>:lambda:path/2021-11-15/functions/<function arn>/response-streaming-invocations',
  check(document) {
    const out: Violation[] = [];
    for (const i of document.resources('aws_api_gateway_integration')) {
      // MOCK (CORS preflight), HTTP and AWS service integrations do not invoke Lambda.
      if (i.body.type !== 'AWS_PROXY') continue;
      const problems: string[] = [];
      if (i.body.response_transfer_mode !== 'STREAM') {
        problems.push(
          `response_transfer_mode is ${JSON.stringify(i.body.response_transfer_mode ?? null)}`,
        );
      }
      if (i.body.integration_http_method !== 'POST') {
        problems.push(
          `integration_http_method is ${JSON.stringify(i.body.integration_http_method ?? null)}`,
        );
      }
      if (!isStreamingLambdaUri(i.body.uri)) {
        problems.push(
          `uri ${JSON.stringify(i.body.uri ?? null)} is not the 2021-11-15 response-streaming-invocations path`,
        );
      }
      problems.forEach((problem) => out.push({ element: i, problem }));
    }
    return out;
  },
};
