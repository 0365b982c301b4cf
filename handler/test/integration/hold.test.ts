// After the response: LibreChat's follow-up work (title generation: an LLM call, then database
// writes) must finish before the invocation ends and Lambda freezes the environment.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { apiEvent, Harness, type LogLine } from '../support/harness';
import type { Invocation } from '../support/runtime-api';

let h: Harness;
before(async () => {
  // The handler's defaults: 500 ms minimum tail for chat routes, 300 ms quiet window, 10 s cap.
  h = await Harness.start({ env: { AFTER_RESPONSE_GRACE_MS: '10000' } });
});
after(async () => {
  await h?.stop();
});

function requestLine(inv: Invocation): Promise<LogLine> {
  return h.waitForLog((l) => l.msg === 'request' && l.requestId === inv.id);
}

test('a title started after the response, then a database write, both finish inside the invocation', async () => {
  const inv = await h.invoke(
    apiEvent('POST', '/api/agents/chat/openAI', {
      query: { delay: ['200'], llm: ['1500'], gap: ['50'] },
      body: '{"text":"hi"}',
    }),
  );
  assert.match(inv.body.toString(), /"final":true/);
  const events = h.standinEvents();
  const llmDone = events.find((e) => e.event === 'title-llm-done');
  const dbDone = events.find((e) => e.event === 'title-db-done');
  assert.ok(llmDone && dbDone, 'the title work must have finished before the invocation ended');
  assert.ok(dbDone.at <= inv.doneAt!, 'the runtime asked for the next event before the DB write');
  const line = await requestLine(inv);
  assert.match(String(line.held), /^chat:quiet$/);
  assert.ok(Number(line.heldMs) >= 1500, JSON.stringify(line));
  // Not held much longer than the work needed: quiet window plus scheduling slack.
  assert.ok(inv.doneAt! - dbDone.at < 2000, `held ${inv.doneAt! - dbDone.at} ms after the work`);
});

test('a chat route with no follow-up work is held only for the minimum tail', async () => {
  const inv = await h.invoke(
    apiEvent('POST', '/api/agents/chat/openAI', { query: { work: ['0'] }, body: '{}' }),
  );
  const held = inv.doneAt! - inv.responseEndAt!;
  assert.ok(held >= 450, `held ${held} ms, the minimum tail is 500 ms`);
  assert.ok(held < 3000, `held ${held} ms`);
});

test('a GET with no follow-up work adds no tail', async () => {
  const inv = await h.invoke(apiEvent('GET', '/api/echo'));
  const line = await requestLine(inv);
  assert.equal(line.held, 'none');
  // At most the wait for LibreChat's "response finished" report (bounded at 250 ms).
  assert.ok(Number(line.heldMs) < 260, JSON.stringify(line));
});

test('a POST whose work ended with the response is not held', async () => {
  const inv = await h.invoke(apiEvent('POST', '/api/echo', { body: 'x' }));
  const line = await requestLine(inv);
  assert.equal(line.held, 'none');
});

test('a non-chat POST with outgoing work after the response is held until it ends', async () => {
  const inv = await h.invoke(apiEvent('POST', '/api/slow-after', { query: { work: ['400'] } }));
  const done = h
    .standinEvents()
    .filter((e) => e.event === 'work-done')
    .pop();
  assert.ok(done && done.at <= inv.doneAt!, 'the invocation ended before the work was done');
  const line = await requestLine(inv);
  assert.match(String(line.held), /^http-in-flight:quiet$/);
});
