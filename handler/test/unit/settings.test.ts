import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { loadSettings, SettingsError } from '../../src/settings';

describe('loadSettings', () => {
  test('defaults', () => {
    const s = loadSettings({});
    assert.deepEqual(s.command, ['node', '/app/api/server/index.js']);
    assert.equal(s.port, 3080);
    assert.equal(s.readyTimeoutMs, 30000);
    assert.equal(s.sseKeepAliveMs, 15000);
    assert.equal(s.afterResponseGraceMs, 10000);
    assert.equal(s.afterResponseIdleMs, 300);
    assert.equal(s.chatMinTailMs, 500);
    assert.equal(s.uploadLimitMb, 4);
    assert.equal(s.originVerifyHeader, 'x-origin-verify');
    assert.equal(s.workDir, '/tmp/librechat');
    assert.equal(s.logDir, '/tmp/librechat/logs');
    assert.equal(s.configSource, undefined);
    assert.equal(s.configPath, undefined);
    assert.equal(s.credentials, undefined);
    assert.deepEqual(s.ensureDirs, []);
  });

  test('the origin check is on unless ORIGIN_VERIFY_DISABLED=true; the viewer address header is not trusted by default', () => {
    const s = loadSettings({});
    assert.equal(s.originVerifyDisabled, false);
    assert.equal(s.originVerifyPreviousMs, 3600_000);
    assert.equal(s.trustViewerAddress, false);
    assert.equal(loadSettings({ ORIGIN_VERIFY_DISABLED: 'true' }).originVerifyDisabled, true);
    assert.throws(
      () => loadSettings({ ORIGIN_VERIFY_DISABLED: 'yes' }),
      /ORIGIN_VERIFY_DISABLED must be true or false/,
    );
    assert.equal(
      loadSettings({ ORIGIN_VERIFY_PREVIOUS_WINDOW_S: '60' }).originVerifyPreviousMs,
      60_000,
    );
    const pass = loadSettings({
      ORIGIN_VERIFY_DISABLED: 'true',
      TRUST_CLOUDFRONT_VIEWER_ADDRESS: 'true',
    }).passThroughEnv;
    assert.equal(
      pass.ORIGIN_VERIFY_DISABLED,
      undefined,
      'handler-only settings never reach LibreChat',
    );
    assert.equal(pass.TRUST_CLOUDFRONT_VIEWER_ADDRESS, undefined);
  });

  test('chat routes: LibreChat rc1 streaming routes by default, `:name` is one segment', () => {
    const chat = (p: string, env = {}): boolean =>
      loadSettings(env).chatRoutes.some((r) => r.test(p));
    assert.equal(chat('/api/agents/chat'), true);
    assert.equal(chat('/api/agents/chat/openAI'), true);
    assert.equal(chat('/api/agents/chat/openAI/x'), false);
    assert.equal(chat('/api/assistants/v2/chat'), true);
    assert.equal(chat('/api/assistants/v2/chat/abort'), false);
    assert.equal(chat('/api/convos'), false);
    assert.equal(chat('/api/x/chat', { HANDLER_CHAT_ROUTES: '/api/x/chat' }), true);
    assert.equal(chat('/api/agents/chat', { HANDLER_CHAT_ROUTES: '/api/x/chat' }), false);
    assert.throws(
      () => loadSettings({ HANDLER_CHAT_ROUTES: '/api/ok, api/(bad' }),
      /HANDLER_CHAT_ROUTES must be a comma-separated list of paths/,
    );
  });

  test('HANDLER_UPLOAD_LIMIT_MB is 1 to 4 (Lambda takes about 4.4 MiB of file)', () => {
    assert.equal(loadSettings({ HANDLER_UPLOAD_LIMIT_MB: '2' }).uploadLimitMb, 2);
    assert.throws(() => loadSettings({ HANDLER_UPLOAD_LIMIT_MB: '5' }), /HANDLER_UPLOAD_LIMIT_MB/);
  });

  test('HANDLER_ENSURE_DIRS is a list of absolute paths', () => {
    const s = loadSettings({ HANDLER_ENSURE_DIRS: '/tmp/a, /tmp/b' });
    assert.deepEqual(s.ensureDirs, ['/tmp/a', '/tmp/b']);
    assert.throws(() => loadSettings({ HANDLER_ENSURE_DIRS: '/tmp/a,rel' }), /HANDLER_ENSURE_DIRS/);
  });

  test('a config fetch defaults CONFIG_PATH to /tmp/librechat.yaml', () => {
    const s = loadSettings({ CONFIG_S3_BUCKET: 'b', CONFIG_S3_KEY: 'k.yaml' });
    assert.deepEqual(s.configSource, { bucket: 'b', key: 'k.yaml' });
    assert.equal(s.configPath, '/tmp/librechat.yaml');
  });

  test('LIBRECHAT_COMMAND is split like a shell would, without running one', () => {
    const s = loadSettings({ LIBRECHAT_COMMAND: `node '/app/my dir/index.js' --x "a b"` });
    assert.deepEqual(s.command, ['node', '/app/my dir/index.js', '--x', 'a b']);
  });

  test('handler-only variables and the bare key pair do not pass through', () => {
    const s = loadSettings({
      AWS_REGION: 'eu-west-1',
      AWS_ACCESS_KEY_ID: 'AKIA',
      AWS_SECRET_ACCESS_KEY: 'sk',
      AWS_SESSION_TOKEN: 'tok',
      SSM_SECRETS: '{}',
      HANDLER_WORK_DIR: '/tmp/w',
      MONGO_URI: 'mongodb://x',
    });
    assert.deepEqual(s.passThroughEnv, { AWS_REGION: 'eu-west-1', MONGO_URI: 'mongodb://x' });
    assert.deepEqual(s.credentials, {
      accessKeyId: 'AKIA',
      secretAccessKey: 'sk',
      sessionToken: 'tok',
    });
  });

  const bad: [string, Record<string, string>, RegExp][] = [
    ['port not a number', { LIBRECHAT_PORT: '80a' }, /LIBRECHAT_PORT must be a whole number/],
    [
      'port out of range',
      { LIBRECHAT_PORT: '70000' },
      /LIBRECHAT_PORT must be between 1 and 65535/,
    ],
    ['bucket without key', { CONFIG_S3_BUCKET: 'b' }, /CONFIG_S3_BUCKET and CONFIG_S3_KEY/],
    [
      'relative CONFIG_PATH',
      { CONFIG_S3_BUCKET: 'b', CONFIG_S3_KEY: 'k', CONFIG_PATH: 'x.yaml' },
      /CONFIG_PATH must be an absolute/,
    ],
    ['CONFIG_REPLACE not JSON', { CONFIG_REPLACE: '{a' }, /CONFIG_REPLACE must be a JSON object/],
    ['CONFIG_REPLACE an array', { CONFIG_REPLACE: '[]' }, /CONFIG_REPLACE must be a JSON object/],
    [
      'CONFIG_REPLACE number value',
      { CONFIG_REPLACE: '{"a":1}' },
      /CONFIG_REPLACE: the value of "a"/,
    ],
    [
      'SSM_SECRETS bad env name',
      { SSM_SECRETS: '{"1X":"/p"}' },
      /SSM_SECRETS: "1X" is not a valid env name/,
    ],
    ['SSM_SECRETS empty parameter', { SSM_SECRETS: '{"X":" "}' }, /the parameter for X is empty/],
    [
      'shell operators',
      { LIBRECHAT_COMMAND: 'node a.js | tee x' },
      /LIBRECHAT_COMMAND must be a plain command/,
    ],
    ['keep-alive too small', { SSE_KEEPALIVE_MS: '1' }, /SSE_KEEPALIVE_MS must be between/],
    [
      'grace negative',
      { AFTER_RESPONSE_GRACE_MS: '-1' },
      /AFTER_RESPONSE_GRACE_MS must be a whole number/,
    ],
  ];
  for (const [name, env, re] of bad) {
    test(`rejects ${name}`, () => {
      assert.throws(
        () => loadSettings(env),
        (err: Error) => err instanceof SettingsError && re.test(err.message),
      );
    });
  }
});
