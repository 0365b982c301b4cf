// The request path in front of the function: CloudFront (its headers, the origin-verify secret)
// and the API Gateway REST API's Lambda proxy integration (the event it builds, binary bodies
// base64-encoded, the invoke payload limit).
import { randomBytes } from 'node:crypto';

export const EXECUTE_API_HOST = 'e2eapi0001.execute-api.eu-west-1.amazonaws.com';
export const STAGE = 'prod';
export const CLOUDFRONT_IP = '130.176.0.77';
export const BROWSER_UA =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
/** Lambda's limit for a synchronous invocation's request (the event JSON). */
export const LAMBDA_PAYLOAD_LIMIT = 6_291_456;

// What the REST API lists as binary media types: such bodies arrive base64-encoded. Everything
// else arrives as text.
const BINARY = [/^multipart\/form-data/i, /^application\/octet-stream/i, /^image\//i, /^audio\//i];

export function isBinary(contentType) {
  return BINARY.some((re) => re.test(contentType ?? ''));
}

/**
 * The event API Gateway hands the function for one viewer request that came through
 * CloudFront. `headers`: what the browser sent (name -> value or values); the distribution
 * forwards all of them except Host, then adds its own and the origin-verify header.
 */
export function proxyEvent({ method, url, headers = {}, body, viewerIp = '203.0.113.9', origin }) {
  const u = new URL(url, 'https://viewer.invalid');
  const multi = {};
  const add = (name, value) => {
    (multi[name] ??= []).push(value);
  };
  for (const [name, value] of Object.entries(headers)) {
    if (name.toLowerCase() === 'host') continue;
    for (const v of Array.isArray(value) ? value : [value]) add(name, String(v));
  }
  const cfId = randomBytes(24).toString('base64url');
  add('Host', EXECUTE_API_HOST);
  add('Via', '2.0 0123456789abcdef0123456789abcdef.cloudfront.net (CloudFront)');
  add('X-Amz-Cf-Id', cfId);
  add('CloudFront-Forwarded-Proto', 'https');
  add('CloudFront-Viewer-Address', `${viewerIp}:51514`);
  add('CloudFront-Is-Desktop-Viewer', 'true');
  add(
    'X-Amzn-Trace-Id',
    `Root=1-${Math.floor(Date.now() / 1000).toString(16)}-${randomBytes(12).toString('hex')}`,
  );
  // CloudFront appends the viewer, API Gateway appends CloudFront.
  const xff = Object.entries(multi).find(([k]) => k.toLowerCase() === 'x-forwarded-for');
  if (xff) {
    delete multi[xff[0]];
    add('X-Forwarded-For', `${xff[1].join(', ')}, ${viewerIp}, ${CLOUDFRONT_IP}`);
  } else {
    add('X-Forwarded-For', `${viewerIp}, ${CLOUDFRONT_IP}`);
  }
  add('X-Forwarded-Port', '443');
  add('X-Forwarded-Proto', 'https');
  if (origin) add(origin.header, origin.value);

  const single = {};
  for (const [k, v] of Object.entries(multi)) single[k] = v[v.length - 1];
  const contentType = Object.entries(single).find(([k]) => k.toLowerCase() === 'content-type')?.[1];
  let eventBody = null;
  let isBase64Encoded = false;
  if (body !== undefined && body !== null && body.length > 0) {
    if (isBinary(contentType)) {
      eventBody = Buffer.from(body).toString('base64');
      isBase64Encoded = true;
    } else {
      eventBody = Buffer.from(body).toString('utf8');
    }
  }
  const mq = {};
  for (const [k, v] of u.searchParams) (mq[k] ??= []).push(v);
  const hasQuery = Object.keys(mq).length > 0;
  const prefix = u.pathname.split('/')[1];
  const proxy = u.pathname.split('/').slice(2).join('/');
  return {
    resource: `/${prefix}/{proxy+}`,
    path: decodeURIComponent(u.pathname),
    httpMethod: method,
    headers: single,
    multiValueHeaders: multi,
    queryStringParameters: hasQuery
      ? Object.fromEntries(Object.entries(mq).map(([k, v]) => [k, v[v.length - 1]]))
      : null,
    multiValueQueryStringParameters: hasQuery ? mq : null,
    pathParameters: { proxy: decodeURIComponent(proxy) },
    stageVariables: null,
    requestContext: {
      resourcePath: `/${prefix}/{proxy+}`,
      httpMethod: method,
      path: `/${STAGE}${u.pathname}`,
      stage: STAGE,
      requestId: randomBytes(16).toString('hex'),
      requestTimeEpoch: Date.now(),
      protocol: 'HTTP/1.1',
      domainName: EXECUTE_API_HOST,
      apiId: 'e2eapi0001',
      accountId: '123456789012',
      identity: { sourceIp: CLOUDFRONT_IP, userAgent: 'Amazon CloudFront' },
    },
    body: eventBody,
    isBase64Encoded,
  };
}

/** Refuses what Lambda would refuse before the function ever sees it. */
export function checkPayload(event) {
  const size = Buffer.byteLength(JSON.stringify(event));
  if (size > LAMBDA_PAYLOAD_LIMIT) {
    throw new Error(
      `event of ${size} bytes exceeds Lambda's ${LAMBDA_PAYLOAD_LIMIT}-byte invoke payload limit`,
    );
  }
}

/** The response as the viewer gets it: status, headers (all Set-Cookie kept), body. */
export function viewerResponse(inv) {
  const p = inv.prelude ?? { statusCode: 502 };
  const headers = new Map();
  for (const [k, v] of Object.entries(p.headers ?? {})) headers.set(k.toLowerCase(), [v]);
  for (const [k, vs] of Object.entries(p.multiValueHeaders ?? {})) headers.set(k.toLowerCase(), vs);
  if (p.cookies?.length) headers.set('set-cookie', [...p.cookies]);
  return { status: p.statusCode, headers, body: inv.body, inv };
}
