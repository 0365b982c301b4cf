import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { atEventBoundary, buildPrelude, isEventStream, KEEPALIVE_EVENT } from '../../src/response';

describe('buildPrelude', () => {
  test('puts every Set-Cookie into cookies, keeps repeats, drops hop-by-hop headers', () => {
    const p = buildPrelude(201, {
      'set-cookie': ['a=1; Path=/', 'b=2; HttpOnly'],
      'content-type': ['text/plain'],
      vary: ['Origin', 'Accept-Encoding'],
      connection: ['keep-alive, x-hop'],
      'x-hop': ['1'],
      'transfer-encoding': ['chunked'],
      'keep-alive': ['timeout=5'],
    });
    assert.deepEqual(p, {
      statusCode: 201,
      headers: { 'content-type': 'text/plain' },
      multiValueHeaders: { vary: ['Origin', 'Accept-Encoding'] },
      cookies: ['a=1; Path=/', 'b=2; HttpOnly'],
    });
  });
  test('omits cookies and multiValueHeaders when there are none', () => {
    assert.deepEqual(buildPrelude(304, { etag: ['"x"'] }), {
      statusCode: 304,
      headers: { etag: '"x"' },
    });
  });
});

describe('SSE keep-alive placement', () => {
  test('the keep-alive is a named event with JSON data, never a comment', () => {
    assert.equal(KEEPALIVE_EVENT, 'event: keepalive\ndata: {}\n\n');
  });
  test('only at an event boundary (the separators sse.js splits on) or before the first byte', () => {
    assert.equal(atEventBoundary(''), true);
    assert.equal(atEventBoundary('a"}\n\n'), true);
    assert.equal(atEventBoundary('\r\n\r\n'), true);
    assert.equal(atEventBoundary('}\r\r'), true);
  });
  test('never inside an event or in the middle of a line', () => {
    assert.equal(atEventBoundary('sage\n'), false);
    assert.equal(atEventBoundary('data: {"a'), false);
    assert.equal(atEventBoundary('}\n\r\n'), false);
  });
  test('recognises event streams by content type', () => {
    assert.equal(isEventStream({ 'content-type': ['text/event-stream; charset=utf-8'] }), true);
    assert.equal(isEventStream({ 'content-type': ['application/json'] }), false);
    assert.equal(isEventStream({}), false);
  });
});
