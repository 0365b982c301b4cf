// Whichever step of the request pipeline answers, under the real runtime client: the answer the
// viewer gets and the request's one log line agree (status, bytes), and facts learnt before the
// answering step (the viewer IP of the origin check) are in that line.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { apiEvent, Harness, type LogLine } from '../support/harness';
import type { Invocation } from '../support/runtime-api';

const SECRET = 'origin-secret-value-77f3';
const THROUGH_CLOUDFRONT = {
  headers: {
    'x-origin-verify': [SECRET],
    'x-forwarded-for': ['203.0.113.9, 130.176.0.1'],
  },
  sourceIp: '130.176.0.1',
};

let h: Harness;
before(async () => {
  h = await Harness.start({
    ssmParams: { '/o/current': SECRET },
    env: {
      ORIGIN_VERIFY_DISABLED: 'false',
      SSM_SECRETS: JSON.stringify({ ORIGIN_VERIFY_SECRET: '/o/current' }),
    },
  });
});
after(async () => {
  await h?.stop();
});

/** The invocation's log lines named 'request': there must be exactly one. */
async function requestLine(inv: Invocation): Promise<LogLine> {
  await h.waitForLog((l) => l.msg === 'request' && l.requestId === inv.id);
  const lines = h.logs().filter((l) => l.msg === 'request' && l.requestId === inv.id);
  assert.equal(lines.length, 1, JSON.stringify(lines));
  const line = lines[0];
  assert.equal(line.status, inv.prelude?.statusCode);
  assert.equal(line.bytes, inv.bodyBytes);
  return line;
}

test('validate event: not a proxy event', async () => {
  const line = await requestLine(await h.invoke({ source: 'aws.events', detail: {} }));
  assert.equal(line.status, 400);
  assert.equal(line.method, '-');
  assert.equal(line.viewerIp, undefined);
});

test('read headers: a header HTTP does not allow is rejected before the origin check', async () => {
  const event = apiEvent('GET', '/api/echo', THROUGH_CLOUDFRONT);
  const inv = await h.invoke({ ...event, headers: { 'x-a': 'v\r\nx-injected: 1' } });
  const line = await requestLine(inv);
  assert.equal(line.status, 400);
  assert.match(String(line.rejected), /x-a/);
  assert.equal(line.viewerIp, undefined);
});

test('check origin: no origin header is refused, with the caller IP', async () => {
  const line = await requestLine(
    await h.invoke(apiEvent('GET', '/api/echo', { sourceIp: '192.0.2.7' })),
  );
  assert.equal(line.status, 403);
  assert.equal(line.viewerIp, '192.0.2.7');
});

test('stop endpoint: answered here, with the viewer IP the origin check derived', async () => {
  const line = await requestLine(
    await h.invoke(apiEvent('GET', '/api/stream/abort', THROUGH_CLOUDFRONT)),
  );
  assert.equal(line.status, 405);
  assert.equal(line.viewerIp, '203.0.113.9');
});

test('health: answered here, not held', async () => {
  const line = await requestLine(
    await h.invoke(apiEvent('GET', '/api/health', THROUGH_CLOUDFRONT)),
  );
  assert.equal(line.status, 200);
  assert.equal(line.viewerIp, '203.0.113.9');
  assert.equal(line.held, 'none');
});

test('translate: a body above the upload ceiling gets 413 with the reason', async () => {
  const body = Buffer.alloc(4 * 1024 * 1024 + 65 * 1024, 1);
  const inv = await h.invoke(
    apiEvent('POST', '/api/files', { ...THROUGH_CLOUDFRONT, body, base64: true }),
  );
  const line = await requestLine(inv);
  assert.equal(line.status, 413);
  assert.match(String(line.rejected), /exceeds/);
  assert.equal(line.viewerIp, '203.0.113.9');
});

test('forward: LibreChat answers, the line has the response time and the hold', async () => {
  const inv = await h.invoke(apiEvent('GET', '/api/echo', THROUGH_CLOUDFRONT));
  const line = await requestLine(inv);
  assert.equal(line.status, 200);
  assert.ok(inv.bodyBytes > 0);
  assert.equal(line.viewerIp, '203.0.113.9');
  assert.equal(line.held, 'none');
  assert.equal(typeof line.durationMs, 'number');
  assert.equal(line.rejected, undefined);
});
