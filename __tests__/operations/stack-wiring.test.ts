import { devConfig } from '../helpers/config';
import { onlyResource, resolveTokens, resourcesOf, synthStack } from '../helpers/synth';

const ELASTICACHE = 'terraform-aws-modules/elasticache/aws';
const CLOUDFRONT = 'terraform-aws-modules/cloudfront/aws';

/** The logical id of the only module block from `source`. */
function moduleId(json: Record<string, any>, source: string): string {
  const [id, ...more] = Object.entries<any>(json.module).filter(([, m]) => m.source === source);
  if (!id || more.length) throw new Error(`expected one module from ${source}`);
  return id[0];
}

describe('LibreChatStack operations', () => {
  const { stack, json } = synthStack();
  const alarms = new Map(
    Object.values<any>(resourcesOf(json, 'aws_cloudwatch_metric_alarm')).map((a) => [
      a.alarm_name,
      a,
    ]),
  );
  const fnId = Object.keys(resourcesOf(json, 'aws_lambda_function'))[0];
  const apiId = Object.keys(resourcesOf(json, 'aws_api_gateway_rest_api'))[0];
  const redisId = moduleId(json, ELASTICACHE);
  const cloudfrontId = moduleId(json, CLOUDFRONT);
  const topics = Object.entries<any>(resourcesOf(json, 'aws_sns_topic'));
  const topicArn = (provider: string) => {
    const [id] = topics.find(([, t]) => t.provider === provider)!;
    return `\${aws_sns_topic.${id}.arn}`;
  };

  it('has one alarm topic in the stack region and one in us-east-1, without e-mail by default', () => {
    expect(topics.map(([, t]) => [t.name, t.provider]).sort()).toEqual([
      ['librechat-alarms-dev', 'aws'],
      ['librechat-alarms-dev', 'aws.us_east_1'],
    ]);
    expect(resourcesOf(json, 'aws_sns_topic_subscription')).toEqual({});
  });

  it('subscribes monitoring.alarmEmail to both topics', () => {
    const { json: withEmail } = synthStack(
      devConfig((c) => (c.monitoring = { alarmEmail: 'ops@example.com' })),
    );
    const subs = Object.values<any>(resourcesOf(withEmail, 'aws_sns_topic_subscription'));
    expect(subs.map((s) => [s.endpoint, s.protocol, s.provider]).sort()).toEqual([
      ['ops@example.com', 'email', 'aws'],
      ['ops@example.com', 'email', 'aws.us_east_1'],
    ]);
  });

  it("watches the stack's own function, API stage, Redis node and distribution", () => {
    expect(alarms.get('librechat-dev-lambda-errors').dimensions).toEqual({
      FunctionName: `\${aws_lambda_function.${fnId}.function_name}`,
    });
    expect(alarms.get('librechat-dev-api-5xx').dimensions).toEqual({
      ApiName: `\${aws_api_gateway_rest_api.${apiId}.name}`,
      Stage: 'prod',
    });
    expect(alarms.get('librechat-dev-redis-memory').dimensions).toEqual({
      CacheClusterId: `\${module.${redisId}.replication_group_id}-001`,
    });
    expect(alarms.get('librechat-dev-cloudfront-5xx-rate')).toMatchObject({
      dimensions: {
        DistributionId: `\${module.${cloudfrontId}.cloudfront_distribution_id}`,
        Region: 'Global',
      },
      provider: 'aws.us_east_1',
      alarm_actions: [topicArn('aws.us_east_1')],
    });
    expect(alarms.get('librechat-dev-lambda-throttles').alarm_actions).toEqual([topicArn('aws')]);
  });

  it('takes thresholds from the monitoring section (duration: a fraction of lambda.timeoutSeconds)', () => {
    expect(alarms.get('librechat-dev-lambda-duration').threshold).toBe(720000);
    expect(alarms.get('librechat-dev-redis-evictions').threshold).toBe(1);
    const { json: tuned } = synthStack(
      devConfig((c) => {
        c.lambda.timeoutSeconds = 300;
        c.monitoring = {
          periodSeconds: 60,
          evaluationPeriods: 2,
          lambda: { durationTimeoutFraction: 0.5, errors: 9 },
          cloudfront: { error5xxRatePercent: 1 },
        };
      }),
    );
    const byName = (name: string) =>
      Object.values<any>(resourcesOf(tuned, 'aws_cloudwatch_metric_alarm')).find(
        (a) => a.alarm_name === name,
      );
    expect(byName('librechat-dev-lambda-duration').threshold).toBe(150000);
    expect(byName('librechat-dev-lambda-errors')).toMatchObject({
      threshold: 9,
      period: 60,
      evaluation_periods: 2,
    });
    expect(byName('librechat-dev-cloudfront-5xx-rate').threshold).toBe(1);
  });

  it("builds the dashboard from the same resources, cold starts from the function's log group", () => {
    const dashboard = onlyResource(json, 'aws_cloudwatch_dashboard');
    expect(dashboard).toMatchObject({ dashboard_name: 'librechat-dev', provider: 'aws' });
    const logGroupId = Object.entries<any>(resourcesOf(json, 'aws_cloudwatch_log_group')).find(
      ([, g]) => g.name === '/aws/lambda/librechat-api-dev',
    )![0];
    const body = { widgets: resolveTokens(stack, stack.serviceDashboard.widgets) };
    const log = body.widgets.find((w: any) => w.type === 'log');
    expect(log.properties.query).toContain(
      `SOURCE '\${aws_cloudwatch_log_group.${logGroupId}.name}'`,
    );
    const metricsJson = JSON.stringify(body.widgets);
    expect(metricsJson).toContain(`\${module.${cloudfrontId}.cloudfront_distribution_id}`);
    expect(metricsJson).toContain(`\${module.${redisId}.replication_group_id}-001`);
  });

  it('outputs what a team needs on day two, with stable ids', () => {
    expect(Object.keys(json.output).sort()).toEqual([
      'alarm_topic_arns',
      'api_invoke_url',
      'cloudfront_distribution_arn',
      'cloudfront_distribution_id',
      'cloudfront_domain_name',
      'dashboard_url',
      'ecr_repository_url',
      'file_bucket_name',
      'frontend_bucket_name',
      'lambda_function_arn',
      'lambda_function_name',
      'redis_primary_endpoint',
      'site_url',
    ]);
    expect(json.output.dashboard_url.value).toBe(
      'https://eu-west-1.console.aws.amazon.com/cloudwatch/home?region=eu-west-1#dashboards:name=librechat-dev',
    );
    expect(json.output.frontend_bucket_name.value).toBe('librechat-frontend-dev');
    expect(json.output.alarm_topic_arns.value).toEqual([
      topicArn('aws'),
      topicArn('aws.us_east_1'),
    ]);
  });

  it('outputs no secret: nothing is sensitive and no output reaches the origin-verify value', () => {
    const passwordIds = Object.keys(resourcesOf(json, 'random_password'));
    expect(passwordIds.length).toBeGreaterThan(0);
    const ssmIds = Object.keys(resourcesOf(json, 'aws_ssm_parameter'));
    for (const [name, output] of Object.entries<any>(json.output)) {
      const value = JSON.stringify(output.value);
      for (const id of passwordIds) expect(value).not.toContain(`random_password.${id}`);
      for (const id of ssmIds) expect(value).not.toContain(`aws_ssm_parameter.${id}.value`);
      // None of these values is a secret: marking them sensitive would only hide them.
      expect([name, output.sensitive]).toEqual([name, undefined]);
    }
  });
});
