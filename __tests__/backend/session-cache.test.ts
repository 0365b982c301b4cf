import { TerraformOutput } from 'cdktf';
import { ElasticacheModule } from '../../.gen/modules';
import {
  redisParameterGroupFamily,
  SessionCache,
  type SessionCacheProps,
} from '../../src/backend/session-cache';
import { checkModuleBlock, loadModuleInterface } from '../helpers/module-interfaces';
import { modulesFrom, synthScope } from '../helpers/synth';

const props: SessionCacheProps = {
  replicationGroupId: 'librechat-lambda-redis-dev',
  vpcId: 'vpc-05e4efdfad1c2252a',
  subnetIds: ['subnet-0b336ffd64e2358e8', 'subnet-005e834e314ffdd6c'],
  slowLogRetentionDays: 14,
};

// A client group that records the egress the cache asks it for.
const client = {
  securityGroupId: 'sg-0123456789abcdef0',
  egress: [] as unknown[][],
  allowTcpTo(...args: unknown[]) {
    this.egress.push(args);
  },
};

function synth(change: Partial<SessionCacheProps> = {}, clients = [client]) {
  let cache: SessionCache | undefined;
  const json = synthScope((s) => {
    cache = new SessionCache(s, 'cache', { ...props, ...change });
    for (const c of clients) cache.allowFrom(c);
    new TerraformOutput(s, 'uri', { value: cache.redisUri });
  });
  const [block] = modulesFrom(json, ElasticacheModule.SOURCE);
  return { json, block, cache: cache! };
}

describe('SessionCache', () => {
  const { json, block, cache } = synth();

  it('uses the elasticache module at exactly 1.10.3 with declared inputs only', () => {
    expect(block.version).toBe('1.10.3');
    expect(checkModuleBlock(block, loadModuleInterface(block.source, block.version))).toEqual([]);
  });

  it('is one cache.t4g.micro Redis 7.1 node, cluster mode off, in the private subnets', () => {
    expect(block).toMatchObject({
      replication_group_id: 'librechat-lambda-redis-dev',
      cluster_mode_enabled: false,
      num_cache_clusters: 1,
      engine: 'redis',
      engine_version: '7.1',
      node_type: 'cache.t4g.micro',
      vpc_id: 'vpc-05e4efdfad1c2252a',
      subnet_ids: ['subnet-0b336ffd64e2358e8', 'subnet-005e834e314ffdd6c'],
      apply_immediately: true,
      port: 6379,
    });
  });

  it('encrypts at rest, and in transit only when asked (the spec default is off)', () => {
    expect(block.at_rest_encryption_enabled).toBe(true);
    expect(block.transit_encryption_enabled).toBe(false);
    expect(synth({ transitEncryption: true }).block.transit_encryption_enabled).toBe(true);
  });

  it('creates a parameter group whose family matches the engine version', () => {
    expect(block.create_parameter_group).toBe(true);
    expect(block.parameter_group_family).toBe('redis7');
    // Replaced create-before-destroy on an upgrade: the module's generated name cannot collide.
    expect(block.parameter_group_name).toBeUndefined();
    expect(synth({ engineVersion: '6.2' }).block.parameter_group_family).toBe('redis6.x');
    expect(redisParameterGroupFamily('7.0')).toBe('redis7');
    expect(() => redisParameterGroupFamily('5.0')).toThrow('unsupported Redis engine version 5.0');
  });

  it('admits 6379 only from the groups given allowFrom, by reference, with egress on their side', () => {
    expect(block.create_security_group).toBe(true);
    expect(block.security_group_name).toBe('librechat-lambda-redis-dev');
    expect(block.security_group_use_name_prefix).toBe(true);
    expect(block.security_group_rules).toEqual({
      ingress_lambda: {
        type: 'ingress',
        from_port: 6379,
        to_port: 6379,
        ip_protocol: 'tcp',
        referenced_security_group_id: 'sg-0123456789abcdef0',
        description: 'Redis from the LibreChat Lambda',
      },
    });
    expect(JSON.stringify(block)).not.toContain('source_security_group_id');
    expect(JSON.stringify(block)).not.toContain('cidr_ipv4');
    expect(client.egress[0]).toEqual(['redis', 'ElastiCache Redis', cache.securityGroupId, 6379]);
    expect(synth({}, []).block.security_group_rules).toEqual({});
  });

  it('delivers the slow log to a log group with retention, or turns delivery off', () => {
    expect(block.log_delivery_configuration).toEqual({
      'slow-log': {
        destination_type: 'cloudwatch-logs',
        log_format: 'json',
        cloudwatch_log_group_retention_in_days: 14,
      },
    });
    // The module delivers the slow log by default: off must be an explicit empty map.
    expect(synth({ slowLogRetentionDays: undefined }).block.log_delivery_configuration).toEqual({});
  });

  it('gives a redis:// URI, rediss:// with transit encryption', () => {
    const moduleId = Object.keys(json.module)[0];
    expect(json.output.uri.value).toBe(
      `redis://\${module.${moduleId}.replication_group_primary_endpoint_address}:6379`,
    );
    expect(synth({ transitEncryption: true }).json.output.uri.value).toMatch(/^rediss:\/\//);
  });
});
