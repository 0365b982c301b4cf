import { devConfig } from '../helpers/config';
import { CloudfrontModule } from '../../.gen/modules';
import { modulesFrom, onlyResource, resourcesOf, synthStack } from '../helpers/synth';

describe('API wiring in the stack', () => {
  const { stack, json } = synthStack();
  const fn = onlyResource(json, 'aws_lambda_function');
  const env = fn.environment.variables;

  it('streams from the LibreChat function and lets only its API stage invoke it', () => {
    const [fnId] = Object.keys(resourcesOf(json, 'aws_lambda_function'));
    const integration = Object.values<any>(resourcesOf(json, 'aws_api_gateway_integration')).find(
      (i) => i.type === 'AWS_PROXY',
    );
    expect(integration.uri).toBe(
      `arn:aws:apigateway:eu-west-1:lambda:path/2021-11-15/functions/\${aws_lambda_function.${fnId}.arn}/response-streaming-invocations`,
    );
    expect(integration.timeout_milliseconds).toBe(900000);
    const permissions = Object.values<any>(resourcesOf(json, 'aws_lambda_permission'));
    expect(permissions.map((p) => p.source_arn.replace(/^\$\{[^}]+\}/, '<api>')).sort()).toEqual([
      '<api>/prod/*/api/*',
      '<api>/prod/*/oauth/*',
    ]);
    for (const permission of permissions) {
      expect(permission.function_name).toBe(`\${aws_lambda_function.${fnId}.function_name}`);
    }
  });

  it("routes LibreChat's OpenID login flow (/oauth/*) to the function too", () => {
    const resources = Object.values<any>(resourcesOf(json, 'aws_api_gateway_resource'));
    expect(resources.map((r) => r.path_part).sort()).toEqual([
      'api',
      'oauth',
      '{proxy+}',
      '{proxy+}',
    ]);
    const streaming = Object.values<any>(resourcesOf(json, 'aws_api_gateway_integration')).filter(
      (i) => i.type === 'AWS_PROXY',
    );
    expect(streaming).toHaveLength(2);
    for (const integration of streaming) expect(integration.response_transfer_mode).toBe('STREAM');
  });

  it('passes the origin-verify secrets to the handler by SSM parameter name, with its header', () => {
    const ssmSecrets = JSON.parse(env.SSM_SECRETS);
    expect(ssmSecrets.ORIGIN_VERIFY_SECRET).toBe('/librechat-lambda/dev/origin-verify');
    expect(ssmSecrets.ORIGIN_VERIFY_PREVIOUS_SECRET).toBe(
      '/librechat-lambda/dev/origin-verify-previous',
    );
    const parameters = resourcesOf(json, 'aws_ssm_parameter');
    for (const [id, parameter] of Object.entries<any>(parameters)) {
      expect(fn.depends_on).toContain(`aws_ssm_parameter.${id}`);
      expect(parameter.type).toBe('SecureString');
    }
    expect(
      Object.values<any>(parameters)
        .map((p) => p.name)
        .sort(),
    ).toEqual([
      '/librechat-lambda/dev/origin-verify',
      '/librechat-lambda/dev/origin-verify-previous',
    ]);
    expect(env.ORIGIN_VERIFY_HEADER).toBe('x-origin-verify');
    // The check is on (the handler fails closed) and accepts the previous value for an hour.
    expect(env.ORIGIN_VERIFY_DISABLED).toBe('false');
    expect(env.ORIGIN_VERIFY_PREVIOUS_WINDOW_S).toBe('3600');
  });

  it('does not let the handler trust CloudFront-Viewer-Address the distribution does not add', () => {
    // AllViewerExceptHostHeader passes viewer headers on; it is not documented to add this one.
    expect(stack.apiRoute.behaviors[0].originRequestPolicyId).toBe(
      'b689b0a8-53d0-40ab-baf2-68738e2966ac',
    );
    expect(env.TRUST_CLOUDFRONT_VIEWER_ADDRESS).toBe('false');
  });

  it('puts the security headers (HSTS, nosniff, SAMEORIGIN framing) on the API behaviors too', () => {
    const cloudfront = modulesFrom(json, CloudfrontModule.SOURCE)[0];
    const apiBehaviors = cloudfront.ordered_cache_behavior.filter(
      (b: any) => b.target_origin_id === stack.apiRoute.originId,
    );
    expect(apiBehaviors.map((b: any) => b.path_pattern)).toEqual(['/api/*', '/oauth/*']);
    for (const b of apiBehaviors) expect(b.response_headers_policy_key).toBe('security_headers');
    const headers = cloudfront.response_headers_policies.security_headers.security_headers_config;
    expect(headers.frame_options.frame_option).toBe('SAMEORIGIN');
    expect(headers.strict_transport_security.access_control_max_age_sec).toBeGreaterThan(0);
    expect(headers.content_type_options).toEqual({ override: true });
  });

  it('grants the function ssm:GetParameters on the origin-verify parameter', () => {
    const policyDoc = Object.values<any>(json.data.aws_iam_policy_document).find((d) =>
      JSON.stringify(d).includes('ssm:GetParameters'),
    );
    const ssm = policyDoc.statement.find((s: any) => s.actions.includes('ssm:GetParameters'));
    expect(ssm.resources).toContain(
      'arn:aws:ssm:${data.aws_region.network_region_17522769.region}:${data.aws_caller_identity.network_caller_3D8A0700.account_id}:parameter/librechat-lambda/dev/origin-verify',
    );
  });

  it('routes CloudFront to the same stage the API deploys', () => {
    const originPathOf = (j: any) =>
      modulesFrom(j, CloudfrontModule.SOURCE)[0].origin[stack.apiRoute.originId].origin_path;
    expect(onlyResource(json, 'aws_api_gateway_stage').stage_name).toBe('prod');
    expect(originPathOf(json)).toBe('/prod');
    const other = synthStack(devConfig((c) => (c.api.stageName = 'live'))).json;
    expect(onlyResource(other, 'aws_api_gateway_stage').stage_name).toBe('live');
    expect(originPathOf(other)).toBe('/live');
  });

  it("sends /api/* to the API's execute-api domain with the origin-verify header, by reference", () => {
    const distribution = modulesFrom(json, CloudfrontModule.SOURCE)[0];
    const origin = distribution.origin[stack.apiRoute.originId];
    const [restApiId] = Object.keys(resourcesOf(json, 'aws_api_gateway_rest_api'));
    expect(origin.domain_name).toBe(
      `\${aws_api_gateway_rest_api.${restApiId}.id}.execute-api.eu-west-1.amazonaws.com`,
    );
    expect(origin.custom_header).toEqual({
      'x-origin-verify': expect.stringMatching(/^\$\{random_password\.[\w-]+\.result\}$/),
    });
    expect(distribution.custom_error_response).toBeUndefined();
  });

  it('manages the account-wide API Gateway logging role only when the config asks for it', () => {
    const stage = onlyResource(json, 'aws_api_gateway_stage');
    const [accountId] = Object.keys(resourcesOf(json, 'aws_api_gateway_account'));
    expect(stage.depends_on).toEqual([`aws_api_gateway_account.${accountId}`]);
    const without = synthStack(devConfig((c) => (c.api.manageAccountLoggingRole = false))).json;
    expect(resourcesOf(without, 'aws_api_gateway_account')).toEqual({});
    expect(onlyResource(without, 'aws_api_gateway_stage').depends_on).toBeUndefined();
  });

  it('outputs the API invoke URL', () => {
    expect(json.output.api_invoke_url.value).toMatch(
      /^\$\{aws_api_gateway_stage\.[\w-]+\.invoke_url\}$/,
    );
  });
});

