import assert from 'node:assert/strict';
import { test } from 'node:test';
import { childEnvironment } from '../../src/child-environment';
import { loadSettings } from '../../src/settings';

const MIB = 1024 * 1024;

test("the function's own values win over the task's, secrets over plain values, fixed ones over all", () => {
  const settings = loadSettings({
    SHARED: 'function',
    PLAIN: 'function',
    HOST: '0.0.0.0',
    LIBRECHAT_PORT: '3999',
  });
  const env = childEnvironment(settings, {
    inherited: {
      SHARED: 'task',
      PLAIN: 'task',
      ONLY_TASK: 'task',
      JWT_SECRET: 'task',
      NODE_ENV: 'development',
    },
    secrets: { JWT_SECRET: 'from-ssm', SHARED: 'from-ssm' },
    credentials: { AWS_PROFILE: 'default', JWT_SECRET: 'not-a-credential' },
  });
  assert.equal(env.ONLY_TASK, 'task');
  assert.equal(env.PLAIN, 'function');
  assert.equal(env.SHARED, 'from-ssm');
  assert.equal(env.JWT_SECRET, 'not-a-credential');
  assert.equal(env.AWS_PROFILE, 'default');
  assert.equal(env.NODE_ENV, 'production');
  assert.equal(env.HOST, '127.0.0.1');
  assert.equal(env.PORT, '3999');
  assert.equal(env.LIBRECHAT_LOG_DIR, settings.logDir);
  assert.equal(env.CONFIG_PATH, undefined);
});

test('the conversation import limit never exceeds the upload ceiling; a lower one is kept', () => {
  const settings = loadSettings({ HANDLER_UPLOAD_LIMIT_MB: '3' });
  const none = { inherited: {}, secrets: {}, credentials: {} };
  assert.equal(
    childEnvironment(settings, none).CONVERSATION_IMPORT_MAX_FILE_SIZE_BYTES,
    String(3 * MIB),
  );
  for (const given of [String(10 * MIB), '0', 'lots']) {
    const env = childEnvironment(settings, {
      ...none,
      inherited: { CONVERSATION_IMPORT_MAX_FILE_SIZE_BYTES: given },
    });
    assert.equal(env.CONVERSATION_IMPORT_MAX_FILE_SIZE_BYTES, String(3 * MIB), given);
  }
  const lower = childEnvironment(settings, {
    ...none,
    inherited: { CONVERSATION_IMPORT_MAX_FILE_SIZE_BYTES: String(MIB) },
  });
  assert.equal(lower.CONVERSATION_IMPORT_MAX_FILE_SIZE_BYTES, String(MIB));
});
