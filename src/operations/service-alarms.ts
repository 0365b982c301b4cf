import { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import type { TerraformProvider } from 'cdktf';
import { Construct } from 'constructs';
import { ValidationError } from '../core/validation-error';

/** Thresholds of every alarm (the `monitoring` section of the environment file). */
/** Metric period and breach count (the dashboard's period and the config schema's defaults too). */
export const MONITORING_DEFAULTS = { periodSeconds: 300, evaluationPeriods: 1 } as const;

export interface ServiceAlarmThresholds {
  readonly lambda: {
    /** Errors (including timeouts) per period. */
    readonly errors: number;
    /** Throttled invocations per period. */
    readonly throttles: number;
    /** p99 duration as a fraction of the function's timeout, e.g. 0.8. */
    readonly durationTimeoutFraction: number;
    /** Maximum concurrent executions. */
    readonly concurrentExecutions: number;
    /** Average CPUUtilization (%) of the capacity provider's instances (managed instances). */
    readonly capacityProviderCpuPercent: number;
    /** Average MemoryUtilization (%) of the capacity provider's instances (managed instances). */
    readonly capacityProviderMemoryPercent: number;
  };
  readonly api: {
    /** 5XX responses per period. */
    readonly serverErrors: number;
    /** p99 latency in milliseconds. */
    readonly latencyP99Ms: number;
  };
  readonly redis: {
    /** Average EngineCPUUtilization (%). */
    readonly engineCpuPercent: number;
    /** Average DatabaseMemoryUsagePercentage (%). */
    readonly memoryPercent: number;
    /** Evicted keys per period. */
    readonly evictions: number;
    /** Maximum CurrConnections. */
    readonly currentConnections: number;
  };
  readonly cloudfront: {
    /** Average 5xxErrorRate (%) of all requests. */
    readonly error5xxRatePercent: number;
  };
}

export interface ServiceAlarmsProps {
  /** Prefix of every alarm name, e.g. `librechat-dev`. */
  readonly namePrefix: string;
  /** SNS topic in the stack's region: actions of the Lambda, API Gateway and Redis alarms. */
  readonly alarmTopicArn: string;
  /** SNS topic in us-east-1: action of the CloudFront alarm (actions must be in its region). */
  readonly globalAlarmTopicArn: string;
  readonly lambda: {
    readonly functionName: string;
    readonly timeoutSeconds: number;
    /** Set when the function runs on Lambda Managed Instances: its instances are watched too. */
    readonly capacityProviderName?: string;
  };
  /** A REST API's metrics are dimensioned by its name and stage. */
  readonly api: { readonly apiName: string; readonly stageName: string };
  /** The node's cache cluster id (`<replication group id>-001` for a one-node group). */
  readonly redis: { readonly cacheClusterId: string };
  readonly cloudfront: { readonly distributionId: string };
  readonly thresholds: ServiceAlarmThresholds;
  /** @default MONITORING_DEFAULTS.periodSeconds */
  readonly periodSeconds?: number;
  /** Periods in a row that must breach. @default MONITORING_DEFAULTS.evaluationPeriods */
  readonly evaluationPeriods?: number;
  /** Provider of the stack's region (Lambda, API Gateway, Redis alarms). */
  readonly provider?: TerraformProvider;
  /** Provider of us-east-1, where CloudFront publishes its metrics. */
  readonly usEast1Provider: TerraformProvider;
}

/** One alarm's metric and threshold. */
interface AlarmSpec {
  readonly key: string;
  readonly description: string;
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: Record<string, string>;
  readonly statistic?: 'Sum' | 'Average' | 'Maximum';
  readonly extendedStatistic?: string;
  readonly threshold: number;
  readonly global?: boolean;
}

/**
 * The day-two alarms: Lambda errors, throttles, duration near the timeout and concurrency; API
 * Gateway 5XX and p99 latency; Redis engine CPU, memory, evictions and connections; CloudFront 5xx
 * error rate (in us-east-1). Each fires at `>= threshold`, tells the topic on alarm and on
 * recovery, and treats missing data (no traffic) as fine.
 */
export class ServiceAlarms extends Construct {
  /** Every alarm, by key (`lambda-errors`, `api-5xx`, `cloudfront-5xx-rate`, ...). */
  readonly alarms: Record<string, CloudwatchMetricAlarm> = {};

  constructor(scope: Construct, id: string, props: ServiceAlarmsProps) {
    super(scope, id);
    const t = props.thresholds;
    const fraction = t.lambda.durationTimeoutFraction;
    if (!(fraction > 0 && fraction <= 1)) {
      throw new ValidationError(
        this,
        `durationTimeoutFraction must be above 0 and at most 1, got ${fraction}`,
      );
    }
    const fn = { FunctionName: props.lambda.functionName };
    const api = { ApiName: props.api.apiName, Stage: props.api.stageName };
    const redis = { CacheClusterId: props.redis.cacheClusterId };
    const timeoutMs = props.lambda.timeoutSeconds * 1000;
    const specs: AlarmSpec[] = [
      {
        key: 'lambda-errors',
        description: 'Lambda invocations that failed or timed out',
        namespace: 'AWS/Lambda',
        metricName: 'Errors',
        dimensions: fn,
        statistic: 'Sum',
        threshold: t.lambda.errors,
      },
      {
        key: 'lambda-throttles',
        description: props.lambda.capacityProviderName
          ? 'Lambda invocations throttled (instances not scaled up yet, or at the vCPU limit)'
          : 'Lambda invocations throttled (concurrency limit reached)',
        namespace: 'AWS/Lambda',
        metricName: 'Throttles',
        dimensions: fn,
        statistic: 'Sum',
        threshold: t.lambda.throttles,
      },
      {
        // p99, not Maximum: one long agent run is legitimate (SSE streams last minutes); most
        // requests nearing the timeout are what precede timeouts.
        key: 'lambda-duration',
        description: `Lambda p99 duration above ${t.lambda.durationTimeoutFraction} of the ${props.lambda.timeoutSeconds} s timeout`,
        namespace: 'AWS/Lambda',
        metricName: 'Duration',
        dimensions: fn,
        extendedStatistic: 'p99',
        threshold: Math.round(timeoutMs * t.lambda.durationTimeoutFraction),
      },
      {
        key: 'lambda-concurrency',
        description: 'Lambda concurrent executions (each open stream holds one)',
        namespace: 'AWS/Lambda',
        metricName: 'ConcurrentExecutions',
        dimensions: fn,
        statistic: 'Maximum',
        threshold: t.lambda.concurrentExecutions,
      },
      ...(props.lambda.capacityProviderName
        ? capacityProviderSpecs(props.lambda.capacityProviderName, t.lambda)
        : []),
      {
        key: 'api-5xx',
        description: 'API Gateway 5XX responses',
        namespace: 'AWS/ApiGateway',
        metricName: '5XXError',
        dimensions: api,
        statistic: 'Sum',
        threshold: t.api.serverErrors,
      },
      {
        key: 'api-latency-p99',
        description: 'API Gateway p99 latency (ms)',
        namespace: 'AWS/ApiGateway',
        metricName: 'Latency',
        dimensions: api,
        extendedStatistic: 'p99',
        threshold: t.api.latencyP99Ms,
      },
      {
        // Redis is single-threaded: on a 2-vCPU node host CPUUtilization stays near 50 % while
        // the engine thread is saturated, so the engine's own CPU is the one to watch.
        key: 'redis-engine-cpu',
        description: 'Redis engine thread CPU (%)',
        namespace: 'AWS/ElastiCache',
        metricName: 'EngineCPUUtilization',
        dimensions: redis,
        statistic: 'Average',
        threshold: t.redis.engineCpuPercent,
      },
      {
        key: 'redis-memory',
        description: 'Redis memory used of maxmemory (%)',
        namespace: 'AWS/ElastiCache',
        metricName: 'DatabaseMemoryUsagePercentage',
        dimensions: redis,
        statistic: 'Average',
        threshold: t.redis.memoryPercent,
      },
      {
        key: 'redis-evictions',
        description: 'Redis keys evicted for memory (sessions and rate limits are lost)',
        namespace: 'AWS/ElastiCache',
        metricName: 'Evictions',
        dimensions: redis,
        statistic: 'Sum',
        threshold: t.redis.evictions,
      },
      {
        key: 'redis-connections',
        description: 'Redis client connections',
        namespace: 'AWS/ElastiCache',
        metricName: 'CurrConnections',
        dimensions: redis,
        statistic: 'Maximum',
        threshold: t.redis.currentConnections,
      },
      {
        key: 'cloudfront-5xx-rate',
        description: 'CloudFront 5xx responses (% of all requests)',
        namespace: 'AWS/CloudFront',
        metricName: '5xxErrorRate',
        dimensions: { DistributionId: props.cloudfront.distributionId, Region: 'Global' },
        statistic: 'Average',
        threshold: t.cloudfront.error5xxRatePercent,
        global: true,
      },
    ];
    for (const spec of specs) {
      const topic = spec.global ? props.globalAlarmTopicArn : props.alarmTopicArn;
      this.alarms[spec.key] = new CloudwatchMetricAlarm(this, spec.key, {
        alarmName: `${props.namePrefix}-${spec.key}`,
        alarmDescription: spec.description,
        namespace: spec.namespace,
        metricName: spec.metricName,
        dimensions: spec.dimensions,
        statistic: spec.statistic,
        extendedStatistic: spec.extendedStatistic,
        period: props.periodSeconds ?? MONITORING_DEFAULTS.periodSeconds,
        evaluationPeriods: props.evaluationPeriods ?? MONITORING_DEFAULTS.evaluationPeriods,
        threshold: spec.threshold,
        comparisonOperator: 'GreaterThanOrEqualToThreshold',
        treatMissingData: 'notBreaching',
        alarmActions: [topic],
        okActions: [topic],
        provider: spec.global ? props.usEast1Provider : props.provider,
      });
    }
  }
}

/**
 * Lambda Managed Instances scale on CPU, asynchronously: sustained high CPU or memory on the
 * capacity provider's instances comes before throttles and slow streams.
 */
function capacityProviderSpecs(
  capacityProviderName: string,
  t: ServiceAlarmThresholds['lambda'],
): AlarmSpec[] {
  const dimensions = { CapacityProviderName: capacityProviderName };
  return [
    {
      key: 'capacity-provider-cpu',
      description: 'CPU of the capacity provider instances (%)',
      namespace: 'AWS/Lambda',
      metricName: 'CPUUtilization',
      dimensions,
      statistic: 'Average',
      threshold: t.capacityProviderCpuPercent,
    },
    {
      key: 'capacity-provider-memory',
      description: 'Memory of the capacity provider instances (%)',
      namespace: 'AWS/Lambda',
      metricName: 'MemoryUtilization',
      dimensions,
      statistic: 'Average',
      threshold: t.capacityProviderMemoryPercent,
    },
  ];
}
