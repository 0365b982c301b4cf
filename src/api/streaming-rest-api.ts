import { ApiGatewayDeployment } from '@cdktf/provider-aws/lib/api-gateway-deployment';
import { ApiGatewayIntegration } from '@cdktf/provider-aws/lib/api-gateway-integration';
import { ApiGatewayIntegrationResponse } from '@cdktf/provider-aws/lib/api-gateway-integration-response';
import { ApiGatewayMethod } from '@cdktf/provider-aws/lib/api-gateway-method';
import { ApiGatewayMethodResponse } from '@cdktf/provider-aws/lib/api-gateway-method-response';
import { ApiGatewayMethodSettings } from '@cdktf/provider-aws/lib/api-gateway-method-settings';
import { ApiGatewayResource } from '@cdktf/provider-aws/lib/api-gateway-resource';
import { ApiGatewayRestApi } from '@cdktf/provider-aws/lib/api-gateway-rest-api';
import { ApiGatewayStage } from '@cdktf/provider-aws/lib/api-gateway-stage';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { LambdaPermission } from '@cdktf/provider-aws/lib/lambda-permission';
import { Fn, Lazy, type ITerraformDependable, type TerraformResource } from 'cdktf';
import { Construct } from 'constructs';
import { createHash } from 'node:crypto';
import { ValidationError } from '../core/validation-error';

/** Defaults of the API (the config schema's defaults too). */
export const STREAMING_REST_API_DEFAULTS = {
  stageName: 'prod',
  throttle: { burstLimit: 200, rateLimit: 100 },
  accessLogRetentionDays: 30,
} as const;
/** The path the API serves when no prefixes are given. */
export const DEFAULT_PATH_PREFIXES: readonly string[] = ['api'];

/** What the API invokes: the function (`LibreChatFunction`), or an alias of it. */
export interface InvokeTarget {
  /** ARN of the function, or of its alias. */
  readonly functionArn: string;
  /** Name of the function (for the invoke permission). */
  readonly functionName: string;
  /** The alias `functionArn` names, so the invoke permission is granted on it. */
  readonly qualifier?: string;
}

export interface StreamingRestApiProps {
  /** Name of the REST API (unique per environment), e.g. `librechat-api-dev`. */
  readonly name: string;
  /** The function (or alias) that answers every routed request. */
  readonly target: InvokeTarget;
  /** Region of the API and the function (part of the integration URI). */
  readonly region: string;
  /** The site origin allowed by CORS preflight answers, e.g. `https://chat.example.com`. */
  readonly allowedOrigin: string;
  /** The API's single stage; CloudFront's origin path points at it. @default STREAMING_REST_API_DEFAULTS.stageName */
  readonly stageName?: string;
  /** Stage-wide throttling. @default STREAMING_REST_API_DEFAULTS.throttle */
  readonly throttle?: { readonly burstLimit: number; readonly rateLimit: number };
  /** Retention of the access log group. @default STREAMING_REST_API_DEFAULTS.accessLogRetentionDays */
  readonly accessLogRetentionDays?: number;
  /** Integration timeout; streaming integrations accept up to 15 minutes. @default 900000 */
  readonly integrationTimeoutMs?: number;
  /**
   * First path segments routed to the function, each as `/<prefix>/{proxy+}`. CORS preflight is
   * answered on the first one (the API). @default DEFAULT_PATH_PREFIXES
   */
  readonly pathPrefixes?: string[];
  /** Headers a browser may send cross-origin (answered by the preflight). */
  readonly corsAllowedHeaders?: string[];
  /** What the stage must wait for (the account's CloudWatch role when access logging is new). */
  readonly stageDependsOn?: ITerraformDependable[];
}

/** Methods answered by the CORS preflight. */
const CORS_METHODS = ['DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT'];
const DEFAULT_CORS_HEADERS = ['Authorization', 'Content-Type', 'X-Requested-With', 'Accept'];

/** Access log line: one JSON object per request. */
const ACCESS_LOG_FORMAT = JSON.stringify({
  requestId: '$context.requestId',
  ip: '$context.identity.sourceIp',
  requestTime: '$context.requestTime',
  httpMethod: '$context.httpMethod',
  path: '$context.path',
  status: '$context.status',
  protocol: '$context.protocol',
  responseLength: '$context.responseLength',
  responseLatency: '$context.responseLatency',
  integrationLatency: '$context.integrationLatency',
  integrationStatus: '$context.integration.status',
  errorMessage: '$context.error.message',
});

/**
 * Lambda's response-streaming invocation path. With `response_transfer_mode = STREAM` API Gateway
 * calls InvokeWithResponseStream and passes chunks on as they arrive (SSE).
 */
