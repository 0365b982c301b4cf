import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  buildPrelude,
  isEventStream,
  KEEPALIVE_EVENT,
  KEEPALIVE_LINE,
  keepAliveAfter,
} from '../../src/response';

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
  test('a full comment block between events or before the first byte', () => {
    assert.equal(keepAliveAfter(''), KEEPALIVE_EVENT);
    assert.equal(keepAliveAfter('a"}\n\n'), KEEPALIVE_EVENT);
    assert.equal(keepAliveAfter('\r\n\r\n'), KEEPALIVE_EVENT);
  });
  test('a single comment line inside an event, nothing in the middle of a line', () => {
    assert.equal(keepAliveAfter('sage\n'), KEEPALIVE_LINE);
    assert.equal(keepAliveAfter('data: {"a'), undefined);
  });
  test('recognises event streams by content type', () => {
    assert.equal(isEventStream({ 'content-type': ['text/event-stream; charset=utf-8'] }), true);
    assert.equal(isEventStream({ 'content-type': ['application/json'] }), false);
    assert.equal(isEventStream({}), false);
  });
});
