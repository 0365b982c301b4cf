import { S3Backend, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import type { EnvironmentConfig } from './config/schema';
import { AwsProviders } from './core/aws-providers';
import { ExistingNetwork } from './core/existing-network';
import { Guardrails } from './guardrails';

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
}

/** One environment of LibreChat on AWS serverless, composed top-down like the architecture. */
export class LibreChatStack extends TerraformStack {
  readonly providers: AwsProviders;
  readonly network: ExistingNetwork;

  constructor(scope: Construct, id: string, props: LibreChatStackProps) {
    super(scope, id);
    const { environment, config } = props;
    // Security and correctness rules over everything below; synth fails on any finding.
    Guardrails.applyTo(this);

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

    // Operations: alarms, dashboard and outputs.
  }
}
