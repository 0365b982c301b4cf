// The handler under the real aws-lambda-ric: request/response translation, streaming, SSE
// keep-alives, hostile input, faults and the after-response hold.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { apiEvent, bodyJson, Harness } from '../support/harness';
import type { Invocation } from '../support/runtime-api';

let h: Harness;
before(async () => {
  h = await Harness.start({
    env: {
      SSE_KEEPALIVE_MS: '100',
      AFTER_RESPONSE_GRACE_MS: '1200',
      HANDLER_AFTER_RESPONSE_IDLE_MS: '50',
    },
  });
});
after(async () => {
  await h?.stop();
});

interface Echo {
  method: string;
  url: string;
  headers: Record<string, string | string[]>;
  body: string;
}

/** SSE blocks (split on blank lines), comment lines removed. */
function sseEvents(text: string): string[][] {
  return text
    .split('\n\n')
    .map((block) => block.split('\n').filter((l) => l !== '' && !l.startsWith(':')))
    .filter((lines) => lines.length > 0);
}

describe('requests', () => {
  test('method, path, repeated query values and headers reach LibreChat', async () => {
    const inv = await h.invoke(
      apiEvent('PUT', '/api/echo', {
        query: { tag: ['a b', 'c&d'], q: ['ü=1'] },
        headers: {
          accept: ['application/json'],
          'x-repeat': ['one', 'two'],
          cookie: ['a=1', 'b=2'],
          'content-type': ['text/plain'],
        },
        body: 'hello',
      }),
    );
    assert.equal(inv.prelude?.statusCode, 200);
    const echo = bodyJson<Echo>(inv);
    assert.equal(echo.method, 'PUT');
    assert.equal(echo.url, '/api/echo?tag=a%20b&tag=c%26d&q=%C3%BC%3D1');
    assert.equal(echo.headers['x-repeat'], 'one, two');
    assert.equal(echo.headers.cookie, 'a=1; b=2');
    assert.equal(echo.headers['content-length'], '5');
    assert.equal(Buffer.from(echo.body, 'base64').toString(), 'hello');
  });

  test('hop-by-hop headers are dropped and X-Forwarded-For is the viewer IP only', async () => {
    const inv = await h.invoke(
      apiEvent('GET', '/api/echo', {
        sourceIp: '192.0.2.44',
        headers: {
          connection: ['keep-alive, x-private-hop'],
          'x-private-hop': ['secret-ish'],
          'keep-alive': ['timeout=5'],
          te: ['trailers'],
          upgrade: ['websocket'],
          'proxy-authorization': ['Basic Zm9vOmJhcg=='],
          'x-forwarded-for': ['10.9.9.9, 10.8.8.8'],
          'x-forwarded-proto': ['https'],
        },
      }),
    );
    const echo = bodyJson<Echo>(inv);
    for (const name of ['x-private-hop', 'keep-alive', 'te', 'upgrade', 'proxy-authorization']) {
      assert.equal(echo.headers[name], undefined, `${name} must not be forwarded`);
    }
    assert.equal(echo.headers['x-forwarded-for'], '192.0.2.44');
    assert.equal(echo.headers['x-forwarded-proto'], 'https');
  });

  test('a base64 binary body arrives byte-exact and comes back byte-exact', async () => {
    const all = Buffer.alloc(256);
    for (let i = 0; i < 256; i++) all[i] = i;
    const payload = Buffer.concat([all, randomBytes(200_000), all]);
    const inv = await h.invoke(
      apiEvent('POST', '/api/binary', {
        headers: { 'content-type': ['application/octet-stream'] },
        body: payload,
        base64: true,
      }),
    );
    assert.equal(inv.prelude?.statusCode, 200);
    assert.equal(inv.prelude?.headers?.['content-type'], 'application/octet-stream');
    assert.ok(inv.body.equals(payload), 'binary body differs after the round trip');
  });

  test('a multi-megabyte binary response is streamed byte-exact in many chunks', async () => {
    const size = 3 * 1024 * 1024 + 17;
    const inv = await h.invoke(apiEvent('GET', '/api/bytes', { query: { size: [String(size)] } }));
    assert.equal(inv.body.length, size);
    for (let i = 0; i < size; i += 4099) assert.equal(inv.body[i], (i % 65536) % 256);
    assert.ok(inv.chunks.length > 4, `expected a streamed body, got ${inv.chunks.length} chunks`);
  });
});

