import assert from 'node:assert/strict';
import { test } from 'node:test';
import { answered, type Outcome, Pipeline, proceed } from '../../src/pipeline';

test('steps run in order, each with what the one before passed on', async () => {
  const seen: string[] = [];
  const run = Pipeline.of<number>()
    .step((n) => {
      seen.push(`a:${n}`);
      return proceed(n + 1);
    })
    .step(async (n) => {
      seen.push(`b:${n}`);
      return proceed(`value ${n}`);
    })
    .end(async (s) => {
      seen.push(`end:${s}`);
      return { status: 200, bytes: s.length };
    });
  assert.deepEqual(seen, [], 'building the pipeline runs nothing');
  assert.deepEqual(await run(1), { status: 200, bytes: 7 });
  assert.deepEqual(seen, ['a:1', 'b:2', 'end:value 2']);
});

test('each run starts afresh: notes of one request never reach another', async () => {
  const run = Pipeline.of<string | undefined>()
    .step((ip) => proceed(ip, ip ? { viewerIp: ip } : undefined))
    .end(async () => ({ status: 200, bytes: 0 }));
  assert.equal((await run('192.0.2.1')).viewerIp, '192.0.2.1');
  assert.equal((await run(undefined)).viewerIp, undefined);
});

test('the first answer ends the way: no later step and no last step runs', async () => {
  const ran: string[] = [];
  const run = Pipeline.of<string>()
    .step(() => answered({ status: 403, bytes: 21 }))
    .step((v) => {
      ran.push('after');
      return proceed(v);
    })
    .end(async () => {
      ran.push('end');
      return { status: 200, bytes: 0 };
    });
  assert.deepEqual(await run('x'), { status: 403, bytes: 21 });
  assert.deepEqual(ran, []);
});

test('notes of earlier steps reach the outcome, whichever step answers', async () => {
  const early = await Pipeline.of<number>()
    .step((v) => proceed(v, { viewerIp: '192.0.2.1' }))
    .step(() => answered({ status: 503, bytes: 2 }))
    .end(async () => ({ status: 200, bytes: 0 }))(0);
  assert.deepEqual(early, { viewerIp: '192.0.2.1', status: 503, bytes: 2 });

  const last = await Pipeline.of<number>()
    .step((v) => proceed(v, { viewerIp: '192.0.2.1' }))
    .step((v) => proceed(v, { rejected: 'noted' }))
    .end(async () => ({ status: 200, bytes: 5, held: 'none' }))(0);
  assert.deepEqual(last, {
    viewerIp: '192.0.2.1',
    rejected: 'noted',
    status: 200,
    bytes: 5,
    held: 'none',
  });
});

test("an answer's own facts win over notes of the same name", async () => {
  const outcome: Outcome = await Pipeline.of<number>()
    .step((v) => proceed(v, { viewerIp: '192.0.2.1', rejected: 'early' }))
    .step(() => answered({ status: 400, bytes: 1, rejected: 'late' }))
    .end(async () => ({ status: 200, bytes: 0 }))(0);
  assert.equal(outcome.rejected, 'late');
  assert.equal(outcome.viewerIp, '192.0.2.1');
});

test('a step that throws rejects the whole way, and later steps do not run', async () => {
  let later = false;
  const run = Pipeline.of<number>()
    .step(() => {
      throw new Error('boom');
    })
    .step((v) => {
      later = true;
      return proceed(v);
    })
    .end(async () => ({ status: 200, bytes: 0 }));
  await assert.rejects(run(0), /boom/);
  assert.equal(later, false);
});
