// Translates an API Gateway REST API (v1) proxy event into an HTTP request for LibreChat.
import { timingSafeEqual, createHash } from 'node:crypto';
import { isIP } from 'node:net';
import { type OutgoingHttpHeaders, validateHeaderName, validateHeaderValue } from 'node:http';
import type { APIGatewayProxyEvent } from 'aws-lambda';

export interface UpstreamRequest {
  method: string;
  /** Path plus query string, as sent on the request line. */
  path: string;
  headers: OutgoingHttpHeaders;
  body: Buffer;
}

// RFC 9110 section 7.6.1 plus the old ones proxies still drop.
export const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

export type ProxyEvent = Pick<
  APIGatewayProxyEvent,
  | 'httpMethod'
  | 'path'
  | 'headers'
  | 'multiValueHeaders'
  | 'queryStringParameters'
  | 'multiValueQueryStringParameters'
  | 'body'
  | 'isBase64Encoded'
> & {
  requestContext?: { identity?: { sourceIp?: string | null } | null } | null;
};

/** Input that cannot be forwarded: answered with 400, the reason goes to the log only. */
export class BadRequestError extends Error {
  override name = 'BadRequestError';
}

/** A name for the log: quoted, control characters escaped, bounded. */
function shown(name: string): string {
  return JSON.stringify(name.length > 64 ? `${name.slice(0, 64)}…` : name);
}

function objectOrNull(v: unknown, field: string): Record<string, unknown> {
  if (v === undefined || v === null) return {};
  if (typeof v !== 'object' || Array.isArray(v)) {
    throw new BadRequestError(`event.${field} is not an object`);
  }
  return v as Record<string, unknown>;
}

/** Rejects what Node's http.request would throw on (CR/LF, non-Latin-1, invalid token). */
function checkHeader(name: string, value: string): void {
  try {
    validateHeaderName(name);
  } catch {
    throw new BadRequestError(`header name ${shown(name)} is not a valid HTTP token`);
  }
  try {
    validateHeaderValue(name, value);
  } catch {
    throw new BadRequestError(
      `header ${shown(name)} has a value with characters HTTP does not allow (CR/LF, control or non-Latin-1)`,
    );
  }
}

/**
 * All header values by lower-case name; multiValueHeaders wins because it keeps repeats.
 * Throws BadRequestError for values that are not strings or not valid in HTTP.
 */
export function eventHeaders(event: ProxyEvent): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const [k, v] of Object.entries(objectOrNull(event.headers, 'headers'))) {
    if (v === undefined || v === null) continue;
    if (typeof v !== 'string') throw new BadRequestError(`header ${shown(k)} is not a string`);
    checkHeader(k, v);
    out.set(k.toLowerCase(), [v]);
  }
  for (const [k, vs] of Object.entries(
    objectOrNull(event.multiValueHeaders, 'multiValueHeaders'),
  )) {
    if (vs === undefined || vs === null) continue;
    if (!Array.isArray(vs) || vs.some((v) => typeof v !== 'string')) {
      throw new BadRequestError(`multi-value header ${shown(k)} is not a list of strings`);
    }
    for (const v of vs as string[]) checkHeader(k, v);
    if (vs.length > 0) out.set(k.toLowerCase(), [...(vs as string[])]);
  }
  return out;
}

// RFC 9110 token: what http.request accepts as a method.
const METHOD = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** Throws BadRequestError for an event whose fields do not have the types API Gateway sends. */
export function checkEvent(event: ProxyEvent): void {
  if (!METHOD.test(event.httpMethod)) throw new BadRequestError('httpMethod is not an HTTP token');
  if (event.body !== undefined && event.body !== null && typeof event.body !== 'string') {
    throw new BadRequestError('event.body is not a string');
  }
  for (const [k, v] of Object.entries(
    objectOrNull(event.queryStringParameters, 'queryStringParameters'),
  )) {
    if (v !== undefined && v !== null && typeof v !== 'string') {
      throw new BadRequestError(`query parameter ${shown(k)} is not a string`);
    }
  }
  for (const [k, vs] of Object.entries(
    objectOrNull(event.multiValueQueryStringParameters, 'multiValueQueryStringParameters'),
  )) {
    if (
      vs !== undefined &&
      vs !== null &&
      (!Array.isArray(vs) || vs.some((v) => typeof v !== 'string'))
    ) {
      throw new BadRequestError(`query parameter ${shown(k)} is not a list of strings`);
    }
  }
  eventHeaders(event);
}

// API Gateway hands over decoded query values: encode them again, keeping repeats and order.
export function queryString(event: ProxyEvent): string {
  const parts: string[] = [];
  const multi = event.multiValueQueryStringParameters;
  const single = event.queryStringParameters;
  if (multi && Object.keys(multi).length > 0) {
    for (const [k, vs] of Object.entries(multi)) {
      for (const v of vs ?? []) parts.push(`${encodeURIComponent(k)}=${encodeURIComponent(v)}`);
    }
  } else if (single) {
    for (const [k, v] of Object.entries(single)) {
      if (v !== undefined) parts.push(`${encodeURIComponent(k)}=${encodeURIComponent(v)}`);
    }
  }
  return parts.length > 0 ? `?${parts.join('&')}` : '';
}

