import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { VpcSecurityGroupEgressRule } from '@cdktf/provider-aws/lib/vpc-security-group-egress-rule';
import { Construct } from 'constructs';

/** DocumentDB's port (also the config schema's default). */
export const DEFAULT_DOCUMENTDB_PORT = 27017;

export interface FunctionSecurityGroupProps {
  /** Name prefix, unique per environment (e.g. `librechat-api-dev`); also the Name tag. */
  readonly name: string;
  readonly vpcId: string;
  /** The VPC's CIDR: DocumentDB and the Cloud Map services live inside it. */
  readonly vpcCidrBlock: string;
  /** DocumentDB port. @default DEFAULT_DOCUMENTDB_PORT */
  readonly documentDbPort?: number;
}

/**
 * The Lambda's security group: no ingress (only AWS invokes the function), egress to DocumentDB
 * and the Cloud Map services in the VPC and to HTTPS anywhere (AWS APIs, model providers). Each
 * rule is its own resource, never an inline block, so rules are created after and destroyed
 * before the groups they reference, and a rule to another group (Redis) makes no cycle.
 */
export class FunctionSecurityGroup extends Construct {
  readonly securityGroup: SecurityGroup;
  readonly securityGroupId: string;

  constructor(scope: Construct, id: string, props: FunctionSecurityGroupProps) {
    super(scope, id);
    // No ingress/egress blocks here: Terraform then removes AWS's default allow-all egress.
    // A name prefix and create-before-destroy: a replaced group is in place (and the function
    // moved to it) before the old one, still held by the function's ENIs, is deleted.
    this.securityGroup = new SecurityGroup(this, 'group', {
      namePrefix: `${props.name}-`,
      description: 'LibreChat Lambda: no ingress; egress to DocumentDB, Redis, VPC services, HTTPS',
      vpcId: props.vpcId,
      tags: { Name: props.name },
      lifecycle: { createBeforeDestroy: true },
    });
    this.securityGroupId = this.securityGroup.id;

    const port = props.documentDbPort ?? DEFAULT_DOCUMENTDB_PORT;
    this.egress('documentdb', 'DocumentDB', {
      cidrIpv4: props.vpcCidrBlock,
      fromPort: port,
      toPort: port,
    });
    this.egress('vpc-services', 'Cloud Map services in the VPC', {
      cidrIpv4: props.vpcCidrBlock,
      fromPort: 0,
      toPort: 65535,
    });
    this.egress('https', 'HTTPS (AWS APIs, model providers)', {
      cidrIpv4: '0.0.0.0/0',
      fromPort: 443,
      toPort: 443,
    });
  }

  /** Allows TCP `port` to another security group (e.g. the Redis group). */
  allowTcpTo(id: string, description: string, securityGroupId: string, port: number): void {
    this.egress(id, description, {
      referencedSecurityGroupId: securityGroupId,
      fromPort: port,
      toPort: port,
    });
  }

  private egress(
    id: string,
    description: string,
    target: {
      cidrIpv4?: string;
      referencedSecurityGroupId?: string;
      fromPort: number;
      toPort: number;
    },
  ): VpcSecurityGroupEgressRule {
    return new VpcSecurityGroupEgressRule(this, `egress-${id}`, {
      securityGroupId: this.securityGroup.id,
      description,
      ipProtocol: 'tcp',
      ...target,
    });
  }
}
