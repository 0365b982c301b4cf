// The handler under aws-lambda-ric in multi-concurrent mode (Lambda Managed Instances): the
// emulator hands out many events at once and one LibreChat serves them all.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { apiEvent, bodyJson, Harness } from '../support/harness';
import type { Invocation } from '../support/runtime-api';

// What the stack sets on a managed-instances function: one runtime worker thread.
const MANAGED = { AWS_LAMBDA_NODEJS_WORKER_COUNT: '1' };

/** The `data:` payloads of an SSE body, in order. */
function sseData(inv: Invocation): unknown[] {
  return inv.body
    .toString('utf8')
    .split('\n\n')
    .flatMap((block) => block.split('\n').filter((l) => l.startsWith('data: ')))
    .map((l) => JSON.parse(l.slice('data: '.length)) as unknown);
}

function spawned(h: Harness): number {
  return h.standinEvents().filter((e) => e.event === 'spawned').length;
}

describe('many invocations at once', () => {
  let h: Harness;
  before(async () => {
    h = await Harness.start({
      maxConcurrency: 32,
      // A generous idle window: LibreChat's report of its follow-up work must arrive in it even
      // on a loaded machine.
      env: { ...MANAGED, AFTER_RESPONSE_GRACE_MS: '4000', HANDLER_AFTER_RESPONSE_IDLE_MS: '400' },
    });
  });
  after(async () => {
    await h?.stop();
  });

  test('20 concurrent streams arrive intact, interleaved, from one LibreChat', async () => {
    const events = 12;
    const gaps = Array<number>(events).fill(60).join(',');
    const invs = await Promise.all(
      Array.from({ length: 20 }, () =>
        h.invoke(apiEvent('GET', '/api/sse', { query: { gaps: [gaps], mid: ['1'] } })),
      ),
    );
    for (const inv of invs) {
      assert.equal(inv.prelude?.statusCode, 200, inv.id);
      assert.equal(inv.prelude?.headers?.['content-type'], 'text/event-stream');
      const data = sseData(inv) as { i?: number; final?: boolean }[];
      assert.deepEqual(
        data.map((d) => d.i ?? 'final'),
        [...Array.from({ length: events }, (_, i) => i), 'final'],
        `stream ${inv.id} must hold every event once, in order`,
      );
    }
    assert.equal(h.runtime.maxInFlight, 20, 'all 20 invocations were out at once');
    // Interleaved on the wire: every stream had sent its first event before any stream ended
    // (queued one behind another, the last would start only after the others had finished).
    const lastFirstByte = Math.max(...invs.map((i) => i.firstBodyAt!));
    const firstEnd = Math.min(...invs.map((i) => i.responseEndAt!));
    assert.ok(
      lastFirstByte < firstEnd,
      `a stream started ${Math.round(lastFirstByte - firstEnd)} ms after another had ended`,
    );
    assert.equal(spawned(h), 1, 'one LibreChat serves every invocation');
    const lifted = h.logs().filter((l) => l.msg.startsWith('response streams to the runtime API'));
    assert.equal(lifted.length, 1);
    assert.equal(lifted[0].previousLimit, 1);
  });

  test("one request's post-response hold does not delay the others", async () => {
    // Like title generation: the answer ends, then LibreChat keeps working for 1.5 s.
    const held = await h.invoke(apiEvent('POST', '/api/slow-after', { query: { work: ['1500'] } }));
    assert.equal(held.prelude?.statusCode, 200);
    const others = await Promise.all([
      ...Array.from({ length: 5 }, () =>
        h.invoke(apiEvent('GET', '/api/sse', { query: { gaps: ['50,50,50'] } })),
      ),
      h.invoke(apiEvent('GET', '/api/echo')),
    ]);
    const heldLine = await h.waitForLog(
      (l) => l.msg === 'request' && l.requestId === held.id,
      5000,
    );
    const heldDone = Date.parse(String(heldLine.time));
    assert.ok(Number(heldLine.heldMs) >= 1000, `the POST was held ${heldLine.heldMs} ms`);
    for (const inv of others) {
      assert.equal(inv.prelude?.statusCode, 200);
      assert.ok(
        inv.responseEndAt! < heldDone,
        `${inv.id} ended ${Math.round(inv.responseEndAt! - heldDone)} ms after the hold was over`,
      );
    }
    assert.equal(sseData(others[0]).length, 4);
  });

  test('a crash interrupts every in-flight request cleanly; the next one restarts LibreChat', async () => {
    const pidBefore = bodyJson<{ pid: number }>(await h.invoke(apiEvent('GET', '/api/env'))).pid;
    const hanging = Array.from({ length: 5 }, () =>
      h.invoke(apiEvent('GET', '/api/hang'), { timeoutMs: 8000 }),
    );
    const waiting = Array.from({ length: 3 }, () =>
      h.invoke(apiEvent('GET', '/api/sleep', { query: { ms: ['20000'] } }), { timeoutMs: 8000 }),
    );
    await h.waitFor(
      () =>
        h.standinEvents().filter((e) => e.event === 'request' && String(e.url) !== '/api/env')
          .length >= 8 || undefined,
      5000,
      'every request to reach LibreChat',
    );
    const crash = await h.invoke(apiEvent('GET', '/api/crash'));
    assert.equal(crash.prelude?.statusCode, 502);
    for (const inv of await Promise.all(hanging)) {
      // Streaming already: the stream ends where it was, no error and no hang.
      assert.equal(inv.prelude?.statusCode, 200);
      assert.match(inv.body.toString(), /"started":true/);
      assert.equal(inv.error, undefined);
    }
    for (const inv of await Promise.all(waiting)) {
      // No response yet: a clean 502 with no internals.
      assert.equal(inv.prelude?.statusCode, 502);
      assert.deepEqual(bodyJson(inv), { error: 'LibreChat did not answer' });
    }
    const next = await Promise.all(
      Array.from({ length: 5 }, () => h.invoke(apiEvent('GET', '/api/env'))),
    );
    const pids = new Set(next.map((inv) => bodyJson<{ pid: number }>(inv).pid));
    assert.equal(pids.size, 1, 'one new LibreChat answers them all');
    assert.notEqual([...pids][0], pidBefore);
    // The first LibreChat, and two more: the crashing request failed before any response byte,
    // so it was sent once more after the restart (and crashed that one too).
    assert.equal(spawned(h), 3);
  });
});

