import { App, S3Backend, TerraformOutput, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { join, resolve } from 'node:path';
import type { EnvironmentConfig } from './config/schema';
import { AwsProviders } from './core/aws-providers';
import { ExistingNetwork } from './core/existing-network';
import type { FrontendAssetManifest } from './frontend/asset-manifest';
import { FrontendAssets } from './frontend/frontend-assets';
import { FrontendBucket } from './frontend/frontend-bucket';
import { FrontendDistribution } from './frontend/frontend-distribution';
import { loadCloudfrontFunctionCode } from './frontend/functions/function-code';
import { SiteDns } from './frontend/site-dns';

/**
 * The AWS provider constraint written into `required_providers`. The prebuilt bindings are generated
 * from hashicorp/aws 6.25.0, but the cloudfront (>= 6.28) and s3-bucket (>= 6.42) modules and
 * 900 s streaming integration timeouts (>= 6.26) need newer providers; minor versions are
 * backward compatible, so the bindings stay usable.
 */
export const AWS_PROVIDER_CONSTRAINT = '~> 6.42';
export const TERRAFORM_REQUIRED_VERSION = '>= 1.10';
export const PROJECT_TAG = 'librechat-lambda';

export interface LibreChatStackProps {
  /** Environment name (the config file's name): stack id, state key and resource name suffix. */
  readonly environment: string;
  readonly config: EnvironmentConfig;
  /**
   * The web client to publish, prepared from `config.frontend` by `prepareFrontendAssets`
   * (main.ts); required when the config names a `distDir` or a `build`.
   */
  readonly frontendAssets?: FrontendAssetManifest;
}

/** One environment of LibreChat on AWS serverless, composed top-down like the architecture. */
export class LibreChatStack extends TerraformStack {
  readonly providers: AwsProviders;
  readonly network: ExistingNetwork;
  readonly frontendDistribution: FrontendDistribution;
  readonly frontendBucket: FrontendBucket;

  constructor(scope: Construct, id: string, props: LibreChatStackProps) {
    super(scope, id);
    const { environment, config } = props;

    // State: one key per environment; S3-native locking, plus DynamoDB only where still used.
    const backend = new S3Backend(this, {
      bucket: config.state.bucket,
      key: `librechat-lambda/${environment}/terraform.tfstate`,
      region: config.state.region,
      encrypt: true,
      dynamodbTable: config.state.dynamodbTable,
    });
    backend.addOverride('use_lockfile', true);
    this.addOverride('terraform.required_version', TERRAFORM_REQUIRED_VERSION);
    this.addOverride('terraform.required_providers.aws.version', AWS_PROVIDER_CONSTRAINT);

    this.providers = new AwsProviders(this, 'providers', {
      region: config.region,
      defaultTags: {
        ...config.tags,
        project: PROJECT_TAG,
        environment,
        'managed-by': 'cdktf',
      },
    });
    this.network = new ExistingNetwork(this, 'network', {
      vpcId: config.network.vpcId,
      privateSubnetIds: config.network.privateSubnetIds,
    });

    // Backend: file storage, Lambda image, Redis, the LibreChat function.

    // API: streaming REST API in front of the function, reachable only through CloudFront.

    // Frontend: bucket, distribution (S3 default, /api/* to the API), DNS, published assets.
    // The distribution reaches the bucket by its name-derived domain and only the bucket policy
    // names the distribution, so the distribution comes first and there is no cycle.
    const frontendBucketName = `librechat-frontend-${environment}`;
    this.frontendDistribution = new FrontendDistribution(this, 'frontend-distribution', {
      environment,
      domainName: config.domain.name,
      certificateArn: config.domain.certificateArn,
      priceClass: config.frontend.priceClass,
      bucketRegionalDomainName: FrontendBucket.regionalDomainName(
        frontendBucketName,
        config.region,
      ),
      spaRoutingFunctionCode: loadCloudfrontFunctionCode('spa-routing'),
      provider: this.providers.regional,
    });
    this.frontendBucket = new FrontendBucket(this, 'frontend-bucket', {
      bucketName: frontendBucketName,
      region: config.region,
      distributionArn: this.frontendDistribution.distributionArn,
      provider: this.providers.regional,
    });
    new SiteDns(this, 'site-dns', {
      hostedZoneId: config.domain.hostedZoneId,
      recordName: config.domain.name,
      target: this.frontendDistribution,
      provider: this.providers.regional,
    });
    if (!props.frontendAssets && (config.frontend.distDir ?? config.frontend.build)) {
      throw new Error(
        'frontend: the config names a distDir or build, but no frontendAssets were prepared (call prepareFrontendAssets)',
      );
    }
    new FrontendAssets(this, 'frontend-assets', {
      bucket: this.frontendBucket.bucketId,
      bucketName: frontendBucketName,
      manifest: props.frontendAssets,
      // Where cdktf puts this stack's Terraform (its manifest's working directory).
      workingDirectory: join(resolve(App.of(this).outdir), 'stacks', id),
      provider: this.providers.regional,
    });

    // Operations: alarms, dashboard and outputs.
    new TerraformOutput(this, 'cloudfront_distribution_id', {
      value: this.frontendDistribution.distributionId,
      description: 'CloudFront distribution id (invalidations, metrics)',
    });
    new TerraformOutput(this, 'cloudfront_distribution_arn', {
      value: this.frontendDistribution.distributionArn,
      description: 'CloudFront distribution ARN',
    });
    new TerraformOutput(this, 'cloudfront_domain_name', {
      value: this.frontendDistribution.domainName,
      description: "The distribution's own domain name (*.cloudfront.net)",
    });
    new TerraformOutput(this, 'site_url', {
      value: `https://${config.domain.name}`,
      description: 'Where LibreChat is served',
    });
  }
}
