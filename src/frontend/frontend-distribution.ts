import type { TerraformProvider } from 'cdktf';
import { Construct } from 'constructs';
import {
  CloudfrontModule,
  type CloudfrontOrderedCacheBehavior,
  type CloudfrontOrigin,
} from '../../.gen/modules';
import { ValidationError } from '../core/validation-error';

/** AWS managed cache policy CachingOptimized (long TTLs, gzip/brotli in the cache key). */
export const CACHING_OPTIMIZED_POLICY_ID = '658327ea-f89d-4fab-a63d-7e88639e58f6';

/**
 * Newest TLS 1.2 policy (TLS 1.2 with AEAD ciphers only, and TLS 1.3). It is also the module's
 * default; TLSv1.3_2025 would lock out TLS 1.2-only clients such as older corporate proxies.
 */
export const MINIMUM_PROTOCOL_VERSION = 'TLSv1.2_2025';

/** Keys of the distribution's own entries in the module's maps. */
export const S3_ORIGIN_KEY = 's3_frontend';
export const SPA_ROUTING_FUNCTION_KEY = 'spa_routing';
export const SECURITY_HEADERS_POLICY_KEY = 'security_headers';

/** CloudFront price classes: which edge locations serve the site (cost vs. latency). */
export const PRICE_CLASSES = ['PriceClass_100', 'PriceClass_200', 'PriceClass_All'] as const;
export type PriceClass = (typeof PRICE_CLASSES)[number];
export const DEFAULT_PRICE_CLASS: PriceClass = 'PriceClass_100';

/** An ordered cache behavior whose viewer protocol policy may be left to the default. */
export type AdditionalBehavior = Omit<CloudfrontOrderedCacheBehavior, 'viewerProtocolPolicy'> &
  Partial<Pick<CloudfrontOrderedCacheBehavior, 'viewerProtocolPolicy'>>;

/**
 * Another origin of the site and the paths it serves (e.g. the API's `/api/*`), added with
 * `addRoute`. Its behaviors are evaluated before the default S3 behavior, in order;
 * `viewerProtocolPolicy` defaults to redirect-to-https. They may use
 * `responseHeadersPolicyKey: SECURITY_HEADERS_POLICY_KEY`, never the SPA routing function.
 */
export interface DistributionRoute {
  readonly originId: string;
  readonly origin: CloudfrontOrigin;
  readonly behaviors: readonly AdditionalBehavior[];
}

export interface FrontendDistributionProps {
  /** Environment name: makes the account-wide names (OAC, function, headers policy) unique. */
  readonly environment: string;
  /** The site's domain (the distribution's alias). */
  readonly domainName: string;
  /** Existing ACM certificate in us-east-1 covering `domainName`. */
  readonly certificateArn: string;
  /** @default PriceClass_100 */
  readonly priceClass?: PriceClass;
  /** Regional domain name of the frontend bucket (`FrontendBucket.regionalDomainName`). */
  readonly bucketRegionalDomainName: string;
  /** Source of the SPA routing CloudFront Function (src/frontend/functions/spa-routing.js). */
  readonly spaRoutingFunctionCode: string;
  /** ARN of the AWS WAF (v2, scope CLOUDFRONT) web ACL in front of the site. */
  readonly webAclArn?: string;
  /** CloudFront is a global API: any regional AWS provider will do. */
  readonly provider?: TerraformProvider;
  readonly tags?: Record<string, string>;
}

/**
 * The site's CloudFront distribution (terraform-aws-modules/cloudfront): the custom domain over
 * HTTPS only, the private frontend bucket as default origin through origin access control, SPA
 * routing by a viewer-request function on that default behavior only (no distribution-wide
 * custom error responses, which would also turn API errors into index.html), and security
 * headers on what the bucket serves.
 */
export class FrontendDistribution extends Construct {
  readonly distributionId: string;
  readonly distributionArn: string;
  /** The distribution's own domain name (`d111111abcdef8.cloudfront.net`). */
  readonly domainName: string;
  /** Route53 zone id of CloudFront, for alias records. */
  readonly hostedZoneId: string;
  readonly module: CloudfrontModule;
  // The module's inputs hold these two by reference, so routes added later are synthesized.
  private readonly origins: Record<string, CloudfrontOrigin>;
  private readonly behaviors: CloudfrontOrderedCacheBehavior[] = [];

