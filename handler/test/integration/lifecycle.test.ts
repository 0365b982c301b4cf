// Lambda's freeze between invocations and LibreChat crashes must not cost a viewer a 502:
// no idle upstream connection is carried over, and a connection that fails before any
// response byte is retried once.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { apiEvent, bodyJson, Harness } from '../support/harness';

let h: Harness;
before(async () => {
  // The stand-in closes idle connections after 2.5 s, like LibreChat (Node's default 5 s) but
  // sooner, so a freeze can outlast it without slowing the suite; still above the handler's 2 s.
  h = await Harness.start({
    processGroup: true,
    env: { STANDIN_KEEPALIVE_TIMEOUT_MS: '2500' },
  });
});
after(async () => {
  await h?.stop();
});

const retries = (): number =>
  h.logs().filter((l) => l.msg === 'librechat connection failed before a response, retrying once')
    .length;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

test('a connection idle for longer than 2 s is not reused', async () => {
  for (let i = 0; i < 3; i++) {
    assert.equal((await h.invoke(apiEvent('GET', '/api/echo'))).prelude?.statusCode, 200);
  }
  // Back to back: the pooled connection is reused, so only one is open.
  let open = bodyJson<{ open: number }>(await h.invoke(apiEvent('GET', '/api/connections')));
  assert.equal(open.open, 1);
  await sleep(2200);
  // The idle one was closed before this request opened a new one.
  open = bodyJson<{ open: number }>(await h.invoke(apiEvent('GET', '/api/connections')));
  assert.equal(open.open, 1);
});

test('a freeze longer than the keep-alive timeout: every request after the thaw succeeds', async () => {
  const retriesBefore = retries();
  for (let round = 0; round < 2; round++) {
    const warm = await h.invoke(apiEvent('POST', '/api/echo', { body: `warm ${round}` }));
    assert.equal(warm.prelude?.statusCode, 200);
    h.freeze();
    await sleep(3500);
    h.thaw();
    const next = await h.invoke(apiEvent('POST', '/api/echo', { body: `after ${round}` }));
    assert.equal(next.prelude?.statusCode, 200, next.body.toString());
    const echoed = Buffer.from(bodyJson<{ body: string }>(next).body, 'base64').toString();
    assert.equal(echoed, `after ${round}`);
  }
  assert.ok(!h.logs().some((l) => l.msg === 'request' && l.status === 502));
  // Not rescued by the retry either: no stale pooled connection was used at all.
  assert.equal(retries(), retriesBefore);
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

test('a pooled connection LibreChat dropped: reset on reuse, retried once on a new one', async () => {
  const armed = await h.invoke(apiEvent('GET', '/api/reset-next'));
  assert.deepEqual(bodyJson(armed), { armed: true });
  // The next request goes out on the same pooled connection, which the stand-in resets.
  const inv = await h.invoke(apiEvent('POST', '/api/echo', { body: 'reused' }));
  assert.equal(inv.prelude?.statusCode, 200, inv.body.toString());
  assert.equal(Buffer.from(bodyJson<{ body: string }>(inv).body, 'base64').toString(), 'reused');
  assert.ok(
    h.standinEvents().some((e) => e.event === 'reset-reused'),
    'the reuse was forced',
  );
  const line = await h.waitForLog((l) => l.msg === 'request' && l.requestId === inv.id);
  assert.equal(line.status, 200);
});

test('when LibreChat exits, its pooled connections are dropped: no failed reuse after a restart', async () => {
  await h.invoke(apiEvent('GET', '/api/echo'));
  const exits = h.logs().filter((l) => l.msg === 'librechat exited').length;
  const bye = await h.invoke(apiEvent('GET', '/api/exit-soon'));
  assert.equal(bye.body.toString(), 'bye');
  await h.waitFor(
    () => h.logs().filter((l) => l.msg === 'librechat exited').length > exits || undefined,
    5000,
    'the exit to be seen',
  );
  const retries = h.logs().filter((l) => l.msg.includes('retrying once')).length;
  const next = await h.invoke(apiEvent('POST', '/api/echo', { body: 'after exit' }));
  assert.equal(next.prelude?.statusCode, 200);
  assert.equal(h.logs().filter((l) => l.msg.includes('retrying once')).length, retries);
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
