// The origin check under the real runtime client: it fails closed without a secret, and the
// viewer IP it derives (never from a header the viewer could forge) is in the request log line.
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { apiEvent, bodyJson, Harness } from '../support/harness';

describe('without an origin secret and without turning the check off', () => {
  let h: Harness;
  after(async () => {
    await h?.stop();
  });

  test('every request is refused with 503 and a log line, and LibreChat never sees it', async () => {
    // An empty value is unset: the check is on, and there is nothing to compare with.
    h = await Harness.start({ env: { ORIGIN_VERIFY_DISABLED: '' } });
    const inv = await h.invoke(apiEvent('GET', '/api/echo', { query: { probe: ['closed'] } }));
    assert.equal(inv.prelude?.statusCode, 503);
    const health = await h.invoke(apiEvent('GET', '/api/health'));
    assert.equal(health.prelude?.statusCode, 503);
    assert.ok(
      h.logs().some((l) => l.level === 'error' && l.msg.startsWith('origin check has no secret')),
    );
    assert.equal(
      h.logs().filter((l) => l.msg === 'refused: the origin check has no secret').length,
      2,
    );
    assert.deepEqual(
      h.standinEvents().filter((e) => String(e.url).includes('probe=')),
      [],
    );
  });
});

describe('with the origin check on, CloudFront-Viewer-Address not added by the distribution', () => {
  const SECRET = 'origin-secret-value-4d21';
  let h: Harness;
  after(async () => {
    await h?.stop();
  });

  test('a viewer-sent CloudFront-Viewer-Address is ignored; the log line has the derived viewer IP', async () => {
    h = await Harness.start({
      ssmParams: { '/o/current': SECRET, '/o/previous': 'previous-secret-value-9e' },
      env: {
        ORIGIN_VERIFY_DISABLED: 'false',
        SSM_SECRETS: JSON.stringify({
          ORIGIN_VERIFY_SECRET: '/o/current',
          ORIGIN_VERIFY_PREVIOUS_SECRET: '/o/previous',
        }),
      },
    });
    const inv = await h.invoke(
      apiEvent('GET', '/api/echo', {
        headers: {
          'x-origin-verify': [SECRET],
          'cloudfront-viewer-address': ['6.6.6.6:4444'],
          'x-forwarded-for': ['203.0.113.5, 130.176.0.1'],
        },
        sourceIp: '130.176.0.1',
      }),
    );
    assert.equal(inv.prelude?.statusCode, 200);
    const echo = bodyJson<{ headers: Record<string, string> }>(inv);
    assert.equal(echo.headers['x-forwarded-for'], '203.0.113.5');
    const line = h.logs().find((l) => l.msg === 'request' && l.path === '/api/echo');
    assert.equal(line?.viewerIp, '203.0.113.5');
    // The previous secret (stored just now, inside the window) is accepted too.
    const previous = await h.invoke(
      apiEvent('GET', '/api/echo', {
        headers: { 'x-origin-verify': ['previous-secret-value-9e'] },
      }),
    );
    assert.equal(previous.prelude?.statusCode, 200);
    const forbidden = await h.invoke(apiEvent('GET', '/api/echo', { sourceIp: '192.0.2.44' }));
    assert.equal(forbidden.prelude?.statusCode, 403);
    const refused = h.logs().filter((l) => l.msg === 'request' && l.status === 403);
    assert.equal(refused.at(-1)?.viewerIp, '192.0.2.44');
  });
});
