// Cold start with librechat.environmentFrom: the task's environment comes from S3 (the object
// Terraform writes), is checked against its hash, merged under the function's own variables and
// handed to LibreChat.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, test } from 'node:test';
import { apiEvent, bodyJson, Harness } from '../support/harness';

const OLD = 'genai.example.org';
const NEW = 'chat.example.org';
const TASK_VARS = Object.fromEntries(
  Array.from({ length: 150 }, (_, i) => [`TASK_VAR_${i}`, `https://${OLD}/v/${i}`]),
);
const DOCUMENT = JSON.stringify({
  taskDefinition: 'arn:aws:ecs:us-east-1:123456789012:task-definition/aprochat-api:7',
  container: 'aprochat-api',
  exclude: ['ASSETS_URL', 'HOST', 'PORT', 'TRUST_PROXY'],
  environment: {
    ...TASK_VARS,
    OPENID_ISSUER: 'https://issuer.example.org',
    OPENID_SCOPE: 'openid profile email',
    ASSETS_URL: `https://${OLD}/assets`,
    TRUST_PROXY: '2',
    ALLOW_REGISTRATION: 'true',
    AWS_SECRET_ACCESS_KEY: 'task-key-must-not-pass',
  },
});

let h: Harness;
before(async () => {
  h = await Harness.start({
    s3Objects: { 'files-bucket/_librechat-lambda/inherited-environment.json': DOCUMENT },
    env: {
      INHERITED_ENVIRONMENT: JSON.stringify({
        bucket: 'files-bucket',
        key: '_librechat-lambda/inherited-environment.json',
        sha256: createHash('sha256').update(DOCUMENT).digest('hex'),
      }),
      CONFIG_REPLACE: JSON.stringify({ [OLD]: NEW }),
      // librechat.environment: wins over the task's value.
      ALLOW_REGISTRATION: 'false',
    },
  });
});
after(async () => {
  await h?.stop();
});

test('LibreChat gets the whole task environment, domain replaced, under the function variables', async () => {
  const inv = await h.invoke(apiEvent('GET', '/api/env'));
  const { env } = bodyJson<{ env: Record<string, string> }>(inv);
  for (let i = 0; i < 150; i++) assert.equal(env[`TASK_VAR_${i}`], `https://${NEW}/v/${i}`);
  assert.equal(env.OPENID_ISSUER, 'https://issuer.example.org');
  assert.equal(env.OPENID_SCOPE, 'openid profile email');
  assert.equal(env.ALLOW_REGISTRATION, 'false');
  assert.equal(env.ASSETS_URL, undefined);
  assert.equal(env.AWS_SECRET_ACCESS_KEY, undefined);
  assert.equal(env.HOST, '127.0.0.1');
  assert.equal(env.INHERITED_ENVIRONMENT, undefined);
});

test('the cold start logs what was inherited and what was left out, by name only', () => {
  const line = h.logs().find((l) => l.msg === 'inherited the task environment');
  assert.ok(line);
  assert.equal(line.inherited, 152);
  assert.deepEqual(line.dropped, {
    ASSETS_URL: 'excluded',
    TRUST_PROXY: 'excluded',
    ALLOW_REGISTRATION: 'set on the function',
    AWS_SECRET_ACCESS_KEY: 'reserved by Lambda',
  });
  assert.ok(!h.output.includes('task-key-must-not-pass'));
});
