import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { test } from 'node:test';
import { AfterResponseHold } from '../../src/hold';
import { WorkFeed } from '../../src/work-feed';

const policy = { minTailMs: 150, quietMs: 80, capMs: 1000 };
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const wall = (): number => performance.timeOrigin + performance.now();

function feed(): { feed: WorkFeed; pipe: PassThrough } {
  const pipe = new PassThrough();
  return { feed: new WorkFeed(pipe), pipe };
}

test('a read with nothing in flight is not held', async () => {
  const { feed: f, pipe } = feed();
  pipe.write(`a${wall()}\n`);
  await sleep(5);
  const r = await new AfterResponseHold(f, 0, policy).wait('read', performance.now());
  assert.equal(r.reason, 'none');
  assert.ok(r.heldMs < 1, String(r.heldMs));
});

test('a chat request is held for the minimum tail even without activity', async () => {
  const { feed: f } = feed();
  const end = performance.now();
  const r = await new AfterResponseHold(f, 0, policy).wait('chat', end);
  assert.equal(r.reason, 'chat:quiet');
  assert.ok(r.heldMs >= 140, String(r.heldMs));
});

test('an HTTP request started by this invocation holds it until it ends, then the quiet window', async () => {
  const { feed: f, pipe } = feed();
  const since = performance.now();
  pipe.write('+1\n');
  await sleep(5);
  const wait = new AfterResponseHold(f, since, policy).wait('read', performance.now());
  await sleep(200);
  pipe.write('-1\n');
  const r = await wait;
  assert.equal(r.reason, 'http-in-flight:quiet');
  assert.ok(r.heldMs >= 260, String(r.heldMs));
});

test('an HTTP request started before the invocation does not hold it; the cap bounds a hold', async () => {
  const { feed: f, pipe } = feed();
  pipe.write('+7\n');
  await sleep(5);
  const since = performance.now();
  assert.equal((await new AfterResponseHold(f, since, policy).wait('read', since)).reason, 'none');
  pipe.write('+8\n');
  await sleep(5);
  const r = await new AfterResponseHold(f, since, { ...policy, capMs: 200 }).wait('write', since);
  assert.equal(r.reason, 'http-in-flight:cap');
});

test('socket activity keeps a write held; the exit of LibreChat ends a hold', async () => {
  const { feed: f, pipe } = feed();
  pipe.write(`a${wall()}\n`);
  await sleep(5);
  const wait = new AfterResponseHold(f, 0, policy).wait('write', performance.now());
  for (let i = 0; i < 4; i++) {
    await sleep(40);
    pipe.write(`a${wall()}\n`);
  }
  const r = await wait;
  assert.equal(r.reason, 'activity:quiet');
  assert.ok(r.heldMs >= 200, String(r.heldMs));

  const g = feed();
  g.pipe.write('+1\n');
  await sleep(5);
  const held = new AfterResponseHold(g.feed, 0, policy).wait('write', performance.now());
  g.feed.close();
  assert.equal((await held).reason, 'http-in-flight:exited');
});

test('work started right after res.end() is seen: the hold waits for the finish report first', async () => {
  const { feed: f, pipe } = feed();
  const since = performance.now();
  const before = f.responsesFinished;
  const wait = new AfterResponseHold(f, since, policy).wait('write', performance.now(), before);
  await sleep(30);
  // In the pipe's order: the follow-up request's start, then the response's finish.
  pipe.write('+3\nf\n');
  await sleep(100);
  pipe.write('-3\n');
  const r = await wait;
  assert.equal(r.reason, 'http-in-flight:quiet');
  assert.ok(r.heldMs >= 200, String(r.heldMs));
});

test('without a finish report the wait for it is bounded', async () => {
  const { feed: f } = feed();
  const r = await new AfterResponseHold(f, 0, policy).wait('read', performance.now(), 0);
  assert.equal(r.reason, 'none');
  assert.ok(r.heldMs >= 200 && r.heldMs < 1000, String(r.heldMs));
});
