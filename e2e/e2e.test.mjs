// End-to-end suite: the project's handler in front of the real LibreChat, frozen between
// invocations like Lambda, driven as a browser drives it. Run with `npm run test:e2e`
// (LIBRECHAT_SOURCE must point at a LibreChat checkout or `git archive` tarball; docs/e2e.md).
import assert from 'node:assert/strict';
import { randomUUID, randomBytes } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { Browser, sseJsScript } from './lib/browser.mjs';
import { MODEL, TITLE, replyTo } from './lib/fake-llm.mjs';
import { log, timed, timings } from './lib/log.mjs';
import { multipart, noisePng } from './lib/png.mjs';
import { ENDPOINT, SSE_KEEPALIVE_MS, UPLOAD_LIMIT_MB, startStack } from './lib/stack.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ARTIFACTS = path.resolve(process.env.E2E_ARTIFACTS || path.join(HERE, 'artifacts'));
const PAUSE_MS = 5000;
/** The stop flow's silence: far longer than the stop may take to end the stream. */
const STOP_PAUSE_MS = 60000;
const PASSWORD = 'E2e-Passw0rd!';

/** The request body LibreChat's client sends for a new message (useChatFunctions + createPayload). */
function chatPayload(text, conversationId, parentMessageId) {
  return {
    text,
    sender: 'User',
    clientTimestamp: new Date().toISOString().slice(0, 19),
    isCreatedByUser: true,
    parentMessageId: parentMessageId ?? '00000000-0000-0000-0000-000000000000',
    ...(conversationId ? { conversationId } : {}),
    messageId: randomUUID(),
    error: false,
    endpoint: ENDPOINT,
    endpointType: 'custom',
    model: MODEL,
    modelDisplayLabel: ENDPOINT,
    isTemporary: false,
    isRegenerate: false,
    isContinued: false,
    ephemeralAgent: { mcp: [], web_search: false, file_search: false, execute_code: false },
  };
}

/** A message's text: agents-path messages keep it in `content` parts, `text` stays empty. */
function messageText(m) {
  if (!m) return undefined;
  if (m.text) return m.text;
  return (m.content ?? []).map((c) => (c.type === 'text' ? (c.text ?? '') : '')).join('');
}

/** SSE events of a recorded (complete) response body. */
function sseEvents(text) {
  return text
    .split(/\n\n/)
    .filter((b) => b.trim() !== '')
    .map((block) => {
      const ev = { event: 'message', data: '' };
      for (const line of block.split('\n')) {
        if (line.startsWith('event:')) ev.event = line.slice(6).trim();
        else if (line.startsWith('data:')) ev.data += line.slice(5).trim();
      }
      return ev;
    });
}

let stack;
let viewer;
let user;
let chat; // { conversationId, environment, responseMessage }

