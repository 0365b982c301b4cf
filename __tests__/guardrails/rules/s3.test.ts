import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import type { Construct } from 'constructs';
import { S3BucketModule, type S3BucketModuleProps } from '../../../.gen/modules/s3-bucket';
import { findingsOf, linesOf, ruleIds } from '../../helpers/guardrails';

const ENCRYPTED = {
  rule: { applyServerSideEncryptionByDefault: { sseAlgorithm: 'AES256' as const } },
};

function compliantBucket(scope: Construct, change: Partial<S3BucketModuleProps> = {}) {
  return new S3BucketModule(scope, 'bucket', {
    bucket: 'files',
    serverSideEncryptionConfiguration: ENCRYPTED,
    attachDenyInsecureTransportPolicy: true,
    ...change,
  });
}

const denyInsecureTransport = (bucket: string) =>
  JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'DenyInsecureTransport',
        Effect: 'Deny',
        Principal: '*',
        Action: 's3:*',
        Resource: [`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${bucket}/*`],
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      },
    ],
  });

describe('S3 bucket module rules', () => {
  it('pass a module bucket with defaults for public access, SSE and the TLS deny policy', () => {
    expect(findingsOf((s) => compliantBucket(s))).toEqual([]);
  });

  it('GR-S3-PUBLIC-ACCESS: flags each public access setting turned off', () => {
    const findings = findingsOf((s) =>
      compliantBucket(s, { blockPublicPolicy: false, attachPublicPolicy: false }),
    );
    expect(ruleIds(findings)).toEqual(['GR-S3-PUBLIC-ACCESS']);
    expect(linesOf(findings, 'GR-S3-PUBLIC-ACCESS')).toEqual([
      expect.stringMatching(
        /^GR-S3-PUBLIC-ACCESS module\.bucket \(test\/bucket\): block_public_policy, attach_public_policy not true\. Fix: keep block_public_acls/,
      ),
    ]);
  });

  it('GR-S3-PUBLIC-ACCESS: assumes no defaults for a module version it has not recorded', () => {
    const findings = findingsOf((s) => compliantBucket(s).addOverride('version', '5.0.0'));
    expect(linesOf(findings, 'GR-S3-PUBLIC-ACCESS')[0]).toContain(
      'block_public_acls, block_public_policy, ignore_public_acls, restrict_public_buckets, attach_public_policy not true',
    );
  });

  it('GR-S3-ENCRYPTION: flags a module bucket without server_side_encryption_configuration', () => {
    const findings = findingsOf((s) =>
      compliantBucket(s, { serverSideEncryptionConfiguration: undefined }),
    );
    expect(ruleIds(findings)).toEqual(['GR-S3-ENCRYPTION']);
    expect(linesOf(findings, 'GR-S3-ENCRYPTION')[0]).toContain(
      'server_side_encryption_configuration sets no sse_algorithm. Fix: set server_side_encryption_configuration',
    );
  });

  it('GR-S3-TLS-ONLY: flags a module bucket without the deny-insecure-transport policy', () => {
    const findings = findingsOf((s) =>
      compliantBucket(s, { attachDenyInsecureTransportPolicy: false }),
    );
    expect(ruleIds(findings)).toEqual(['GR-S3-TLS-ONLY']);
    expect(linesOf(findings, 'GR-S3-TLS-ONLY')[0]).toContain(
      'attach_deny_insecure_transport_policy is not true. Fix: set attach_deny_insecure_transport_policy = true',
    );
  });

  it('GR-S3-TLS-ONLY: accepts an attached policy that denies aws:SecureTransport = false', () => {
    const findings = findingsOf((s) =>
      compliantBucket(s, {
        attachDenyInsecureTransportPolicy: false,
        attachPolicy: true,
        policy: denyInsecureTransport('files'),
      }),
    );
    expect(findings).toEqual([]);
  });

  it('skips a module block that creates no bucket', () => {
    expect(
      findingsOf((s) =>
        compliantBucket(s, { attachDenyInsecureTransportPolicy: false }).addOverride(
          'create_bucket',
          false,
        ),
      ),
    ).toEqual([]);
  });
});

describe('S3 rules on raw aws_s3_bucket resources', () => {
  it('flag a bare bucket on all three rules, advising the module', () => {
    const findings = findingsOf((s) => new S3Bucket(s, 'raw', { bucket: 'raw-bucket' }));
    expect(ruleIds(findings)).toEqual([
      'GR-S3-ENCRYPTION',
      'GR-S3-PUBLIC-ACCESS',
      'GR-S3-TLS-ONLY',
    ]);
    expect(findings.every((f) => f.address === 'aws_s3_bucket.raw')).toBe(true);
    expect(findings.every((f) => f.fix.includes('S3BucketModule'))).toBe(true);
  });

  it('pass a bucket whose companion resources block public access, encrypt and deny plain HTTP', () => {
    const findings = findingsOf((s) => {
      const bucket = new S3Bucket(s, 'raw', { bucket: 'raw-bucket' });
      new S3BucketPublicAccessBlock(s, 'pab', {
        bucket: bucket.id,
        blockPublicAcls: true,
        blockPublicPolicy: true,
        ignorePublicAcls: true,
        restrictPublicBuckets: true,
      });
      new S3BucketServerSideEncryptionConfigurationA(s, 'sse', {
        bucket: bucket.bucket,
        rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'aws:kms' } }],
      });
      // By literal name works too.
      new S3BucketPolicy(s, 'policy', {
        bucket: 'raw-bucket',
        policy: denyInsecureTransport('raw-bucket'),
      });
    });
    expect(findings).toEqual([]);
  });

  it('flag a public access block that leaves a setting off, on the block itself', () => {
    const findings = findingsOf((s) => {
      const bucket = new S3Bucket(s, 'raw', { bucket: 'raw-bucket' });
      new S3BucketPublicAccessBlock(s, 'pab', { bucket: bucket.id, blockPublicAcls: true });
    });
    expect(linesOf(findings, 'GR-S3-PUBLIC-ACCESS')).toEqual([
      expect.stringContaining(
        'aws_s3_bucket_public_access_block.pab (test/pab): block_public_policy, ignore_public_acls, restrict_public_buckets not true for bucket aws_s3_bucket.raw',
      ),
    ]);
  });
});
