import type { TerraformModuleUserConfig } from 'cdktf';
import type { Construct } from 'constructs';
import type { ModuleInputShape } from './module-inputs';
import { RegistryModule } from './registry-module';

export interface CloudfrontOriginAccessControl {
  readonly name?: string;
  readonly description?: string;
  readonly originType: 's3' | 'lambda' | 'mediastore' | 'mediapackagev2';
  readonly signingBehavior: 'always' | 'never' | 'no-override';
  readonly signingProtocol: 'sigv4';
}

export interface CloudfrontCustomOriginConfig {
  readonly httpPort: number;
  readonly httpsPort: number;
  readonly originProtocolPolicy: 'http-only' | 'https-only' | 'match-viewer';
  readonly originSslProtocols?: string[];
  readonly originReadTimeout?: number;
  readonly originKeepaliveTimeout?: number;
}

export interface CloudfrontOrigin {
  readonly domainName: string;
  readonly originId?: string;
  readonly originPath?: string;
  /** Key of an entry in `originAccessControl`. */
  readonly originAccessControlKey?: string;
  readonly originAccessControlId?: string;
  readonly connectionAttempts?: number;
  readonly connectionTimeout?: number;
  readonly responseCompletionTimeout?: number;
  /** Header name -> value, sent to the origin as given. */
  readonly customHeader?: Record<string, string>;
  readonly customOriginConfig?: CloudfrontCustomOriginConfig;
}

export interface CloudfrontFunctionAssociation {
  readonly functionArn?: string;
  /** Key of an entry in `cloudfrontFunctions`. */
  readonly functionKey?: string;
}

export interface CloudfrontCacheBehavior {
  readonly targetOriginId: string;
  readonly viewerProtocolPolicy?: 'allow-all' | 'https-only' | 'redirect-to-https';
  readonly allowedMethods?: string[];
  readonly cachedMethods?: string[];
  readonly compress?: boolean;
  readonly cachePolicyId?: string;
  readonly originRequestPolicyId?: string;
  readonly responseHeadersPolicyId?: string;
  /** Key of an entry in `responseHeadersPolicies`. */
  readonly responseHeadersPolicyKey?: string;
  /** Event type (viewer-request, viewer-response) -> function. */
  readonly functionAssociation?: Record<string, CloudfrontFunctionAssociation>;
}

export interface CloudfrontOrderedCacheBehavior extends CloudfrontCacheBehavior {
  readonly pathPattern: string;
}

export interface CloudfrontViewerCertificate {
  readonly acmCertificateArn?: string;
  readonly cloudfrontDefaultCertificate?: boolean;
  readonly minimumProtocolVersion?: string;
  readonly sslSupportMethod?: 'sni-only' | 'vip' | 'static-ip';
}

export interface CloudfrontCustomErrorResponse {
  readonly errorCode: number;
  readonly responseCode?: number;
  readonly responsePagePath?: string;
  readonly errorCachingMinTtl?: number;
}

export interface CloudfrontFunction {
  readonly name?: string;
  readonly runtime?: 'cloudfront-js-1.0' | 'cloudfront-js-2.0';
  readonly comment?: string;
  readonly publish?: boolean;
  readonly code: string;
}

export interface CloudfrontSecurityHeaders {
  readonly contentTypeOptions?: { readonly override: boolean };
  readonly frameOptions?: {
    readonly frameOption: 'DENY' | 'SAMEORIGIN';
    readonly override: boolean;
  };
  readonly referrerPolicy?: { readonly referrerPolicy: string; readonly override: boolean };
  readonly strictTransportSecurity?: {
    readonly accessControlMaxAgeSec: number;
    readonly override: boolean;
    readonly includeSubdomains?: boolean;
    readonly preload?: boolean;
  };
  readonly xssProtection?: {
    readonly modeBlock: boolean;
    readonly override: boolean;
    readonly protection: boolean;
  };
  readonly contentSecurityPolicy?: {
    readonly contentSecurityPolicy: string;
    readonly override: boolean;
  };
}

export interface CloudfrontResponseHeadersPolicy {
  readonly name?: string;
  readonly comment?: string;
  readonly securityHeadersConfig?: CloudfrontSecurityHeaders;
}

/** Inputs of terraform-aws-modules/cloudfront/aws that this project uses. */
export interface CloudfrontModuleInputs {
  readonly aliases?: string[];
  readonly comment?: string;
  readonly enabled?: boolean;
  readonly httpVersion?: 'http1.1' | 'http2' | 'http2and3' | 'http3';
  readonly isIpv6Enabled?: boolean;
  readonly priceClass?: 'PriceClass_All' | 'PriceClass_200' | 'PriceClass_100';
  readonly defaultRootObject?: string;
  readonly retainOnDelete?: boolean;
  readonly waitForDeployment?: boolean;
  readonly webAclId?: string;
  readonly originAccessControl?: Record<string, CloudfrontOriginAccessControl>;
  readonly origin?: Record<string, CloudfrontOrigin>;
  readonly defaultCacheBehavior: CloudfrontCacheBehavior;
  readonly orderedCacheBehavior?: CloudfrontOrderedCacheBehavior[];
  readonly viewerCertificate?: CloudfrontViewerCertificate;
  readonly customErrorResponse?: CloudfrontCustomErrorResponse[];
  readonly cloudfrontFunctions?: Record<string, CloudfrontFunction>;
  readonly responseHeadersPolicies?: Record<string, CloudfrontResponseHeadersPolicy>;
  readonly tags?: Record<string, string>;
}

export interface CloudfrontModuleProps extends CloudfrontModuleInputs, TerraformModuleUserConfig {}

/** Typed binding of terraform-aws-modules/cloudfront/aws, pinned to one exact version. */
export class CloudfrontModule extends RegistryModule<CloudfrontModuleInputs> {
  static readonly SOURCE = 'terraform-aws-modules/cloudfront/aws';
  static readonly VERSION = '6.6.0';
  static readonly SHAPE: ModuleInputShape = {
    maps: [
      'origin_access_control',
      'origin',
      'cloudfront_functions',
      'response_headers_policies',
      'default_cache_behavior.function_association',
      'ordered_cache_behavior.function_association',
    ],
    verbatim: ['tags', 'origin.*.custom_header'],
  };

  constructor(scope: Construct, id: string, props: CloudfrontModuleProps) {
    super(
      scope,
      id,
      {
        source: CloudfrontModule.SOURCE,
        version: CloudfrontModule.VERSION,
        shape: CloudfrontModule.SHAPE,
      },
      props,
    );
  }

  get cloudfrontDistributionId(): string {
    return this.getString('cloudfront_distribution_id');
  }
  get cloudfrontDistributionArn(): string {
    return this.getString('cloudfront_distribution_arn');
  }
  get cloudfrontDistributionDomainName(): string {
    return this.getString('cloudfront_distribution_domain_name');
  }
  get cloudfrontDistributionHostedZoneId(): string {
    return this.getString('cloudfront_distribution_hosted_zone_id');
  }
}
