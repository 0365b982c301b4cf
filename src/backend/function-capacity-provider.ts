import {
  DataAwsIamPolicyDocument,
  type DataAwsIamPolicyDocumentStatement,
} from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { LambdaCapacityProvider } from '@cdktf/provider-aws/lib/lambda-capacity-provider';
import { Construct } from 'constructs';

/**
 * The AWS managed policy Lambda documents as the operator role's permissions: launching and
 * describing the EC2 instances and network interfaces it manages (tag-conditioned to
 * `ec2:ManagedResourceOperator = scaler.lambda.amazonaws.com`). AWS extends it when the service
 * needs more; a copy here would silently fall behind.
 */
export const OPERATOR_POLICY_ARN = 'arn:aws:iam::aws:policy/AWSLambdaManagedEC2ResourceOperator';

/** The only scaling metric the service offers for target tracking. */
export const CPU_SCALING_METRIC = 'LambdaCapacityProviderAverageCPUUtilization';

export interface FunctionCapacityProviderProps {
  /** Capacity provider and operator role name, unique per environment. */
  readonly name: string;
  /** Where the instances run: the function's private subnets. */
  readonly subnetIds: string[];
  /** The function's security groups (its own and any additional ones). */
  readonly securityGroupIds: string[];
  /** Instance architecture; the same as the image's. */
  readonly architecture: 'x86_64' | 'arm64';
  /** Allowed EC2 instance types; unset lets Lambda choose (its recommendation). */
  readonly instanceTypes?: string[];
  /** Most vCPUs across all instances; unset = the service's default (no limit). */
  readonly maxVcpus?: number;
  /** Average CPU the service scales to keep; unset = the service's automatic scaling. */
  readonly targetCpuPercent?: number;
}

/**
 * A Lambda Managed Instances capacity provider: EC2 instances in the function's subnets and
 * security groups that Lambda launches, patches and scales, with an operator role that only
 * Lambda can assume. The function runs on it through `LibreChatFunction`'s `capacityProvider`.
 */
export class FunctionCapacityProvider extends Construct {
  readonly capacityProvider: LambdaCapacityProvider;
  readonly operatorRole: IamRole;
  readonly arn: string;
  readonly name: string;

  constructor(scope: Construct, id: string, props: FunctionCapacityProviderProps) {
    super(scope, id);
    const trust: DataAwsIamPolicyDocumentStatement = {
      effect: 'Allow',
      actions: ['sts:AssumeRole'],
      principals: [{ type: 'Service', identifiers: ['lambda.amazonaws.com'] }],
    };
    this.operatorRole = new IamRole(this, 'operator-role', {
      name: `${props.name}-operator`,
      description: `Lets Lambda run the instances of capacity provider ${props.name}`,
      assumeRolePolicy: new DataAwsIamPolicyDocument(this, 'operator-trust', {
        statement: [trust],
      }).json,
    });
    const operatorPolicy = new IamRolePolicyAttachment(this, 'operator-policy', {
      role: this.operatorRole.name,
      policyArn: OPERATOR_POLICY_ARN,
    });
    const scaling =
      props.targetCpuPercent !== undefined
        ? {
            scalingMode: 'Manual',
            scalingPolicies: [
              { predefinedMetricType: CPU_SCALING_METRIC, targetValue: props.targetCpuPercent },
            ],
          }
        : { scalingMode: 'Auto' };
    this.capacityProvider = new LambdaCapacityProvider(this, 'capacity-provider', {
      name: props.name,
      vpcConfig: [{ subnetIds: props.subnetIds, securityGroupIds: props.securityGroupIds }],
      permissionsConfig: [{ capacityProviderOperatorRoleArn: this.operatorRole.arn }],
      instanceRequirements: [
        {
          architectures: [props.architecture],
          ...(props.instanceTypes ? { allowedInstanceTypes: props.instanceTypes } : {}),
        },
      ],
      capacityProviderScalingConfig: [
        {
          ...scaling,
          ...(props.maxVcpus !== undefined ? { maxVcpuCount: props.maxVcpus } : {}),
        },
      ],
      // The role must be able to launch instances before the provider starts any.
      dependsOn: [operatorPolicy],
    });
    this.arn = this.capacityProvider.arn;
    this.name = this.capacityProvider.name;
  }
}
