import type { TerraformModuleUserConfig } from 'cdktf';
import type { Construct } from 'constructs';
import type { ModuleInputShape } from './module-inputs';
import { RegistryModule } from './registry-module';

export interface S3BucketCorsRule {
  readonly allowedHeaders?: string[];
  readonly allowedMethods: string[];
  readonly allowedOrigins: string[];
  readonly exposeHeaders?: string[];
  readonly maxAgeSeconds?: number;
}

export interface S3BucketEncryption {
  readonly rule: {
    readonly applyServerSideEncryptionByDefault: {
      readonly sseAlgorithm: 'AES256' | 'aws:kms' | 'aws:kms:dsse';
      readonly kmsMasterKeyId?: string;
    };
    readonly bucketKeyEnabled?: boolean;
  };
}

/** One `lifecycle_rule` entry (the module reads these keys; `filter.prefix = ''` is every object). */
export interface S3BucketLifecycleRule {
  readonly id: string;
  readonly enabled: boolean;
  readonly filter?: { readonly prefix?: string };
  readonly abortIncompleteMultipartUploadDays?: number;
  readonly noncurrentVersionExpiration?: {
    readonly days?: number;
    readonly newerNoncurrentVersions?: number;
  };
  readonly expiration?: { readonly days?: number; readonly expiredObjectDeleteMarker?: boolean };
}

/** Inputs of terraform-aws-modules/s3-bucket/aws that this project uses. */
export interface S3BucketModuleInputs {
  readonly bucket: string;
  readonly forceDestroy?: boolean;
  /** map(string) in the module, e.g. `{ enabled: 'false' }`. */
  readonly versioning?: Record<string, string>;
  readonly blockPublicAcls?: boolean;
  readonly blockPublicPolicy?: boolean;
  readonly ignorePublicAcls?: boolean;
  readonly restrictPublicBuckets?: boolean;
  readonly controlObjectOwnership?: boolean;
  readonly objectOwnership?: 'BucketOwnerEnforced' | 'BucketOwnerPreferred' | 'ObjectWriter';
  readonly serverSideEncryptionConfiguration?: S3BucketEncryption;
  readonly attachPolicy?: boolean;
  /** A bucket policy JSON document, merged with the module's own statements. */
  readonly policy?: string;
  readonly attachPublicPolicy?: boolean;
  readonly attachDenyInsecureTransportPolicy?: boolean;
  readonly attachRequireLatestTlsPolicy?: boolean;
  readonly corsRule?: S3BucketCorsRule[];
  readonly lifecycleRule?: S3BucketLifecycleRule[];
  readonly tags?: Record<string, string>;
}

export interface S3BucketModuleProps extends S3BucketModuleInputs, TerraformModuleUserConfig {}

/** Typed binding of terraform-aws-modules/s3-bucket/aws, pinned to one exact version. */
export class S3BucketModule extends RegistryModule<S3BucketModuleInputs> {
  static readonly SOURCE = 'terraform-aws-modules/s3-bucket/aws';
  static readonly VERSION = '5.15.4';
  static readonly SHAPE: ModuleInputShape = { verbatim: ['tags', 'versioning'] };

  constructor(scope: Construct, id: string, props: S3BucketModuleProps) {
    super(
      scope,
      id,
      {
        source: S3BucketModule.SOURCE,
        version: S3BucketModule.VERSION,
        shape: S3BucketModule.SHAPE,
      },
      props,
    );
  }

  get s3BucketId(): string {
    return this.getString('s3_bucket_id');
  }
  get s3BucketArn(): string {
    return this.getString('s3_bucket_arn');
  }
  get s3BucketBucketRegionalDomainName(): string {
    return this.getString('s3_bucket_bucket_regional_domain_name');
  }
}
