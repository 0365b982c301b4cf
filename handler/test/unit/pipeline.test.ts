import assert from 'node:assert/strict';
import { test } from 'node:test';
import { answered, type Outcome, Pipeline, proceed } from '../../src/pipeline';

test('steps run in order, each with what the one before passed on', async () => {
  const seen: string[] = [];
  const outcome = await Pipeline.from(1)
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
  assert.deepEqual(seen, ['a:1', 'b:2', 'end:value 2']);
  assert.deepEqual(outcome, { status: 200, bytes: 7 });
});

test('the first answer ends the way: no later step and no last step runs', async () => {
  const ran: string[] = [];
  const outcome = await Pipeline.from('x')
    .step(() => answered({ status: 403, bytes: 21 }))
    .step((v) => {
      ran.push('after');
      return proceed(v);
    })
    .end(async () => {
      ran.push('end');
      return { status: 200, bytes: 0 };
    });
  assert.deepEqual(ran, []);
  assert.deepEqual(outcome, { status: 403, bytes: 21 });
});

test('notes of earlier steps reach the outcome, whichever step answers', async () => {
  const early = await Pipeline.from(0)
    .step((v) => proceed(v, { viewerIp: '192.0.2.1' }))
    .step(() => answered({ status: 503, bytes: 2 }))
    .end(async () => ({ status: 200, bytes: 0 }));
  assert.deepEqual(early, { viewerIp: '192.0.2.1', status: 503, bytes: 2 });

  const last = await Pipeline.from(0)
    .step((v) => proceed(v, { viewerIp: '192.0.2.1' }))
    .step((v) => proceed(v, { rejected: 'noted' }))
    .end(async () => ({ status: 200, bytes: 5, held: 'none' }));
  assert.deepEqual(last, {
    viewerIp: '192.0.2.1',
    rejected: 'noted',
    status: 200,
    bytes: 5,
    held: 'none',
  });
});

test("an answer's own facts win over notes of the same name", async () => {
  const outcome: Outcome = await Pipeline.from(0)
    .step((v) => proceed(v, { viewerIp: '192.0.2.1', rejected: 'early' }))
    .step(() => answered({ status: 400, bytes: 1, rejected: 'late' }))
    .end(async () => ({ status: 200, bytes: 0 }));
  assert.equal(outcome.rejected, 'late');
  assert.equal(outcome.viewerIp, '192.0.2.1');
});

test('a step that throws rejects the whole way, and later steps do not run', async () => {
  let later = false;
  const way = Pipeline.from(0)
    .step(() => {
      throw new Error('boom');
    })
    .step((v) => {
      later = true;
      return proceed(v);
    })
    .end(async () => ({ status: 200, bytes: 0 }));
  await assert.rejects(way, /boom/);
  assert.equal(later, false);
});
