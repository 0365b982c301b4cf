import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import http from 'node:http';
import {
  BadRequestError,
  checkEvent,
  encodePath,
  queryString,
  safeEqual,
  toUpstreamRequest,
  viewerAddressIp,
  viewerIp,
  type ProxyEvent,
} from '../../src/request';

function event(over: Partial<ProxyEvent> = {}): ProxyEvent {
  return {
    httpMethod: 'GET',
    path: '/api/x',
    headers: {},
    multiValueHeaders: {},
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    body: null,
    isBase64Encoded: false,
    requestContext: { identity: { sourceIp: '198.51.100.1' } },
    ...over,
  };
}

describe('queryString', () => {
  test('keeps repeated values in order and re-encodes decoded values', () => {
    const q = queryString(
      event({ multiValueQueryStringParameters: { a: ['1', '2'], 'k y': ['x/y?z#'] } }),
    );
    assert.equal(q, '?a=1&a=2&k%20y=x%2Fy%3Fz%23');
  });
  test('falls back to single values, and is empty without parameters', () => {
    assert.equal(queryString(event({ queryStringParameters: { b: 'c d' } })), '?b=c%20d');
    assert.equal(queryString(event()), '');
  });
});

describe('encodePath', () => {
  test('encodes spaces and non-ASCII but keeps escapes and reserved characters', () => {
    assert.equal(encodePath('/api/files/a b/ü'), '/api/files/a%20b/%C3%BC');
    assert.equal(encodePath('/api/a%2Fb/c:d@e'), '/api/a%2Fb/c:d@e');
    assert.equal(encodePath('/100%'), '/100%25');
    assert.equal(encodePath('no-slash'), '/no-slash');
  });
});

describe('toUpstreamRequest', () => {
  test('drops hop-by-hop headers, Connection-listed ones and the dropped names', () => {
    const up = toUpstreamRequest(
      event({
        multiValueHeaders: {
          Connection: ['close, X-Hop'],
          'X-Hop': ['1'],
          'Transfer-Encoding': ['chunked'],
          'X-Origin-Verify': ['s3cret'],
          'X-Keep': ['a', 'b'],
          Cookie: ['a=1', 'b=2'],
          'Content-Length': ['999'],
        },
      }),
      { dropHeaders: ['x-origin-verify'], clientIp: '203.0.113.5' },
    );
    assert.deepEqual(up.headers, {
      'x-keep': ['a', 'b'],
      cookie: 'a=1; b=2',
      'x-forwarded-for': '203.0.113.5',
    });
  });
  test('decodes base64 bodies byte-exact and sets Content-Length', () => {
    const bytes = Buffer.from([0, 255, 10, 13, 128]);
    const up = toUpstreamRequest(
      event({ httpMethod: 'post', body: bytes.toString('base64'), isBase64Encoded: true }),
      { dropHeaders: [] },
    );
    assert.equal(up.method, 'POST');
    assert.ok(up.body.equals(bytes));
    assert.equal(up.headers['content-length'], '5');
  });
  test('text bodies are UTF-8; a bodiless POST still says Content-Length: 0', () => {
    const up = toUpstreamRequest(event({ httpMethod: 'POST', body: 'é' }), { dropHeaders: [] });
    assert.equal(up.body.length, 2);
    const empty = toUpstreamRequest(event({ httpMethod: 'POST' }), { dropHeaders: [] });
    assert.equal(empty.headers['content-length'], '0');
    const get = toUpstreamRequest(event(), { dropHeaders: [] });
    assert.equal(get.headers['content-length'], undefined);
  });
  test('headers-only events (no multiValueHeaders) work too', () => {
    const up = toUpstreamRequest(event({ multiValueHeaders: {}, headers: { Accept: 'x/y' } }), {
      dropHeaders: [],
    });
    assert.equal(up.headers.accept, 'x/y');
    assert.equal(up.path, '/api/x');
  });
});