/** Keeps valid percent-escapes and reserved characters, encodes everything else. */
export function encodePath(p: string): string {
  const withSlash = p.startsWith('/') ? p : `/${p}`;
  return withSlash.replace(/%(?![0-9A-Fa-f]{2})|[^A-Za-z0-9\-._~!$&'()*+,;=:@/%]/g, (c) =>
    encodeURIComponent(c),
  );
}

/** Strips the port from CloudFront-Viewer-Address ("1.2.3.4:5678" or "[2001:db8::1]:5678"). */
export function viewerAddressIp(value: string): string | undefined {
  const v = value.trim();
  const bracket = /^\[([0-9A-Fa-f:.]+)\](?::\d+)?$/.exec(v);
  if (bracket) return bracket[1];
  const v4 = /^(\d{1,3}(?:\.\d{1,3}){3})(?::\d+)?$/.exec(v);
  if (v4) return v4[1];
  // Bare IPv6 with a trailing port: the port is after the last colon.
  const v6 = /^([0-9A-Fa-f:.]+):(\d+)$/.exec(v);
  if (v6 && v6[1].includes(':')) return v6[1];
  return undefined;
}

/**
 * The viewer's IP. Headers that carry it are trusted only when the origin check proved that the
 * request came through CloudFront; otherwise anyone could forge them, so the caller of API
 * Gateway (requestContext.identity.sourceIp) is used. Through CloudFront:
 * - CloudFront-Viewer-Address, only when the distribution itself adds it (`trustViewerAddress`,
 *   an origin request policy that includes it); else a viewer could send it and pick the IP;
 * - else X-Forwarded-For, where each proxy appends the address it saw: CloudFront the viewer's,
 *   then API Gateway CloudFront's (equal to sourceIp). The entry before that last one is the
 *   viewer; anything further left was written by the client and is ignored.
 */
export function viewerIp(
  event: ProxyEvent,
  trustCloudFront: boolean,
  trustViewerAddress = false,
): string | undefined {
  const sourceIp = event.requestContext?.identity?.sourceIp ?? undefined;
  if (!trustCloudFront) return sourceIp;
  const headers = eventHeaders(event);
  const addr = trustViewerAddress ? headers.get('cloudfront-viewer-address')?.[0] : undefined;
  const fromAddress = addr ? viewerAddressIp(addr) : undefined;
  if (fromAddress) return fromAddress;
  const hops = (headers.get('x-forwarded-for') ?? [])
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter((v) => v !== '');
  if (hops.length >= 2 && hops[hops.length - 1] === sourceIp) {
    const viewer = hops[hops.length - 2];
    if (isIP(viewer) !== 0) return viewer;
  }
  return sourceIp;
}

export function requestBody(event: ProxyEvent): Buffer {
  if (event.body === null || event.body === undefined) return Buffer.alloc(0);
  return Buffer.from(event.body, event.isBase64Encoded ? 'base64' : 'utf8');
}

export interface TranslateOptions {
  /** Header names that must not reach LibreChat (the origin-verify header). */
  dropHeaders: string[];
  clientIp?: string;
}

export function toUpstreamRequest(event: ProxyEvent, opts: TranslateOptions): UpstreamRequest {
  const all = eventHeaders(event);
  const drop = new Set([...HOP_BY_HOP, 'content-length', 'x-forwarded-for', ...opts.dropHeaders]);
  // Headers listed in Connection are hop-by-hop too.
  for (const v of all.get('connection') ?? []) {
    for (const name of v.split(',')) drop.add(name.trim().toLowerCase());
  }
  const headers: OutgoingHttpHeaders = {};
  for (const [name, values] of all) {
    if (drop.has(name)) continue;
    // Cookie lines must be joined with "; " (RFC 6265), the rest may stay repeated.
    headers[name] =
      name === 'cookie' ? values.join('; ') : values.length === 1 ? values[0] : values;
  }
  // LibreChat trusts one proxy hop: its req.ip is the last X-Forwarded-For entry, and rate
  // limits and bans key on it. Hand it exactly the viewer's IP.
  if (opts.clientIp && isIP(opts.clientIp) !== 0) headers['x-forwarded-for'] = opts.clientIp;
  const body = requestBody(event);
  const method = (event.httpMethod || 'GET').toUpperCase();
  if (body.length > 0 || !['GET', 'HEAD', 'DELETE', 'OPTIONS'].includes(method)) {
    headers['content-length'] = String(body.length);
  }
  let target: string;
  try {
    target = encodePath(event.path || '/') + queryString(event);
  } catch (err) {
    // encodeURIComponent throws URIError on a lone UTF-16 surrogate.
    throw new BadRequestError(
      `the path or query string cannot be encoded: ${(err as Error).message}`,
    );
  }
  return { method, path: target, headers, body };
}

/** Constant-time comparison that also hides the expected length. */
export function safeEqual(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b) && given.length === expected.length;
}