  constructor(scope: Construct, id: string, props: FrontendDistributionProps) {
    super(scope, id);
    const env = props.environment;
    this.origins = {
      [S3_ORIGIN_KEY]: {
        domainName: props.bucketRegionalDomainName,
        originAccessControlKey: S3_ORIGIN_KEY,
      },
    };

    this.module = new CloudfrontModule(this, 'cloudfront', {
      providers: props.provider ? [props.provider] : undefined,
      comment: `LibreChat ${env}`,
      aliases: [props.domainName],
      enabled: true,
      httpVersion: 'http2and3',
      isIpv6Enabled: true,
      priceClass: props.priceClass ?? DEFAULT_PRICE_CLASS,
      webAclId: props.webAclArn,
      defaultRootObject: 'index.html',
      viewerCertificate: {
        acmCertificateArn: props.certificateArn,
        sslSupportMethod: 'sni-only',
        minimumProtocolVersion: MINIMUM_PROTOCOL_VERSION,
      },
      // Replaces the module's default OAC, named `s3` account-wide (a second stack would clash).
      originAccessControl: {
        [S3_ORIGIN_KEY]: {
          name: `librechat-frontend-${env}`,
          description: `LibreChat ${env}: CloudFront signs its requests to the frontend bucket`,
          originType: 's3',
          signingBehavior: 'always',
          signingProtocol: 'sigv4',
        },
      },
      origin: this.origins,
      defaultCacheBehavior: {
        targetOriginId: S3_ORIGIN_KEY,
        viewerProtocolPolicy: 'redirect-to-https',
        allowedMethods: ['GET', 'HEAD'],
        cachedMethods: ['GET', 'HEAD'],
        compress: true,
        cachePolicyId: CACHING_OPTIMIZED_POLICY_ID,
        responseHeadersPolicyKey: SECURITY_HEADERS_POLICY_KEY,
        functionAssociation: { 'viewer-request': { functionKey: SPA_ROUTING_FUNCTION_KEY } },
      },
      orderedCacheBehavior: this.behaviors,
      cloudfrontFunctions: {
        [SPA_ROUTING_FUNCTION_KEY]: {
          name: `librechat-spa-routing-${env}`,
          runtime: 'cloudfront-js-2.0',
          comment: 'Serves index.html for client-side routes of the LibreChat web app',
          publish: true,
          code: props.spaRoutingFunctionCode,
        },
      },
      responseHeadersPolicies: {
        [SECURITY_HEADERS_POLICY_KEY]: {
          name: `librechat-security-headers-${env}`,
          comment: 'HSTS, nosniff, same-origin framing only, referrer policy',
          securityHeadersConfig: {
            strictTransportSecurity: {
              accessControlMaxAgeSec: 31536000,
              includeSubdomains: true,
              override: true,
            },
            contentTypeOptions: { override: true },
            // SAMEORIGIN, not DENY: LibreChat's App.jsx loads assets/silence.mp3 in a hidden
            // same-origin iframe to unblock audio autoplay, which DENY breaks.
            frameOptions: { frameOption: 'SAMEORIGIN', override: true },
            referrerPolicy: { referrerPolicy: 'strict-origin-when-cross-origin', override: true },
          },
        },
      },
      tags: props.tags,
    });

    this.distributionId = this.module.cloudfrontDistributionId;
    this.distributionArn = this.module.cloudfrontDistributionArn;
    this.domainName = this.module.cloudfrontDistributionDomainName;
    this.hostedZoneId = this.module.cloudfrontDistributionHostedZoneId;
  }

  /**
   * Sends the route's paths to its origin (the behaviors come before the default S3 one, in the
   * order added). Mistakes would otherwise surface only at plan or in production, so they fail here.
   */
  addRoute(route: DistributionRoute): this {
    const where = `route "${route.originId}"`;
    if (route.originId in this.origins) {
      throw new ValidationError(this, `${where}: origin id used twice`);
    }
    const originIds = [...Object.keys(this.origins), route.originId];
    const patterns = new Set(this.behaviors.map((b) => b.pathPattern));
    for (const behavior of route.behaviors) {
      const at = `${where}, behavior "${behavior.pathPattern}"`;
      if (patterns.has(behavior.pathPattern))
        throw new ValidationError(this, `${at}: path pattern used twice`);
      patterns.add(behavior.pathPattern);
      if (!originIds.includes(behavior.targetOriginId)) {
        throw new ValidationError(
          this,
          `${at}: unknown targetOriginId "${behavior.targetOriginId}" (origins: ${originIds.join(', ')})`,
        );
      }
      const functions = Object.values(behavior.functionAssociation ?? {});
      if (functions.some((f) => f.functionKey === SPA_ROUTING_FUNCTION_KEY)) {
        throw new ValidationError(
          this,
          `${at}: the SPA routing function belongs to the default (S3) behavior only; on another behavior it would answer that path's requests with index.html`,
        );
      }
    }
    this.origins[route.originId] = route.origin;
    this.behaviors.push(
      ...route.behaviors.map((behavior) => ({
        ...behavior,
        viewerProtocolPolicy: behavior.viewerProtocolPolicy ?? 'redirect-to-https',
      })),
    );
    return this;
  }
}