describe('responses', () => {
  test('every Set-Cookie survives, repeated headers stay repeated', async () => {
    const inv = await h.invoke(apiEvent('GET', '/api/cookies'));
    assert.deepEqual(inv.prelude?.cookies, [
      'refreshToken=abc; Path=/; HttpOnly; Secure',
      'token_provider=librechat; Path=/; HttpOnly',
      'openid_id_token=xyz; Path=/',
    ]);
    assert.deepEqual(inv.prelude?.multiValueHeaders?.['x-multi'], ['one', 'two']);
    assert.equal(inv.prelude?.headers?.['set-cookie'], undefined);
    assert.equal(inv.body.toString(), 'cookies');
    // A clean stream: the runtime sent no error trailers.
    assert.equal(inv.headers['lambda-runtime-function-response-mode'], 'streaming');
    assert.equal(inv.trailers['lambda-runtime-function-error-type'], undefined);
  });

  for (const code of [204, 304, 200]) {
    test(`an empty ${code} response still sends the prelude and delimiter`, async () => {
      const inv = await h.invoke(
        apiEvent('GET', '/api/status', { query: { code: [String(code)] } }),
      );
      assert.equal(
        inv.headers['content-type'],
        'application/vnd.awslambda.http-integration-response',
      );
      assert.equal(inv.prelude?.statusCode, code);
      assert.equal(inv.prelude?.headers?.etag, '"v1"');
      assert.equal(inv.body.length, 0);
      assert.ok(inv.raw.subarray(-8).equals(Buffer.alloc(8)), 'raw stream must end in 8 NULs');
    });
  }

  test('SSE events arrive progressively, as they are written', async () => {
    const inv = await h.invoke(apiEvent('POST', '/api/sse', { query: { gaps: ['0,250,250'] } }));
    assert.equal(inv.prelude?.headers?.['content-type'], 'text/event-stream');
    // Find when each event's bytes arrived at the runtime API.
    const arrival: number[] = [];
    let seen = '';
    for (const c of inv.chunks) {
      seen += c.data.toString('latin1');
      while (arrival.length < 3 && seen.includes(`"i":${arrival.length}`)) arrival.push(c.at);
    }
    assert.equal(arrival.length, 3);
    assert.ok(
      arrival[1] - arrival[0] >= 200,
      `events 0 and 1 arrived ${arrival[1] - arrival[0]} ms apart`,
    );
    assert.ok(
      arrival[2] - arrival[1] >= 200,
      `events 1 and 2 arrived ${arrival[2] - arrival[1]} ms apart`,
    );
    assert.ok(inv.responseEndAt! - arrival[0] >= 400, 'the first event must not wait for the end');
  });

  test('a silent SSE stream gets keepalive events between events', async () => {
    const inv = await h.invoke(apiEvent('POST', '/api/sse', { query: { gaps: ['0,450'] } }));
    const text = inv.body.toString();
    const blocks = sseEvents(text);
    const keepAlives = blocks.filter((b) => b[0] === 'event: keepalive');
    assert.ok(
      keepAlives.length >= 2,
      `expected keep-alives in a 450 ms gap, got ${keepAlives.length}`,
    );
    for (const k of keepAlives) assert.deepEqual(k, ['event: keepalive', 'data: {}']);
    const events = blocks.filter((b) => b[0] === 'event: message');
    assert.equal(events.length, 3);
    for (const e of events) assert.match(e.join('\n'), /^event: message\ndata: \{/);
  });

  test('silence inside an event: nothing is inserted until the event is complete', async () => {
    const inv = await h.invoke(
      apiEvent('POST', '/api/sse', { query: { gaps: ['350'], mid: ['1'] } }),
    );
    const text = inv.body.toString();
    assert.match(text, /^event: message\ndata: \{"i":0[^\n]*\n\n/);
    const events = sseEvents(text).filter((b) => b[0] === 'event: message');
    assert.equal(events.length, 2);
  });

  test('no keep-alive is written into a slow non-SSE body', async () => {
    const inv = await h.invoke(apiEvent('GET', '/api/sleep', { query: { ms: ['350'] } }));
    assert.equal(inv.body.toString(), 'slept');
  });

  test('hostile or malformed input gets 400 JSON, is logged and never forwarded', async () => {
    const before = h.standinEvents().filter((e) => e.event === 'request').length;
    const base = apiEvent('POST', '/api/echo', { body: 'x' });
    const bad: [string, Record<string, unknown>][] = [
      ['CRLF header', { headers: { host: 'h', 'x-a': 'v\r\nx-injected: 1' } }],
      ['non-Latin-1 header', { headers: { host: 'h', 'x-a': '\u2603' }, multiValueHeaders: {} }],
      ['invalid header name', { headers: { 'x a': 'v' }, multiValueHeaders: {} }],
      ['header as an array', { headers: { 'x-a': ['v'] }, multiValueHeaders: {} }],
      ['body not a string', { body: { a: 1 } }],
    ];
    for (const [what, over] of bad) {
      const inv = await h.invoke({ ...base, ...over });
      assert.equal(inv.prelude?.statusCode, 400, what);
      assert.equal(inv.error, undefined, `${what}: no function error`);
      assert.deepEqual(bodyJson(inv), { message: 'Bad request' }, what);
      const line = await h.waitForLog((l) => l.msg === 'request' && l.requestId === inv.id);
      assert.equal(typeof line.rejected, 'string', what);
    }
    const after = h.standinEvents().filter((e) => e.event === 'request').length;
    assert.equal(after, before, 'LibreChat must not see any of them');
  });

  test('a body above the upload ceiling gets 413 JSON and never reaches LibreChat', async () => {
    const before = h.standinEvents().filter((e) => e.event === 'request').length;
    const body = Buffer.alloc(4 * 1024 * 1024 + 65 * 1024, 1);
    const inv = await h.invoke(apiEvent('POST', '/api/files', { body, base64: true }));
    assert.equal(inv.prelude?.statusCode, 413);
    assert.deepEqual(bodyJson(inv), { message: 'File size exceeds 4 MB' });
    assert.equal(h.standinEvents().filter((e) => e.event === 'request').length, before);
    // A file of the limit itself, in its multipart envelope, still goes through.
    const fits = await h.invoke(
      apiEvent('POST', '/api/binary', { body: Buffer.alloc(4 * 1024 * 1024, 2), base64: true }),
    );
    assert.equal(fits.prelude?.statusCode, 200);
    assert.equal(fits.body.length, 4 * 1024 * 1024);
  });

  test('an event that is not a REST API proxy event gets 400', async () => {
    const inv = await h.invoke({ source: 'aws.events', detail: {} });
    assert.equal(inv.prelude?.statusCode, 400);
    assert.match(String(bodyJson(inv).error), /not an API Gateway REST API proxy event/);
  });

  test('GET /api/health answers with a JSON status', async () => {
    const inv = await h.invoke(apiEvent('GET', '/api/health'));
    assert.equal(inv.prelude?.statusCode, 200);
    assert.match(String(inv.prelude?.headers?.['content-type']), /^application\/json/);
    assert.equal(bodyJson(inv).status, 'ok');
    const head = await h.invoke(apiEvent('HEAD', '/api/health'));
    assert.equal(head.prelude?.statusCode, 200);
    assert.equal(head.body.length, 0);
  });
});

describe('faults and lifecycle', () => {
  test('when the runtime closes the response stream, the upstream request is aborted', async () => {
    const inv = await h.invoke(apiEvent('GET', '/api/hang'), {
      closeAfterBytes: 1,
      timeoutMs: 5000,
    });
    assert.ok(inv.responseEndAt !== undefined);
    await h.waitFor(
      () => h.standinEvents().find((e) => e.event === 'client-closed'),
      3000,
      'LibreChat to see the client close',
    );
    const line = await h.waitForLog((l) => l.msg === 'request' && l.path === '/api/hang');
    assert.equal(line.interrupted, 'client');
  });

  test('the invocation stays open while LibreChat finishes work after the response', async () => {
    const inv = await h.invoke(apiEvent('POST', '/api/slow-after', { query: { work: ['400'] } }));
    assert.equal(bodyJson(inv).ok, true);
    const held = inv.doneAt! - inv.responseEndAt!;
    const done = h
      .standinEvents()
      .filter((e) => e.event === 'work-done')
      .pop();
    assert.ok(done, 'the after-response work must have finished');
    assert.ok(done.at <= inv.doneAt!, 'the invocation ended before the work was done');
    assert.ok(held >= 350 && held < 1100, `held ${held} ms after the response`);
  });

  test('outgoing work through node:http is waited for too', async () => {
    const inv = await h.invoke(
      apiEvent('PATCH', '/api/slow-after', { query: { work: ['300'], client: ['http'] } }),
    );
    const held = inv.doneAt! - inv.responseEndAt!;
    const done = h
      .standinEvents()
      .filter((e) => e.event === 'work-done')
      .pop();
    assert.ok(done && done.at <= inv.doneAt!, 'the invocation ended before the work was done');
    assert.ok(held >= 250 && held < 1100, `held ${held} ms after the response`);
  });

  test('the after-response wait is bounded by AFTER_RESPONSE_GRACE_MS', async () => {
    const inv = await h.invoke(apiEvent('POST', '/api/slow-after', { query: { work: ['3000'] } }));
    const held = inv.doneAt! - inv.responseEndAt!;
    assert.ok(held >= 1100 && held < 1800, `held ${held} ms, grace is 1200 ms`);
  });

  test('a plain read does not hold the invocation open', async () => {
    // Let the previous test's (deliberately too long) work finish first.
    await h.waitFor(
      () => h.standinEvents().filter((e) => e.event === 'work-done').length >= 3 || undefined,
      4000,
      'the earlier after-response work to finish',
    );
    const inv = await h.invoke(apiEvent('GET', '/api/echo'));
    const line = await h.waitForLog((l) => l.msg === 'request' && l.requestId === inv.id);
    assert.equal(line.held, 'none');
    // At most the bounded wait for LibreChat's "response finished" report, never the grace.
    const held = inv.doneAt! - inv.responseEndAt!;
    assert.ok(held < 600, `held ${held} ms after a GET`);
  });

  test('a long-lived outgoing connection opened earlier does not hold later requests', async () => {
    const open = await h.invoke(apiEvent('POST', '/api/open-stream'));
    assert.equal(bodyJson(open).opened, true);
    // The request that opened it is held until the grace period ends.
    const heldOpen = open.doneAt! - open.responseEndAt!;
    assert.ok(heldOpen >= 1100, `held ${heldOpen} ms, grace is 1200 ms`);
    const next = await h.invoke(apiEvent('POST', '/api/echo', { body: 'x' }));
    const held = next.doneAt! - next.responseEndAt!;
    assert.ok(held < 900, `a later POST was held ${held} ms by the old connection`);
    const get = await h.invoke(apiEvent('GET', '/api/echo'));
    assert.ok(get.doneAt! - get.responseEndAt! < 600);
  });

  test('LibreChat exiting before it answers gives 502, and the next request restarts it', async () => {
    const before = bodyJson<{ pid: number }>(await h.invoke(apiEvent('GET', '/api/env'))).pid;
    const crash = await h.invoke(apiEvent('GET', '/api/crash'));
    assert.equal(crash.prelude?.statusCode, 502);
    assert.deepEqual(bodyJson(crash), { error: 'LibreChat did not answer' });
    const line = await h.waitForLog((l) => l.msg === 'request' && l.path === '/api/crash');
    assert.match(String(line.upstreamError), /socket hang up|ECONNRESET|exited/);
    const next = await h.invoke(apiEvent('GET', '/api/env'));
    assert.equal(next.prelude?.statusCode, 200);
    const pid = bodyJson<{ pid: number }>(next).pid;
    assert.notEqual(pid, before, 'a new LibreChat process must answer');
    assert.ok(h.logs().some((l) => l.msg === 'librechat exited' && l.code === 3));
  });

  test('a refused connection (LibreChat dying, exit not yet seen) restarts it and retries', async () => {
    const before = bodyJson<{ pid: number }>(await h.invoke(apiEvent('GET', '/api/env'))).pid;
    const bye = await h.invoke(apiEvent('GET', '/api/exit-soon'));
    assert.equal(bye.body.toString(), 'bye');
    const next = await h.invoke(
      apiEvent('POST', '/api/echo', { body: 'once', query: { retry: ['1'] } }),
    );
    assert.equal(next.prelude?.statusCode, 200);
    assert.equal(Buffer.from(bodyJson<{ body: string }>(next).body, 'base64').toString(), 'once');
    const after = bodyJson<{ pid: number }>(await h.invoke(apiEvent('GET', '/api/env'))).pid;
    assert.notEqual(after, before);
    assert.ok(
      h
        .logs()
        .some((l) => l.msg === 'librechat connection failed before a response, retrying once'),
    );
    // The retried POST reached LibreChat exactly once.
    const posts = h.standinEvents().filter((e) => e.event === 'request' && e.method === 'POST');
    assert.equal(posts.filter((e) => e.url === '/api/echo?retry=1').length, 1);
  });

  test('LibreChat exiting mid-stream ends the response instead of hanging', async () => {
    const inv = await h.invoke(apiEvent('GET', '/api/crash-mid'), { timeoutMs: 5000 });
    assert.equal(inv.prelude?.statusCode, 200);
    assert.match(inv.body.toString(), /"partial":true/);
    const line = await h.waitForLog((l) => l.msg === 'request' && l.path === '/api/crash-mid');
    assert.equal(line.interrupted, 'upstream');
    const next = await h.invoke(apiEvent('GET', '/api/echo'));
    assert.equal(next.prelude?.statusCode, 200);
  });

  test('one structured log line per request, cold only for the first', async () => {
    const lines = h.logs().filter((l) => l.msg === 'request');
    assert.ok(lines.length >= 10);
    assert.equal(lines[0].cold, true);
    assert.ok(lines.slice(1).every((l) => l.cold === false));
    const cookies = lines.find((l) => l.path === '/api/cookies');
    assert.ok(cookies);
    assert.equal(cookies.method, 'GET');
    assert.equal(cookies.status, 200);
    assert.equal(cookies.bytes, 7);
    assert.equal(typeof cookies.durationMs, 'number');
    // The path is logged without its query string (it may carry tokens).
    assert.ok(lines.every((l) => !String(l.path).includes('?')));
  });

  test('SIGTERM to the runtime is forwarded to LibreChat', async () => {
    const last: Invocation = await h.invoke(apiEvent('GET', '/api/echo'));
    assert.equal(last.prelude?.statusCode, 200);
    h.proc?.kill('SIGTERM');
    await h.waitFor(
      () => h.standinEvents().find((e) => e.event === 'sigterm'),
      3000,
      'LibreChat to receive SIGTERM',
    );
    const exit = await h.waitFor(() => h.exit, 3000, 'the runtime to exit');
    assert.equal(exit.signal, 'SIGTERM');
  });
});
