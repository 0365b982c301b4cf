import { moduleDefaults, moduleInput } from '../module-defaults';
import type { GuardrailRule, Violation } from '../rule';
import {
  blocksOf,
  isExpression,
  type Block,
  type TerraformDocument,
  type TerraformElement,
} from '../terraform-document';

export const CLOUDFRONT_MODULE_SOURCE = 'terraform-aws-modules/cloudfront/aws';
const HTTPS_VIEWER_POLICIES = ['redirect-to-https', 'https-only'];
/** TLSv1.2_2018, _2019, _2021, _2025, TLSv1.3_2025 and later. */
const MODERN_VIEWER_TLS = /^TLSv1\.[2-9]_\d{4}$/;

/** A distribution, module or raw, normalised to the attributes the rules read. */
interface Distribution {
  readonly element: TerraformElement;
  readonly defaultBehavior: Block | undefined;
  readonly orderedBehaviors: Block[];
  readonly certificate: Block;
  readonly origins: Array<{ key: string; origin: Block }>;
  /** Default of `viewer_protocol_policy` when unset (the module's optional() default). */
  readonly defaultViewerPolicy?: string;
  readonly defaultMinimumTls?: string;
  readonly defaultOriginSslProtocols?: unknown;
  /** OAC keys the module defines (module only). */
  readonly oacKeys?: string[];
}

function distributions(document: TerraformDocument): Distribution[] {
  const out: Distribution[] = [];
  for (const m of document.modules(CLOUDFRONT_MODULE_SOURCE)) {
    if (moduleInput(m, 'create') === false) continue;
    const defaults = moduleDefaults(m.type, String(m.body.version ?? ''));
    const origins = (moduleInput(m, 'origin') ?? {}) as Record<string, Block>;
    out.push({
      element: m,
      defaultBehavior: m.body.default_cache_behavior,
      orderedBehaviors: blocksOf(moduleInput(m, 'ordered_cache_behavior')),
      certificate: (moduleInput(m, 'viewer_certificate') ?? {}) as Block,
      origins: Object.entries(origins).map(([key, origin]) => ({ key, origin })),
      defaultViewerPolicy: defaults['default_cache_behavior.viewer_protocol_policy'] as string,
      defaultMinimumTls: defaults['viewer_certificate.minimum_protocol_version'] as string,
      defaultOriginSslProtocols: defaults['origin.custom_origin_config.origin_ssl_protocols'],
      oacKeys: Object.keys((moduleInput(m, 'origin_access_control') ?? {}) as Block),
    });
  }
  for (const d of document.resources('aws_cloudfront_distribution')) {
    out.push({
      element: d,
      defaultBehavior: blocksOf(d.body.default_cache_behavior)[0],
      orderedBehaviors: blocksOf(d.body.ordered_cache_behavior),
      certificate: blocksOf(d.body.viewer_certificate)[0] ?? {},
      origins: blocksOf(d.body.origin).map((origin, i) => ({
        key: String(origin.origin_id ?? i),
        origin,
      })),
    });
  }
  return out;
}

export const cloudfrontViewerHttpsRule: GuardrailRule = {
  id: 'GR-CF-VIEWER-HTTPS',
  description:
    'CloudFront viewers use HTTPS: every cache behavior redirects to HTTPS or is HTTPS-only, with a custom certificate and minimum_protocol_version TLSv1.2_* or newer',
  fix: 'set viewer_protocol_policy = "redirect-to-https" on every behavior and viewer_certificate { acm_certificate_arn, ssl_support_method = "sni-only", minimum_protocol_version = "TLSv1.2_2021" or newer }',
  check(document) {
    const out: Violation[] = [];
    for (const d of distributions(document)) {
      const behaviors: Array<[string, Block | undefined]> = [
        ['default_cache_behavior', d.defaultBehavior],
        ...d.orderedBehaviors.map((b, i): [string, Block] => [
          `ordered_cache_behavior "${b.path_pattern ?? i}"`,
          b,
        ]),
      ];
      for (const [label, behavior] of behaviors) {
        const policy =
          behavior?.viewer_protocol_policy ??
          (label === 'default_cache_behavior' ? d.defaultViewerPolicy : undefined);
        if (!HTTPS_VIEWER_POLICIES.includes(policy)) {
          out.push({
            element: d.element,
            problem: `${label} viewer_protocol_policy is ${JSON.stringify(policy ?? null)}`,
            fix: 'set viewer_protocol_policy = "redirect-to-https"',
          });
        }
      }
      const cert = d.certificate;
      if (
        cert.cloudfront_default_certificate === true ||
        (!cert.acm_certificate_arn && !cert.iam_certificate_id)
      ) {
        out.push({
          element: d.element,
          problem:
            'viewer_certificate uses the default *.cloudfront.net certificate, which allows TLSv1',
          fix: 'set viewer_certificate.acm_certificate_arn (us-east-1) with ssl_support_method = "sni-only"',
        });
      }
      const minimum = cert.minimum_protocol_version ?? d.defaultMinimumTls;
      if (!(typeof minimum === 'string' && MODERN_VIEWER_TLS.test(minimum))) {
        out.push({
          element: d.element,
          problem: `viewer_certificate.minimum_protocol_version is ${JSON.stringify(minimum ?? null)}`,
          fix: 'set viewer_certificate.minimum_protocol_version = "TLSv1.2_2021" (or TLSv1.2_2025)',
        });
      }
    }
    return out;
  },
};

