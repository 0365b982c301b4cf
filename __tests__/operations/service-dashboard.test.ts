import { ServiceDashboard } from '../../src/operations/service-dashboard';
import { onlyResource, resolveTokens, synthScope } from '../helpers/synth';

describe('ServiceDashboard', () => {
  let url = '';
  let construct!: ServiceDashboard;
  const json = synthScope((scope) => {
    construct = new ServiceDashboard(scope, 'dashboard', {
      dashboardName: 'librechat-dev',
      region: 'eu-west-1',
      lambda: {
        functionName: 'librechat-api-dev',
        logGroupName: '/aws/lambda/librechat-api-dev',
        timeoutSeconds: 900,
      },
      api: { apiName: 'librechat-api-dev', stageName: 'prod' },
      redis: { cacheClusterId: 'librechat-lambda-redis-dev-001' },
      cloudfront: { distributionId: 'E2EXAMPLE' },
    });
    url = construct.url;
  });
  const dashboard = onlyResource(json, 'aws_cloudwatch_dashboard');
  // The body is `jsonencode(...)` (valid in the JSON and the --hcl output); read the widgets it encodes.
  const widgets: any[] = resolveTokens(construct, construct.widgets);
  /** Every metric line of the dashboard as `namespace/name {dimensions} region`. */
  const lines = widgets
    .filter((w) => w.type === 'metric')
    .flatMap((w) =>
      w.properties.metrics.map((m: any[]) => {
        const dims: Record<string, string> = {};
        for (let i = 2; i + 1 < m.length; i += 2) dims[m[i]] = m[i + 1];
        return {
          key: `${m[0]}/${m[1]}`,
          dims,
          stat: m[m.length - 1].stat,
          region: w.properties.region,
        };
      }),
    );
  const find = (key: string) => lines.filter((l) => l.key === key);

  it('is named as given', () => {
    expect(dashboard.dashboard_name).toBe('librechat-dev');
    // An expression, not a JSON string with references inside: cdktf's --hcl output cannot escape those.
    expect(dashboard.dashboard_body).toMatch(/^\$\{jsonencode\(\{"widgets" = \[/);
    expect(dashboard.dashboard_body.match(/"type" = "(metric|log)"/g)).toHaveLength(widgets.length);
  });

  it.each([
    ['AWS/Lambda/Invocations', { FunctionName: 'librechat-api-dev' }],
    ['AWS/Lambda/Errors', { FunctionName: 'librechat-api-dev' }],
    ['AWS/Lambda/Throttles', { FunctionName: 'librechat-api-dev' }],
    ['AWS/Lambda/Duration', { FunctionName: 'librechat-api-dev' }],
    ['AWS/Lambda/ConcurrentExecutions', { FunctionName: 'librechat-api-dev' }],
    ['AWS/ApiGateway/Count', { ApiName: 'librechat-api-dev', Stage: 'prod' }],
    ['AWS/ApiGateway/5XXError', { ApiName: 'librechat-api-dev', Stage: 'prod' }],
    ['AWS/ApiGateway/Latency', { ApiName: 'librechat-api-dev', Stage: 'prod' }],
    ['AWS/ElastiCache/EngineCPUUtilization', { CacheClusterId: 'librechat-lambda-redis-dev-001' }],
    [
      'AWS/ElastiCache/DatabaseMemoryUsagePercentage',
      { CacheClusterId: 'librechat-lambda-redis-dev-001' },
    ],
    ['AWS/ElastiCache/Evictions', { CacheClusterId: 'librechat-lambda-redis-dev-001' }],
    ['AWS/ElastiCache/CurrConnections', { CacheClusterId: 'librechat-lambda-redis-dev-001' }],
  ])('graphs %s with dimensions %j in the stack region', (key, dims) => {
    const found = find(key);
    expect(found.length).toBeGreaterThan(0);
    for (const line of found) {
      expect(line.dims).toEqual(dims);
      expect(line.region).toBe('eu-west-1');
    }
  });

  it('graphs CloudFront requests and 5xx rate from us-east-1 with Region=Global', () => {
    for (const key of ['AWS/CloudFront/Requests', 'AWS/CloudFront/5xxErrorRate']) {
      const [line] = find(key);
      expect(line).toMatchObject({
        dims: { DistributionId: 'E2EXAMPLE', Region: 'Global' },
        region: 'us-east-1',
      });
    }
  });

  it('shows p99 duration against the timeout line', () => {
    expect(find('AWS/Lambda/Duration').map((l) => l.stat)).toContain('p99');
    const widget = widgets.find((w) => w.properties.title === 'Lambda duration (ms)');
    expect(widget.properties.annotations.horizontal).toEqual([{ label: 'timeout', value: 900000 }]);
  });

  it("counts cold starts from the REPORT lines' init duration in the function's log group", () => {
    const logs = widgets.filter((w) => w.type === 'log');
    expect(logs).toHaveLength(1);
    const { query, region } = logs[0].properties;
    expect(region).toBe('eu-west-1');
    expect(query).toMatch(/^SOURCE '\/aws\/lambda\/librechat-api-dev' \| /);
    expect(query).toContain("filter @type = 'REPORT' and ispresent(@initDuration)");
    expect(query).toContain('max(@initDuration)');
  });

  it('links to itself in the CloudWatch console', () => {
    expect(url).toBe(
      'https://eu-west-1.console.aws.amazon.com/cloudwatch/home?region=eu-west-1#dashboards:name=librechat-dev',
    );
  });
});
