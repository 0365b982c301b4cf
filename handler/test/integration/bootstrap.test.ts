// Cold start with a config from S3, secrets from SSM, the origin check on, and the role
// credentials handed to LibreChat in a form that keeps the session token.
import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { parse } from 'yaml';
import { apiEvent, bodyJson, CREDS, Harness } from '../support/harness';

const ORIGIN_SECRET = 'origin-verify-value-7f3a9c';
const JWT_SECRET = 'jwt-secret-value-b81d22';
// Twelve parameters: more than one GetParameters call (at most 10 names each).
const MANY = Object.fromEntries(
  Array.from({ length: 10 }, (_, i) => [`EXTRA_SECRET_${i}`, `extra-secret-value-${i}-x9`]),
);

let h: Harness;
let configPath: string;
before(async () => {
  const ssmParams: Record<string, string> = {
    '/librechat/origin': ORIGIN_SECRET,
    '/librechat/jwt': JWT_SECRET,
  };
  const ssmSecrets: Record<string, string> = {
    ORIGIN_VERIFY_SECRET: '/librechat/origin',
    // An ARN works as well as a name.
    JWT_SECRET: 'arn:aws:ssm:us-east-1:123456789012:parameter/librechat/jwt',
  };
  for (const [name, value] of Object.entries(MANY)) {
    ssmParams[`/librechat/${name}`] = value;
    ssmSecrets[name] = `/librechat/${name}`;
  }
  h = new Harness();
  configPath = path.join(h.dir, 'conf', 'librechat.yaml');
  await h.begin({
    s3Objects: {
      'config-bucket/env/dev/librechat.yaml':
        'version: 1.2.1\ncache: true\nfileStrategy: s3\ndomain: __DOMAIN__\nbucket: __BUCKET__\n',
      'files-bucket/avatar.png': 'png-bytes',
    },
    ssmParams,
    stubDelayMs: 300,
    env: {
      CONFIG_S3_BUCKET: 'config-bucket',
      CONFIG_S3_KEY: 'env/dev/librechat.yaml',
      CONFIG_PATH: configPath,
      CONFIG_REPLACE: JSON.stringify({
        __DOMAIN__: 'chat.example.org',
        __BUCKET__: 'files-bucket',
      }),
      SSM_SECRETS: JSON.stringify(ssmSecrets),
      ORIGIN_VERIFY_HEADER: 'X-Origin-Verify',
      ORIGIN_VERIFY_DISABLED: 'false',
      // The distribution's origin request policy adds CloudFront-Viewer-Address.
      TRUST_CLOUDFRONT_VIEWER_ADDRESS: 'true',
      HANDLER_UPLOAD_LIMIT_MB: '3',
    },
  });
});
after(async () => {
  await h?.stop();
});

const verified = { 'x-origin-verify': [ORIGIN_SECRET] };

test('config and secrets are fetched in parallel during init, before any invocation', async () => {
  const prepared = h.logs().find((l) => l.msg === 'cold start prepared');
  assert.ok(prepared, 'the handler must log the end of its preparation');
  // Every S3/SSM answer takes 300 ms: when all requests arrived within 300 ms of each other,
  // none waited for another's answer. (Measured at the stubs: robust on a loaded machine.)
  const arrivals = [...h.s3.arrivals, ...h.ssm.arrivals];
  assert.ok(arrivals.length >= 3, 'the config fetch and the SSM calls (secrets, origin secret)');
  const spread = Math.max(...arrivals) - Math.min(...arrivals);
  assert.ok(spread < 300, `the requests arrived ${spread} ms apart: not in parallel`);
  assert.ok(Number(prepared.ms) >= 300, `preparation took ${prepared.ms} ms`);
  // The origin secret is the handler's own (read apart), never one of LibreChat's.
  assert.deepEqual(prepared.secrets, ['JWT_SECRET', ...Object.keys(MANY)]);
  assert.equal(h.runtime.nextCalls, 1, 'no invocation was handed out yet');
});

test('the config is fetched from S3, placeholders replaced, the upload ceiling merged in', async () => {
  const inv = await h.invoke(apiEvent('GET', '/api/config', { headers: verified }));
  const body = bodyJson<{ path: string; text: string }>(inv);
  assert.equal(body.path, configPath);
  assert.ok(
    body.text.startsWith(
      'version: 1.2.1\ncache: true\nfileStrategy: s3\ndomain: chat.example.org\nbucket: files-bucket\n',
    ),
    body.text,
  );
  const config = parse(body.text);
  assert.equal(config.fileConfig.serverFileSizeLimit, 3);
  for (const name of ['default', 'agents', 'anthropic', 'assistants', 'azureAssistants']) {
    assert.equal(config.fileConfig.endpoints[name].fileSizeLimit, 3, name);
  }
  const logged = h.logs().find((l) => l.msg === 'upload ceiling applied to librechat.yaml');
  assert.ok(logged && (logged.capped as string[]).includes('fileConfig.serverFileSizeLimit'));
});