describe('LibreChat end to end (handler under aws-lambda-ric, frozen between invocations)', () => {
  before(async () => {
    rmSync(ARTIFACTS, { recursive: true, force: true });
    mkdirSync(path.join(ARTIFACTS, 'screenshots'), { recursive: true });
    log(`artifacts (logs, screenshots): ${ARTIFACTS}`);
    stack = await startStack({
      source: process.env.LIBRECHAT_SOURCE,
      client: true,
      artifacts: ARTIFACTS,
    });
    viewer = stack.viewer();
    // Cold start of both environments (init + first event), timed: that is "start".
    for (const env of stack.fleet.envs) {
      const res = await timed(
        `cold start of environment ${env.name} (init + GET /api/config)`,
        () => viewer.request('GET', '/api/config', { env, auth: false }),
      );
      assert.equal(
        res.status,
        200,
        `cold start of ${env.name}: ${res.status} ${res.text().slice(0, 300)}`,
      );
      const ready = env.logs().find((l) => l.msg === 'librechat ready');
      log(`environment ${env.name}: LibreChat ready after ${ready?.startupMs} ms`);
    }
  });

  after(async () => {
    await stack?.stop();
    log('timings:');
    for (const t of timings)
      log(`  ${t.what}: ${t.skipped ? 'cached' : `${(t.ms / 1000).toFixed(1)}s`}`);
    log(`logs and screenshots: ${ARTIFACTS}`);
  });

  test('register, log in (every cookie kept), refresh on the other environment, /api/user', async () => {
    const [A, B] = stack.fleet.envs;
    const suffix = randomBytes(4).toString('hex');
    user = {
      name: 'E2E User',
      username: `e2e_${suffix}`,
      email: `e2e-${suffix}@example.com`,
      password: PASSWORD,
    };
    const reg = await viewer.request('POST', '/api/auth/register', {
      env: A,
      auth: false,
      json: { ...user, confirm_password: PASSWORD },
    });
    assert.equal(reg.status, 200, `register: ${reg.status} ${reg.text().slice(0, 300)}`);

    const login = await viewer.request('POST', '/api/auth/login', {
      env: A,
      auth: false,
      json: { email: user.email, password: PASSWORD },
    });
    assert.equal(login.status, 200, `login: ${login.status} ${login.text().slice(0, 300)}`);
    viewer.token = login.json().token;
    assert.ok(viewer.token, 'login answers a token');
    const cookieNames = (login.headers.get('set-cookie') ?? []).map((c) => c.split('=')[0]);
    assert.ok(
      cookieNames.includes('refreshToken'),
      `Set-Cookie refreshToken kept (got ${cookieNames.join(', ')})`,
    );
    assert.ok(
      cookieNames.includes('token_provider'),
      `Set-Cookie token_provider kept (got ${cookieNames.join(', ')})`,
    );

    // The client refreshes its token with the cookie alone, here on the other environment.
    const refresh = await viewer.request('POST', '/api/auth/refresh', { env: B, auth: false });
    assert.equal(
      refresh.status,
      200,
      `refresh with the cookie: ${refresh.status} ${refresh.text().slice(0, 300)}`,
    );
    assert.ok(refresh.json().token, 'refresh answers a new token');
    viewer.token = refresh.json().token;

    const me = await viewer.request('GET', '/api/user', { env: A });
    assert.equal(me.status, 200, `/api/user: ${me.status} ${me.text().slice(0, 200)}`);
    assert.equal(me.json().email, user.email);
  });

  test('/api/config, /api/endpoints and /api/models name the configured model', async () => {
    const cfg = await viewer.request('GET', '/api/config', { auth: false });
    assert.equal(cfg.status, 200);
    assert.equal(cfg.json().registrationEnabled, true);
    const eps = await viewer.request('GET', '/api/endpoints');
    assert.equal(eps.status, 200, eps.text().slice(0, 200));
    assert.ok(
      eps.json()[ENDPOINT],
      `endpoints list ${ENDPOINT} (from librechat.yaml in S3): ${eps.text().slice(0, 300)}`,
    );
    const models = await viewer.request('GET', '/api/models');
    assert.equal(models.status, 200);
    assert.deepEqual(models.json()[ENDPOINT], [MODEL]);
  });

  test(`streamed chat read with sse.js in Chromium, the model silent for ${PAUSE_MS} ms (keep-alive every ${SSE_KEEPALIVE_MS} ms)`, async () => {
    const browser = new Browser({ screenshots: path.join(ARTIFACTS, 'screenshots') });
    try {
      const page = await browser.start();
      // Any page of the site gives the origin; the 403 of a missing object will do.
      await page.goto(`${stack.cloudfront.url}/e2e-origin`);
      await page.addScriptTag({ content: sseJsScript() });
      const text = `Tell me something slowly [pause ${PAUSE_MS}]`;
      const result = await page.evaluate(
        ({ url, payload, token }) =>
          new Promise((resolve) => {
            const out = {
              messages: [],
              parseErrors: [],
              keepalives: 0,
              errors: [],
              t0: Date.now(),
            };
            // As LibreChat's useSSE.ts: JSON.parse on every `message` event.
            const sse = new window.SSE(url, {
              payload: JSON.stringify(payload),
              headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
            });
            sse.addEventListener('message', (e) => {
              try {
                out.messages.push({ at: Date.now() - out.t0, data: JSON.parse(e.data) });
              } catch (err) {
                out.parseErrors.push(`${err.message}; data=${JSON.stringify(e.data)}`);
              }
            });
            sse.addEventListener('keepalive', () => (out.keepalives += 1));
            sse.addEventListener('error', (e) =>
              out.errors.push(`${e.responseCode ?? ''} ${e.data ?? ''}`),
            );
            sse.addEventListener('readystatechange', (e) => {
              if (e.readyState === 2) resolve(out);
            });
            sse.stream();
          }),
        {
          url: `${stack.cloudfront.url}/api/agents/chat/${ENDPOINT}`,
          payload: chatPayload(text),
          token: viewer.token,
        },
      );
      const entry = stack.cloudfront.apiLog
        .filter((e) => e.path === `/api/agents/chat/${ENDPOINT}`)
        .at(-1);
      const final = result.messages.find((m) => m.data.final);
      // Kept first: the title and freeze flows build on this conversation.
      if (final) {
        chat = {
          conversationId:
            final.data.conversation?.conversationId ?? final.data.responseMessage.conversationId,
          environment: entry?.environment,
          responseMessage: final.data.responseMessage,
          text,
        };
        log(`chat served by environment ${chat.environment}; conversation ${chat.conversationId}`);
      }
      assert.deepEqual(result.errors, [], 'no sse.js error events');
      assert.deepEqual(
        result.parseErrors,
        [],
        'every message event is JSON (LibreChat JSON.parses each one)',
      );
      assert.ok(final, `a final event arrived (${result.messages.length} messages)`);
      assert.equal(
        messageText(final.data.responseMessage),
        replyTo(text),
        'the whole reply, after the pause',
      );
      const deltas = result.messages.filter((m) => m.data.event === 'on_message_delta');
      const gap = Math.max(...deltas.slice(1).map((d, i) => d.at - deltas[i].at));
      assert.ok(gap >= PAUSE_MS - 500, `the stream really fell silent (longest gap ${gap} ms)`);
      assert.ok(
        result.keepalives >= 1,
        `keep-alive events during the silence (got ${result.keepalives})`,
      );
    } finally {
      await browser.stop();
    }
  });

  test('the new conversation’s title arrives through POST /api/convos/gen_title on the other environment', async () => {
    assert.ok(chat?.conversationId, 'needs the streamed chat');
    const other = stack.fleet.envs.find((e) => e.name !== chat.environment);
    const t0 = Date.now();
    const res = await viewer.request('POST', '/api/convos/gen_title', {
      env: other,
      json: { conversationId: chat.conversationId },
    });
    log(`gen_title on ${other.name}: ${res.status} after ${Date.now() - t0} ms`);
    assert.equal(res.status, 200, `gen_title: ${res.status} ${res.text().slice(0, 200)}`);
    assert.equal(res.json().title, TITLE);
    assert.ok(
      stack.llm.requests.some((r) => r.title),
      'LibreChat asked the model for a title',
    );
    // Saved to the database before the streaming environment was frozen.
    await stack.fleet.byName(chat.environment).whenFree();
    const convos = await viewer.request('GET', '/api/convos?limit=25', { env: other });
    const c = convos.json().conversations.find((x) => x.conversationId === chat.conversationId);
    assert.equal(c?.title, TITLE, 'the conversation keeps its title');
  });

  test('requests after a freeze longer than 5 s are answered (no stale upstream connection)', async () => {
    assert.ok(chat?.conversationId, 'needs the streamed chat');
    for (const env of stack.fleet.envs) {
      await env.whenFree();
      await sleep(6000);
      const msgs = await viewer.request('GET', `/api/messages/${chat.conversationId}`, { env });
      assert.equal(
        msgs.status,
        200,
        `after a 6 s freeze, ${env.name} answered ${msgs.status} ${msgs.text().slice(0, 200)}`,
      );
      const list = msgs.json();
      assert.equal(list.length, 2, 'the question and the answer');
      assert.equal(
        messageText(list.find((m) => !m.isCreatedByUser)),
        replyTo(chat.text),
        'the answer as streamed',
      );
    }
  });

  test('the stop button: abort on environment B, generation on A ends, a reload shows the partial answer', async () => {
    const [A, B] = stack.fleet.envs;
    await Promise.all([A.whenFree(), B.whenFree()]);
    const text = `Stop me half-way [pause ${STOP_PAUSE_MS}]`;
    // The fake model sends the first half of its reply, then falls silent (fake-llm.mjs).
    const pieces = replyTo(text).match(/\S+\s*/g);
    const shown = pieces.slice(0, Math.floor(pieces.length / 2)).join('');
    const unseen = pieces.slice(Math.floor(pieces.length / 2)).join('');
    // What the client script adds to the chat POST (src/frontend/client/stop-relay.js).
    const streamId = randomBytes(16).toString('hex');

    // The stream as the viewer reads it: SSE message events, parsed as they arrive.
    let raw = '';
    const events = [];
    let streamInv;
    let ended = false;
    let onProgress = () => undefined;
    const observer = {
      body: (inv, chunk) => {
        streamInv = inv;
        raw += chunk.toString('utf8');
        const blocks = raw.split('\n\n');
        raw = blocks.pop();
        for (const ev of sseEvents(blocks.join('\n\n'))) {
          if (ev.event !== 'message') continue;
          try {
            events.push(JSON.parse(ev.data));
          } catch {
            // Checked by the sse.js flow; here only the text matters.
          }
        }
        onProgress();
      },
      end: () => {
        ended = true;
        onProgress();
      },
    };
    const deltaText = () =>
      events
        .filter((e) => e.event === 'on_message_delta')
        .flatMap((e) => e.data?.delta?.content ?? [])
        .map((c) => (c.type === 'text' ? (c.text ?? '') : ''))
        .join('');
    const until = (what, ok, ms) =>
      new Promise((resolve, reject) => {
        const t = setTimeout(
          () => reject(new Error(`${what}: not within ${ms} ms (streamed "${deltaText()}")`)),
          ms,
        );
        onProgress = () => {
          if (ok()) {
            clearTimeout(t);
            onProgress = () => undefined;
            resolve();
          }
        };
        onProgress();
      });

    const t0 = Date.now();
    const chatDone = viewer.request('POST', `/api/agents/chat/${ENDPOINT}`, {
      env: A,
      json: chatPayload(text),
      headers: { 'X-Stream-Id': streamId },
      observer,
    });
    chatDone.catch(() => undefined); // awaited below; a failure before that is reported there
    try {
      // The viewer has read the first half and the model is silent: the moment to press stop.
      await until('the first half of the reply streamed', () => deltaText() === shown, 90000);
      const shownAt = Date.now();
      log(`stop flow: first half streamed on ${A.name} after ${shownAt - t0} ms`);

      // A stop with another bearer (a stolen stream id alone): answered alike, changes nothing.
      const forged = await viewer.request('POST', '/api/stream/abort', {
        env: B,
        auth: false,
        headers: { Authorization: `Bearer ${randomBytes(24).toString('base64url')}` },
        json: { streamId },
      });
      assert.equal(forged.status, 204, `abort with another bearer: ${forged.status}`);
      await sleep(3000);
      assert.equal(ended, false, 'the stream goes on after a stop with another bearer');
      assert.equal(deltaText(), shown, 'still the first half only');

      // The stop, as the client script sends it: same bearer, on the other environment.
      const abortAt = Date.now();
      const stop = await viewer.request('POST', '/api/stream/abort', {
        env: B,
        json: { streamId },
      });
      log(
        `stop flow: abort on ${stop.inv.environment} answered ${stop.status} in ${Date.now() - abortAt} ms`,
      );
      assert.equal(stop.inv.environment, B.name, 'the abort was served by the other environment');
      assert.equal(stop.status, 204, `abort: ${stop.status} ${stop.text().slice(0, 200)}`);
      await until('the stream on A ended after the stop', () => ended, 10000);
      const endedAt = Date.now();
      log(`stop flow: stream on ${A.name} ended ${endedAt - abortAt} ms after the abort`);

      const res = await chatDone;
      log(`stop flow: invocation on ${A.name} over ${Date.now() - abortAt} ms after the abort`);
      assert.equal(res.status, 200, 'the stream had started');
      assert.equal(res.inv.environment, A.name);
      assert.ok(
        streamInv.responseEndAt - abortAt < 10000,
        `the stream ended within 10 s of the stop (${streamInv.responseEndAt - abortAt} ms), ` +
          `not after the model's ${STOP_PAUSE_MS} ms silence`,
      );
      assert.ok(!events.some((e) => e.final), 'no final event after the stop');
      assert.equal(deltaText(), shown, 'nothing after the pause reached the viewer');

      // LibreChat ended its run: it closed its request to the model during the silence.
      const model = stack.llm.requests.find((r) => r.stream && r.userText === text);
      assert.ok(model, 'the model was asked');
      assert.ok(
        model.closedAt !== undefined && model.completed === false,
        'LibreChat closed its request to the model before the reply was complete',
      );
      log(`stop flow: the model's request closed ${model.closedAt - abortAt} ms after the abort`);
      const lines = A.logs();
      assert.ok(
        lines.some(
          (l) => l.msg === 'stop relay: the viewer stopped the stream' && l.streamId === streamId,
        ),
        'environment A logged the stop',
      );
      assert.ok(
        lines.some((l) => l.msg === 'request' && l.interrupted === 'stopped'),
        'environment A logged the request as stopped',
      );

      // A reload, on the other environment: the partial answer, as the viewer saw it.
      const conversationId = events.find((e) => e.created)?.message?.conversationId;
      assert.ok(conversationId, 'the stream named its conversation');
      const msgs = await viewer.request('GET', `/api/messages/${conversationId}`, { env: B });
      assert.equal(msgs.status, 200, `reload: ${msgs.status} ${msgs.text().slice(0, 200)}`);
      const list = msgs.json();
      const answer = list.find((m) => !m.isCreatedByUser);
      assert.ok(answer, `the partial answer was saved (${msgs.text().slice(0, 300)})`);
      const saved = messageText(answer);
      assert.equal(
        saved.trim(),
        shown.trim(),
        'the saved answer is what was streamed before the stop',
      );
      assert.ok(!saved.includes(unseen.trim()), 'nothing after the pause was saved');
      assert.ok(
        list.some((m) => m.isCreatedByUser && m.text === text),
        'the question was saved',
      );
    } finally {
      // A failed flow still lets the stream end (at the latest after the silence) before the
      // next flow sends A its next event.
      await chatDone.catch(() => undefined);
    }
  });

  test('file upload: multipart, base64 event body, stored and listed by LibreChat', async () => {
    const [A, B] = stack.fleet.envs;
    const png = noisePng(64, 48);
    const fileId = randomUUID();
    const { body, contentType } = multipart(
      {
        endpoint: ENDPOINT,
        endpointType: 'custom',
        file_id: fileId,
        width: '64',
        height: '48',
        message_file: 'true',
      },
      { field: 'file', name: 'noise.png', type: 'image/png', data: png },
    );
    const up = await viewer.request('POST', '/api/files', { env: B, body, contentType });
    assert.equal(up.status, 200, `upload: ${up.status} ${up.text().slice(0, 300)}`);
    assert.equal(
      up.inv.event.isBase64Encoded,
      true,
      'API Gateway handed the multipart body over base64-encoded',
    );
    const stored = up.json();
    assert.equal(stored.temp_file_id, fileId);
    const list = await viewer.request('GET', '/api/files', { env: A });
    assert.equal(list.status, 200);
    const f = list.json().find((x) => x.file_id === stored.file_id);
    assert.ok(f, `GET /api/files lists the upload (${list.text().slice(0, 200)})`);
    assert.equal(f.width, 64, 'LibreChat decoded the image: the bytes arrived intact');
    assert.equal(f.height, 48);
  });

  test(`an upload over the ${UPLOAD_LIMIT_MB} MB ceiling is refused with a message the client shows`, async () => {
    const [A] = stack.fleet.envs;
    // Over the ceiling, still under Lambda's 6 MB invoke limit once base64-encoded.
    const png = noisePng(1100, 1400);
    assert.ok(png.length > UPLOAD_LIMIT_MB * 1024 * 1024, `test file is ${png.length} bytes`);
    const { body, contentType } = multipart(
      {
        endpoint: ENDPOINT,
        endpointType: 'custom',
        file_id: randomUUID(),
        width: '1100',
        height: '1400',
        message_file: 'true',
      },
      { field: 'file', name: 'big.png', type: 'image/png', data: png },
    );
    const before = (await viewer.request('GET', '/api/files', { env: A })).json().length;
    const up = await viewer.request('POST', '/api/files', { env: A, body, contentType });
    assert.equal(up.status, 413, `over the ceiling: ${up.status} ${up.text().slice(0, 300)}`);
    const message = up.json().message;
    // The client's upload toast shows `message` (useFileHandling.ts).
    assert.ok(
      typeof message === 'string' && message.trim() !== '',
      `a JSON message for the client's toast: ${up.text()}`,
    );
    const afterList = (await viewer.request('GET', '/api/files', { env: A })).json().length;
    assert.equal(afterList, before, 'nothing stored');
  });

  test('LibreChat crashing mid-stream: the stream ends, the next request is served', async () => {
    const [A] = stack.fleet.envs;
    await A.whenFree();
    const pid = A.librechatPid();
    assert.ok(pid, 'LibreChat pid from the handler log');
    const text = `This one will crash [pause 8000]`;
    let killedAt;
    const onPause = (req) => {
      if (req.userText !== text || killedAt) return;
      killedAt = Date.now();
      process.kill(pid, 'SIGKILL');
    };
    stack.llm.on('pause', onPause);
    let res;
    try {
      res = await viewer.request('POST', `/api/agents/chat/${ENDPOINT}`, {
        env: A,
        json: chatPayload(text),
      });
    } finally {
      stack.llm.off('pause', onPause);
    }
    assert.ok(killedAt, 'LibreChat was killed while the model was silent');
    assert.equal(res.status, 200, 'the stream had started');
    const events = sseEvents(res.text()).filter((e) => e.event === 'message');
    assert.ok(
      !events.some((e) => JSON.parse(e.data).final),
      'no final event from a dead LibreChat',
    );
    assert.ok(res.inv.responseEndAt - killedAt < 15000, 'the stream ended soon after the crash');
    const next = await viewer.request('GET', '/api/user', { env: A });
    assert.equal(next.status, 200, `the next request: ${next.status} ${next.text().slice(0, 200)}`);
    const starts = A.logs().filter((l) => l.msg === 'librechat starting');
    assert.ok(starts.length >= 2 && starts.at(-1).pid !== pid, 'a new LibreChat process serves it');
  });

  test('the real web client in Chromium: register, log in, chat through a silence, see the reply and title', async () => {
    const browser = new Browser({ screenshots: path.join(ARTIFACTS, 'screenshots') });
    try {
      const page = await browser.start();
      const site = stack.cloudfront.url;
      const suffix = randomBytes(4).toString('hex');
      const email = `ui-${suffix}@example.com`;
      await page.goto(`${site}/register`);
      await page.getByTestId('name').fill('UI User');
      await page.getByTestId('username').fill(`ui_${suffix}`);
      await page.getByTestId('email').fill(email);
      await page.getByTestId('password').fill(PASSWORD);
      await page.getByTestId('confirm_password').fill(PASSWORD);
      await browser.shot('register-form');
      await page.locator('button[type="submit"]').click();
      // After the countdown the client goes to /c/new, which sends a logged-out viewer to /login.
      await page.waitForURL(/\/login/, { timeout: 60000 });
      await browser.shot('login-page');
      await page.locator('#email').fill(email);
      await page.locator('#password').fill(PASSWORD);
      await page.getByTestId('login-button').click();
      await page.waitForURL(/\/c\/new/, { timeout: 60000 });
      // A new user starts on the agents endpoint; the client's URL parameters pick the model.
      await page.goto(`${site}/c/new?endpoint=${ENDPOINT}&model=${MODEL}`);
      const input = page.locator(`[data-testid="text-input"][placeholder*="${ENDPOINT}"]`);
      await input.waitFor();
      await browser.shot('new-chat');
      const text = `Hello from the browser [pause ${PAUSE_MS}]`;
      await input.fill(text);
      await page.getByTestId('send-button').click();
      const reply = replyTo(text);
      const tail = reply.slice(-30);
      await page.getByText(tail, { exact: false }).first().waitFor({ timeout: 90000 });
      await browser.shot('reply-complete');
      await page.getByText(TITLE).first().waitFor({ timeout: 60000 });
      await browser.shot('title-in-sidebar');
      assert.deepEqual(browser.problems, [], 'no uncaught page errors, failed or blocked requests');
      const chatReq = stack.cloudfront.apiLog
        .filter((e) => e.path.startsWith('/api/agents/chat/'))
        .at(-1);
      assert.equal(chatReq?.status, 200);
    } catch (err) {
      await browser.shot('failure').catch(() => undefined);
      if (browser.problems.length > 0)
        err.message += `\nbrowser problems:\n${browser.problems.join('\n')}`;
      throw err;
    } finally {
      await browser.stop();
    }
  });
});
