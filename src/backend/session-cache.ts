import { Construct } from 'constructs';
import { ElasticacheModule, type ElasticacheSecurityGroupRule } from '../../.gen/modules';

/** Defaults of the cache (the config schema's defaults too). */
export const SESSION_CACHE_DEFAULTS = {
  nodeType: 'cache.t4g.micro',
  engineVersion: '7.1',
} as const;

export interface SessionCacheProps {
  /** Replication group id, unique per environment (e.g. `librechat-lambda-redis-dev`). */
  readonly replicationGroupId: string;
  readonly vpcId: string;
  /** Private subnets of the cache's subnet group. */
  readonly subnetIds: string[];
  /** @default SESSION_CACHE_DEFAULTS.nodeType */
  readonly nodeType?: string;
  /** Redis `major.minor`. @default SESSION_CACHE_DEFAULTS.engineVersion */
  readonly engineVersion?: string;
  /** TLS between clients and Redis (clients then use `rediss://`). @default false */
  readonly transitEncryption?: boolean;
  /** Retention of the slow-log log group; `undefined` turns slow-log delivery off. */
  readonly slowLogRetentionDays?: number;
}

/** The Redis port (ElastiCache's default; the module is not asked for another one). */
export const REDIS_PORT = 6379;

/** `redis7` for 7.1, `redis6.x` for 6.2: the parameter group family of an engine version. */
export function redisParameterGroupFamily(engineVersion: string): string {
  const major = Number(engineVersion.split('.')[0]);
  if (major >= 7) return `redis${major}`;
  if (major === 6) return 'redis6.x';
  throw new Error(`unsupported Redis engine version ${engineVersion} (expected 6.x or 7.x)`);
}

/** A security group that may be given access to the cache (egress added on its side). */
export interface SessionCacheClient {
  readonly securityGroupId: string;
  allowTcpTo(id: string, description: string, securityGroupId: string, port: number): void;
}

/**
 * LibreChat's Redis (sessions, rate limits, caches): one node, cluster mode off, encrypted at
 * rest, in the private subnets, reachable on 6379 only from the groups given `allowFrom`.
 */
export class SessionCache extends Construct {
  readonly cache: ElasticacheModule;
  readonly replicationGroupId: string;
  readonly replicationGroupArn: string;
  readonly primaryEndpointAddress: string;
  readonly port: number = REDIS_PORT;
  readonly securityGroupId: string;
  readonly transitEncryption: boolean;
  /** `redis://host:6379`, or `rediss://` with transit encryption. */
  readonly redisUri: string;
  /**
   * The id of the group's one member cluster: ElastiCache names members <group id>-001, -002, ...
   * and publishes its Redis metrics per member.
   */
  readonly cacheClusterId: string;
  // Read by the module at synth, so allowFrom can add to it after construction.
  private readonly ingressRules: Record<string, ElasticacheSecurityGroupRule> = {};

  constructor(scope: Construct, id: string, props: SessionCacheProps) {
    super(scope, id);
    const engineVersion = props.engineVersion ?? SESSION_CACHE_DEFAULTS.engineVersion;
    this.transitEncryption = props.transitEncryption ?? false;
    this.cache = new ElasticacheModule(this, 'redis', {
      replicationGroupId: props.replicationGroupId,
      description: 'LibreChat sessions, rate limits and caches',
      clusterModeEnabled: false,
      numCacheClusters: 1,
      engine: 'redis',
      engineVersion,
      nodeType: props.nodeType ?? SESSION_CACHE_DEFAULTS.nodeType,
      port: REDIS_PORT,
      applyImmediately: true,
      atRestEncryptionEnabled: true,
      transitEncryptionEnabled: this.transitEncryption,
      multiAzEnabled: false,
      automaticFailoverEnabled: false,
      // The module names the group <id>-<family>-<random>: it is replaced create-before-destroy
      // on a version upgrade, which a fixed name would make collide.
      createParameterGroup: true,
      parameterGroupFamily: redisParameterGroupFamily(engineVersion),
      parameterGroupDescription: `LibreChat Redis ${engineVersion}`,
      createSubnetGroup: true,
      subnetGroupName: props.replicationGroupId,
      subnetIds: props.subnetIds,
      vpcId: props.vpcId,
      createSecurityGroup: true,
      // A prefix for the same reason: the module replaces its group create-before-destroy.
      securityGroupName: props.replicationGroupId,
      securityGroupUseNamePrefix: true,
      securityGroupDescription: 'LibreChat Redis: 6379 from the Lambda only',
      securityGroupRules: this.ingressRules,
      logDeliveryConfiguration:
        props.slowLogRetentionDays === undefined
          ? {}
          : {
              'slow-log': {
                destinationType: 'cloudwatch-logs',
                logFormat: 'json',
                cloudwatchLogGroupRetentionInDays: props.slowLogRetentionDays,
              },
            },
    });
    this.replicationGroupId = this.cache.replicationGroupId;
    this.replicationGroupArn = this.cache.replicationGroupArn;
    this.primaryEndpointAddress = this.cache.replicationGroupPrimaryEndpointAddress;
    this.securityGroupId = this.cache.securityGroupId;
    const scheme = this.transitEncryption ? 'rediss' : 'redis';
    this.redisUri = `${scheme}://${this.primaryEndpointAddress}:${REDIS_PORT}`;
    this.cacheClusterId = `${this.replicationGroupId}-001`;
  }

  /**
   * Lets `client` reach Redis: ingress on the cache's group from the client's group, and egress
   * on the client's group to the cache's.
   */
  allowFrom(client: SessionCacheClient, id = 'lambda', description = 'the LibreChat Lambda'): void {
    this.ingressRules[`ingress_${id}`] = {
      type: 'ingress',
      fromPort: REDIS_PORT,
      toPort: REDIS_PORT,
      ipProtocol: 'tcp',
      referencedSecurityGroupId: client.securityGroupId,
      description: `Redis from ${description}`,
    };
    client.allowTcpTo('redis', 'ElastiCache Redis', this.securityGroupId, REDIS_PORT);
  }
}