describe('shutdown', () => {
  let h: Harness;
  after(async () => {
    await h?.stop();
  });

  test('SIGTERM reaches LibreChat although the handler runs in a worker thread', async () => {
    h = await Harness.start({ maxConcurrency: 8, env: MANAGED });
    assert.equal((await h.invoke(apiEvent('GET', '/api/echo'))).prelude?.statusCode, 200);
    h.proc?.kill('SIGTERM');
    await h.waitFor(
      () => h.standinEvents().find((e) => e.event === 'sigterm'),
      5000,
      'LibreChat to receive SIGTERM',
    );
    const exit = await h.waitFor(() => h.exit, 5000, 'the runtime to exit');
    assert.equal(exit.signal, 'SIGTERM');
    assert.ok(
      h.logs().some((l) => l.msg === 'SIGTERM relayed by the main thread, stopping LibreChat'),
    );
  });
});

describe('readiness under concurrency', () => {
  let h: Harness;
  before(async () => {
    h = await Harness.start({ maxConcurrency: 32, env: MANAGED, waitReady: false });
  });
  after(async () => {
    await h?.stop();
  });

  test('20 requests during the cold start wait for the one LibreChat starting', async () => {
    const invs = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        h.invoke(apiEvent('POST', '/api/echo', { body: `request ${i}` })),
      ),
    );
    invs.forEach((inv, i) => {
      assert.equal(inv.prelude?.statusCode, 200);
      assert.equal(
        Buffer.from(bodyJson<{ body: string }>(inv).body, 'base64').toString(),
        `request ${i}`,
      );
    });
    assert.ok(h.runtime.maxInFlight > 1, 'the requests were out at the same time');
    assert.equal(spawned(h), 1);
    assert.equal(h.logs().filter((l) => l.msg === 'librechat starting').length, 1);
    const ready = await h.waitForLog((l) => l.msg === 'librechat ready');
    // Each answer came after LibreChat was ready, none was turned away.
    for (const inv of invs) assert.ok(inv.firstBodyAt! >= Number(ready.readyAt));
  });
});

describe('multi-concurrent settings', () => {
  let h: Harness;
  after(async () => {
    await h?.stop();
  });

  test('more than one runtime worker thread fails the init phase, naming the variable', async () => {
    // Two workers (the default, 8 per vCPU, only adds threads; the unit test covers it unset).
    h = await Harness.start({
      maxConcurrency: 8,
      env: { AWS_LAMBDA_NODEJS_WORKER_COUNT: '2' },
      waitReady: false,
    });
    await h.waitFor(() => h.exit ?? h.runtime.initErrors[0], 30000, 'the init to fail');
    assert.match(h.output, /AWS_LAMBDA_NODEJS_WORKER_COUNT must be 1/);
    assert.equal(spawned(h), 0, 'no LibreChat is started');
  });
});
