import {
  CPU_SCALING_METRIC,
  FunctionCapacityProvider,
  type FunctionCapacityProviderProps,
  OPERATOR_POLICY_ARN,
} from '../../src/backend/function-capacity-provider';
import { onlyResource, resourcesOf, synthScope, type TerraformJson } from '../helpers/synth';

const props: FunctionCapacityProviderProps = {
  name: 'librechat-api-dev',
  subnetIds: ['subnet-0b336ffd64e2358e8', 'subnet-005e834e314ffdd6c'],
  securityGroupIds: ['sg-0123456789abcdef0', 'sg-07d152120863401c2'],
  architecture: 'arm64',
};

function synth(change: Partial<FunctionCapacityProviderProps> = {}): TerraformJson {
  return synthScope((s) => new FunctionCapacityProvider(s, 'cp', { ...props, ...change }));
}

describe('FunctionCapacityProvider', () => {
  const json = synth();
  const cp = onlyResource(json, 'aws_lambda_capacity_provider');

  it("places the instances in the function's subnets and every one of its security groups", () => {
    expect(cp.name).toBe('librechat-api-dev');
    expect(cp.vpc_config).toEqual([
      { subnet_ids: props.subnetIds, security_group_ids: props.securityGroupIds },
    ]);
  });

  it("runs instances of the image's architecture, Lambda choosing the type by default", () => {
    expect(cp.instance_requirements).toEqual([{ architectures: ['arm64'] }]);
    const typed = onlyResource(
      synth({ instanceTypes: ['m7g.large', 'c7g.*'] }),
      'aws_lambda_capacity_provider',
    );
    expect(typed.instance_requirements).toEqual([
      { architectures: ['arm64'], allowed_instance_types: ['m7g.large', 'c7g.*'] },
    ]);
  });

  it('scales automatically unless a CPU target is given, within the vCPU limit', () => {
    expect(cp.capacity_provider_scaling_config).toEqual([{ scaling_mode: 'Auto' }]);
    const tuned = onlyResource(
      synth({ targetCpuPercent: 60, maxVcpus: 32 }),
      'aws_lambda_capacity_provider',
    );
    expect(tuned.capacity_provider_scaling_config).toEqual([
      {
        scaling_mode: 'Manual',
        max_vcpu_count: 32,
        scaling_policies: [{ predefined_metric_type: CPU_SCALING_METRIC, target_value: 60 }],
      },
    ]);
  });

  it('has an operator role only Lambda assumes, with the documented managed policy alone', () => {
    const [roleId, role] = Object.entries<any>(resourcesOf(json, 'aws_iam_role'))[0];
    expect(role.name).toBe('librechat-api-dev-operator');
    expect(cp.permissions_config).toEqual([
      { capacity_provider_operator_role_arn: `\${aws_iam_role.${roleId}.arn}` },
    ]);
    const trust = Object.values<any>(json.data.aws_iam_policy_document)[0];
    expect(trust.statement).toEqual([
      {
        effect: 'Allow',
        actions: ['sts:AssumeRole'],
        principals: [{ type: 'Service', identifiers: ['lambda.amazonaws.com'] }],
      },
    ]);
    const attachments = Object.entries<any>(resourcesOf(json, 'aws_iam_role_policy_attachment'));
    expect(attachments.map(([, a]) => a)).toEqual([
      { role: `\${aws_iam_role.${roleId}.name}`, policy_arn: OPERATOR_POLICY_ARN },
    ]);
    expect(resourcesOf(json, 'aws_iam_role_policy')).toEqual({});
    // The role can launch instances before the provider is created.
    expect(cp.depends_on).toEqual([`aws_iam_role_policy_attachment.${attachments[0][0]}`]);
  });
});
