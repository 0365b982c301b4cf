import { App, S3Backend, TerraformOutput, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { join, resolve } from 'node:path';
import { apiDistributionRoute, type ApiDistributionRoute } from './api/api-distribution-route';
import { ApiGatewayAccountLogging } from './api/api-gateway-account-logging';
import { ApiFirewall } from './api/api-firewall';
import { LIBRECHAT_SERVER_PATH_PREFIXES } from './api/server-paths';
import { OriginVerifySecret } from './api/origin-verify-secret';
import { StreamingRestApi } from './api/streaming-rest-api';
import { FileStorage } from './backend/file-storage';
import { FunctionCapacityProvider } from './backend/function-capacity-provider';
import { dockerPlatform, FunctionImage, type ImageBuildSource } from './backend/function-image';
import { FunctionSecurityGroup } from './backend/function-security-group';
import { InheritedEnvironment } from './backend/inherited-environment';
import { LibreChatFunction } from './backend/librechat-function';
import { ProvisionedAlias } from './backend/provisioned-alias';
import { SessionCache } from './backend/session-cache';
import { stateKey } from './config/cross-environment';
import { parseS3Uri, type EnvironmentConfig } from './config/schema';
import { AwsProviders } from './core/aws-providers';
import { ExistingNetwork } from './core/existing-network';
import { repairTerraformBlockHcl } from './core/hcl-output';
import { portableRelativePath } from './core/names';
import { ENV } from '../handler/src/contract';
import type { FrontendAssetManifest } from './frontend/asset-manifest';
import { ClientPublication } from './frontend/client-publication';
import { distContentHash } from './frontend/client-publisher';
import { FrontendBucket } from './frontend/frontend-bucket';
import { SiteFirewall } from './frontend/site-firewall';
import {
  FrontendDistribution,
  SECURITY_HEADERS_POLICY_KEY,
} from './frontend/frontend-distribution';
import { SiteDns } from './frontend/site-dns';
import { Guardrails } from './guardrails';
import { AlarmTopic } from './operations/alarm-topic';
import { ServiceAlarms } from './operations/service-alarms';
import { ServiceDashboard } from './operations/service-dashboard';
import { ValidationError } from './core/validation-error';

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
  /** The web client's publish command (scripts/publish-client.js), absolute. */
  readonly publishScript: string;
  /**
   * Content key of the script the publish step adds to the web client (the stop relay,
   * `stopRelayScript().key`, read by the app): a changed script publishes the client again.
   */
  readonly clientScriptKey?: string;
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
  /** Only with `lambda.compute: managed-instances`. */
  readonly capacityProvider?: FunctionCapacityProvider;
  /** The ECS task's environment handed to LibreChat, when `librechat.environmentFrom` is set. */
  readonly inheritedEnvironment?: InheritedEnvironment;
  /** The alias the API invokes, when `lambda.provisionedConcurrency` > 0. */
  readonly provisionedAlias?: ProvisionedAlias;
  readonly originVerifySecret: OriginVerifySecret;
  readonly restApi: StreamingRestApi;
  /** The `/api/*` origin and behavior of the site's distribution. */
  readonly apiRoute: ApiDistributionRoute;
  readonly frontendDistribution: FrontendDistribution;
  readonly frontendBucket: FrontendBucket;
  /** AWS WAF in front of the site and on the API stage (when `waf.enabled`). */
  readonly siteFirewall?: SiteFirewall;
  readonly apiFirewall?: ApiFirewall;
  /** Publishes the web client on deploy. */
  readonly clientPublication: ClientPublication;
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

    this.configureTerraform(environment, config.state);

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
      throw new ValidationError(
        this,
        `no Lambda image: give the image build sources, or set librechat.image.prebuiltImageUri`,
      );
    }
    this.fileStorage = new FileStorage(this, 'file-storage', {
      bucketName: `librechat-lambda-files-${environment}`,
      domainName: config.domain.name,
      forceDestroy: config.fileStorage.forceDestroy,
      noncurrentVersionExpirationDays: config.fileStorage.versioning
        ? config.fileStorage.noncurrentVersionExpirationDays
        : undefined,
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
      nodeType: config.redis.nodeType,
      engineVersion: config.redis.engineVersion,
      transitEncryption: config.redis.transitEncryption,
      slowLogRetentionDays: config.redis.slowLogRetentionDays,
    });
    this.sessionCache.allowFrom(this.functionSecurityGroup);
    // The function's network placement; on managed instances its capacity provider's instead.
    // The existing groups (dev: shared services) give the access the ECS task has.
    const functionSecurityGroupIds = [
      this.functionSecurityGroup.securityGroupId,
      ...config.network.additionalSecurityGroupIds,
    ];
    const managedInstances = config.lambda.managedInstances;
    if (managedInstances) {
      this.capacityProvider = new FunctionCapacityProvider(this, 'capacity-provider', {
        name: `librechat-api-${environment}`,
        subnetIds: this.network.privateSubnetIds,
        securityGroupIds: functionSecurityGroupIds,
        architecture: config.lambda.architecture,
        instanceTypes: managedInstances.instanceTypes,
        maxVcpus: managedInstances.maxVcpus,
        targetCpuPercent: managedInstances.targetCpuPercent,
      });
    }
    this.librechatFunction = new LibreChatFunction(this, 'librechat-function', {
      functionName: `librechat-api-${environment}`,
      imageUri: this.functionImage.imageUri,
      architecture: config.lambda.architecture,
      memoryMb: config.lambda.memoryMb,
      timeoutSeconds: config.lambda.timeoutSeconds,
      ephemeralStorageMb: config.lambda.ephemeralStorageMb,
      logRetentionDays: config.lambda.logRetentionDays,
      subnetIds: this.network.privateSubnetIds,
      securityGroupIds: functionSecurityGroupIds,
      capacityProvider:
        this.capacityProvider && managedInstances
          ? {
              arn: this.capacityProvider.arn,
              maxConcurrency: managedInstances.maxConcurrency,
              memoryGibPerVcpu: managedInstances.memoryGibPerVcpu,
            }
          : undefined,
      region: this.network.region,
      accountId: this.network.accountId,
      domainName: config.domain.name,
      configObject: parseS3Uri(lc.configObject),
      configPath: lc.configPath,
      uploadLimitMb: lc.uploadLimitMb,
      configReplacesDomain: lc.configReplacesDomain,
      redisUri: this.sessionCache.redisUri,
      serviceUrls: lc.serviceUrls,
      secrets: lc.secrets,
      secretsKmsKeyArn: lc.secretsKmsKeyArn,
      environment: lc.environment,
      publishVersions: config.lambda.provisionedConcurrency > 0,
      reservedConcurrency: config.lambda.reservedConcurrency,
    });
    this.fileStorage.grantReadWrite(this.librechatFunction);
    if (lc.environmentFrom) {
      this.inheritedEnvironment = new InheritedEnvironment(this, 'inherited-environment', {
        ...lc.environmentFrom,
        bucketName: this.fileStorage.bucketName,
      });
      this.inheritedEnvironment.passTo(this.librechatFunction);
    }
    if (config.lambda.provisionedConcurrency > 0) {
      this.provisionedAlias = new ProvisionedAlias(this, 'provisioned-alias', {
        functionName: this.librechatFunction.functionName,
        functionVersion: this.librechatFunction.version,
        provisionedConcurrency: config.lambda.provisionedConcurrency,
      });
    }

    // API: streaming REST API in front of the function, reachable only through CloudFront.
    this.originVerifySecret = new OriginVerifySecret(this, 'origin-verify-secret', {
      parameterName: `/librechat-lambda/${environment}/origin-verify`,
      headerName: config.api.originVerifyHeader,
      kmsKeyId: lc.secretsKmsKeyArn,
      generation: config.api.originVerifyGeneration,
      previousWindowMinutes: config.api.originVerifyPreviousMinutes,
    });
    this.originVerifySecret.enforceOn(this.librechatFunction);
    const accountLogging = config.api.manageAccountLoggingRole
      ? new ApiGatewayAccountLogging(this, 'api-gateway-account-logging', {
          roleName: `librechat-apigw-logs-${environment}`,
        })
      : undefined;
    this.restApi = new StreamingRestApi(this, 'rest-api', {
      pathPrefixes: LIBRECHAT_SERVER_PATH_PREFIXES,
      name: `librechat-api-${environment}`,
      target: this.provisionedAlias?.invokeTarget ?? this.librechatFunction,
      region: config.region,
      allowedOrigin: `https://${config.domain.name}`,
      stageName: config.api.stageName,
      throttle: config.api.throttle,
      accessLogRetentionDays: config.api.accessLogRetentionDays,
      integrationTimeoutMs: config.lambda.timeoutSeconds * 1000,
      stageDependsOn: accountLogging ? [accountLogging.account] : undefined,
    });
    if (config.waf.enabled) {
      // Requests without the origin header stop at the stage, before Lambda is invoked.
      this.apiFirewall = new ApiFirewall(this, 'api-firewall', {
        name: `librechat-api-${environment}`,
        stageArn: this.restApi.stage.arn,
        headerName: this.originVerifySecret.headerName,
        acceptedValues: this.originVerifySecret.acceptedValues,
        provider: this.providers.regional,
      });
      this.siteFirewall = new SiteFirewall(this, 'site-firewall', {
        name: `librechat-site-${environment}`,
        rateLimit: config.waf.rateLimit,
        rateWindowSeconds: config.waf.rateWindowSeconds,
        largeBodyPathPrefixes: LIBRECHAT_SERVER_PATH_PREFIXES.map((p) => `/${p}/`),
        provider: this.providers.usEast1,
      });
    }
    this.apiRoute = apiDistributionRoute({
      domainName: this.restApi.executeApiDomain,
      stageName: this.restApi.stageName,
      pathPrefixes: this.restApi.pathPrefixes,
      readTimeoutSeconds: config.api.originReadTimeoutSeconds,
      keepaliveTimeoutSeconds: config.api.originKeepaliveTimeoutSeconds,
      originVerify: this.originVerifySecret,
      responseHeadersPolicyKey: SECURITY_HEADERS_POLICY_KEY,
    });
    // CloudFront-Viewer-Address only counts when the distribution adds it (else a viewer could).
    this.librechatFunction.addEnvironment(
      ENV.TRUST_CLOUDFRONT_VIEWER_ADDRESS,
      String(this.apiRoute.addsViewerAddress),
    );

    // Frontend: bucket, distribution (S3 default, /api/* and /oauth/* to the API), DNS, and
    // the published client. The distribution reaches the bucket by its name-derived domain and
    // only the bucket policy names the distribution: one direction, no cycle.
    this.frontendBucket = new FrontendBucket(this, 'frontend-bucket', {
      bucketName: `librechat-frontend-${environment}`,
      region: config.region,
      provider: this.providers.regional,
    });
    this.frontendDistribution = new FrontendDistribution(this, 'frontend-distribution', {
      environment,
      domainName: config.domain.name,
      certificateArn: config.domain.certificateArn,
      priceClass: config.frontend.priceClass,
      webAclArn: this.siteFirewall?.webAclArn,
      bucketRegionalDomainName: this.frontendBucket.regionalDomainName,
      spaRoutingFunctionCode: props.spaRoutingFunctionCode,
      provider: this.providers.regional,
    }).addRoute(this.apiRoute);
    this.frontendBucket.allowReadFrom(this.frontendDistribution);
    new SiteDns(this, 'site-dns', {
      hostedZoneId: config.domain.hostedZoneId,
      recordName: config.domain.name,
      target: this.frontendDistribution,
      provider: this.providers.regional,
    });
    if (!props.frontendAssets && config.frontend.source !== 'image') {
      throw new ValidationError(
        this,
        `frontend: the config names a ${config.frontend.source}, but no frontendAssets were prepared (call prepareFrontendAssets)`,
      );
    }
    // Where cdktf puts this stack's Terraform (the local-exec's working directory).
    const stackDir = join(resolve(App.of(this).outdir), 'stacks', id);
    const manifest = props.frontendAssets;
    this.clientPublication = new ClientPublication(this, 'client-publication', {
      bucketName: this.frontendBucket.bucketId,
      region: this.frontendBucket.region,
      // By default the client of the image the function is built on: the API's own version.
      source: manifest
        ? {
            distDir: portableRelativePath(stackDir, manifest.distDir),
            contentHash: distContentHash(manifest.files),
            origin: manifest.origin,
          }
        : { image: lc.image.baseImage, platform: dockerPlatform(config.lambda.architecture) },
      publishScript: portableRelativePath(stackDir, props.publishScript),
      publishOptions: config.frontend.publish,
      clientScriptKey: props.clientScriptKey,
      // The bucket with its policy, and the distribution that serves it.
      dependsOn: [this.frontendBucket.module, this.frontendDistribution.module],
    });

    // Operations: alarms, dashboard and outputs.
    const monitoring = config.monitoring;
    const monitored = {
      lambda: {
        functionName: this.librechatFunction.functionName,
        logGroupName: this.librechatFunction.logGroupName,
        timeoutSeconds: config.lambda.timeoutSeconds,
        capacityProviderName: this.capacityProvider?.name,
      },
      api: { apiName: this.restApi.restApi.name, stageName: this.restApi.stageName },
      redis: { cacheClusterId: this.sessionCache.cacheClusterId },
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
    this.addOutputs(config.domain.name);
  }

  /** State (one key per environment, S3-native locking) and the Terraform and provider versions. */
  private configureTerraform(environment: string, state: EnvironmentConfig['state']): void {
    // DynamoDB locking only where the state bucket still uses it.
    const backend = new S3Backend(this, {
      bucket: state.bucket,
      key: stateKey(environment),
      region: state.region,
      encrypt: true,
      dynamodbTable: state.dynamodbTable,
    });
    backend.addOverride('use_lockfile', true);
    this.addOverride('terraform.required_version', TERRAFORM_REQUIRED_VERSION);
    this.addOverride('terraform.required_providers.aws.source', 'hashicorp/aws');
    this.addOverride('terraform.required_providers.aws.version', AWS_PROVIDER_CONSTRAINT);
  }

  /** What an operator needs after a deploy: names, endpoints and where to look. */
  private addOutputs(domainName: string): void {
    new TerraformOutput(this, 'lambda_function_name', {
      value: this.librechatFunction.functionName,
      description: 'The LibreChat API function (logs, metrics, invocations)',
    });
    new TerraformOutput(this, 'lambda_function_arn', {
      value: this.librechatFunction.functionArn,
      description: 'ARN of the LibreChat API function',
    });
    new TerraformOutput(this, 'ecr_repository_url', {
      value: this.functionImage.repositoryUrl,
      description: 'ECR repository of the function image',
    });
    new TerraformOutput(this, 'redis_primary_endpoint', {
      value: this.sessionCache.primaryEndpointAddress,
      description: 'ElastiCache Redis primary endpoint (reachable only from the function)',
    });
    new TerraformOutput(this, 'file_bucket_name', {
      value: this.fileStorage.bucketName,
      description: 'Bucket of the uploaded files',
    });
    new TerraformOutput(this, 'api_invoke_url', {
      value: this.restApi.invokeUrl,
      description: 'Stage URL of the REST API (answers 403 without the CloudFront origin header)',
    });
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
      value: `https://${domainName}`,
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
