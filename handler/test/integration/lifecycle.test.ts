// Lambda's freeze between invocations and LibreChat crashes must not cost a viewer a 502:
// no idle upstream connection is carried over, and a connection that fails before any
// response byte is retried once.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { apiEvent, bodyJson, Harness } from '../support/harness';

let h: Harness;
before(async () => {
  // The stand-in keeps LibreChat's (Node's default) 5 s keep-alive timeout.
  h = await Harness.start({
    processGroup: true,
    env: { STANDIN_KEEPALIVE_TIMEOUT_MS: '5000' },
  });
});
after(async () => {
  await h?.stop();
});

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

test('no idle connection to LibreChat outlives the invocation that used it', async () => {
  for (let i = 0; i < 3; i++) {
    assert.equal((await h.invoke(apiEvent('GET', '/api/echo'))).prelude?.statusCode, 200);
  }
  // Only the request asking is open: the earlier ones closed their connections.
  const open = bodyJson<{ open: number }>(await h.invoke(apiEvent('GET', '/api/connections')));
  assert.equal(open.open, 1);
});

test('a freeze longer than the keep-alive timeout: every request after the thaw succeeds', async () => {
  for (let round = 0; round < 2; round++) {
    const warm = await h.invoke(apiEvent('POST', '/api/echo', { body: `warm ${round}` }));
    assert.equal(warm.prelude?.statusCode, 200);
    h.freeze();
    await sleep(6500);
    h.thaw();
    const next = await h.invoke(apiEvent('POST', '/api/echo', { body: `after ${round}` }));
    assert.equal(next.prelude?.statusCode, 200, next.body.toString());
    const echoed = Buffer.from(bodyJson<{ body: string }>(next).body, 'base64').toString();
    assert.equal(echoed, `after ${round}`);
  }
  assert.ok(!h.logs().some((l) => l.msg === 'request' && l.status === 502));
});

test('a connection dropped before any response byte is retried once, on the same process', async () => {
  const pid = bodyJson<{ pid: number }>(await h.invoke(apiEvent('GET', '/api/env'))).pid;
  const inv = await h.invoke(apiEvent('POST', '/api/reset-once', { query: { key: ['r1'] } }));
  assert.equal(inv.prelude?.statusCode, 200);
  assert.deepEqual(bodyJson(inv), { answered: true, pid });
  assert.ok(h.standinEvents().some((e) => e.event === 'reset'));
  assert.ok(
    h.logs().some((l) => l.msg === 'librechat connection failed before a response, retrying once'),
  );
});

test('LibreChat dying before it answers: restarted, and the request is answered by the new one', async () => {
  const before = bodyJson<{ pid: number }>(await h.invoke(apiEvent('GET', '/api/env'))).pid;
  const inv = await h.invoke(apiEvent('POST', '/api/crash-once', { query: { key: ['c1'] } }));
  assert.equal(inv.prelude?.statusCode, 200, inv.body.toString());
  const answer = bodyJson<{ answered: boolean; pid: number }>(inv);
  assert.equal(answer.answered, true);
  assert.notEqual(answer.pid, before, 'a new LibreChat process must answer');
  assert.ok(h.logs().some((l) => l.msg === 'librechat exited' && l.code === 3));
});
