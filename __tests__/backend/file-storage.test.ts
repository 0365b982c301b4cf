import { S3BucketModule } from '../../.gen/modules';
import { FileStorage } from '../../src/backend/file-storage';
import { LibreChatFunction } from '../../src/backend/librechat-function';
import { MINIMAL_FUNCTION_PROPS } from '../helpers/function-props';
import { checkModuleBlock, loadModuleInterface } from '../helpers/module-interfaces';
import { modulesFrom, onlyResource, synthScope } from '../helpers/synth';

describe('FileStorage', () => {
  const json = synthScope(
    (s) =>
      new FileStorage(s, 'files', {
        bucketName: 'librechat-lambda-files-dev',
        domainName: 'lambda-test.sandbox.data.apro.is',
      }),
  );
  const [bucket] = modulesFrom(json, S3BucketModule.SOURCE);

  it('uses the s3-bucket module at its pinned version with declared inputs only', () => {
    expect(modulesFrom(json, S3BucketModule.SOURCE)).toHaveLength(1);
    expect(bucket.version).toBe('5.15.4');
    expect(checkModuleBlock(bucket, loadModuleInterface(bucket.source, bucket.version))).toEqual(
      [],
    );
  });

  it('is named per environment and deleted with its objects on destroy', () => {
    expect(bucket.bucket).toBe('librechat-lambda-files-dev');
    expect(bucket.force_destroy).toBe(true);
  });

  it('blocks public access, encrypts, and refuses plain HTTP and old TLS', () => {
    expect(bucket).toMatchObject({
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
      attach_deny_insecure_transport_policy: true,
      attach_require_latest_tls_policy: true,
      object_ownership: 'BucketOwnerEnforced',
    });
    expect(
      bucket.server_side_encryption_configuration.rule.apply_server_side_encryption_by_default,
    ).toEqual({ sse_algorithm: 'AES256' });
  });

  it('lets only the site origin GET/PUT/POST, exposing ETag, preflight cached an hour', () => {
    expect(bucket.cors_rule).toEqual([
      {
        allowed_headers: ['*'],
        allowed_methods: ['GET', 'PUT', 'POST'],
        allowed_origins: ['https://lambda-test.sandbox.data.apro.is'],
        expose_headers: ['ETag'],
        max_age_seconds: 3600,
      },
    ]);
  });

  it('keeps no versions unless asked', () => {
    expect(bucket.versioning).toBeUndefined();
    expect(bucket.lifecycle_rule).toBeUndefined();
  });

  describe('with versioning and forceDestroy false', () => {
    const versioned = synthScope(
      (s) =>
        new FileStorage(s, 'files', {
          bucketName: 'librechat-lambda-files-dev',
          domainName: 'lambda-test.sandbox.data.apro.is',
          forceDestroy: false,
          noncurrentVersionExpirationDays: 30,
        }),
    );
    const [vbucket] = modulesFrom(versioned, S3BucketModule.SOURCE);

    it('versions every upload and expires old versions after the given days', () => {
      expect(vbucket.versioning).toEqual({ enabled: 'true' });
      expect(vbucket.lifecycle_rule).toEqual([
        {
          id: 'expire-old-versions',
          enabled: true,
          filter: { prefix: '' },
          noncurrent_version_expiration: { days: 30 },
          expiration: { expired_object_delete_marker: true },
          abort_incomplete_multipart_upload_days: 7,
        },
      ]);
      expect(
        checkModuleBlock(vbucket, loadModuleInterface(vbucket.source, vbucket.version)),
      ).toEqual([]);
    });

    it('keeps the bucket on destroy', () => {
      expect(vbucket.force_destroy).toBe(false);
    });
  });

  it('grants a function the uploads and tells LibreChat the bucket (grantReadWrite)', () => {
    const granted = synthScope((s) => {
      const files = new FileStorage(s, 'files', {
        bucketName: 'librechat-lambda-files-dev',
        domainName: 'lambda-test.sandbox.data.apro.is',
      });
      files.grantReadWrite(new LibreChatFunction(s, 'api', MINIMAL_FUNCTION_PROPS));
    });
    const [moduleId] = Object.keys(granted.module);
    const fn = onlyResource(granted, 'aws_lambda_function');
    expect(fn.environment.variables.AWS_BUCKET_NAME).toBe(`\${module.${moduleId}.s3_bucket_id}`);
    const bucketArn = `\${module.${moduleId}.s3_bucket_arn}`;
    const statements = Object.values<any>(granted.data.aws_iam_policy_document).flatMap(
      (d) => d.statement ?? [],
    );
    expect(statements).toEqual(
      expect.arrayContaining([
        {
          sid: 'UserFiles',
          effect: 'Allow',
          actions: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'],
          resources: [`${bucketArn}/*`],
        },
        {
          sid: 'ListUserFiles',
          effect: 'Allow',
          actions: ['s3:ListBucket'],
          resources: [bucketArn],
        },
      ]),
    );
  });
});
