import { findingsOfApp } from '../../src/guardrails';
import { devConfig } from '../helpers/config';
import { onlyResource, resourcesOf, synthStack } from '../helpers/synth';

// lambda.compute in the whole stack: on-demand (config/dev.json) and managed-instances.
const managed = () =>
  devConfig((raw) => {
    raw.lambda.compute = 'managed-instances';
    raw.lambda.memoryMb = 4096;
    raw.lambda.architecture = 'arm64';
    raw.lambda.managedInstances = { maxConcurrency: 100, maxVcpus: 16 };
  });

describe('on-demand (the default)', () => {
  const { stack, json } = synthStack();
  const fn = onlyResource(json, 'aws_lambda_function');

  it('has no capacity provider; the function is in the VPC itself and not published', () => {
    expect(stack.capacityProvider).toBeUndefined();
    expect(resourcesOf(json, 'aws_lambda_capacity_provider')).toEqual({});
    expect(fn.capacity_provider_config).toBeUndefined();
    expect(fn.publish).toBeUndefined();
    // Its own group and config/dev.json's shared-services group.
    expect(fn.vpc_config.security_group_ids).toEqual([
      expect.stringMatching(/^\$\{aws_security_group\.function-security-group_/),
      'sg-07d152120863401c2',
    ]);
    const alarms = Object.values<any>(resourcesOf(json, 'aws_cloudwatch_metric_alarm'));
    expect(
      alarms.filter((a) => a.namespace === 'AWS/Lambda' && a.dimensions.CapacityProviderName),
    ).toEqual([]);
  });
});

describe('managed-instances', () => {
  const { stack, json } = synthStack(managed());

  it("passes every guardrail, the operator role's managed policy included", () => {
    expect(findingsOfApp(stack.node.root).map((f) => `${f.ruleId} ${f.address}`)).toEqual([]);
  });

  const [fnId, fn] = Object.entries<any>(resourcesOf(json, 'aws_lambda_function'))[0];
  const [cpId, cp] = Object.entries<any>(resourcesOf(json, 'aws_lambda_capacity_provider'))[0];

  it("runs the function on a capacity provider in the function's subnets and security groups", () => {
    expect(cp.name).toBe('librechat-api-dev');
    const network = devConfig().network;
    expect(cp.vpc_config[0].subnet_ids).toEqual(network.privateSubnetIds);
    const [sgId] = Object.keys(resourcesOf(json, 'aws_security_group'));
    expect(cp.vpc_config[0].security_group_ids).toEqual([
      `\${aws_security_group.${sgId}.id}`,
      ...network.additionalSecurityGroupIds!,
    ]);
    expect(cp.instance_requirements).toEqual([{ architectures: ['arm64'] }]);
    expect(cp.capacity_provider_scaling_config).toEqual([
      { scaling_mode: 'Auto', max_vcpu_count: 16 },
    ]);
    expect(fn.capacity_provider_config).toEqual({
      lambda_managed_instances_capacity_provider_config: {
        capacity_provider_arn: `\${aws_lambda_capacity_provider.${cpId}.arn}`,
        per_execution_environment_max_concurrency: 100,
        execution_environment_memory_gib_per_vcpu: 2,
      },
    });
    // The capacity provider is its network placement.
    expect(fn.vpc_config).toBeUndefined();
    expect(fn.memory_size).toBe(4096);
    expect(fn.architectures).toEqual(['arm64']);
  });

  it('publishes $LATEST.PUBLISHED, the version the unqualified streaming invoke runs', () => {
    expect(fn.publish).toBe(true);
    expect(fn.publish_to).toBe('LATEST_PUBLISHED');
    const integration = Object.values<any>(resourcesOf(json, 'aws_api_gateway_integration')).find(
      (i) => i.type === 'AWS_PROXY',
    );
    expect(integration.uri).toBe(
      `arn:aws:apigateway:eu-west-1:lambda:path/2021-11-15/functions/\${aws_lambda_function.${fnId}.arn}/response-streaming-invocations`,
    );
    expect(integration.response_transfer_mode).toBe('STREAM');
  });

  it('gives the handler one runtime worker thread, so one LibreChat per environment', () => {
    expect(fn.environment.variables.AWS_LAMBDA_NODEJS_WORKER_COUNT).toBe('1');
  });

  it("alarms on the capacity provider's CPU and memory besides the function's alarms", () => {
    const alarms = Object.values<any>(resourcesOf(json, 'aws_cloudwatch_metric_alarm'));
    const names = alarms.map((a) => a.alarm_name);
    expect(names).toEqual(
      expect.arrayContaining([
        'librechat-dev-capacity-provider-cpu',
        'librechat-dev-capacity-provider-memory',
        'librechat-dev-lambda-throttles',
        'librechat-dev-lambda-errors',
      ]),
    );
    const cpu = alarms.find((a) => a.alarm_name === 'librechat-dev-capacity-provider-cpu');
    expect(cpu.dimensions).toEqual({
      CapacityProviderName: `\${aws_lambda_capacity_provider.${cpId}.name}`,
    });
    expect(cpu.threshold).toBe(80);
  });
});
