import type { S3BucketModuleInputs } from '../../.gen/modules';

/**
 * The baseline every bucket of the deployment shares (s3-bucket module inputs): no public access
 * of any kind, objects owned by the bucket owner (ACLs off), SSE-S3 encryption, and a bucket
 * policy that denies plain HTTP and TLS below 1.2.
 */
export const PRIVATE_BUCKET_BASELINE = {
  blockPublicAcls: true,
  blockPublicPolicy: true,
  ignorePublicAcls: true,
  restrictPublicBuckets: true,
  controlObjectOwnership: true,
  objectOwnership: 'BucketOwnerEnforced',
  serverSideEncryptionConfiguration: {
    rule: { applyServerSideEncryptionByDefault: { sseAlgorithm: 'AES256' } },
  },
  attachDenyInsecureTransportPolicy: true,
  attachRequireLatestTlsPolicy: true,
} as const satisfies Partial<S3BucketModuleInputs>;
