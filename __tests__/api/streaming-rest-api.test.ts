import { StreamingRestApi, type StreamingRestApiProps } from '../../src/api/streaming-rest-api';
import { onlyResource, resourcesOf, synthScope } from '../helpers/synth';

const FUNCTION_ARN = 'arn:aws:lambda:eu-west-1:123456789012:function:librechat-api-dev';

function synthApi(overrides: Partial<StreamingRestApiProps> = {}) {
  return synthScope((scope) => {
    new StreamingRestApi(scope, 'api', {
      name: 'librechat-api-dev',
      target: { functionArn: FUNCTION_ARN, functionName: 'librechat-api-dev' },
      region: 'eu-west-1',
      allowedOrigin: 'https://chat.example.com',
      stageName: 'prod',
      throttle: { burstLimit: 50, rateLimit: 20 },
      accessLogRetentionDays: 14,
      ...overrides,
    });
  });
}

const integrations = (json: any) =>
  Object.values<any>(resourcesOf(json, 'aws_api_gateway_integration'));
const methods = (json: any) => Object.values<any>(resourcesOf(json, 'aws_api_gateway_method'));

describe('StreamingRestApi', () => {
  const json = synthApi();

  it('is a regional REST API (v1) named per environment', () => {
    const api = onlyResource(json, 'aws_api_gateway_rest_api');
    expect(api.name).toBe('librechat-api-dev');
    expect(api.endpoint_configuration).toEqual({ types: ['REGIONAL'] });
    expect(resourcesOf(json, 'aws_apigatewayv2_api')).toEqual({});
  });

  it('treats every request body as binary, so uploads reach the function byte-exact', () => {
    const api = onlyResource(json, 'aws_api_gateway_rest_api');
    expect(api.binary_media_types).toEqual(['*/*']);
    // The proxy integrations pass bodies through (base64 in the event), never converted.
    for (const i of integrations(json).filter((x) => x.type === 'AWS_PROXY')) {
      expect(i.content_handling).toBeUndefined();
    }
  });

  it('routes /api/{proxy+} below /api below the root', () => {
    const resources = Object.entries<any>(resourcesOf(json, 'aws_api_gateway_resource'));
    const [apiId, api] = resources.find(([, r]) => r.path_part === 'api')!;
    const [, proxy] = resources.find(([, r]) => r.path_part === '{proxy+}')!;
    expect(api.parent_id).toMatch(/aws_api_gateway_rest_api\.\w+\.root_resource_id/);
    expect(proxy.parent_id).toBe(`\${aws_api_gateway_resource.${apiId}.id}`);
  });

  it('streams ANY /api/{proxy+} from the function through the response-streaming invocation', () => {
    const any = methods(json).find((m) => m.http_method === 'ANY');
    expect(any.authorization).toBe('NONE');
    const proxy = integrations(json).find((i) => i.type === 'AWS_PROXY');
    expect(proxy.integration_http_method).toBe('POST');
    expect(proxy.response_transfer_mode).toBe('STREAM');
    expect(proxy.timeout_milliseconds).toBe(900000);
    expect(proxy.uri).toBe(
      `arn:aws:apigateway:eu-west-1:lambda:path/2021-11-15/functions/${FUNCTION_ARN}/response-streaming-invocations`,
    );
    expect(proxy.uri.endsWith('/response-streaming-invocations')).toBe(true);
  });

  it('answers CORS preflight with a MOCK integration for the site origin, with credentials', () => {
    const options = methods(json).find((m) => m.http_method === 'OPTIONS');
    expect(options.authorization).toBe('NONE');
    const mock = integrations(json).find((i) => i.type === 'MOCK');
    expect(mock.request_templates['application/json']).toBe('{"statusCode": 200}');
    // Under binary_media_types */* the template is applied only to a body converted to text.
    expect(mock.content_handling).toBe('CONVERT_TO_TEXT');
    const methodResponse = onlyResource(json, 'aws_api_gateway_method_response');
    expect(methodResponse.status_code).toBe('200');
    const response = onlyResource(json, 'aws_api_gateway_integration_response');
    const headers = response.response_parameters;
    expect(headers['method.response.header.Access-Control-Allow-Origin']).toBe(
      "'https://chat.example.com'",
    );
    expect(headers['method.response.header.Access-Control-Allow-Credentials']).toBe("'true'");
    expect(headers['method.response.header.Access-Control-Allow-Methods']).toBe(
      "'DELETE,GET,HEAD,OPTIONS,PATCH,POST,PUT'",
    );
    expect(headers['method.response.header.Access-Control-Allow-Headers']).toContain(
      'Content-Type',
    );
    // Every header the integration response sets is declared on the method response.
    expect(Object.keys(methodResponse.response_parameters).sort()).toEqual(
      Object.keys(headers).sort(),
    );
  });

  it('redeploys on every route change: triggers over the whole configuration, create before destroy', () => {
    const deployment = onlyResource(json, 'aws_api_gateway_deployment');
    expect(deployment.lifecycle.create_before_destroy).toBe(true);
    expect(deployment.triggers.configuration).toMatch(/^[0-9a-f]{64}$/);
    expect(deployment.triggers.resources).toMatch(/^\$\{sha1\(jsonencode\(\[/);
    expect(
      deployment.depends_on.filter((d: string) => d.startsWith('aws_api_gateway_integration.')),
    ).toHaveLength(2);

    const same = onlyResource(synthApi(), 'aws_api_gateway_deployment');
    expect(same.triggers.configuration).toBe(deployment.triggers.configuration);
    for (const change of [
      { integrationTimeoutMs: 600_000 },
      { allowedOrigin: 'https://other.example.com' },
      { target: { functionArn: `${FUNCTION_ARN}-2`, functionName: 'librechat-api-dev' } },
    ]) {
      const changed = onlyResource(synthApi(change), 'aws_api_gateway_deployment');
      expect(changed.triggers.configuration).not.toBe(deployment.triggers.configuration);
    }
  });

  it('has one named stage with JSON access logs into a log group with retention', () => {
    const stage = onlyResource(json, 'aws_api_gateway_stage');
    expect(stage.stage_name).toBe('prod');
    const [logGroupId, logGroup] = Object.entries<any>(
      resourcesOf(json, 'aws_cloudwatch_log_group'),
    )[0];
    expect(logGroup.retention_in_days).toBe(14);
    expect(stage.access_log_settings.destination_arn).toBe(
      `\${aws_cloudwatch_log_group.${logGroupId}.arn}`,
    );
    const format = JSON.parse(stage.access_log_settings.format);
    expect(format).toMatchObject({ requestId: '$context.requestId', status: '$context.status' });
  });

  it('throttles the stage from its props', () => {
    const settings = onlyResource(json, 'aws_api_gateway_method_settings');
    expect(settings.method_path).toBe('*/*');
    expect(settings.settings).toMatchObject({
      throttling_burst_limit: 50,
      throttling_rate_limit: 20,
      metrics_enabled: true,
    });
  });

  it("lets only this API's stage invoke the function, with lambda:InvokeFunction", () => {
    const permission = onlyResource(json, 'aws_lambda_permission');
    expect(permission.action).toBe('lambda:InvokeFunction');
    expect(permission.principal).toBe('apigateway.amazonaws.com');
    expect(permission.function_name).toBe('librechat-api-dev');
    expect(permission.source_arn).toMatch(
      /^\$\{aws_api_gateway_rest_api\.\w+\.execution_arn\}\/prod\/\*\/api\/\*$/,
    );
  });

  it('uses the given stage name everywhere', () => {
    const other = synthApi({ stageName: 'live' });
    expect(onlyResource(other, 'aws_api_gateway_stage').stage_name).toBe('live');
    expect(onlyResource(other, 'aws_lambda_permission').source_arn).toContain('/live/*/api/*');
    expect(Object.values<any>(resourcesOf(other, 'aws_cloudwatch_log_group'))[0].name).toBe(
      '/aws/apigateway/librechat-api-dev/live/access',
    );
  });
});

describe('StreamingRestApi with several path prefixes', () => {
  const json = synthApi({ pathPrefixes: ['api', 'oauth'] });

  it('streams every prefix from the function and answers preflight on the first only', () => {
    const resources = Object.entries<any>(resourcesOf(json, 'aws_api_gateway_resource'));
    const [oauthId] = resources.find(([, r]) => r.path_part === 'oauth')!;
    const oauthProxy = resources.find(
      ([, r]) => r.parent_id === `\${aws_api_gateway_resource.${oauthId}.id}`,
    )!;
    expect(oauthProxy[1].path_part).toBe('{proxy+}');
    const streaming = integrations(json).filter((i) => i.type === 'AWS_PROXY');
    expect(streaming.map((i) => i.resource_id).sort()).toContain(
      `\${aws_api_gateway_resource.${oauthProxy[0]}.id}`,
    );
    expect(methods(json).filter((m) => m.http_method === 'OPTIONS')).toHaveLength(1);
    expect(
      Object.values<any>(resourcesOf(json, 'aws_lambda_permission')).map(
        (p) => p.source_arn.split('}')[1],
      ),
    ).toEqual(['/prod/*/api/*', '/prod/*/oauth/*']);
  });

  it('keeps the first prefix under the original ids, so adding a prefix replaces nothing', () => {
    const single = synthApi();
    for (const type of [
      'aws_api_gateway_resource',
      'aws_api_gateway_integration',
      'aws_lambda_permission',
    ]) {
      for (const id of Object.keys(resourcesOf(single, type)))
        expect(resourcesOf(json, type)[id]).toBeDefined();
    }
  });

  it('rejects a prefix that is not a lowercase path segment', () => {
    expect(() => synthApi({ pathPrefixes: ['api/v1'] })).toThrow(
      /pathPrefixes must be lowercase path segments/,
    );
    expect(() => synthApi({ pathPrefixes: [] })).toThrow(/pathPrefixes/);
  });
});
