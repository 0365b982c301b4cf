import { App, dependable, S3Backend, TerraformOutput, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { join, resolve } from 'node:path';
import { apiDistributionRoute, type ApiDistributionRoute } from './api/api-distribution-route';
import { ApiGatewayAccountLogging } from './api/api-gateway-account-logging';
import { OriginVerifySecret } from './api/origin-verify-secret';
import { StreamingRestApi } from './api/streaming-rest-api';
import { FileStorage } from './backend/file-storage';
import { FunctionImage, type ImageBuildSource } from './backend/function-image';
import { FunctionSecurityGroup } from './backend/function-security-group';
import { LibreChatFunction } from './backend/librechat-function';
import { SessionCache } from './backend/session-cache';
import { parseS3Uri, type EnvironmentConfig } from './config/schema';
import { AwsProviders } from './core/aws-providers';
import { ExistingNetwork } from './core/existing-network';
import { repairTerraformBlockHcl } from './core/hcl-output';
import type { FrontendAssetManifest } from './frontend/asset-manifest';
import { FrontendAssets } from './frontend/frontend-assets';
import { FrontendBucket } from './frontend/frontend-bucket';
import { FrontendDistribution } from './frontend/frontend-distribution';
import { SiteDns } from './frontend/site-dns';
import { Guardrails } from './guardrails';
import { AlarmTopic } from './operations/alarm-topic';
import { ServiceAlarms } from './operations/service-alarms';
import { ServiceDashboard } from './operations/service-dashboard';

/**
 * The AWS provider constraint written into `required_providers`. The prebuilt bindings are generated
 * from hashicorp/aws 6.25.0, but the cloudfront (>= 6.28) and s3-bucket (>= 6.42) modules and
 * 900 s streaming integration timeouts (>= 6.26) need newer providers; minor versions are
 * backward compatible, so the bindings stay usable.
 */
export const AWS_PROVIDER_CONSTRAINT = '~> 6.42';
export const TERRAFORM_REQUIRED_VERSION = '>= 1.10';
export const PROJECT_TAG = 'librechat-lambda';
/**
 * Paths LibreChat's server answers (everything else is the web client): the API, and the OpenID
 * login flow (`/oauth/openid`, `/oauth/openid/callback`), which the browser visits directly.
 */
export const LIBRECHAT_SERVER_PATH_PREFIXES = ['api', 'oauth'];

export interface LibreChatStackProps {
  /** Environment name (the config file's name): stack id, state key and resource name suffix. */
  readonly environment: string;
  readonly config: EnvironmentConfig;
  /**
   * How `cdktf deploy` builds the Lambda image (sources and their content hash, computed by the
   * app). Required unless the config names `librechat.image.prebuiltImageUri`.
   */
  readonly imageBuild?: ImageBuildSource;
  /**
   * The web client to publish, prepared from `config.frontend` by `prepareFrontendAssets`
   * (main.ts); required when the config names a `distDir` or a `build`.
   */
  readonly frontendAssets?: FrontendAssetManifest;
  /**
   * Source of the SPA routing CloudFront Function (`src/frontend/functions/spa-routing.js`),
   * read by the app with `loadCloudfrontFunctionCode('spa-routing')`.
   */
  readonly spaRoutingFunctionCode: string;
}

/** One environment of LibreChat on AWS serverless, composed top-down like the architecture. */
export class LibreChatStack extends TerraformStack {
  readonly providers: AwsProviders;
  readonly network: ExistingNetwork;
  readonly fileStorage: FileStorage;
  readonly functionImage: FunctionImage;
  readonly functionSecurityGroup: FunctionSecurityGroup;
  readonly sessionCache: SessionCache;
  readonly librechatFunction: LibreChatFunction;
  readonly originVerifySecret: OriginVerifySecret;
  readonly restApi: StreamingRestApi;
  /** The `/api/*` origin and behavior of the site's distribution. */
  readonly apiRoute: ApiDistributionRoute;
  readonly frontendDistribution: FrontendDistribution;
  readonly frontendBucket: FrontendBucket;
  /** Alarm topics: in the stack's region, and in us-east-1 for the CloudFront alarm. */
  readonly alarmTopic: AlarmTopic;
  readonly globalAlarmTopic: AlarmTopic;
  readonly serviceAlarms: ServiceAlarms;
  readonly serviceDashboard: ServiceDashboard;

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
    this.addOverride('terraform.required_providers.aws.source', 'hashicorp/aws');
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
    const lc = config.librechat;
    const prebuiltImageUri = lc.image.prebuiltImageUri;
    if (!prebuiltImageUri && !props.imageBuild) {
      throw new Error(
        `stack ${environment}: no Lambda image: give the image build sources, or set librechat.image.prebuiltImageUri`,
      );
    }
    this.fileStorage = new FileStorage(this, 'file-storage', {
      bucketName: `librechat-lambda-files-${environment}`,
      domainName: config.domain.name,
    });
    this.functionImage = new FunctionImage(this, 'function-image', {
      repositoryName: `librechat-lambda-api-${environment}`,
      region: config.region,
      architecture: config.lambda.architecture,
      prebuiltImageUri,
      build: prebuiltImageUri ? undefined : props.imageBuild,
    });
    this.functionSecurityGroup = new FunctionSecurityGroup(this, 'function-security-group', {
      name: `librechat-api-${environment}`,
      vpcId: this.network.vpcId,
      vpcCidrBlock: this.network.vpcCidrBlock,
      documentDbPort: lc.documentDb.port,
    });
    this.sessionCache = new SessionCache(this, 'session-cache', {
      replicationGroupId: `librechat-lambda-redis-${environment}`,
      vpcId: this.network.vpcId,
      subnetIds: this.network.privateSubnetIds,
      clientSecurityGroupId: this.functionSecurityGroup.securityGroupId,
      nodeType: config.redis.nodeType,
      engineVersion: config.redis.engineVersion,
      transitEncryption: config.redis.transitEncryption,
      slowLogRetentionDays: config.redis.slowLogRetentionDays,
    });
    this.functionSecurityGroup.allowTcpTo(
      'redis',
      'ElastiCache Redis',
      this.sessionCache.securityGroupId,
      this.sessionCache.port,
    );
    this.librechatFunction = new LibreChatFunction(this, 'librechat-function', {
      functionName: `librechat-api-${environment}`,
      imageUri: this.functionImage.imageUri,
      architecture: config.lambda.architecture,
      memoryMb: config.lambda.memoryMb,
      timeoutSeconds: config.lambda.timeoutSeconds,
      ephemeralStorageMb: config.lambda.ephemeralStorageMb,
      logRetentionDays: config.lambda.logRetentionDays,
      subnetIds: this.network.privateSubnetIds,
      securityGroupIds: [this.functionSecurityGroup.securityGroupId],
      region: this.network.region,
      accountId: this.network.accountId,
      domainName: config.domain.name,
      configObject: parseS3Uri(lc.configObject),
      configPath: lc.configPath,
      uploadLimitMb: lc.uploadLimitMb,
      configReplacesDomain: lc.configReplacesDomain,
      redisUri: this.sessionCache.redisUri,
      fileBucket: { name: this.fileStorage.bucketName, arn: this.fileStorage.bucketArn },
      serviceUrls: lc.serviceUrls,
      secrets: lc.secrets,
      secretsKmsKeyArn: lc.secretsKmsKeyArn,
      environment: lc.environment,
    });

    // API: streaming REST API in front of the function, reachable only through CloudFront.
    this.originVerifySecret = new OriginVerifySecret(this, 'origin-verify-secret', {
      parameterName: `/librechat-lambda/${environment}/origin-verify`,
      headerName: config.api.originVerifyHeader,
      kmsKeyId: lc.secretsKmsKeyArn,
    });
    // The handler answers 403 to requests without the header (handler/README.md).
    this.librechatFunction
      .addSecret('ORIGIN_VERIFY_SECRET', this.originVerifySecret.parameterName)
      .addEnvironment('ORIGIN_VERIFY_HEADER', this.originVerifySecret.headerName);
    // The name is a literal (for the IAM grant), so order the function after the parameter.
    this.librechatFunction.function.dependsOn = [
      ...(this.librechatFunction.function.dependsOn ?? []),
      dependable(this.originVerifySecret.parameter),
    ];
    const accountLogging = config.api.manageAccountLoggingRole
      ? new ApiGatewayAccountLogging(this, 'api-gateway-account-logging', {
          roleName: `librechat-apigw-logs-${environment}`,
        })
      : undefined;
    this.restApi = new StreamingRestApi(this, 'rest-api', {
      pathPrefixes: LIBRECHAT_SERVER_PATH_PREFIXES,
      name: `librechat-api-${environment}`,
      functionArn: this.librechatFunction.functionArn,
      functionName: this.librechatFunction.functionName,
      region: config.region,
      allowedOrigin: `https://${config.domain.name}`,
      stageName: config.api.stageName,
      throttle: config.api.throttle,
      accessLogRetentionDays: config.api.accessLogRetentionDays,
      integrationTimeoutMs: config.lambda.timeoutSeconds * 1000,
      stageDependsOn: accountLogging ? [accountLogging.account] : undefined,
    });
    this.apiRoute = apiDistributionRoute({
      domainName: this.restApi.executeApiDomain,
      stageName: this.restApi.stageName,
      pathPrefixes: this.restApi.pathPrefixes,
      readTimeoutSeconds: config.api.originReadTimeoutSeconds,
      keepaliveTimeoutSeconds: config.api.originKeepaliveTimeoutSeconds,
      originVerify: {
        headerName: this.originVerifySecret.headerName,
        value: this.originVerifySecret.value,
      },
    });

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
      spaRoutingFunctionCode: props.spaRoutingFunctionCode,
      // The API's /api/* and /oauth/* routes (ordered behaviors come before the default S3 one).
      additionalOrigins: { [this.apiRoute.originId]: this.apiRoute.origin },
      additionalBehaviors: this.apiRoute.behaviors,
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
    const monitoring = config.monitoring;
    const monitored = {
      lambda: {
        functionName: this.librechatFunction.functionName,
        logGroupName: this.librechatFunction.logGroupName,
        timeoutSeconds: config.lambda.timeoutSeconds,
      },
      api: { apiName: this.restApi.restApi.name, stageName: this.restApi.stageName },
      // ElastiCache names a replication group's member clusters <group id>-001, -002, ...; its
      // metrics are per member cluster, and this group has exactly one.
      redis: { cacheClusterId: `${this.sessionCache.replicationGroupId}-001` },
      cloudfront: { distributionId: this.frontendDistribution.distributionId },
    };
    this.alarmTopic = new AlarmTopic(this, 'alarm-topic', {
      topicName: `librechat-alarms-${environment}`,
      email: monitoring.alarmEmail,
      provider: this.providers.regional,
    });
    this.globalAlarmTopic = new AlarmTopic(this, 'global-alarm-topic', {
      topicName: `librechat-alarms-${environment}`,
      email: monitoring.alarmEmail,
      provider: this.providers.usEast1,
    });
    this.serviceAlarms = new ServiceAlarms(this, 'service-alarms', {
      namePrefix: `librechat-${environment}`,
      alarmTopicArn: this.alarmTopic.topicArn,
      globalAlarmTopicArn: this.globalAlarmTopic.topicArn,
      ...monitored,
      thresholds: monitoring,
      periodSeconds: monitoring.periodSeconds,
      evaluationPeriods: monitoring.evaluationPeriods,
      provider: this.providers.regional,
      usEast1Provider: this.providers.usEast1,
    });
    this.serviceDashboard = new ServiceDashboard(this, 'service-dashboard', {
      dashboardName: `librechat-${environment}`,
      region: config.region,
      ...monitored,
      periodSeconds: monitoring.periodSeconds,
      provider: this.providers.regional,
    });
    new TerraformOutput(this, 'lambda_function_name', {
      value: this.librechatFunction.functionName,
    });
    new TerraformOutput(this, 'lambda_function_arn', { value: this.librechatFunction.functionArn });
    new TerraformOutput(this, 'ecr_repository_url', { value: this.functionImage.repositoryUrl });
    new TerraformOutput(this, 'redis_primary_endpoint', {
      value: this.sessionCache.primaryEndpointAddress,
    });
    new TerraformOutput(this, 'file_bucket_name', { value: this.fileStorage.bucketName });
    new TerraformOutput(this, 'api_invoke_url', { value: this.restApi.invokeUrl });
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
    new TerraformOutput(this, 'frontend_bucket_name', {
      value: this.frontendBucket.bucketName,
      description: 'Bucket the web client is published to',
    });
    new TerraformOutput(this, 'dashboard_url', {
      value: this.serviceDashboard.url,
      description: 'CloudWatch dashboard of the service',
    });
    new TerraformOutput(this, 'alarm_topic_arns', {
      value: [this.alarmTopic.topicArn, this.globalAlarmTopic.topicArn],
      description: 'SNS topics the alarms notify (stack region, us-east-1 for CloudFront)',
    });
    new TerraformOutput(this, 'site_url', {
      value: `https://${config.domain.name}`,
      description: 'Where LibreChat is served',
    });
  }

  /** The `cdktf synth --hcl` output, with the terraform block's own attributes rendered right. */
  toHclTerraform(): Record<string, unknown> {
    const rendered = super.toHclTerraform();
    return {
      ...rendered,
      hcl: repairTerraformBlockHcl(String(rendered.hcl), {
        required_version: TERRAFORM_REQUIRED_VERSION,
      }),
    };
  }
}