describe('AWS WAF in the stack', () => {
  const { stack, json } = synthStack();

  it('puts the site web ACL (us-east-1) on the distribution', () => {
    const acls = Object.entries<any>(resourcesOf(json, 'aws_wafv2_web_acl'));
    const [siteId, site] = acls.find(([, a]) => a.scope === 'CLOUDFRONT')!;
    expect(site.provider).toBe('aws.us_east_1');
    const cloudfront = modulesFrom(json, CloudfrontModule.SOURCE)[0];
    expect(cloudfront.web_acl_id).toBe(`\${aws_wafv2_web_acl.${siteId}.arn}`);
  });

  it('blocks requests without the origin header at the API stage, current and previous value accepted', () => {
    const acls = Object.entries<any>(resourcesOf(json, 'aws_wafv2_web_acl'));
    const [apiId, api] = acls.find(([, a]) => a.scope === 'REGIONAL')!;
    const association = onlyResource(json, 'aws_wafv2_web_acl_association');
    const stageId = Object.keys(resourcesOf(json, 'aws_api_gateway_stage'))[0];
    expect(association.resource_arn).toBe(`\${aws_api_gateway_stage.${stageId}.arn}`);
    expect(association.web_acl_arn).toBe(`\${aws_wafv2_web_acl.${apiId}.arn}`);
    // The two values are the current and previous parameters' values.
    const parameters = Object.values<any>(resourcesOf(json, 'aws_ssm_parameter'));
    const rules = api.rule_json as string;
    for (const p of parameters) expect(rules).toContain(`^${p.value}$`);
    expect(stack.apiFirewall).toBeDefined();
  });

  it('adds no web ACL when waf.enabled is false', () => {
    const { json: off } = synthStack(devConfig((c) => (c.waf = { enabled: false })));
    expect(resourcesOf(off, 'aws_wafv2_web_acl')).toEqual({});
    expect(modulesFrom(off, CloudfrontModule.SOURCE)[0].web_acl_id).toBeUndefined();
  });
});
