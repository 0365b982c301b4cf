// The stop relay across two handler instances (two aws-lambda-ric processes, two runtime API
// emulators) and a real redis-server: a stop sent to one instance ends the stream proxied by
// the other, only for the same bearer, and Redis going away never hurts a stream.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import Redis from 'ioredis';
import { apiEvent, Harness } from '../support/harness';
import { RedisServer } from '../support/redis-server';
import { now } from '../support/runtime-api';

const TOKEN = 'eyJhbGciOiJIUzI1NiJ9.viewer-one.c2lnbmF0dXJl';
const PREFIX = 'stack-test';
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const newId = (): string => randomBytes(16).toString('hex');

function chatEvent(
  streamId: string,
  ms = 10000,
  token = TOKEN,
  holdMs = 0,
): Record<string, unknown> {
  return apiEvent('POST', '/api/agents/chat/openAI', {
    query: { ms: [String(ms)], holdMs: [String(holdMs)] },
    headers: {
      authorization: [`Bearer ${token}`],
      'x-stream-id': [streamId],
      'content-type': ['application/json'],
    },
    body: JSON.stringify({ text: 'hello' }),
  });
}

function abortEvent(streamId: string, token = TOKEN, body?: string): Record<string, unknown> {
  return apiEvent('POST', '/api/stream/abort', {
    headers: { authorization: [`Bearer ${token}`], 'content-type': ['application/json'] },
    body: body ?? JSON.stringify({ streamId }),
  });
}

let redis: RedisServer;
let h1: Harness;
let h2: Harness;

function chatEventOf(h: Harness, name: string, streamId: string) {
  return h.standinEvents().find((e) => e.event === name && e.streamId === streamId);
}

before(async () => {
  redis = await RedisServer.start();
  const env = {
    REDIS_URI: redis.uri,
    HANDLER_ABORT_KEY_PREFIX: PREFIX,
    HANDLER_ABORT_REDIS_TIMEOUT_MS: '1500',
    AFTER_RESPONSE_GRACE_MS: '300',
    HANDLER_AFTER_RESPONSE_IDLE_MS: '50',
  };
  // Kept before they start, so after() stops both even when one fails to start.
  h1 = new Harness();
  h2 = new Harness();
  await Promise.all([h1.begin({ env }), h2.begin({ env })]);
});

after(async () => {
  await Promise.all([h1?.stop(), h2?.stop()]);
  await redis?.stop();
});

