import { CloudwatchDashboard } from '@cdktf/provider-aws/lib/cloudwatch-dashboard';
import { Fn, type TerraformProvider } from 'cdktf';
import { Construct } from 'constructs';
import { MONITORING_DEFAULTS } from './service-alarms';

export interface ServiceDashboardProps {
  /** Dashboard name, e.g. `librechat-dev`. */
  readonly dashboardName: string;
  /** The stack's region (Lambda, API Gateway, Redis metrics). */
  readonly region: string;
  readonly lambda: {
    readonly functionName: string;
    /** The function's log group: its REPORT lines carry the cold starts' init duration. */
    readonly logGroupName: string;
    readonly timeoutSeconds: number;
  };
  readonly api: { readonly apiName: string; readonly stageName: string };
  readonly redis: { readonly cacheClusterId: string };
  /** CloudFront's metrics are in us-east-1, dimensioned by id and `Region=Global`. */
  readonly cloudfront: { readonly distributionId: string };
  /** Graph period in seconds. @default MONITORING_DEFAULTS.periodSeconds */
  readonly periodSeconds?: number;
  readonly provider?: TerraformProvider;
}

type Metric = (string | Record<string, unknown>)[];

/** A metric line: namespace, name, dimension pairs, then its rendering options. */
function metric(
  namespace: string,
  name: string,
  dimensions: Record<string, string>,
  options: Record<string, unknown>,
): Metric {
  return [namespace, name, ...Object.entries(dimensions).flat(), options];
}

/**
 * One CloudWatch dashboard with the service's health: Lambda invocations, errors, throttles,
 * duration against the timeout, concurrency and cold starts; API Gateway requests, 5XX and
 * latency; Redis CPU, memory, evictions and connections; CloudFront requests and error rates.
 * Cold starts come from Logs Insights (`@initDuration` of the REPORT lines): Lambda publishes
 * no CloudWatch metric for init duration.
 */
export class ServiceDashboard extends Construct {
  readonly dashboard: CloudwatchDashboard;
  readonly dashboardName: string;
  /** The dashboard in the CloudWatch console. */
  readonly url: string;
  /** The widgets (before serialization), for inspection. */
  readonly widgets: Record<string, unknown>[];

  constructor(scope: Construct, id: string, props: ServiceDashboardProps) {
    super(scope, id);
    const period = props.periodSeconds ?? MONITORING_DEFAULTS.periodSeconds;
    const region = props.region;
    const fn = { FunctionName: props.lambda.functionName };
    const api = { ApiName: props.api.apiName, Stage: props.api.stageName };
    const redis = { CacheClusterId: props.redis.cacheClusterId };
    const cf = { DistributionId: props.cloudfront.distributionId, Region: 'Global' };
    const graph = (
      title: string,
      metrics: Metric[],
      extra: Record<string, unknown> = {},
      metricRegion = region,
    ) => ({
      type: 'metric',
      width: 8,
      height: 6,
      properties: {
        title,
        view: 'timeSeries',
        region: metricRegion,
        period,
        metrics,
        ...extra,
      },
    });
    const coldStartQuery = [
      `SOURCE '${props.lambda.logGroupName}'`,
      // Single quotes: the query sits inside the JSON body, and cdktf's --hcl output does not
      // escape double quotes in a string that also holds a reference.
      "filter @type = 'REPORT' and ispresent(@initDuration)",
      'stats count(*) as coldStarts, avg(@initDuration) as avgInitMs, max(@initDuration) as maxInitMs by bin(5m)',
    ].join(' | ');

    this.widgets = [
      graph('Lambda invocations, errors, throttles', [
        metric('AWS/Lambda', 'Invocations', fn, { stat: 'Sum' }),
        metric('AWS/Lambda', 'Errors', fn, { stat: 'Sum' }),
        metric('AWS/Lambda', 'Throttles', fn, { stat: 'Sum' }),
      ]),
      graph(
        'Lambda duration (ms)',
        [
          metric('AWS/Lambda', 'Duration', fn, { stat: 'p50' }),
          metric('AWS/Lambda', 'Duration', fn, { stat: 'p99' }),
          metric('AWS/Lambda', 'Duration', fn, { stat: 'Maximum' }),
        ],
        {
          annotations: {
            horizontal: [{ label: 'timeout', value: props.lambda.timeoutSeconds * 1000 }],
          },
        },
      ),
      graph('Lambda concurrent executions', [
        metric('AWS/Lambda', 'ConcurrentExecutions', fn, { stat: 'Maximum' }),
      ]),
      {
        type: 'log',
        width: 8,
        height: 6,
        properties: {
          title: 'Lambda cold starts (init duration, ms)',
          region,
          view: 'timeSeries',
          query: coldStartQuery,
        },
      },
      graph('API Gateway requests and errors', [
        metric('AWS/ApiGateway', 'Count', api, { stat: 'Sum' }),
        metric('AWS/ApiGateway', '4XXError', api, { stat: 'Sum' }),
        metric('AWS/ApiGateway', '5XXError', api, { stat: 'Sum' }),
      ]),
      graph('API Gateway latency (ms)', [
        metric('AWS/ApiGateway', 'Latency', api, { stat: 'p50' }),
        metric('AWS/ApiGateway', 'Latency', api, { stat: 'p99' }),
        metric('AWS/ApiGateway', 'IntegrationLatency', api, { stat: 'p99' }),
      ]),
      graph('Redis CPU and memory (%)', [
        metric('AWS/ElastiCache', 'EngineCPUUtilization', redis, { stat: 'Average' }),
        metric('AWS/ElastiCache', 'CPUUtilization', redis, { stat: 'Average' }),
        metric('AWS/ElastiCache', 'DatabaseMemoryUsagePercentage', redis, { stat: 'Average' }),
      ]),
      graph('Redis connections and evictions', [
        metric('AWS/ElastiCache', 'CurrConnections', redis, { stat: 'Maximum' }),
        metric('AWS/ElastiCache', 'Evictions', redis, { stat: 'Sum', yAxis: 'right' }),
      ]),
      graph(
        'CloudFront requests and error rates',
        [
          metric('AWS/CloudFront', 'Requests', cf, { stat: 'Sum' }),
          metric('AWS/CloudFront', '5xxErrorRate', cf, { stat: 'Average', yAxis: 'right' }),
          metric('AWS/CloudFront', '4xxErrorRate', cf, { stat: 'Average', yAxis: 'right' }),
        ],
        {},
        'us-east-1',
      ),
    ];
    this.dashboard = new CloudwatchDashboard(this, 'dashboard', {
      dashboardName: props.dashboardName,
      // Tokens (ids known only at apply) stay Terraform references inside the JSON string.
      dashboardBody: Fn.jsonencode({ widgets: this.widgets }),
      provider: props.provider,
    });
    this.dashboardName = props.dashboardName;
    this.url = `https://${region}.console.aws.amazon.com/cloudwatch/home?region=${region}#dashboards:name=${props.dashboardName}`;
  }
}
