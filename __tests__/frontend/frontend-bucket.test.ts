import { TerraformOutput, TerraformStack, Testing } from 'cdktf';
import { FrontendBucket } from '../../src/frontend/frontend-bucket';
import { checkModuleBlock, loadModuleInterface } from '../helpers/module-interfaces';
import { synthScope } from '../helpers/synth';

const DISTRIBUTION_ARN = 'arn:aws:cloudfront::123456789012:distribution/EDFDVBD6EXAMPLE';

function synthBucket() {
  let bucket!: FrontendBucket;
  const json = synthScope((scope) => {
    bucket = new FrontendBucket(scope, 'frontend-bucket', {
      bucketName: 'librechat-frontend-dev',
      region: 'eu-west-1',
    });
    bucket.allowReadFrom({ distributionArn: DISTRIBUTION_ARN });
    new TerraformOutput(scope, 'bucket_id', { value: bucket.bucketId });
  });
  const [module] = Object.values<any>(json.module);
  const [policy] = Object.entries<any>(json.data.aws_iam_policy_document);
  return {
    bucket,
    json,
    bucketIdOutput: json.output.bucket_id.value,
    module,
    policyId: policy[0],
    policy: policy[1],
  };
}

describe('FrontendBucket', () => {
  const { bucket, bucketIdOutput, module, policyId, policy } = synthBucket();

  it('is a private, encrypted, unversioned bucket named after the environment', () => {
    expect(module).toMatchObject({
      source: 'terraform-aws-modules/s3-bucket/aws',
      version: '5.15.4',
      bucket: 'librechat-frontend-dev',
      force_destroy: true,
      versioning: { status: 'Disabled' },
      attach_public_policy: true,
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
      control_object_ownership: true,
      object_ownership: 'BucketOwnerEnforced',
      server_side_encryption_configuration: {
        rule: { apply_server_side_encryption_by_default: { sse_algorithm: 'AES256' } },
      },
    });
  });

  it('passes only declared module inputs', () => {
    expect(checkModuleBlock(module, loadModuleInterface(module.source, module.version))).toEqual(
      [],
    );
  });

  it('lets CloudFront read objects only on behalf of this distribution', () => {
    expect(policy.statement).toEqual([
      {
        sid: 'AllowCloudFrontOriginAccessControlRead',
        effect: 'Allow',
        actions: ['s3:GetObject'],
        resources: ['arn:aws:s3:::librechat-frontend-dev/*'],
        principals: [{ type: 'Service', identifiers: ['cloudfront.amazonaws.com'] }],
        condition: [
          { test: 'StringEquals', variable: 'AWS:SourceArn', values: [DISTRIBUTION_ARN] },
        ],
      },
    ]);
  });

  it('attaches that statement through the module, merged with its TLS-only denials', () => {
    // One bucket policy per bucket: a separate aws_s3_bucket_policy would overwrite the module's.
    expect(module.attach_policy).toBe(true);
    expect(module.policy).toBe(`\${data.aws_iam_policy_document.${policyId}.json}`);
    expect(module.attach_deny_insecure_transport_policy).toBe(true);
    expect(module.attach_require_latest_tls_policy).toBe(true);
  });

  it('derives the regional domain name from name and region, not from the module', () => {
    expect(bucket.regionalDomainName).toBe('librechat-frontend-dev.s3.eu-west-1.amazonaws.com');
    expect(FrontendBucket.regionalDomainName('b', 'us-east-2')).toBe(
      'b.s3.us-east-2.amazonaws.com',
    );
    expect(bucket.bucketArn).toBe('arn:aws:s3:::librechat-frontend-dev');
    expect(bucketIdOutput).toMatch(/module\.frontend-bucket_\w+\.s3_bucket_id/);
  });

  it('fails synth without a reader, and takes only one', () => {
    const stack = new TerraformStack(Testing.app(), 'no-reader');
    new FrontendBucket(stack, 'frontend-bucket', {
      bucketName: 'librechat-frontend-dev',
      region: 'eu-west-1',
    });
    expect(() => Testing.synth(stack, true)).toThrow(
      /no reader: call allowReadFrom\(distribution\)/,
    );
    expect(() => bucket.allowReadFrom({ distributionArn: DISTRIBUTION_ARN })).toThrow(
      /one reader: a second distribution/,
    );
  });
});
