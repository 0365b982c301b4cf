import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { ServiceAlarms, type ServiceAlarmThresholds } from '../../src/operations/service-alarms';
import { resourcesOf, synthScope } from '../helpers/synth';

const thresholds: ServiceAlarmThresholds = {
  lambda: {
    errors: 3,
    throttles: 2,
    durationTimeoutFraction: 0.75,
    concurrentExecutions: 40,
    capacityProviderCpuPercent: 65,
    capacityProviderMemoryPercent: 90,
  },
  api: { serverErrors: 7, latencyP99Ms: 12000 },
  redis: { engineCpuPercent: 70, memoryPercent: 85, evictions: 4, currentConnections: 900 },
  cloudfront: { error5xxRatePercent: 2.5 },
};

function synthAlarms(
  periodSeconds?: number,
  evaluationPeriods?: number,
  t = thresholds,
  capacityProviderName?: string,
) {
  const json = synthScope((scope) => {
    const regional = new AwsProvider(scope, 'aws', { region: 'eu-west-1' });
    const usEast1 = new AwsProvider(scope, 'east', { region: 'us-east-1', alias: 'us_east_1' });
    new ServiceAlarms(scope, 'alarms', {
      namePrefix: 'librechat-dev',
      alarmTopicArn: 'arn:aws:sns:eu-west-1:123456789012:librechat-alarms-dev',
      globalAlarmTopicArn: 'arn:aws:sns:us-east-1:123456789012:librechat-alarms-dev',
      lambda: { functionName: 'librechat-api-dev', timeoutSeconds: 600, capacityProviderName },
      api: { apiName: 'librechat-api-dev', stageName: 'prod' },
      redis: { cacheClusterId: 'librechat-lambda-redis-dev-001' },
      cloudfront: { distributionId: 'E2EXAMPLE' },
      thresholds: t,
      periodSeconds,
      evaluationPeriods,
      provider: regional,
      usEast1Provider: usEast1,
    });
  });
  const alarms = Object.values<any>(resourcesOf(json, 'aws_cloudwatch_metric_alarm'));
  return new Map(alarms.map((a) => [a.alarm_name.replace('librechat-dev-', ''), a]));
}

describe('ServiceAlarms', () => {
  const alarms = synthAlarms();
  const fn = { FunctionName: 'librechat-api-dev' };
  const api = { ApiName: 'librechat-api-dev', Stage: 'prod' };
  const redis = { CacheClusterId: 'librechat-lambda-redis-dev-001' };

  it.each([
    ['lambda-errors', 'AWS/Lambda', 'Errors', fn, 'Sum', 3],
    ['lambda-throttles', 'AWS/Lambda', 'Throttles', fn, 'Sum', 2],
    ['lambda-concurrency', 'AWS/Lambda', 'ConcurrentExecutions', fn, 'Maximum', 40],
    ['api-5xx', 'AWS/ApiGateway', '5XXError', api, 'Sum', 7],
    ['redis-engine-cpu', 'AWS/ElastiCache', 'EngineCPUUtilization', redis, 'Average', 70],
    ['redis-memory', 'AWS/ElastiCache', 'DatabaseMemoryUsagePercentage', redis, 'Average', 85],
    ['redis-evictions', 'AWS/ElastiCache', 'Evictions', redis, 'Sum', 4],
    ['redis-connections', 'AWS/ElastiCache', 'CurrConnections', redis, 'Maximum', 900],
  ])('%s watches %s %s with its configured threshold', (key, ns, name, dims, stat, threshold) => {
    expect(alarms.get(key)).toMatchObject({
      namespace: ns,
      metric_name: name,
      dimensions: dims,
      statistic: stat,
      threshold,
      comparison_operator: 'GreaterThanOrEqualToThreshold',
    });
  });

  it('has no capacity provider alarms for an on-demand function', () => {
    expect([...alarms.keys()].filter((k) => k.startsWith('capacity-provider'))).toEqual([]);
    expect(alarms.get('lambda-throttles').alarm_description).toMatch(/concurrency limit/);
  });

  it('watches the capacity provider instances of a managed-instances function', () => {
    const managed = synthAlarms(undefined, undefined, thresholds, 'librechat-api-dev');
    const cp = { CapacityProviderName: 'librechat-api-dev' };
    expect(managed.get('capacity-provider-cpu')).toMatchObject({
      namespace: 'AWS/Lambda',
      metric_name: 'CPUUtilization',
      dimensions: cp,
      statistic: 'Average',
      threshold: 65,
    });
    expect(managed.get('capacity-provider-memory')).toMatchObject({
      metric_name: 'MemoryUtilization',
      dimensions: cp,
      threshold: 90,
    });
    // Throttles there mean scaling has not caught up: the alarm says so.
    expect(managed.get('lambda-throttles').alarm_description).toMatch(/not scaled up/);
    expect(managed.size).toBe(alarms.size + 2);
  });

  it('alarms on p99 duration at the configured fraction of the timeout (ms)', () => {
    const duration = alarms.get('lambda-duration');
    expect(duration).toMatchObject({
      metric_name: 'Duration',
      dimensions: fn,
      extended_statistic: 'p99',
      threshold: 450000,
    });
    expect(duration.statistic).toBeUndefined();
  });

  it('alarms on p99 API latency', () => {
    expect(alarms.get('api-latency-p99')).toMatchObject({
      namespace: 'AWS/ApiGateway',
      metric_name: 'Latency',
      dimensions: api,
      extended_statistic: 'p99',
      threshold: 12000,
    });
  });

  it('puts the CloudFront alarm in us-east-1 with the us-east-1 topic', () => {
    expect(alarms.get('cloudfront-5xx-rate')).toMatchObject({
      namespace: 'AWS/CloudFront',
      metric_name: '5xxErrorRate',
      dimensions: { DistributionId: 'E2EXAMPLE', Region: 'Global' },
      statistic: 'Average',
      threshold: 2.5,
      provider: 'aws.us_east_1',
      alarm_actions: ['arn:aws:sns:us-east-1:123456789012:librechat-alarms-dev'],
      ok_actions: ['arn:aws:sns:us-east-1:123456789012:librechat-alarms-dev'],
    });
  });

  it('puts every other alarm in the stack region, telling its topic on alarm and recovery', () => {
    expect(alarms.size).toBe(11);
    for (const [key, alarm] of alarms) {
      if (key === 'cloudfront-5xx-rate') continue;
      expect(alarm.provider).toBe('aws');
      expect(alarm.alarm_actions).toEqual([
        'arn:aws:sns:eu-west-1:123456789012:librechat-alarms-dev',
      ]);
      expect(alarm.ok_actions).toEqual(alarm.alarm_actions);
    }
  });

  it('treats no data as fine and uses a 300 s period over 1 evaluation by default', () => {
    for (const alarm of alarms.values()) {
      expect(alarm).toMatchObject({
        treat_missing_data: 'notBreaching',
        period: 300,
        evaluation_periods: 1,
      });
    }
  });

  it('takes the period and evaluation periods given', () => {
    for (const alarm of synthAlarms(60, 3).values()) {
      expect(alarm).toMatchObject({ period: 60, evaluation_periods: 3 });
    }
  });

  it('refuses a duration fraction that is not above 0 and at most 1', () => {
    for (const durationTimeoutFraction of [0, 1.2]) {
      expect(() =>
        synthAlarms(undefined, undefined, {
          ...thresholds,
          lambda: { ...thresholds.lambda, durationTimeoutFraction },
        }),
      ).toThrow(
        `durationTimeoutFraction must be above 0 and at most 1, got ${durationTimeoutFraction}`,
      );
    }
  });
});
