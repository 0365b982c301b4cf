import { Testing, TerraformStack } from 'cdktf';
import {
  CloudfrontModule,
  ElasticacheModule,
  S3BucketModule,
  toSnakeCase,
  type CloudfrontModuleInputs,
  type ElasticacheModuleInputs,
  type S3BucketModuleInputs,
} from '../../.gen/modules';
import { checkModuleBlock, loadModuleInterface } from '../helpers/module-interfaces';

// Every input each binding can emit, with every nested attribute filled: `Required<>` makes the
// compiler insist that a new binding input is added here (and so checked) too.
const s3Inputs: Required<S3BucketModuleInputs> = {
  bucket: 'librechat-frontend-dev',
  forceDestroy: true,
  versioning: { enabled: 'false' },
  blockPublicAcls: true,
  blockPublicPolicy: true,
  ignorePublicAcls: true,
  restrictPublicBuckets: true,
  controlObjectOwnership: true,
  objectOwnership: 'BucketOwnerEnforced',
  serverSideEncryptionConfiguration: {
    rule: {
      applyServerSideEncryptionByDefault: { sseAlgorithm: 'aws:kms', kmsMasterKeyId: 'k' },
      bucketKeyEnabled: true,
    },
  },
  attachPolicy: true,
  policy: '{}',
  attachPublicPolicy: true,
  attachDenyInsecureTransportPolicy: true,
  attachRequireLatestTlsPolicy: true,
  corsRule: [
    {
      allowedHeaders: ['*'],
      allowedMethods: ['GET'],
      allowedOrigins: ['https://x'],
      exposeHeaders: ['ETag'],
      maxAgeSeconds: 1,
    },
  ],
  lifecycleRule: [
    {
      id: 'r',
      enabled: true,
      filter: { prefix: '' },
      abortIncompleteMultipartUploadDays: 7,
      noncurrentVersionExpiration: { days: 30, newerNoncurrentVersions: 2 },
      expiration: { days: 1, expiredObjectDeleteMarker: true },
    },
  ],
  tags: { CamelCaseTag: 'kept as written' },
};

const behavior = {
  targetOriginId: 's3',
  viewerProtocolPolicy: 'redirect-to-https' as const,
  allowedMethods: ['GET', 'HEAD'],
  cachedMethods: ['GET', 'HEAD'],
  compress: true,
  cachePolicyId: 'c',
  originRequestPolicyId: 'o',
  responseHeadersPolicyId: 'r',
  responseHeadersPolicyKey: 'security',
  functionAssociation: { 'viewer-request': { functionKey: 'spa', functionArn: 'arn' } },
};

const cloudfrontInputs: Required<CloudfrontModuleInputs> = {
  aliases: ['a.example.com'],
  comment: 'c',
  enabled: true,
  httpVersion: 'http2and3',
  isIpv6Enabled: true,
  priceClass: 'PriceClass_100',
  defaultRootObject: 'index.html',
  retainOnDelete: false,
  waitForDeployment: false,
  webAclId: 'w',
  originAccessControl: {
    frontendS3: {
      name: 'n',
      description: 'd',
      originType: 's3',
      signingBehavior: 'always',
      signingProtocol: 'sigv4',
    },
  },
  origin: {
    s3Frontend: {
      domainName: 'd',
      originId: 'i',
      originPath: '/p',
      originAccessControlKey: 'frontendS3',
      originAccessControlId: 'x',
      connectionAttempts: 3,
      connectionTimeout: 10,
      responseCompletionTimeout: 60,
      customHeader: { 'X-Origin-Verify': 'v' },
    },
    api: {
      domainName: 'd',
      customOriginConfig: {
        httpPort: 80,
        httpsPort: 443,
        originProtocolPolicy: 'https-only',
        originSslProtocols: ['TLSv1.2'],
        originReadTimeout: 60,
        originKeepaliveTimeout: 5,
      },
    },
  },
  defaultCacheBehavior: behavior,
  orderedCacheBehavior: [{ ...behavior, pathPattern: '/api/*' }],
  viewerCertificate: {
    acmCertificateArn: 'arn',
    cloudfrontDefaultCertificate: false,
    minimumProtocolVersion: 'TLSv1.2_2021',
    sslSupportMethod: 'sni-only',
  },
  customErrorResponse: [
    { errorCode: 404, responseCode: 404, responsePagePath: '/404.html', errorCachingMinTtl: 0 },
  ],
  cloudfrontFunctions: {
    spa: {
      name: 'n',
      runtime: 'cloudfront-js-2.0',
      comment: 'c',
      publish: true,
      code: 'function handler(e){}',
    },
  },
  responseHeadersPolicies: {
    security: {
      name: 'n',
      comment: 'c',
      securityHeadersConfig: {
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: 'DENY', override: true },
        referrerPolicy: { referrerPolicy: 'same-origin', override: true },
        strictTransportSecurity: {
          accessControlMaxAgeSec: 1,
          override: true,
          includeSubdomains: true,
          preload: true,
        },
        xssProtection: { modeBlock: true, override: true, protection: true },
        contentSecurityPolicy: { contentSecurityPolicy: "default-src 'self'", override: true },
      },
    },
  },
  tags: { Name: 'x' },
};

