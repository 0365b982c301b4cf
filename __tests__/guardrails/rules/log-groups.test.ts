import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { ElasticacheModule } from '../../../.gen/modules/elasticache';
import { findingsOf, linesOf } from '../../helpers/guardrails';

const redis = { replicationGroupId: 'chat', vpcId: 'vpc-1', subnetIds: ['subnet-a', 'subnet-b'] };

describe('GR-LOG-RETENTION', () => {
  it('flags log groups that never expire (unset or 0), passes one with retention', () => {
    const findings = findingsOf((s) => {
      new CloudwatchLogGroup(s, 'unset', { name: 'a' });
      new CloudwatchLogGroup(s, 'zero', { name: 'b', retentionInDays: 0 });
      new CloudwatchLogGroup(s, 'kept', { name: 'c', retentionInDays: 14 });
    });
    expect(linesOf(findings, 'GR-LOG-RETENTION')).toEqual([
      'GR-LOG-RETENTION aws_cloudwatch_log_group.unset (test/unset): retention_in_days is null. Fix: set retention_in_days to a positive number of days (e.g. 30)',
      expect.stringContaining('aws_cloudwatch_log_group.zero (test/zero): retention_in_days is 0'),
    ]);
  });

  it("passes the elasticache module's log groups with its default retention (14 days)", () => {
    expect(
      findingsOf(
        (s) =>
          new ElasticacheModule(s, 'redis', {
            ...redis,
            logDeliveryConfiguration: {
              'slow-log': { destinationType: 'cloudwatch-logs', logFormat: 'json' },
              'engine-log': {
                destinationType: 'cloudwatch-logs',
                logFormat: 'json',
                cloudwatchLogGroupRetentionInDays: 7,
              },
            },
          }),
      ),
    ).toEqual([]);
  });

  it('flags an elasticache log delivery whose log group would never expire', () => {
    const findings = findingsOf(
      (s) =>
        new ElasticacheModule(s, 'redis', {
          ...redis,
          logDeliveryConfiguration: {
            'slow-log': {
              destinationType: 'cloudwatch-logs',
              logFormat: 'json',
              cloudwatchLogGroupRetentionInDays: 0,
            },
            firehose: { destinationType: 'kinesis-firehose', logFormat: 'json', destination: 'x' },
          },
        }),
    );
    expect(linesOf(findings, 'GR-LOG-RETENTION')).toEqual([
      expect.stringContaining(
        'module.redis (test/redis): log_delivery_configuration "slow-log" cloudwatch_log_group_retention_in_days is 0',
      ),
    ]);
  });
});
