import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  type ContractVariable,
  integerRule,
  type IntegerVariable,
  isHandlerOnly,
  VARIABLES,
} from '../../src/contract';
import { loadSettings, SettingsError } from '../../src/settings';

// The handler reads its settings through the contract: every name it reads is one of it, and
// the defaults and ranges it applies are the contract's (which the stack uses too).

// What turns on the parts of loadSettings that read more variables.
const BASE = {
  CONFIG_S3_BUCKET: 'b',
  CONFIG_S3_KEY: 'k.yaml',
  REDIS_URI: 'redis://127.0.0.1:6379',
  AWS_LAMBDA_MAX_CONCURRENCY: '4',
  AWS_LAMBDA_NODEJS_WORKER_COUNT: '1',
};

const integers = (Object.keys(VARIABLES) as ContractVariable[]).filter(
  (n): n is IntegerVariable => 'min' in VARIABLES[n],
);

describe('the environment contract', () => {
  test('every variable loadSettings reads is a contract variable', () => {
    const read = new Set<string>();
    const env = new Proxy<Record<string, string | undefined>>(
      { ...BASE },
      {
        get(target, key) {
          if (typeof key === 'string') read.add(key);
          return target[key as string];
        },
      },
    );
    loadSettings(env);
    const unknown = [...read].filter((n) => !(n in VARIABLES));
    assert.deepEqual(unknown, []);
    for (const name of ['LIBRECHAT_PORT', 'SSE_KEEPALIVE_MS', 'HANDLER_ABORT_REDIS_TIMEOUT_MS']) {
      assert.ok(read.has(name), `${name} is read`);
    }
  });

  test('every integer setting applies the contract default and accepts exactly its range', () => {
    assert.ok(integers.length >= 10);
    for (const name of integers) {
      const { min, max } = integerRule(name);
      const env = (value: string) => ({ ...BASE, [name]: value });
      assert.doesNotThrow(() => loadSettings(env(String(min))), name);
      assert.doesNotThrow(() => loadSettings(env(String(max))), name);
      assert.throws(
        () => loadSettings(env(String(max + 1))),
        (e: Error) => e instanceof SettingsError && e.message.includes(name),
        name,
      );
      if (min > 0) {
        assert.throws(() => loadSettings(env(String(min - 1))), SettingsError, name);
      }
    }
    const s = loadSettings(BASE);
    assert.equal(s.port, VARIABLES.LIBRECHAT_PORT.default);
    assert.equal(s.sseKeepAliveMs, VARIABLES.SSE_KEEPALIVE_MS.default);
    assert.equal(s.uploadLimitMb, VARIABLES.HANDLER_UPLOAD_LIMIT_MB.default);
    assert.equal(s.stopRelay?.timeoutMs, VARIABLES.HANDLER_ABORT_REDIS_TIMEOUT_MS.default);
    assert.equal(
      s.originVerifyPreviousMs,
      VARIABLES.ORIGIN_VERIFY_PREVIOUS_WINDOW_S.default * 1000,
    );
  });

  test('string and boolean defaults are the contract ones', () => {
    const s = loadSettings(BASE);
    assert.equal(s.configPath, VARIABLES.CONFIG_PATH.default);
    assert.equal(s.originVerifyHeader, VARIABLES.ORIGIN_VERIFY_HEADER.default);
    assert.equal(s.workDir, VARIABLES.HANDLER_WORK_DIR.default);
    assert.equal(s.command.join(' '), VARIABLES.LIBRECHAT_COMMAND.default);
    assert.equal(s.chatRoutes.length, VARIABLES.HANDLER_CHAT_ROUTES.default.split(',').length);
    assert.equal(s.stopRelay?.keyPrefix, VARIABLES.HANDLER_ABORT_KEY_PREFIX.default);
    assert.equal(s.originVerifyDisabled, VARIABLES.ORIGIN_VERIFY_DISABLED.default);
    assert.equal(s.trustViewerAddress, VARIABLES.TRUST_CLOUDFRONT_VIEWER_ADDRESS.default);
  });

  test('handler-only variables never reach LibreChat; the others pass through', () => {
    const env: Record<string, string> = { ...BASE };
    for (const name of Object.keys(VARIABLES)) env[name] ??= 'true';
    // Values the parser must accept for the names set to a placeholder above.
    Object.assign(env, {
      ORIGIN_VERIFY_DISABLED: 'false',
      TRUST_CLOUDFRONT_VIEWER_ADDRESS: 'false',
      LIBRECHAT_COMMAND: 'node x.js',
      HANDLER_WORK_DIR: '/tmp/w',
      HANDLER_ENSURE_DIRS: '/tmp/a',
      HANDLER_CHAT_ROUTES: '/api/x',
      HANDLER_ABORT_KEY_PREFIX: 'p',
      CONFIG_PATH: '/tmp/c.yaml',
      ORIGIN_VERIFY_HEADER: 'x-h',
      CONFIG_REPLACE: '{}',
      SSM_SECRETS: '{}',
      INHERITED_ENVIRONMENT: '{}',
      AWS_ACCESS_KEY_ID: 'a',
      AWS_SECRET_ACCESS_KEY: 's',
      AWS_SESSION_TOKEN: 't',
    });
    for (const name of integers) env[name] = String(integerRule(name).min);
    const passed = loadSettings(env).passThroughEnv;
    for (const name of Object.keys(VARIABLES)) {
      assert.equal(name in passed, !isHandlerOnly(name), name);
    }
    assert.equal(passed.CONFIG_PATH, '/tmp/c.yaml');
    assert.equal(passed.REDIS_URI, BASE.REDIS_URI);
  });

  test('SSM_SECRETS names and the origin header follow the contract rules', () => {
    assert.throws(
      () => loadSettings({ SSM_SECRETS: JSON.stringify({ mongo_uri: '/p' }) }),
      /SSM_SECRETS: "mongo_uri" is not a valid env name/,
    );
    assert.equal(
      loadSettings({ ORIGIN_VERIFY_HEADER: 'X-Edge-Check' }).originVerifyHeader,
      'x-edge-check',
    );
    assert.throws(
      () => loadSettings({ ORIGIN_VERIFY_HEADER: 'host' }),
      /ORIGIN_VERIFY_HEADER must be a header name starting with x-/,
    );
  });
});