const elasticacheInputs: Required<ElasticacheModuleInputs> = {
  replicationGroupId: 'librechat-lambda-redis-dev',
  description: 'd',
  clusterModeEnabled: false,
  numCacheClusters: 1,
  engine: 'redis',
  engineVersion: '7.1',
  nodeType: 'cache.t4g.micro',
  port: 6379,
  applyImmediately: true,
  atRestEncryptionEnabled: true,
  transitEncryptionEnabled: false,
  kmsKeyArn: 'k',
  multiAzEnabled: false,
  automaticFailoverEnabled: false,
  maintenanceWindow: 'sun:05:00-sun:06:00',
  snapshotRetentionLimit: 0,
  createParameterGroup: true,
  parameterGroupName: 'p',
  parameterGroupFamily: 'redis7',
  parameterGroupDescription: 'd',
  parameters: [{ name: 'maxmemory-policy', value: 'allkeys-lru' }],
  createSubnetGroup: true,
  subnetGroupName: 's',
  subnetIds: ['subnet-1'],
  vpcId: 'vpc-1',
  createSecurityGroup: true,
  securityGroupName: 'n',
  securityGroupUseNamePrefix: false,
  securityGroupDescription: 'd',
  securityGroupRules: {
    ingressFromLambda: {
      type: 'ingress',
      fromPort: 6379,
      toPort: 6379,
      ipProtocol: 'tcp',
      description: 'd',
      referencedSecurityGroupId: 'sg-1',
      cidrIpv4: '10.0.0.0/8',
      cidrIpv6: '::/0',
      prefixListId: 'pl',
    },
  },
  logDeliveryConfiguration: {
    'slow-log': {
      destinationType: 'cloudwatch-logs',
      logFormat: 'json',
      destination: 'd',
      cloudwatchLogGroupRetentionInDays: 14,
      cloudwatchLogGroupKmsKeyId: 'k',
    },
  },
  tags: { Name: 'x' },
  securityGroupTags: { Name: 'y' },
};

function synthModule(build: (stack: TerraformStack) => unknown): any {
  const json = JSON.parse(Testing.synthScope((scope) => build(scope as TerraformStack)));
  const blocks = Object.values<any>(json.module ?? {});
  expect(blocks).toHaveLength(1);
  return blocks[0];
}

describe.each([
  [
    's3-bucket',
    () => synthModule((s) => new S3BucketModule(s, 'm', s3Inputs)),
    S3BucketModule,
    s3Inputs,
  ],
  [
    'cloudfront',
    () => synthModule((s) => new CloudfrontModule(s, 'm', cloudfrontInputs)),
    CloudfrontModule,
    cloudfrontInputs,
  ],
  [
    'elasticache',
    () => synthModule((s) => new ElasticacheModule(s, 'm', elasticacheInputs)),
    ElasticacheModule,
    elasticacheInputs,
  ],
] as const)('%s binding', (_name, synth, binding, inputs) => {
  it('pins the registry source to an exact version', () => {
    const block = synth();
    expect(block.source).toBe(binding.SOURCE);
    expect(block.version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(block.version).toBe(binding.VERSION);
  });

  it('emits only declared variables and existing object attributes, at every depth', () => {
    const block = synth();
    expect(checkModuleBlock(block, loadModuleInterface(binding.SOURCE, binding.VERSION))).toEqual(
      [],
    );
  });

  it('emits every input it is given, under its snake_case name', () => {
    const block = synth();
    expect(
      Object.keys(block)
        .filter((k) => !['//', 'source', 'version'].includes(k))
        .sort(),
    ).toEqual(Object.keys(inputs).map(toSnakeCase).sort());
  });
});

describe('input conversion', () => {
  it('keeps map keys and map(string) values as written, converts object attributes', () => {
    const cf = synthModule((s) => new CloudfrontModule(s, 'm', cloudfrontInputs));
    expect(Object.keys(cf.origin).sort()).toEqual(['api', 's3Frontend']);
    expect(cf.origin.s3Frontend.custom_header).toEqual({ 'X-Origin-Verify': 'v' });
    expect(cf.origin.api.custom_origin_config.origin_read_timeout).toBe(60);
    expect(cf.default_cache_behavior.function_association).toEqual({
      'viewer-request': { function_key: 'spa', function_arn: 'arn' },
    });
    expect(cf.tags).toEqual({ Name: 'x' });
    const s3 = synthModule((s) => new S3BucketModule(s, 'm', s3Inputs));
    expect(s3.tags).toEqual({ CamelCaseTag: 'kept as written' });
    expect(
      s3.server_side_encryption_configuration.rule.apply_server_side_encryption_by_default
        .sse_algorithm,
    ).toBe('aws:kms');
  });

  it('catches a misspelt nested attribute that the module would drop', () => {
    const block = synthModule(
      (s) =>
        new CloudfrontModule(s, 'm', {
          defaultCacheBehavior: { targetOriginId: 'api' },
          origin: {
            api: {
              domainName: 'd',
              customOriginConfig: {
                httpPort: 80,
                httpsPort: 443,
                originProtocolPolicy: 'https-only',
                originReadTimeOut: 60,
              } as never,
            },
          },
        }),
    );
    expect(
      checkModuleBlock(
        block,
        loadModuleInterface(CloudfrontModule.SOURCE, CloudfrontModule.VERSION),
      ),
    ).toEqual([
      'origin.api.custom_origin_config.origin_read_time_out: no such attribute (the module would silently drop it)',
    ]);
  });
});
