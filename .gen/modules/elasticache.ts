import { Token, type TerraformModuleUserConfig } from 'cdktf';
import type { Construct } from 'constructs';
import type { ModuleInputShape } from './module-inputs';
import { RegistryModule } from './registry-module';

/** One rule of the module's security group (aws_vpc_security_group_*_rule arguments). */
export interface ElasticacheSecurityGroupRule {
  readonly type: 'ingress' | 'egress';
  readonly fromPort?: number;
  readonly toPort?: number;
  readonly ipProtocol?: string;
  readonly description?: string;
  /** The source/destination security group (`source_security_group_id` is ignored by 1.10.x). */
  readonly referencedSecurityGroupId?: string;
  readonly cidrIpv4?: string;
  readonly cidrIpv6?: string;
  readonly prefixListId?: string;
}

/** One log delivery target (the module creates the CloudWatch log group). */
export interface ElasticacheLogDelivery {
  readonly destinationType: 'cloudwatch-logs' | 'kinesis-firehose';
  readonly logFormat: 'json' | 'text';
  readonly destination?: string;
  readonly cloudwatchLogGroupRetentionInDays?: number;
  readonly cloudwatchLogGroupKmsKeyId?: string;
}

/** Inputs of terraform-aws-modules/elasticache/aws that this project uses. */
export interface ElasticacheModuleInputs {
  readonly replicationGroupId: string;
  readonly description?: string;
  readonly clusterModeEnabled?: boolean;
  readonly numCacheClusters?: number;
  readonly engine?: 'redis' | 'valkey';
  readonly engineVersion?: string;
  readonly nodeType?: string;
  readonly port?: number;
  readonly applyImmediately?: boolean;
  readonly atRestEncryptionEnabled?: boolean;
  readonly transitEncryptionEnabled?: boolean;
  readonly kmsKeyArn?: string;
  readonly multiAzEnabled?: boolean;
  readonly automaticFailoverEnabled?: boolean;
  readonly maintenanceWindow?: string;
  readonly snapshotRetentionLimit?: number;
  readonly createParameterGroup?: boolean;
  readonly parameterGroupName?: string;
  readonly parameterGroupFamily?: string;
  readonly parameterGroupDescription?: string;
  readonly parameters?: Array<{ readonly name: string; readonly value: string }>;
  readonly createSubnetGroup?: boolean;
  readonly subnetGroupName?: string;
  readonly subnetIds?: string[];
  readonly vpcId?: string;
  readonly createSecurityGroup?: boolean;
  readonly securityGroupName?: string;
  readonly securityGroupUseNamePrefix?: boolean;
  readonly securityGroupDescription?: string;
  readonly securityGroupRules?: Record<string, ElasticacheSecurityGroupRule>;
  /** Log type (slow-log, engine-log) -> delivery; `{}` turns log delivery off. */
  readonly logDeliveryConfiguration?: Record<string, ElasticacheLogDelivery>;
  readonly tags?: Record<string, string>;
  readonly securityGroupTags?: Record<string, string>;
}

export interface ElasticacheModuleProps
  extends ElasticacheModuleInputs, TerraformModuleUserConfig {}

/** Typed binding of terraform-aws-modules/elasticache/aws, pinned to one exact version. */
export class ElasticacheModule extends RegistryModule<ElasticacheModuleInputs> {
  static readonly SOURCE = 'terraform-aws-modules/elasticache/aws';
  static readonly VERSION = '1.10.3';
  static readonly SHAPE: ModuleInputShape = {
    maps: ['security_group_rules', 'log_delivery_configuration'],
    verbatim: ['tags', 'security_group_tags'],
  };

  constructor(scope: Construct, id: string, props: ElasticacheModuleProps) {
    super(
      scope,
      id,
      {
        source: ElasticacheModule.SOURCE,
        version: ElasticacheModule.VERSION,
        shape: ElasticacheModule.SHAPE,
      },
      props,
    );
  }

  get replicationGroupId(): string {
    return this.getString('replication_group_id');
  }
  get replicationGroupArn(): string {
    return this.getString('replication_group_arn');
  }
  get replicationGroupPrimaryEndpointAddress(): string {
    return this.getString('replication_group_primary_endpoint_address');
  }
  get replicationGroupPort(): number {
    return Token.asNumber(this.interpolationForOutput('replication_group_port'));
  }
  get securityGroupId(): string {
    return this.getString('security_group_id');
  }
}
