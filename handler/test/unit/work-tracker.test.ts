import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { test } from 'node:test';
import { WorkFeed } from '../../src/work-feed';
import { WorkTracker, type WorkSource } from '../../src/work-tracker';

const tracker = new WorkTracker({
  chatRoutes: [/^\/api\/agents\/chat/],
  hold: { minTailMs: 120, quietMs: 40, capMs: 2000 },
});
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function running(): { source: { work: WorkFeed }; pipe: PassThrough } {
  const pipe = new PassThrough();
  return { source: { work: new WorkFeed(pipe) }, pipe };
}

test('reads, chat POSTs and other writes are told apart by method and route', () => {
  assert.equal(tracker.kindOf('GET', '/api/agents/chat/openAI'), 'read');
  assert.equal(tracker.kindOf('HEAD', '/api/convos'), 'read');
  assert.equal(tracker.kindOf('OPTIONS', '/api/convos'), 'read');
  assert.equal(tracker.kindOf('POST', '/api/agents/chat/openAI'), 'chat');
  assert.equal(tracker.kindOf('POST', '/api/convos/update'), 'write');
  assert.equal(tracker.kindOf('PUT', '/api/agents/chat/openAI'), 'write');
  assert.equal(tracker.kindOf('DELETE', '/api/convos'), 'write');
});

test('a write whose finish report came after it was sent is judged at once', async () => {
  const { source, pipe } = running();
  const tracked = tracker.track(source, 'POST', '/api/convos/update', performance.now());
  pipe.write('f\n');
  await sleep(5);
  const hold = await tracked.afterResponse(performance.now());
  assert.equal(hold.reason, 'none');
  assert.ok(hold.heldMs < 100, `waited ${hold.heldMs} ms for a report it had`);
});

test('a finish report from before the request was sent does not count as its own', async () => {
  const { source, pipe } = running();
  pipe.write('f\n');
  await sleep(5);
  const tracked = tracker.track(source, 'POST', '/api/convos/update', performance.now());
  const hold = await tracked.afterResponse(performance.now());
  assert.equal(hold.reason, 'none');
  // It waited (bounded, 250 ms) for a report of its own response.
  assert.ok(hold.heldMs >= 240, `held only ${hold.heldMs} ms`);
});

test('HTTP work the request started holds it until that work ends and the quiet window passes', async () => {
  const { source, pipe } = running();
  const since = performance.now();
  const tracked = tracker.track(source, 'POST', '/api/convos/update', since);
  pipe.write('+7\nf\n');
  await sleep(5);
  const holding = tracked.afterResponse(performance.now());
  await sleep(150);
  pipe.write('-7\n');
  const hold = await holding;
  assert.equal(hold.reason, 'http-in-flight:quiet');
  assert.ok(hold.heldMs >= 180, `held only ${hold.heldMs} ms`);
});

test('a chat is held for the minimum tail', async () => {
  const { source } = running();
  const tracked = tracker.track(source, 'POST', '/api/agents/chat/openAI', performance.now());
  assert.equal(tracked.kind, 'chat');
  const held = await tracked.afterResponse(performance.now());
  assert.equal(held.reason, 'chat:quiet');
  assert.ok(held.heldMs >= 110, `held only ${held.heldMs} ms`);
});

test('the hold follows the process that served the response when LibreChat was restarted', async () => {
  const source: WorkSource & { work: WorkFeed } = running().source;
  const tracked = tracker.track(source, 'POST', '/api/convos/update', performance.now());
  // A retry restarted LibreChat: the new process reports its own work.
  const next = new PassThrough();
  source.work = new WorkFeed(next);
  next.write('+1\nf\n');
  await sleep(5);
  const holding = tracked.afterResponse(performance.now());
  await sleep(50);
  next.write('-1\n');
  const hold = await holding;
  assert.equal(hold.reason, 'http-in-flight:quiet');
});
