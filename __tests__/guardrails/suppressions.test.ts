import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { Construct } from 'constructs';
import { S3BucketModule } from '../../.gen/modules/s3-bucket';
import { suppressGuardrail } from '../../src/guardrails';
import { findingsOf, linesOf, ruleIds } from '../helpers/guardrails';

describe('suppressGuardrail', () => {
  it('silences one rule on one element, leaving the same problem elsewhere reported', () => {
    const findings = findingsOf((s) => {
      const audit = new CloudwatchLogGroup(s, 'audit', { name: 'audit' });
      new CloudwatchLogGroup(s, 'other', { name: 'other' });
      suppressGuardrail(audit, 'GR-LOG-RETENTION', 'audit logs are kept forever by policy');
    });
    expect(linesOf(findings, 'GR-LOG-RETENTION')).toEqual([
      expect.stringContaining('aws_cloudwatch_log_group.other (test/other)'),
    ]);
  });

  it('works on a module block', () => {
    const findings = findingsOf((s) => {
      const bucket = new S3BucketModule(s, 'bucket', {
        bucket: 'b',
        serverSideEncryptionConfiguration: {
          rule: { applyServerSideEncryptionByDefault: { sseAlgorithm: 'AES256' } },
        },
      });
      suppressGuardrail(bucket, 'GR-S3-TLS-ONLY', 'legacy clients, tracked in JIRA-1');
    });
    expect(findings).toEqual([]);
  });

  it('requires a non-empty reason and a rule id', () => {
    findingsOf((s) => {
      const group = new CloudwatchLogGroup(s, 'g', { name: 'g' });
      expect(() => suppressGuardrail(group, 'GR-LOG-RETENTION', '  ')).toThrow(
        'suppressGuardrail(test/g, GR-LOG-RETENTION): a non-empty reason is required (why this exception is safe)',
      );
      expect(() => suppressGuardrail(group, '', 'why')).toThrow(/a rule id .* is required/);
      suppressGuardrail(group, 'GR-LOG-RETENTION', 'test');
    });
  });

  it('refuses a wrapping construct: the suppression must name the element', () => {
    findingsOf((s) => {
      const wrapper = new Construct(s, 'frontend');
      expect(() => suppressGuardrail(wrapper, 'GR-LOG-RETENTION', 'why')).toThrow(
        'suppressGuardrail(test/frontend, GR-LOG-RETENTION): suppress on the Terraform resource, data source or module',
      );
    });
  });

  it('reports a suppression of an unknown rule and one that suppresses nothing', () => {
    const findings = findingsOf((s) => {
      const group = new CloudwatchLogGroup(s, 'g', { name: 'g', retentionInDays: 7 });
      suppressGuardrail(group, 'GR-LOG-RETENTON', 'typo');
      suppressGuardrail(group, 'GR-LOG-RETENTION', 'no longer needed');
    });
    expect(ruleIds(findings)).toEqual(['GR-SUPPRESSION']);
    expect(linesOf(findings, 'GR-SUPPRESSION')).toEqual([
      expect.stringMatching(
        /^GR-SUPPRESSION aws_cloudwatch_log_group\.g \(test\/g\): suppression of unknown rule GR-LOG-RETENTON\. Fix: use one of GR-S3-PUBLIC-ACCESS, /,
      ),
      'GR-SUPPRESSION aws_cloudwatch_log_group.g (test/g): suppression of GR-LOG-RETENTION ("no longer needed") matches no finding. Fix: remove the suppressGuardrail call: the element complies (or the rule moved)',
    ]);
  });
});
