import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, test } from 'node:test';
import { RedisLink } from '../../src/redis-link';
import { loadSettings, SettingsError } from '../../src/settings';
import { bearerHash, parseAbortBody, parseStreamId } from '../../src/stop-request';

describe('stop request parsing', () => {
  test('stream ids: the client shape passes, anything else is refused', () => {
    assert.equal(
      parseStreamId('0123456789abcdef0123456789abcdef'),
      '0123456789abcdef0123456789abcdef',
    );
    for (const bad of [
      undefined,
      '',
      'short',
      'a'.repeat(129),
      'abc def ghij klmnop',
      'x\r\nSet: 1aaaaaaaaaaa',
      'a*b{c}d[e]f:g/h?ij',
    ]) {
      assert.equal(parseStreamId(bad), undefined, JSON.stringify(bad));
    }
  });

  test('the bearer is hashed, other schemes and empty values give nothing', () => {
    const hash = createHash('sha256').update('tok.en').digest('hex');
    assert.equal(bearerHash('Bearer tok.en'), hash);
    assert.equal(bearerHash('bearer  tok.en '), hash);
    assert.equal(bearerHash('Basic dG9rLmVu'), undefined);
    assert.equal(bearerHash('Bearer '), undefined);
    assert.equal(bearerHash(undefined), undefined);
  });

  test('abort bodies', () => {
    const id = 'ab'.repeat(16);
    assert.deepEqual(parseAbortBody(Buffer.from(JSON.stringify({ streamId: id }))), {
      streamId: id,
    });
    assert.match((parseAbortBody(Buffer.from('nope')) as { error: string }).error, /JSON/);
    assert.match((parseAbortBody(Buffer.from('null')) as { error: string }).error, /streamId/);
    assert.match(
      (parseAbortBody(Buffer.from('{"streamId":5}')) as { error: string }).error,
      /streamId/,
    );
  });
});

describe('stop relay settings', () => {
  test('off without REDIS_URI, on with it; prefix and timeout validated', () => {
    assert.equal(loadSettings({}).stopRelay, undefined);
    const on = loadSettings({
      REDIS_URI: 'rediss://cache.example:6379',
      HANDLER_ABORT_KEY_PREFIX: 'lc-prod',
    });
    assert.deepEqual(on.stopRelay, {
      redisUri: 'rediss://cache.example:6379',
      keyPrefix: 'lc-prod',
      timeoutMs: 2000,
    });
    assert.equal(
      on.passThroughEnv.REDIS_URI,
      'rediss://cache.example:6379',
      'LibreChat keeps REDIS_URI',
    );
    assert.equal(on.passThroughEnv.HANDLER_ABORT_KEY_PREFIX, undefined);
    assert.throws(
      () => loadSettings({ REDIS_URI: 'http://user:hunter2@x' }),
      (err: Error) =>
        err instanceof SettingsError &&
        /REDIS_URI must be/.test(err.message) &&
        !err.message.includes('hunter2'),
    );
    assert.throws(
      () => loadSettings({ REDIS_URI: 'redis://x', HANDLER_ABORT_KEY_PREFIX: 'a b' }),
      /HANDLER_ABORT_KEY_PREFIX must be/,
    );
    assert.throws(
      () => loadSettings({ REDIS_URI: 'redis://x', HANDLER_ABORT_REDIS_TIMEOUT_MS: '10' }),
      /HANDLER_ABORT_REDIS_TIMEOUT_MS must be/,
    );
  });

  test('rediss:// gives a TLS connection, redis:// a plain one', async () => {
    const links = ['rediss://127.0.0.1:1', 'redis://127.0.0.1:1'].map(
      (uri) =>
        new RedisLink({
          uri,
          connectionName: 't',
          timeoutMs: 100,
          onError: () => undefined,
          onReady: () => undefined,
        }),
    );
    try {
      assert.ok(links[0].client.options.tls);
      assert.equal(links[1].client.options.tls, undefined);
      await assert.rejects(
        links[1].run((c) => c.ping()),
        /not reachable within 100 ms/,
      );
    } finally {
      for (const l of links) l.client.disconnect();
    }
  });
});