test('LibreChat gets production mode, /tmp-style dirs, secrets, and no bare key pair', async () => {
  const inv = await h.invoke(apiEvent('GET', '/api/env', { headers: verified }));
  const { env, cwd } = bodyJson<{ env: Record<string, string>; cwd: string }>(inv);
  const work = path.join(h.dir, 'work');
  assert.equal(env.NODE_ENV, 'production');
  assert.equal(env.HOST, '127.0.0.1');
  assert.equal(env.PORT, String(h.port));
  assert.equal(cwd, work);
  assert.equal(env.LIBRECHAT_LOG_DIR, path.join(work, 'logs'));
  assert.equal(env.CONFIG_PATH, configPath);
  assert.equal(env.CONVERSATION_IMPORT_MAX_FILE_SIZE_BYTES, String(3 * 1024 * 1024));
  for (const d of ['uploads', 'images']) {
    assert.ok(statSync(path.join(h.dir, 'app', d)).isDirectory(), `${d} dir must exist`);
  }
  assert.equal(env.AWS_REGION, 'us-east-1');
  assert.equal(env.JWT_SECRET, JWT_SECRET);
  for (const [name, value] of Object.entries(MANY)) assert.equal(env[name], value);
  for (const gone of [
    'AWS_ACCESS_KEY_ID',
    'AWS_SECRET_ACCESS_KEY',
    'AWS_SESSION_TOKEN',
    'ORIGIN_VERIFY_SECRET',
    'SSM_SECRETS',
    'CONFIG_REPLACE',
  ]) {
    assert.equal(env[gone], undefined, `${gone} must not reach LibreChat`);
  }
});

test('SSM was asked with WithDecryption, at most 10 names per call, with the session token', () => {
  // LibreChat's 11 secrets in two calls, the origin secret in its own.
  assert.equal(h.ssm.seen.length, 3);
  for (const r of h.ssm.seen) {
    const body = r.body as { Names: string[]; WithDecryption: boolean };
    assert.equal(body.WithDecryption, true);
    assert.ok(body.Names.length <= 10);
    assert.equal(r.sessionToken, CREDS.AWS_SESSION_TOKEN);
  }
});

test("LibreChat's S3 client works with the role credentials, session token included", async () => {
  h.s3.seen.length = 0;
  const inv = await h.invoke(
    apiEvent('GET', '/api/s3', {
      headers: verified,
      query: { bucket: ['files-bucket'], key: ['avatar.png'] },
    }),
  );
  assert.equal(inv.prelude?.statusCode, 200, inv.body.toString());
  assert.equal(bodyJson(inv).body, 'png-bytes');
  const seen = h.s3.seen.find((r) => r.url.startsWith('/files-bucket/avatar.png'));
  assert.ok(seen, 'LibreChat must have called S3');
  assert.equal(seen.accessKeyId, CREDS.AWS_ACCESS_KEY_ID);
  assert.equal(seen.sessionToken, CREDS.AWS_SESSION_TOKEN);
});

test('without the origin header: 403, and LibreChat never sees the request', async () => {
  const inv = await h.invoke(apiEvent('GET', '/api/echo', { query: { probe: ['no-header'] } }));
  assert.equal(inv.prelude?.statusCode, 403);
  const wrong = await h.invoke(
    apiEvent('GET', '/api/echo', {
      query: { probe: ['wrong-header'] },
      headers: { 'x-origin-verify': [ORIGIN_SECRET.slice(0, -1) + 'X'] },
    }),
  );
  assert.equal(wrong.prelude?.statusCode, 403);
  const reached = h.standinEvents().filter((e) => String(e.url).includes('probe='));
  assert.deepEqual(reached, []);
});

test('with the origin header: proxied, the header is not passed on, the viewer IP comes from CloudFront', async () => {
  const inv = await h.invoke(
    apiEvent('GET', '/api/echo', {
      headers: { ...verified, 'cloudfront-viewer-address': ['[2001:db8::5]:51234'] },
      sourceIp: '130.176.0.1',
    }),
  );
  assert.equal(inv.prelude?.statusCode, 200);
  const echo = bodyJson<{ headers: Record<string, string> }>(inv);
  assert.equal(echo.headers['x-origin-verify'], undefined);
  assert.equal(echo.headers['x-forwarded-for'], '2001:db8::5');
});

test('the origin check also guards /api/health', async () => {
  const inv = await h.invoke(apiEvent('GET', '/api/health'));
  assert.equal(inv.prelude?.statusCode, 403);
});

test('no secret value appears anywhere in the runtime output', () => {
  const values = [
    ORIGIN_SECRET,
    JWT_SECRET,
    ...Object.values(MANY),
    CREDS.AWS_SECRET_ACCESS_KEY,
    CREDS.AWS_SESSION_TOKEN,
  ];
  assert.ok(
    h.logs().some((l) => l.msg === 'request'),
    'expected request log lines',
  );
  for (const v of values) assert.ok(!h.output.includes(v), `a secret value was logged`);
  assert.ok(!h.logs().some((l) => l.msg.startsWith('origin check is off')));
});
