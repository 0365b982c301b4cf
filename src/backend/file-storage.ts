import { Construct } from 'constructs';
import { PRIVATE_BUCKET_BASELINE } from '../core/private-bucket';
import { S3BucketModule } from '../../.gen/modules';
import { ENV } from '../../handler/src/contract';
import type { LibreChatFunction } from './librechat-function';

export interface FileStorageProps {
  /** Bucket name, unique per environment (e.g. `librechat-lambda-files-dev`). */
  readonly bucketName: string;
  /** The site's domain: the browser uploads and downloads from `https://<domain>`. */
  readonly domainName: string;
  /**
   * Delete the bucket with its objects on destroy (the design's destroy criterion). false keeps
   * the bucket, and every upload, when `destroy` finds it not empty. @default true
   */
  readonly forceDestroy?: boolean;
  /**
   * Keep overwritten and deleted uploads as old versions for this many days (undefined: no
   * versioning). Protects against a bug or a compromised function deleting users' files.
   */
  readonly noncurrentVersionExpirationDays?: number;
  /** How long browsers may cache the CORS preflight, in seconds. @default 3600 */
  readonly corsMaxAgeSeconds?: number;
}

/**
 * The bucket of user uploads (LibreChat `fileStrategy: s3`): private, encrypted, TLS 1.2+ only,
 * with CORS for the site's own origin.
 */
export class FileStorage extends Construct {
  readonly bucket: S3BucketModule;
  readonly bucketName: string;
  readonly bucketArn: string;

  constructor(scope: Construct, id: string, props: FileStorageProps) {
    super(scope, id);
    this.bucket = new S3BucketModule(this, 'bucket', {
      bucket: props.bucketName,
      forceDestroy: props.forceDestroy ?? true,
      ...PRIVATE_BUCKET_BASELINE,
      ...(props.noncurrentVersionExpirationDays !== undefined
        ? {
            versioning: { enabled: 'true' },
            lifecycleRule: [
              {
                id: 'expire-old-versions',
                enabled: true,
                filter: { prefix: '' },
                noncurrentVersionExpiration: { days: props.noncurrentVersionExpirationDays },
                expiration: { expiredObjectDeleteMarker: true },
                abortIncompleteMultipartUploadDays: 7,
              },
            ],
          }
        : {}),
      corsRule: [
        {
          allowedHeaders: ['*'],
          allowedMethods: ['GET', 'PUT', 'POST'],
          allowedOrigins: [`https://${props.domainName}`],
          exposeHeaders: ['ETag'],
          maxAgeSeconds: props.corsMaxAgeSeconds ?? 3600,
        },
      ],
    });
    this.bucketName = this.bucket.s3BucketId;
    this.bucketArn = this.bucket.s3BucketArn;
  }

  /**
   * Lets the function read, write and delete uploads and list the bucket, and tells LibreChat
   * which bucket it is (its S3 file strategy reads the name from the environment).
   */
  grantReadWrite(fn: LibreChatFunction): void {
    fn.addToRolePolicy({
      sid: 'UserFiles',
      effect: 'Allow',
      actions: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'],
      resources: [`${this.bucketArn}/*`],
    })
      .addToRolePolicy({
        sid: 'ListUserFiles',
        effect: 'Allow',
        actions: ['s3:ListBucket'],
        resources: [this.bucketArn],
      })
      .addEnvironment(ENV.AWS_BUCKET_NAME, this.bucketName);
  }
}
