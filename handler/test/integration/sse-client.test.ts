// The handler's SSE output as LibreChat's web client parses it: the body, byte for byte as it
// reached the runtime API, replayed into sse.js 2.5.0 with a listener that JSON.parses every
// `message` event the way LibreChat's useSSE.ts does.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { apiEvent, Harness } from '../support/harness';
import type { Invocation } from '../support/runtime-api';
import { type ReplayResult, replayIntoSseJs } from '../support/sse-replay';

let h: Harness;
before(async () => {
  h = await Harness.start({ env: { SSE_KEEPALIVE_MS: '100' } });
});
after(async () => {
  await h?.stop();
});

/** The same bytes as they arrived, as one read, and one byte per read. */
function replays(inv: Invocation): Record<string, ReplayResult> {
  const bytes = [...inv.body];
  return {
    recorded: replayIntoSseJs(inv.bodyChunks.map((c) => c.data)),
    oneRead: replayIntoSseJs([inv.body]),
    bytewise: replayIntoSseJs(bytes.map((b) => Buffer.from([b]))),
  };
}

function assertClean(r: ReplayResult, events: number, how: string): void {
  assert.deepEqual(r.listenerErrors, [], `${how}: LibreChat's listener threw`);
  assert.equal(r.emptyMessages, 0, `${how}: a message event had empty data`);
  assert.equal(r.messages.length, events, `${how}: every data event must arrive`);
  assert.deepEqual(r.messages[events - 1], { final: true }, `${how}: the final event`);
}

test('keep-alives in silent gaps reach sse.js as keepalive events, every message parses', async () => {
  const inv = await h.invoke(
    apiEvent('POST', '/api/sse', { query: { gaps: ['0,450,0,450'] }, body: '{}' }),
  );
  assert.match(inv.body.toString(), /event: keepalive\ndata: \{\}\n\n/);
  assert.doesNotMatch(inv.body.toString(), /^:/m, 'no comment-only blocks');
  for (const [how, r] of Object.entries(replays(inv))) {
    assertClean(r, 5, how);
    assert.ok(
      r.keepalives >= 4,
      `${how}: expected keep-alives in two 450 ms gaps, got ${r.keepalives}`,
    );
  }
});

test('silence in the middle of an event: the keep-alive waits for the boundary', async () => {
  const inv = await h.invoke(
    apiEvent('POST', '/api/sse', { query: { gaps: ['350,0'], mid: ['1'] }, body: '{}' }),
  );
  const text = inv.body.toString();
  // Nothing may be inserted between `event: message` and its data line.
  assert.match(text, /^event: message\ndata: \{"i":0/);
  for (const [how, r] of Object.entries(replays(inv))) assertClean(r, 3, how);
  const line = await h.waitForLog((l) => l.msg === 'request' && l.requestId === inv.id);
  assert.ok(Number(line.keepAlivesDeferred) >= 2, JSON.stringify(line));
});

test('a keep-alive right before the final event, even in one read with it, loses nothing', async () => {
  // The last gap is a multiple of the keep-alive interval: a keep-alive and the final event
  // are written within a few ms of each other.
  const inv = await h.invoke(
    apiEvent('POST', '/api/sse', { query: { gaps: ['0,200'] }, body: '{}' }),
  );
  const text = inv.body.toString();
  assert.match(text, /event: keepalive\ndata: \{\}\n\n(event: message\ndata: \{"i":1[^\n]*\n\n)?/);
  for (const [how, r] of Object.entries(replays(inv))) assertClean(r, 3, how);
});
