import { ElasticacheCluster } from '@cdktf/provider-aws/lib/elasticache-cluster';
import { ElasticacheReplicationGroup } from '@cdktf/provider-aws/lib/elasticache-replication-group';
import { ElasticacheModule } from '../../../.gen/modules/elasticache';
import { findingsOf, linesOf, ruleIds } from '../../helpers/guardrails';

const redis = { replicationGroupId: 'chat', vpcId: 'vpc-1', subnetIds: ['subnet-a', 'subnet-b'] };

describe('GR-REDIS-AT-REST-ENCRYPTION', () => {
  it('passes the elasticache module with its default (encrypted at rest)', () => {
    expect(findingsOf((s) => new ElasticacheModule(s, 'redis', redis))).toEqual([]);
  });

  it('flags the module with at-rest encryption turned off', () => {
    const findings = findingsOf(
      (s) => new ElasticacheModule(s, 'redis', { ...redis, atRestEncryptionEnabled: false }),
    );
    expect(linesOf(findings, 'GR-REDIS-AT-REST-ENCRYPTION')).toEqual([
      'GR-REDIS-AT-REST-ENCRYPTION module.redis (test/redis): at_rest_encryption_enabled is not true. Fix: set at_rest_encryption_enabled = true (the elasticache module default) on a replication group',
    ]);
  });

  it('flags a raw replication group unless at_rest_encryption_enabled is set (the provider default is false)', () => {
    const group = (atRest?: boolean) =>
      findingsOf(
        (s) =>
          new ElasticacheReplicationGroup(s, 'rg', {
            replicationGroupId: 'chat',
            description: 'chat',
            nodeType: 'cache.t4g.micro',
            atRestEncryptionEnabled: atRest === undefined ? undefined : String(atRest),
          }),
      );
    expect(ruleIds(group())).toEqual(['GR-REDIS-AT-REST-ENCRYPTION']);
    expect(ruleIds(group(false))).toEqual(['GR-REDIS-AT-REST-ENCRYPTION']);
    expect(group(true)).toEqual([]);
  });

  it('flags a standalone Redis cluster, which cannot be encrypted at rest', () => {
    const findings = findingsOf(
      (s) =>
        new ElasticacheCluster(s, 'single', {
          clusterId: 'chat',
          engine: 'redis',
          nodeType: 'cache.t4g.micro',
          numCacheNodes: 1,
        }),
    );
    expect(linesOf(findings, 'GR-REDIS-AT-REST-ENCRYPTION')[0]).toContain(
      'Fix: use aws_elasticache_replication_group (or the elasticache module)',
    );
  });
});
