import { apiDistributionRoute } from '../../src/api/api-distribution-route';

describe('apiDistributionRoute', () => {
  const route = apiDistributionRoute({
    domainName: 'abc123.execute-api.eu-west-1.amazonaws.com',
    stageName: 'prod',
    readTimeoutSeconds: 45,
    keepaliveTimeoutSeconds: 10,
    originVerify: { headerName: 'x-origin-verify', value: '${random_password.x.result}' },
  });

  it("points at the API's stage over HTTPS with TLSv1.2 and the configured timeouts", () => {
    expect(route.origin.domainName).toBe('abc123.execute-api.eu-west-1.amazonaws.com');
    expect(route.origin.originPath).toBe('/prod');
    expect(route.origin.customOriginConfig).toEqual({
      httpPort: 80,
      httpsPort: 443,
      originProtocolPolicy: 'https-only',
      originSslProtocols: ['TLSv1.2'],
      originReadTimeout: 45,
      originKeepaliveTimeout: 10,
    });
  });

  it('adds the origin-verify header', () => {
    expect(route.origin.customHeader).toEqual({ 'x-origin-verify': '${random_password.x.result}' });
  });

  it('never caches /api/*, forwards all viewer headers but Host, allows every method, does not compress', () => {
    expect(route.behaviors).toHaveLength(1);
    expect(route.behaviors[0]).toEqual({
      pathPattern: '/api/*',
      targetOriginId: route.originId,
      viewerProtocolPolicy: 'https-only',
      allowedMethods: ['DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT'],
      cachedMethods: ['GET', 'HEAD'],
      compress: false,
      cachePolicyId: '4135ea2d-6df8-44a3-9df3-4b5a84be39ad',
      originRequestPolicyId: 'b689b0a8-53d0-40ab-baf2-68738e2966ac',
    });
  });

  it('defaults to a 60 s response timeout (the handler keeps silent streams alive every 15 s)', () => {
    const plain = apiDistributionRoute({
      domainName: 'd',
      stageName: 's',
      originVerify: { headerName: 'x-origin-verify', value: 'v' },
    });
    expect(plain.origin.customOriginConfig!.originReadTimeout).toBe(60);
  });

  it('adds one identical behavior per routed prefix, in order', () => {
    const both = apiDistributionRoute({
      domainName: 'd',
      stageName: 's',
      pathPrefixes: ['api', 'oauth'],
      originVerify: { headerName: 'x-origin-verify', value: 'v' },
    });
    expect(both.behaviors.map((b) => b.pathPattern)).toEqual(['/api/*', '/oauth/*']);
    expect(both.behaviors[1]).toEqual({ ...both.behaviors[0], pathPattern: '/oauth/*' });
  });
});
