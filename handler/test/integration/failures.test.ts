// Cold-start failures and readiness: each case runs its own runtime process.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { apiEvent, bodyJson, Harness } from '../support/harness';

test('a missing config object fails with a message naming the bucket and key', async () => {
  const h = await Harness.start({
    waitReady: false,
    env: { CONFIG_S3_BUCKET: 'config-bucket', CONFIG_S3_KEY: 'missing/librechat.yaml' },
  });
  try {
    const inv = await h.invoke(apiEvent('GET', '/api/echo'));
    assert.equal(inv.prelude?.statusCode, 503);
    const line = await h.waitForLog((l) => l.msg === 'cold start preparation failed');
    assert.match(String(line.error), /s3:\/\/config-bucket\/missing\/librechat\.yaml/);
    assert.match(String(line.error), /CONFIG_S3_KEY=missing\/librechat\.yaml/);
    assert.match(String(line.error), /NoSuchKey/);
    assert.ok(!h.standinEvents().some((e) => e.event === 'spawned'), 'LibreChat must not start');
  } finally {
    await h.stop();
  }
});

test('a missing SSM parameter fails with a message naming it, then a retry succeeds', async () => {
  const h = await Harness.start({
    waitReady: false,
    ssmParams: { '/librechat/present': 'present-secret-value-1' },
    env: {
      SSM_SECRETS: JSON.stringify({
        PRESENT: '/librechat/present',
        CREDS_KEY: '/librechat/creds-key',
      }),
    },
  });
  try {
    const inv = await h.invoke(apiEvent('GET', '/api/echo'));
    assert.equal(inv.prelude?.statusCode, 503);
    const line = await h.waitForLog((l) => l.msg === 'cold start preparation failed');
    assert.match(String(line.error), /CREDS_KEY -> \/librechat\/creds-key/);
    assert.doesNotMatch(String(line.error), /present/);
    // The parameter appears (e.g. created after the deploy): the next request recovers.
    h.ssm.params.set('/librechat/creds-key', 'creds-key-value-2');
    const retry = await h.invoke(apiEvent('GET', '/api/env'));
    assert.equal(retry.prelude?.statusCode, 200);
    assert.equal(
      bodyJson<{ env: Record<string, string> }>(retry).env.CREDS_KEY,
      'creds-key-value-2',
    );
    assert.ok(!h.output.includes('present-secret-value-1'));
    assert.ok(!h.output.includes('creds-key-value-2'));
  } finally {
    await h.stop();
  }
});

test('invalid settings fail the init phase with the variable named', async () => {
  const h = await Harness.start({ waitReady: false, env: { LIBRECHAT_PORT: 'eighty' } });
  try {
    await h.waitFor(() => h.runtime.initErrors[0], 5000, 'an init error');
    const err = h.runtime.initErrors[0] as { errorMessage: string };
    assert.match(err.errorMessage, /LIBRECHAT_PORT must be a whole number/);
  } finally {
    await h.stop();
  }
});

// The health poll runs every 10 ms; the benchmark measures the delay precisely (< 50 ms).
// Here the bound only has to tell a fast poll from a slow one on a loaded machine.
test('readiness is detected soon after LibreChat answers /health', async () => {
  const h = await Harness.start({ env: { STANDIN_READY_DELAY_MS: '400' } });
  try {
    const listening = h.standinEvents().find((e) => e.event === 'listening');
    const ready = h.logs().find((l) => l.msg === 'librechat ready');
    assert.ok(listening && ready);
    const delay = Number(ready.readyAt) - listening.at;
    assert.ok(delay >= 0 && delay < 300, `readiness detected ${delay} ms after listening`);
  } finally {
    await h.stop();
  }
});

test('LibreChat that never gets ready gives a clear 503 after LIBRECHAT_READY_TIMEOUT_MS', async () => {
  const h = await Harness.start({
    waitReady: false,
    env: { STANDIN_READY_DELAY_MS: '60000', LIBRECHAT_READY_TIMEOUT_MS: '700' },
  });
  try {
    const inv = await h.invoke(apiEvent('GET', '/api/echo'));
    assert.equal(inv.prelude?.statusCode, 503);
    assert.match(String(bodyJson(inv).error), /did not become ready in time/);
    assert.ok(inv.responseEndAt! - inv.startedAt < 1500);
    const line = await h.waitForLog((l) => l.msg === 'librechat not ready in time, stopping it');
    assert.equal(line.timeoutMs, 700);
    // The stuck process is stopped so that the next request starts a fresh one.
    await h.waitFor(
      () => h.logs().find((l) => l.msg === 'librechat exited' && l.signal === 'SIGKILL'),
      3000,
      'the stuck LibreChat to be killed',
    );
    // The next request starts a new process, only after the old one is gone.
    const again = await h.invoke(apiEvent('GET', '/api/echo'));
    assert.equal(again.prelude?.statusCode, 503);
    const msgs = h.logs().map((l) => l.msg);
    const secondStart = msgs.lastIndexOf('librechat starting');
    assert.ok(secondStart > msgs.indexOf('librechat exited'), msgs.join(', '));
    assert.equal(msgs.filter((m) => m === 'librechat starting').length, 2);
  } finally {
    await h.stop();
  }
});
