// An OpenAI-compatible model server that LibreChat's custom endpoint talks to: GET /v1/models
// and POST /v1/chat/completions (streamed and not). Replies are predictable so flows can assert
// them; a user message containing "[pause <ms>]" makes the streamed reply fall silent for that
// long half-way, like a model that thinks before it goes on. A request the caller closes
// before its end is marked `closedAt`.
import http from 'node:http';
import { EventEmitter } from 'node:events';

export const MODEL = 'fake-model';
export const TITLE = 'Fake Title About Greetings';

function lastUserText(messages = []) {
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i];
    if (m.role !== 'user') continue;
    if (typeof m.content === 'string') return m.content;
    if (Array.isArray(m.content)) return m.content.map((p) => p.text ?? '').join(' ');
  }
  return '';
}

/** LibreChat's title prompt asks for a concise title of the conversation. */
export function isTitleRequest(body) {
  const all = JSON.stringify(body.messages ?? []);
  return /title/i.test(all) && /(concise|5-word|words|title for)/i.test(all);
}

export function replyTo(userText) {
  const said = userText
    .replace(/\[pause \d+\]/g, '')
    .trim()
    .slice(0, 200);
  return `Hello from ${MODEL}! You said: "${said}". This reply arrives in several chunks.`;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export class FakeLlm extends EventEmitter {
  server = http.createServer((req, res) => this.route(req, res));
  /** Every request: { at, method, url, title, stream, userText }. */
  requests = [];
  port = 0;
  chunkDelayMs = 15;

  async start() {
    await new Promise((r) => this.server.listen(0, '127.0.0.1', r));
    this.port = this.server.address().port;
  }

  get baseUrl() {
    return `http://127.0.0.1:${this.port}/v1`;
  }

  async stop() {
    this.server.closeAllConnections();
    await new Promise((r) => this.server.close(() => r()));
  }

  route(req, res) {
    const parts = [];
    req.on('data', (c) => parts.push(c));
    req.on('end', () => void this.answer(req, Buffer.concat(parts).toString('utf8'), res));
  }

  async answer(req, raw, res) {
    let body = {};
    try {
      body = raw ? JSON.parse(raw) : {};
    } catch {
      // Not JSON: answered like any other request below.
    }
    const url = (req.url ?? '').split('?')[0].replace(/\/+$/, '');
    const title = isTitleRequest(body);
    const userText = lastUserText(body.messages);
    const entry = {
      at: Date.now(),
      method: req.method,
      url,
      title,
      stream: Boolean(body.stream),
      userText,
    };
    this.requests.push(entry);
    this.emit('request', entry);
    if (req.method === 'GET' && url.endsWith('/models')) {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          object: 'list',
          data: [{ id: MODEL, object: 'model', created: 1700000000, owned_by: 'e2e' }],
        }),
      );
      return;
    }
    if (req.method !== 'POST' || !url.endsWith('/chat/completions')) {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: `fake-llm: no route ${req.method} ${url}` } }));
      return;
    }
    const id = `chatcmpl-e2e-${this.requests.length}`;
    const created = Math.floor(Date.now() / 1000);
    const model = body.model ?? MODEL;
    const text = title ? TITLE : replyTo(userText);
    const pieces = text.match(/\S+\s*/g) ?? [text];
    const usage = {
      prompt_tokens: 10,
      completion_tokens: pieces.length,
      total_tokens: 10 + pieces.length,
    };
    if (!body.stream) {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          id,
          object: 'chat.completion',
          created,
          model,
          choices: [
            {
              index: 0,
              message: { role: 'assistant', content: text },
              finish_reason: 'stop',
              logprobs: null,
            },
          ],
          usage,
        }),
      );
      this.emit('done', entry);
      return;
    }
    const pause = Number(/\[pause (\d+)\]/.exec(userText)?.[1] ?? 0);
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    let gone = false;
    res.on('close', () => {
      if (!res.writableEnded) entry.closedAt = Date.now();
      gone = true;
    });
    const send = (o) => !gone && res.write(`data: ${JSON.stringify(o)}\n\n`);
    const base = { id, object: 'chat.completion.chunk', created, model };
    send({
      ...base,
      choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }],
    });
    for (const [i, piece] of pieces.entries()) {
      if (pause > 0 && i === Math.floor(pieces.length / 2)) {
        entry.pausedAt = Date.now();
        this.emit('pause', entry);
        // A caller that went away (LibreChat aborting its run) ends the silence at once.
        if (!gone) {
          await new Promise((r) => {
            const t = setTimeout(r, pause);
            res.once('close', () => (clearTimeout(t), r()));
          });
        }
        if (gone) break;
      }
      await sleep(this.chunkDelayMs);
      send({ ...base, choices: [{ index: 0, delta: { content: piece }, finish_reason: null }] });
    }
    send({ ...base, choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] });
    if (body.stream_options?.include_usage) send({ ...base, choices: [], usage });
    if (!gone) res.end('data: [DONE]\n\n');
    entry.completed = !gone;
    this.emit('done', entry);
  }
}