describe('viewer IP', () => {
  test('parses CloudFront-Viewer-Address for IPv4 and IPv6', () => {
    assert.equal(viewerAddressIp('192.0.2.1:443'), '192.0.2.1');
    assert.equal(viewerAddressIp('[2001:db8::1]:443'), '2001:db8::1');
    assert.equal(viewerAddressIp('2001:db8::1:443'), '2001:db8::1');
    assert.equal(viewerAddressIp('garbage'), undefined);
  });
  test('trusts CloudFront-Viewer-Address only when the origin check is on and the distribution adds it', () => {
    const e = event({ multiValueHeaders: { 'CloudFront-Viewer-Address': ['192.0.2.9:1234'] } });
    assert.equal(viewerIp(e, true, true), '192.0.2.9');
    assert.equal(viewerIp(e, false, true), '198.51.100.1');
    assert.equal(viewerIp(event(), true, true), '198.51.100.1');
    // Not added by the distribution: a viewer may have sent it to pick its own IP.
    assert.equal(viewerIp(e, true), '198.51.100.1');
    const forged = event({
      multiValueHeaders: {
        'CloudFront-Viewer-Address': ['6.6.6.6:1'],
        'X-Forwarded-For': ['203.0.113.5, 198.51.100.1'],
      },
    });
    assert.equal(viewerIp(forged, true, false), '203.0.113.5');
  });
  test('through CloudFront without Viewer-Address: the X-Forwarded-For entry CloudFront appended', () => {
    // viewer -> CloudFront (appends the viewer) -> API Gateway (appends CloudFront = sourceIp)
    const plain = event({
      multiValueHeaders: { 'X-Forwarded-For': ['203.0.113.5, 198.51.100.1'] },
    });
    assert.equal(viewerIp(plain, true), '203.0.113.5');
    // A client-written X-Forwarded-For stays on the left and is ignored.
    const spoofed = event({
      multiValueHeaders: { 'X-Forwarded-For': ['6.6.6.6, 10.0.0.1', '203.0.113.5, 198.51.100.1'] },
    });
    assert.equal(viewerIp(spoofed, true), '203.0.113.5');
    // Without the origin check the header proves nothing.
    assert.equal(viewerIp(plain, false), '198.51.100.1');
  });
  test('falls back to the caller when X-Forwarded-For does not end with it or is malformed', () => {
    const other = event({ multiValueHeaders: { 'X-Forwarded-For': ['203.0.113.5, 192.0.2.77'] } });
    assert.equal(viewerIp(other, true), '198.51.100.1');
    const junk = event({ multiValueHeaders: { 'X-Forwarded-For': ['not-an-ip, 198.51.100.1'] } });
    assert.equal(viewerIp(junk, true), '198.51.100.1');
    const alone = event({ multiValueHeaders: { 'X-Forwarded-For': ['198.51.100.1'] } });
    assert.equal(viewerIp(alone, true), '198.51.100.1');
  });
});

test('safeEqual compares exactly', () => {
  assert.equal(safeEqual('abc', 'abc'), true);
  assert.equal(safeEqual('abc', 'abd'), false);
  assert.equal(safeEqual('ab', 'abc'), false);
  assert.equal(safeEqual('', 'abc'), false);
});

describe('hostile and malformed input', () => {
  const cases: [string, Partial<ProxyEvent>, RegExp][] = [
    ['CRLF in a header value', { headers: { 'x-a': 'v\r\nx-injected: 1' } }, /x-a/],
    ['a non-Latin-1 header value', { headers: { 'x-a': 'snow \u2603' } }, /non-Latin-1/],
    ['an invalid header name', { headers: { 'bad name': 'v' } }, /not a valid HTTP token/],
    ['CRLF in a multi-value header', { multiValueHeaders: { 'x-a': ['ok', 'v\nx: 1'] } }, /x-a/],
    [
      'a header given as an array',
      { headers: { 'x-a': ['a'] as unknown as string } },
      /not a string/,
    ],
    [
      'a multi-value header given as a string',
      { multiValueHeaders: { 'x-a': 'abc' as unknown as string[] } },
      /not a list of strings/,
    ],
    [
      'a body that is not a string',
      { body: { a: 1 } as unknown as string },
      /body is not a string/,
    ],
    ['a method that is not a token', { httpMethod: 'GET /x HTTP/1.1\r\n' }, /httpMethod/],
    [
      'a query value that is not a string',
      { queryStringParameters: { a: 1 as unknown as string } },
      /query parameter "a"/,
    ],
  ];
  for (const [what, over, message] of cases) {
    test(`${what} is rejected with the reason`, () => {
      assert.throws(
        () => checkEvent(event(over)),
        (err: unknown) => {
          assert.ok(err instanceof BadRequestError);
          assert.match(err.message, message);
          return true;
        },
      );
    });
  }

  test('what checkEvent accepts, http.request accepts too', () => {
    const ev = event({
      httpMethod: 'PATCH',
      headers: { 'x-latin1': 'caf\u00e9', 'x-tab': 'a\tb' },
      multiValueHeaders: { 'x-m': ['1', '2'] },
      queryStringParameters: { q: 'a b\r\n' },
      multiValueQueryStringParameters: { q: ['a b\r\n'] },
    });
    checkEvent(ev);
    const up = toUpstreamRequest(ev, { dropHeaders: [] });
    const req = http.request({ host: '127.0.0.1', port: 9, ...up, agent: false });
    req.on('error', () => undefined);
    req.destroy();
  });

  test('a lone surrogate in the path is a bad request, not a crash', () => {
    assert.throws(
      () => toUpstreamRequest(event({ path: '/api/\ud800' }), { dropHeaders: [] }),
      BadRequestError,
    );
  });

  test('a source IP that is not an IP never becomes a header', () => {
    const up = toUpstreamRequest(event(), { dropHeaders: [], clientIp: '1.2.3.4\r\nx: 1' });
    assert.equal(up.headers['x-forwarded-for'], undefined);
  });
});
