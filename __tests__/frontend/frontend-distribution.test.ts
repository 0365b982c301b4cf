import { TerraformOutput } from 'cdktf';
import {
  CACHING_OPTIMIZED_POLICY_ID,
  FrontendDistribution,
  type DistributionRoute,
  type FrontendDistributionProps,
} from '../../src/frontend/frontend-distribution';
import { checkModuleBlock, loadModuleInterface } from '../helpers/module-interfaces';
import { synthScope } from '../helpers/synth';

const CERT = 'arn:aws:acm:us-east-1:123456789012:certificate/ca7a072b-830c-427f-ae2b-c49418366489';
const API_ORIGIN = {
  domainName: 'abc123.execute-api.eu-west-1.amazonaws.com',
  originPath: '/live',
  customOriginConfig: {
    httpPort: 80,
    httpsPort: 443,
    originProtocolPolicy: 'https-only' as const,
    originReadTimeout: 60,
  },
};
const API_BEHAVIOR = {
  pathPattern: '/api/*',
  targetOriginId: 'api',
  allowedMethods: ['GET', 'HEAD', 'OPTIONS', 'PUT', 'POST', 'PATCH', 'DELETE'],
  cachePolicyId: '4135ea2d-6df8-44a3-9df3-4b5a84be39ad',
  originRequestPolicyId: 'b689b0a8-53d0-40ab-baf2-68738e2966ac',
};
const API_ROUTE: DistributionRoute = {
  originId: 'api',
  origin: API_ORIGIN,
  behaviors: [API_BEHAVIOR],
};

function synthDistribution(
  change: Partial<FrontendDistributionProps> = {},
  routes: DistributionRoute[] = [],
) {
  let distribution!: FrontendDistribution;
  const json = synthScope((scope) => {
    distribution = new FrontendDistribution(scope, 'frontend-distribution', {
      environment: 'dev',
      domainName: 'lambda-test.sandbox.data.apro.is',
      certificateArn: CERT,
      priceClass: 'PriceClass_200',
      bucketRegionalDomainName: 'librechat-frontend-dev.s3.eu-west-1.amazonaws.com',
      spaRoutingFunctionCode: 'function handler(event) { return event.request; }',
      ...change,
    });
    for (const route of routes) distribution.addRoute(route);
    for (const name of [
      'distributionId',
      'distributionArn',
      'domainName',
      'hostedZoneId',
    ] as const) {
      new TerraformOutput(scope, name, { value: distribution[name] });
    }
  });
  const [module] = Object.values<any>(json.module);
  return { distribution, json, module };
}

