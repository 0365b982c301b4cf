import { DataAwsCallerIdentity } from '@cdktf/provider-aws/lib/data-aws-caller-identity';
import { DataAwsRegion } from '@cdktf/provider-aws/lib/data-aws-region';
import { DataAwsVpc } from '@cdktf/provider-aws/lib/data-aws-vpc';
import { Construct } from 'constructs';

export interface ExistingNetworkProps {
  readonly vpcId: string;
  /** Private subnets (at least two, in different availability zones) for Lambda and Redis. */
  readonly privateSubnetIds: readonly string[];
}

/**
 * What the deployment uses but does not own: the VPC (looked up for its CIDR, which the Lambda's
 * egress rules name), the region and the account (for ARNs built from names).
 */
export class ExistingNetwork extends Construct {
  readonly vpcId: string;
  readonly vpcCidrBlock: string;
  readonly privateSubnetIds: string[];
  readonly region: string;
  readonly accountId: string;

  constructor(scope: Construct, id: string, props: ExistingNetworkProps) {
    super(scope, id);
    const vpc = new DataAwsVpc(this, 'vpc', { id: props.vpcId });
    const region = new DataAwsRegion(this, 'region');
    const caller = new DataAwsCallerIdentity(this, 'caller');
    this.vpcId = props.vpcId;
    this.vpcCidrBlock = vpc.cidrBlock;
    this.privateSubnetIds = [...props.privateSubnetIds];
    this.region = region.region;
    this.accountId = caller.accountId;
  }
}
