import { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import type { TerraformProvider } from 'cdktf';
import { Construct } from 'constructs';
import { PRIVATE_BUCKET_BASELINE } from '../core/private-bucket';
import { ValidationError } from '../core/validation-error';
import { S3BucketModule } from '../../.gen/modules';

export interface FrontendBucketProps {
  /** Bucket name, e.g. `librechat-frontend-dev`. */
  readonly bucketName: string;
  /** Region of the bucket (the provider's region); part of its regional domain name. */
  readonly region: string;
  /** Provider of the bucket's region. */
  readonly provider?: TerraformProvider;
  readonly tags?: Record<string, string>;
}

/**
 * Private S3 bucket holding the built web client, readable only by the CloudFront distribution
 * given to `allowReadFrom` (origin access control), over TLS only. Objects are replaced on each
 * deploy, so there is no versioning, and `force_destroy` lets the environment be torn down with
 * its content.
 */
export class FrontendBucket extends Construct {
  /**
   * `<bucket>.s3.<region>.amazonaws.com`, built from the name rather than read from the bucket
   * module: the distribution can then point at the bucket while only the bucket policy refers to
   * the distribution (one direction, no dependency cycle).
   */
  static regionalDomainName(bucketName: string, region: string): string {
    return `${bucketName}.s3.${region}.amazonaws.com`;
  }

  readonly bucketName: string;
  readonly bucketArn: string;
  readonly region: string;
  /** Name-derived (see the static method): safe to give the distribution that reads it. */
  readonly regionalDomainName: string;
  /** The bucket id from the module: use it where a resource must wait for the bucket. */
  readonly bucketId: string;
  readonly module: S3BucketModule;
  private readonly readers: DataAwsIamPolicyDocument;
  private reader?: string;

  constructor(scope: Construct, id: string, props: FrontendBucketProps) {
    super(scope, id);
    this.bucketName = props.bucketName;
    this.bucketArn = `arn:aws:s3:::${props.bucketName}`;
    this.region = props.region;
    this.regionalDomainName = FrontendBucket.regionalDomainName(props.bucketName, props.region);

    // Its statement is added by allowReadFrom; a bucket nobody may read fails synth.
    this.readers = new DataAwsIamPolicyDocument(this, 'cloudfront-read', {
      provider: props.provider,
    });
    this.node.addValidation({
      validate: () =>
        this.reader ? [] : ['no reader: call allowReadFrom(distribution) on the frontend bucket'],
    });

    this.module = new S3BucketModule(this, 'bucket', {
      providers: props.provider ? [props.provider] : undefined,
      bucket: props.bucketName,
      forceDestroy: true,
      // A new bucket that is never versioned (Suspended would be a state of its own).
      versioning: { status: 'Disabled' },
      // attach_public_policy = true is what makes the module create the public access block.
      attachPublicPolicy: true,
      ...PRIVATE_BUCKET_BASELINE,
      // One bucket policy per bucket: the module merges our statement with the baseline's TLS denials.
      attachPolicy: true,
      policy: this.readers.json,
      tags: props.tags,
    });
    this.bucketId = this.module.s3BucketId;
  }

  /** Lets one CloudFront distribution read the objects, through its origin access control. */
  allowReadFrom(distribution: { readonly distributionArn: string }): void {
    if (this.reader) {
      throw new ValidationError(this, 'the frontend bucket has one reader: a second distribution');
    }
    this.reader = distribution.distributionArn;
    this.readers.putStatement([
      {
        sid: 'AllowCloudFrontOriginAccessControlRead',
        effect: 'Allow',
        actions: ['s3:GetObject'],
        resources: [`${this.bucketArn}/*`],
        principals: [{ type: 'Service', identifiers: ['cloudfront.amazonaws.com'] }],
        condition: [{ test: 'StringEquals', variable: 'AWS:SourceArn', values: [this.reader] }],
      },
    ]);
  }
}