describe('FrontendDistribution', () => {
  const { json, module } = synthDistribution();

  it('uses the registry module with declared inputs only', () => {
    expect(module.source).toBe('terraform-aws-modules/cloudfront/aws');
    expect(module.version).toBe('6.6.0');
    expect(checkModuleBlock(module, loadModuleInterface(module.source, module.version))).toEqual(
      [],
    );
    // Everything lives in the module: no stray resources beside it.
    expect(json.resource).toBeUndefined();
    expect(Object.keys(json.module)).toHaveLength(1);
  });

  it('serves the custom domain with the existing certificate, SNI and modern TLS only', () => {
    expect(module.aliases).toEqual(['lambda-test.sandbox.data.apro.is']);
    expect(module.viewer_certificate).toEqual({
      acm_certificate_arn: CERT,
      ssl_support_method: 'sni-only',
      minimum_protocol_version: 'TLSv1.2_2025',
    });
  });

  it('speaks HTTP/2 and HTTP/3 over IPv4 and IPv6, roots at index.html, with the price class given', () => {
    expect(module).toMatchObject({
      enabled: true,
      http_version: 'http2and3',
      is_ipv6_enabled: true,
      default_root_object: 'index.html',
      price_class: 'PriceClass_200',
    });
    expect(synthDistribution({ priceClass: undefined }).module.price_class).toBe('PriceClass_100');
  });

  it('reaches the bucket through its own sigv4 origin access control, named per environment', () => {
    expect(module.origin_access_control).toEqual({
      s3_frontend: {
        name: 'librechat-frontend-dev',
        description: expect.any(String),
        origin_type: 's3',
        signing_behavior: 'always',
        signing_protocol: 'sigv4',
      },
    });
    expect(module.origin).toEqual({
      s3_frontend: {
        domain_name: 'librechat-frontend-dev.s3.eu-west-1.amazonaws.com',
        origin_access_control_key: 's3_frontend',
      },
    });
    const staging = synthDistribution({ environment: 'staging' }).module;
    expect(staging.origin_access_control.s3_frontend.name).toBe('librechat-frontend-staging');
    expect(staging.cloudfront_functions.spa_routing.name).toBe('librechat-spa-routing-staging');
    expect(staging.response_headers_policies.security_headers.name).toBe(
      'librechat-security-headers-staging',
    );
  });

  it('caches the bucket with CachingOptimized, compressed, HTTPS only, security headers and SPA routing', () => {
    expect(module.default_cache_behavior).toEqual({
      target_origin_id: 's3_frontend',
      viewer_protocol_policy: 'redirect-to-https',
      allowed_methods: ['GET', 'HEAD'],
      cached_methods: ['GET', 'HEAD'],
      compress: true,
      cache_policy_id: CACHING_OPTIMIZED_POLICY_ID,
      response_headers_policy_key: 'security_headers',
      function_association: { 'viewer-request': { function_key: 'spa_routing' } },
    });
    expect(CACHING_OPTIMIZED_POLICY_ID).toBe('658327ea-f89d-4fab-a63d-7e88639e58f6');
  });

  // SAMEORIGIN: LibreChat's own hidden iframe (assets/silence.mp3, App.jsx) must load.
  it('sends HSTS, nosniff, same-origin-only framing and a referrer policy', () => {
    const headers = module.response_headers_policies.security_headers.security_headers_config;
    expect(headers).toEqual({
      strict_transport_security: {
        access_control_max_age_sec: 31536000,
        include_subdomains: true,
        override: true,
      },
      content_type_options: { override: true },
      frame_options: { frame_option: 'SAMEORIGIN', override: true },
      referrer_policy: { referrer_policy: 'strict-origin-when-cross-origin', override: true },
    });
  });

  it('publishes the SPA routing code given as a cloudfront-js-2.0 function', () => {
    expect(module.cloudfront_functions).toEqual({
      spa_routing: {
        name: 'librechat-spa-routing-dev',
        runtime: 'cloudfront-js-2.0',
        comment: expect.any(String),
        publish: true,
        code: 'function handler(event) { return event.request; }',
      },
    });
  });

  it('has no custom error responses (they would turn API errors into index.html)', () => {
    expect(module.custom_error_response).toBeUndefined();
  });

  it('exposes the module outputs other constructs need', () => {
    const id = Object.keys(json.module)[0];
    const resolve = (name: string) => json.output[name].value;
    expect(resolve('distributionId')).toContain(`module.${id}.cloudfront_distribution_id`);
    expect(resolve('distributionArn')).toContain(`module.${id}.cloudfront_distribution_arn`);
    expect(resolve('domainName')).toContain(`module.${id}.cloudfront_distribution_domain_name`);
    expect(resolve('hostedZoneId')).toContain(
      `module.${id}.cloudfront_distribution_hosted_zone_id`,
    );
  });

  describe('with the API added by another concern (addRoute)', () => {
    const { module: withApi } = synthDistribution({}, [API_ROUTE]);

    it('merges the origins and ordered behaviors, keeping the SPA function on the default only', () => {
      expect(Object.keys(withApi.origin).sort()).toEqual(['api', 's3_frontend']);
      expect(withApi.origin.api).toMatchObject({
        domain_name: 'abc123.execute-api.eu-west-1.amazonaws.com',
        origin_path: '/live',
        custom_origin_config: { origin_protocol_policy: 'https-only', origin_read_timeout: 60 },
      });
      expect(withApi.ordered_cache_behavior).toEqual([
        {
          path_pattern: '/api/*',
          target_origin_id: 'api',
          viewer_protocol_policy: 'redirect-to-https',
          allowed_methods: ['GET', 'HEAD', 'OPTIONS', 'PUT', 'POST', 'PATCH', 'DELETE'],
          cache_policy_id: '4135ea2d-6df8-44a3-9df3-4b5a84be39ad',
          origin_request_policy_id: 'b689b0a8-53d0-40ab-baf2-68738e2966ac',
        },
      ]);
      expect(withApi.default_cache_behavior.function_association).toEqual({
        'viewer-request': { function_key: 'spa_routing' },
      });
      expect(withApi.custom_error_response).toBeUndefined();
      expect(
        checkModuleBlock(withApi, loadModuleInterface(withApi.source, withApi.version)),
      ).toEqual([]);
    });

    it('refuses routes that would break the frontend', () => {
      expect(() => synthDistribution({}, [{ ...API_ROUTE, originId: 's3_frontend' }])).toThrow(
        /route "s3_frontend": origin id used twice/,
      );
      expect(() =>
        synthDistribution({}, [
          API_ROUTE,
          {
            originId: 'other',
            origin: API_ORIGIN,
            behaviors: [{ ...API_BEHAVIOR, targetOriginId: 'other' }],
          },
        ]),
      ).toThrow(/route "other", behavior "\/api\/\*": path pattern used twice/);
      expect(() =>
        synthDistribution({}, [
          { ...API_ROUTE, behaviors: [{ ...API_BEHAVIOR, targetOriginId: 'nowhere' }] },
        ]),
      ).toThrow(/"\/api\/\*": unknown targetOriginId "nowhere"/);
      expect(() =>
        synthDistribution({}, [
          {
            ...API_ROUTE,
            behaviors: [
              {
                ...API_BEHAVIOR,
                functionAssociation: { 'viewer-request': { functionKey: 'spa_routing' } },
              },
            ],
          },
        ]),
      ).toThrow(/SPA routing function belongs to the default \(S3\) behavior only/);
      expect(() =>
        synthDistribution({}, [{ ...API_ROUTE, behaviors: [API_BEHAVIOR, API_BEHAVIOR] }]),
      ).toThrow(/path pattern used twice/);
    });
  });
});