describe('stop relay', () => {
  test('a stop sent to another instance ends the upstream request within 500 ms', async (t) => {
    const id = newId();
    const streaming = h1.invoke(chatEvent(id), { timeoutMs: 20000 });
    await h1.waitFor(() => chatEventOf(h1, 'chat-start', id), 5000, 'the stream to start');

    // A wrong bearer and an unknown id are answered like any stop, and change nothing.
    const wrong = await h2.invoke(abortEvent(id, 'someone-elses-token'));
    assert.equal(wrong.prelude?.statusCode, 204);
    const unknown = await h2.invoke(abortEvent(newId()));
    assert.equal(unknown.prelude?.statusCode, 204);
    await sleep(700);
    assert.equal(chatEventOf(h1, 'chat-closed', id), undefined, 'the stream must still run');

    const sentAt = now();
    const stop = await h2.invoke(abortEvent(id));
    assert.equal(stop.prelude?.statusCode, 204);
    assert.equal(stop.bodyBytes, 0);
    const closed = await h1.waitFor(
      () => chatEventOf(h1, 'chat-closed', id),
      3000,
      'LibreChat to see its request close',
    );
    assert.ok(closed.at - sentAt < 500, `closed ${Math.round(closed.at - sentAt)} ms after stop`);
    t.diagnostic(`upstream closed ${(closed.at - sentAt).toFixed(1)} ms after the stop was sent`);

    const inv = await streaming;
    assert.equal(inv.prelude?.statusCode, 200);
    assert.ok(inv.responseEndAt !== undefined, 'the first response must end');
    assert.ok(inv.responseEndAt - sentAt < 2000, 'the response ends with the stop, not at 10 s');
    const body = inv.body.toString();
    assert.match(body, /data: \{"i":0\}/);
    assert.doesNotMatch(body, /"final":true/);
    assert.equal(chatEventOf(h1, 'chat-done', id), undefined);
    const line = await h1.waitForLog(
      (l) =>
        l.msg === 'request' && l.path === '/api/agents/chat/openAI' && l.interrupted === 'stopped',
    );
    assert.equal(line.status, 200);
    // The stop never reached either LibreChat.
    for (const h of [h1, h2]) {
      assert.ok(
        !h
          .standinEvents()
          .some((e) => e.event === 'request' && String(e.url).includes('/api/stream/abort')),
      );
    }
  });

  test('a stop that arrives before the stream subscribes still ends it', async () => {
    const id = newId();
    const stop = await h2.invoke(abortEvent(id));
    assert.equal(stop.prelude?.statusCode, 204);
    const inv = await h1.invoke(chatEvent(id), { timeoutMs: 20000 });
    const start = chatEventOf(h1, 'chat-start', id);
    const closed = await h1.waitFor(() => chatEventOf(h1, 'chat-closed', id), 3000, 'close');
    assert.ok(start && closed.at - start.at < 1000, 'closed right after it started');
    assert.ok(inv.responseEndAt !== undefined && inv.responseEndAt - inv.startedAt < 3000);
  });

  test('a stop before LibreChat answered ends the request and the response too', async () => {
    const id = newId();
    assert.equal((await h2.invoke(abortEvent(id))).prelude?.statusCode, 204);
    const inv = await h1.invoke(chatEvent(id, 10000, TOKEN, 3000), { timeoutMs: 20000 });
    assert.equal(inv.prelude?.statusCode, 499);
    assert.deepEqual(JSON.parse(inv.body.toString()), { error: 'stopped by the viewer' });
    assert.ok(inv.responseEndAt! - inv.startedAt < 2500, 'ended before LibreChat answered');
    const closed = await h1.waitFor(() => chatEventOf(h1, 'chat-closed', id), 5000, 'close');
    assert.equal(closed.beforeHeaders, true);
  });

  test('Redis keeps a hash of the bearer, never the token; no log line holds it', async () => {
    const id = newId();
    assert.equal((await h2.invoke(abortEvent(id))).prelude?.statusCode, 204);
    const client = new Redis(redis.uri);
    try {
      const stored = await client.get(`${PREFIX}:abort:${id}`);
      assert.equal(stored, createHash('sha256').update(TOKEN).digest('hex'));
      const ttl = await client.ttl(`${PREFIX}:abort:${id}`);
      assert.ok(ttl > 800 && ttl <= 900, `ttl ${ttl}`);
      for (const key of await client.keys('*')) {
        assert.ok(!String(await client.get(key)).includes(TOKEN));
      }
    } finally {
      client.disconnect();
    }
    assert.ok(!h1.output.includes(TOKEN) && !h2.output.includes(TOKEN));
  });

  test('bad abort requests get a clear answer; the assistants abort is forwarded', async () => {
    const bad = await h2.invoke(abortEvent('', TOKEN, '{"streamId":"short"}'));
    assert.equal(bad.prelude?.statusCode, 400);
    assert.match(bad.body.toString(), /streamId must be/);
    const get = await h2.invoke(apiEvent('GET', '/api/stream/abort'));
    assert.equal(get.prelude?.statusCode, 405);

    const assistants = await h2.invoke(
      apiEvent('POST', '/api/assistants/v2/chat/abort', {
        headers: { authorization: [`Bearer ${TOKEN}`], 'content-type': ['application/json'] },
        body: JSON.stringify({ abortKey: 'c:m', endpoint: 'assistants' }),
      }),
    );
    assert.equal(assistants.prelude?.statusCode, 404); // the stand-in's answer, passed through
    assert.ok(
      h2
        .standinEvents()
        .some((e) => e.event === 'request' && e.url === '/api/assistants/v2/chat/abort'),
    );
  });

  test('with Redis stopped streams still work, stops answer 503, and it recovers', async () => {
    const port = redis.port;
    await redis.stop();

    const id = newId();
    const inv = await h1.invoke(chatEvent(id, 400), { timeoutMs: 20000 });
    assert.equal(inv.prelude?.statusCode, 200);
    assert.match(inv.body.toString(), /"final":true/);
    assert.ok(chatEventOf(h1, 'chat-done', id));

    const stop = await h2.invoke(abortEvent(id));
    assert.equal(stop.prelude?.statusCode, 503);
    // Reconnect attempts go on in the background; the outage is logged once per instance.
    await sleep(2500);
    for (const h of [h1, h2]) {
      const down = h.logs().filter((l) => l.msg.startsWith('stop relay: redis unavailable'));
      assert.equal(down.length, 1, h.output.slice(-2000));
    }

    await redis.begin(port);
    await h2.waitFor(
      () => h2.logs().find((l) => l.msg === 'stop relay: redis available again'),
      8000,
      'the relay to reconnect',
    );
    const again = await h2.invoke(abortEvent(newId()));
    assert.equal(again.prelude?.statusCode, 204);
  });
});
