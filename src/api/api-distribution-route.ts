import type { CloudfrontOrderedCacheBehavior, CloudfrontOrigin } from '../../.gen/modules';
import { DEFAULT_PATH_PREFIXES } from './streaming-rest-api';

/** CloudFront managed policies (ids are global constants). */
export const CACHING_DISABLED_POLICY_ID = '4135ea2d-6df8-44a3-9df3-4b5a84be39ad';
export const ALL_VIEWER_EXCEPT_HOST_HEADER_POLICY_ID = 'b689b0a8-53d0-40ab-baf2-68738e2966ac';
/**
 * Origin request policies documented to add CloudFront-Viewer-Address themselves
 * (AllViewerAndCloudFrontHeaders-2022-06). Only then may the API trust that header: otherwise a
 * viewer can send it and choose the client IP LibreChat's rate limits and bans key on.
 */
export const POLICIES_ADDING_VIEWER_ADDRESS: ReadonlySet<string> = new Set([
  '33f36d7e-f396-46d9-90e0-52428a34d9dc',
]);

/** CloudFront's timeouts towards the API (the config schema's defaults too). */
export const API_ROUTE_DEFAULTS = { readTimeoutSeconds: 60, keepaliveTimeoutSeconds: 5 } as const;

export interface ApiDistributionRouteProps {
  /** The API's execute-api host name. */
  readonly domainName: string;
  /** The API's stage: requests to `/api/x` reach `/<stage>/api/x`. */
  readonly stageName: string;
  /** Longest wait for a first byte and between two chunks of a stream. @default API_ROUTE_DEFAULTS.readTimeoutSeconds */
  readonly readTimeoutSeconds?: number;
  /** @default API_ROUTE_DEFAULTS.keepaliveTimeoutSeconds */
  readonly keepaliveTimeoutSeconds?: number;
  /** Header CloudFront adds so the API can reject requests that bypass it. */
  readonly originVerify: { readonly headerName: string; readonly value: string };
  /** First path segments sent to the API (`/<prefix>/*`), as the API routes them. @default DEFAULT_PATH_PREFIXES */
  readonly pathPrefixes?: string[];
  /** Origin id within the distribution. @default 'api' */
  readonly originId?: string;
  /** The distribution's response headers policy (security headers) for the API behaviors. */
  readonly responseHeadersPolicyKey?: string;
}

export interface ApiDistributionRoute {
  readonly originId: string;
  readonly origin: CloudfrontOrigin;
  /** One ordered behavior per prefix, all to the API origin. */
  readonly behaviors: CloudfrontOrderedCacheBehavior[];
  /** True when the distribution itself adds CloudFront-Viewer-Address to API requests. */
  readonly addsViewerAddress: boolean;
}

/**
 * How the site's distribution sends `/api/*` (and the other routed prefixes) to the REST API: an HTTPS-only origin at the stage
 * path carrying the origin-verify header, and a behavior that never caches, forwards everything
 * the viewer sent except Host (API Gateway routes on its own host name) and leaves streams
 * uncompressed so SSE chunks are not held back.
 */
export function apiDistributionRoute(props: ApiDistributionRouteProps): ApiDistributionRoute {
  const originId = props.originId ?? 'api';
  const originRequestPolicyId = ALL_VIEWER_EXCEPT_HOST_HEADER_POLICY_ID;
  return {
    originId,
    addsViewerAddress: POLICIES_ADDING_VIEWER_ADDRESS.has(originRequestPolicyId),
    origin: {
      domainName: props.domainName,
      originId,
      originPath: `/${props.stageName}`,
      customHeader: { [props.originVerify.headerName]: props.originVerify.value },
      customOriginConfig: {
        httpPort: 80,
        httpsPort: 443,
        originProtocolPolicy: 'https-only',
        originSslProtocols: ['TLSv1.2'],
        originReadTimeout: props.readTimeoutSeconds ?? API_ROUTE_DEFAULTS.readTimeoutSeconds,
        originKeepaliveTimeout:
          props.keepaliveTimeoutSeconds ?? API_ROUTE_DEFAULTS.keepaliveTimeoutSeconds,
      },
    },
    behaviors: (props.pathPrefixes ?? DEFAULT_PATH_PREFIXES).map((prefix) => ({
      pathPattern: `/${prefix}/*`,
      targetOriginId: originId,
      viewerProtocolPolicy: 'https-only' as const,
      allowedMethods: ['DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT'],
      cachedMethods: ['GET', 'HEAD'],
      compress: false,
      cachePolicyId: CACHING_DISABLED_POLICY_ID,
      originRequestPolicyId,
      ...(props.responseHeadersPolicyKey
        ? { responseHeadersPolicyKey: props.responseHeadersPolicyKey }
        : {}),
    })),
  };
}