export function streamingInvocationUri(region: string, functionArn: string): string {
  return `arn:aws:apigateway:${region}:lambda:path/2021-11-15/functions/${functionArn}/response-streaming-invocations`;
}

/**
 * The LibreChat REST API (v1): `ANY /api/{proxy+}` (and each further prefix, such as the OpenID
 * routes under `/oauth`) streams from the Lambda function, `OPTIONS /api/{proxy+}` answers CORS
 * preflights without invoking it, and one stage with access logs and throttling is
 * redeployed whenever any of its routes change.
 */
export class StreamingRestApi extends Construct {
  readonly restApi: ApiGatewayRestApi;
  readonly stage: ApiGatewayStage;
  readonly stageName: string;
  readonly accessLogGroup: CloudwatchLogGroup;
  /** The integration of the first prefix (`/api/{proxy+}`). */
  readonly proxyIntegration: ApiGatewayIntegration;
  /** First path segments routed to the function. */
  readonly pathPrefixes: string[];
  private readonly region: string;

  constructor(scope: Construct, id: string, props: StreamingRestApiProps) {
    super(scope, id);
    this.region = props.region;
    const throttle = props.throttle ?? STREAMING_REST_API_DEFAULTS.throttle;
    const prefixes = props.pathPrefixes ?? DEFAULT_PATH_PREFIXES;

    this.restApi = new ApiGatewayRestApi(this, 'rest_api', {
      name: props.name,
      description: `LibreChat API: ${prefixes.map((p) => `/${p}/*`).join(', ')} streamed from Lambda`,
      endpointConfiguration: { types: ['REGIONAL'] },
      // Every request body is binary to API Gateway: it reaches the function base64-encoded and
      // byte-exact. Otherwise bodies of other content types are treated as text, which
      // corrupts multipart uploads (images, PDFs).
      binaryMediaTypes: ['*/*'],
    });
    const restApiId = this.restApi.id;

    if (prefixes.length === 0 || prefixes.some((p) => !/^[a-z0-9-]+$/.test(p))) {
      throw new ValidationError(
        this,
        `pathPrefixes must be lowercase path segments, got ${JSON.stringify(prefixes)}`,
      );
    }
    this.stageName = props.stageName ?? STREAMING_REST_API_DEFAULTS.stageName;
    const routes: TerraformResource[] = [];
    const proxyResources: ApiGatewayResource[] = [];
    const integrations: ApiGatewayIntegration[] = [];
    for (const prefix of prefixes) {
      // The first prefix keeps the original ids so existing deployments are not replaced.
      const suffix = prefix === prefixes[0] ? '' : `_${prefix}`;
      const prefixResource = new ApiGatewayResource(this, `api_resource${suffix}`, {
        restApiId,
        parentId: this.restApi.rootResourceId,
        pathPart: prefix,
      });
      const proxyResource = new ApiGatewayResource(this, `proxy_resource${suffix}`, {
        restApiId,
        parentId: prefixResource.id,
        pathPart: '{proxy+}',
      });
      // Every method reaches LibreChat; it does its own authentication (JWT cookies).
      const anyMethod = new ApiGatewayMethod(this, `proxy_any${suffix}`, {
        restApiId,
        resourceId: proxyResource.id,
        httpMethod: 'ANY',
        authorization: 'NONE',
      });
      const integration = new ApiGatewayIntegration(this, `proxy_integration${suffix}`, {
        restApiId,
        resourceId: proxyResource.id,
        httpMethod: anyMethod.httpMethod,
        type: 'AWS_PROXY',
        integrationHttpMethod: 'POST',
        uri: streamingInvocationUri(props.region, props.target.functionArn),
        responseTransferMode: 'STREAM',
        timeoutMilliseconds: props.integrationTimeoutMs ?? 900_000,
      });
      routes.push(prefixResource, proxyResource, anyMethod, integration);
      proxyResources.push(proxyResource);
      integrations.push(integration);
    }
    this.proxyIntegration = integrations[0];
    const proxyResource = proxyResources[0];

    // CORS preflight (FR-042), answered by API Gateway itself: same-origin requests through
    // CloudFront never need it, but a preflight must not wake the function.
    const optionsMethod = new ApiGatewayMethod(this, 'proxy_options', {
      restApiId,
      resourceId: proxyResource.id,
      httpMethod: 'OPTIONS',
      authorization: 'NONE',
    });
    const optionsIntegration = new ApiGatewayIntegration(this, 'proxy_options_integration', {
      restApiId,
      resourceId: proxyResource.id,
      httpMethod: optionsMethod.httpMethod,
      type: 'MOCK',
      requestTemplates: { 'application/json': '{"statusCode": 200}' },
      // With every media type binary, a MOCK integration applies its template only to a body
      // converted to text.
      contentHandling: 'CONVERT_TO_TEXT',
    });
    const corsHeaders: Record<string, string> = {
      'method.response.header.Access-Control-Allow-Origin': `'${props.allowedOrigin}'`,
      'method.response.header.Access-Control-Allow-Methods': `'${CORS_METHODS.join(',')}'`,
      'method.response.header.Access-Control-Allow-Headers': `'${(props.corsAllowedHeaders ?? DEFAULT_CORS_HEADERS).join(',')}'`,
      'method.response.header.Access-Control-Allow-Credentials': "'true'",
      'method.response.header.Access-Control-Max-Age': "'3600'",
      'method.response.header.Vary': "'Origin'",
    };
    const optionsResponse = new ApiGatewayMethodResponse(this, 'proxy_options_200', {
      restApiId,
      resourceId: proxyResource.id,
      httpMethod: optionsMethod.httpMethod,
      statusCode: '200',
      responseParameters: Object.fromEntries(Object.keys(corsHeaders).map((h) => [h, true])),
    });
    const optionsIntegrationResponse = new ApiGatewayIntegrationResponse(
      this,
      'proxy_options_integration_200',
      {
        restApiId,
        resourceId: proxyResource.id,
        httpMethod: optionsMethod.httpMethod,
        statusCode: optionsResponse.statusCode,
        responseParameters: corsHeaders,
        dependsOn: [optionsIntegration],
      },
    );

    routes.push(optionsMethod, optionsIntegration, optionsResponse, optionsIntegrationResponse);
    const deployment = new ApiGatewayDeployment(this, 'deployment', {
      restApiId,
      description: 'Managed by cdktf; replaced whenever a route changes',
      // A deployment is a snapshot: redeploy when any route's configuration changes (the
      // synth-time hash sees every attribute; the ids catch resources replaced at apply time).
      triggers: {
        configuration: Lazy.stringValue({
          produce: (context) =>
            configurationHash(routes.map((r) => context.resolve(r.toTerraform()))),
        }),
        resources: Fn.sha1(Fn.jsonencode(routes.map((r) => r.getStringAttribute('id')))),
      },
      lifecycle: { createBeforeDestroy: true },
      dependsOn: routes,
    });

    this.accessLogGroup = new CloudwatchLogGroup(this, 'access_logs', {
      name: `/aws/apigateway/${props.name}/${this.stageName}/access`,
      retentionInDays:
        props.accessLogRetentionDays ?? STREAMING_REST_API_DEFAULTS.accessLogRetentionDays,
    });
    this.stage = new ApiGatewayStage(this, 'stage', {
      restApiId,
      stageName: this.stageName,
      deploymentId: deployment.id,
      accessLogSettings: { destinationArn: this.accessLogGroup.arn, format: ACCESS_LOG_FORMAT },
      dependsOn: props.stageDependsOn,
    });
    new ApiGatewayMethodSettings(this, 'stage_settings', {
      restApiId,
      stageName: this.stage.stageName,
      methodPath: '*/*',
      settings: {
        metricsEnabled: true,
        loggingLevel: 'OFF',
        throttlingBurstLimit: throttle.burstLimit,
        throttlingRateLimit: throttle.rateLimit,
      },
    });

    // Only this API's stage may invoke the function, and only on its routed prefixes.
    prefixes.forEach((prefix, i) => {
      new LambdaPermission(this, i === 0 ? 'invoke_permission' : `invoke_permission_${prefix}`, {
        statementId: i === 0 ? 'AllowInvokeFromRestApi' : `AllowInvokeFromRestApi-${prefix}`,
        action: 'lambda:InvokeFunction',
        functionName: props.target.functionName,
        qualifier: props.target.qualifier,
        principal: 'apigateway.amazonaws.com',
        sourceArn: `${this.restApi.executionArn}/${this.stageName}/*/${prefix}/*`,
      });
    });
    this.pathPrefixes = [...prefixes];
  }

  /** Host name of the stage's invoke endpoint (CloudFront's origin domain). */
  get executeApiDomain(): string {
    return `${this.restApi.id}.execute-api.${this.region}.amazonaws.com`;
  }

  /** `https://<id>.execute-api.<region>.amazonaws.com/<stage>` */
  get invokeUrl(): string {
    return this.stage.invokeUrl;
  }
}

function configurationHash(resolvedRoutes: unknown[]): string {
  return createHash('sha256').update(JSON.stringify(resolvedRoutes)).digest('hex');
}