/** Looks like an S3 REST endpoint (bucket.s3.region.amazonaws.com) or a bucket output. */
function isS3Domain(domain: unknown): boolean {
  if (typeof domain !== 'string') return false;
  if (isExpression(domain)) return /bucket_(regional_)?domain_name/.test(domain);
  return /\.s3[.-]/.test(domain) && !/s3-website/.test(domain);
}

export const cloudfrontS3OacRule: GuardrailRule = {
  id: 'GR-CF-S3-OAC',
  description: 'CloudFront S3 origins use Origin Access Control (no public bucket, no legacy OAI)',
  fix: 'give the origin origin_access_control_key (module, a key of origin_access_control) or origin_access_control_id, and allow cloudfront.amazonaws.com with aws:SourceArn in the bucket policy',
  check(document) {
    const out: Violation[] = [];
    for (const d of distributions(document)) {
      for (const { key, origin } of d.origins) {
        const custom = blocksOf(origin.custom_origin_config).length > 0;
        const vpc = blocksOf(origin.vpc_origin_config).length > 0;
        // An origin with neither custom nor VPC config is an S3 origin to CloudFront.
        if (!isS3Domain(origin.domain_name) && (custom || vpc)) continue;
        if (custom) {
          out.push({
            element: d.element,
            problem: `origin "${key}" reaches S3 (${origin.domain_name}) as a custom origin`,
            fix: 'use the bucket REST endpoint (bucket_regional_domain_name) with origin access control, not a website endpoint or custom_origin_config',
          });
          continue;
        }
        if (origin.origin_access_control_id) continue;
        const oacKey = origin.origin_access_control_key;
        if (oacKey && (d.oacKeys === undefined || d.oacKeys.includes(oacKey))) continue;
        out.push({
          element: d.element,
          problem: oacKey
            ? `origin "${key}" names origin_access_control_key "${oacKey}", which origin_access_control does not define`
            : `S3 origin "${key}" has no origin access control`,
        });
      }
    }
    return out;
  },
};

export const cloudfrontOriginHttpsRule: GuardrailRule = {
  id: 'GR-CF-ORIGIN-HTTPS',
  description: 'CloudFront custom origins (API Gateway) are reached over HTTPS only, TLSv1.2',
  fix: 'set custom_origin_config.origin_protocol_policy = "https-only" and origin_ssl_protocols = ["TLSv1.2"]',
  check(document) {
    const out: Violation[] = [];
    for (const d of distributions(document)) {
      for (const { key, origin } of d.origins) {
        const config = blocksOf(origin.custom_origin_config)[0];
        if (!config) continue;
        if (config.origin_protocol_policy !== 'https-only') {
          out.push({
            element: d.element,
            problem: `origin "${key}" origin_protocol_policy is ${JSON.stringify(config.origin_protocol_policy ?? null)}`,
          });
        }
        const protocols = config.origin_ssl_protocols ?? d.defaultOriginSslProtocols;
        if (
          !Array.isArray(protocols) ||
          protocols.length === 0 ||
          protocols.some((p) => p !== 'TLSv1.2')
        ) {
          out.push({
            element: d.element,
            problem: `origin "${key}" origin_ssl_protocols is ${JSON.stringify(protocols ?? null)}`,
          });
        }
      }
    }
    return out;
  },
};
