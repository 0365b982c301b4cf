// A stand-in for LibreChat that the tests start through LIBRECHAT_COMMAND. It behaves like the
// parts of LibreChat the handler deals with, and writes what happened to STANDIN_EVENTS_FILE.
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';

const port = Number(process.env.PORT ?? 3080);
const host = process.env.HOST ?? 'localhost';
const eventsFile = process.env.STANDIN_EVENTS_FILE;
const recordRequests = process.env.STANDIN_RECORD_REQUESTS === '1';
const readyDelayMs = Number(process.env.STANDIN_READY_DELAY_MS ?? 0);
// Node's default, which LibreChat keeps: idle keep-alive connections are closed after 5 s.
const keepAliveTimeoutMs = Number(process.env.STANDIN_KEEPALIVE_TIMEOUT_MS ?? 5000);
const now = (): number => performance.timeOrigin + performance.now();

function record(event: string, fields: Record<string, unknown> = {}): void {
  if (eventsFile) {
    appendFileSync(
      eventsFile,
      JSON.stringify({ event, at: now(), pid: process.pid, ...fields }) + '\n',
    );
  }
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function json(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

function readBody(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve) => {
    const parts: Buffer[] = [];
    req.on('data', (c: Buffer) => parts.push(c));
    req.on('end', () => resolve(Buffer.concat(parts)));
  });
}

/** Writes size bytes of a fixed pattern covering every byte value, honouring backpressure. */
async function writePattern(
  res: http.ServerResponse,
  size: number,
  chunkSize: number,
): Promise<void> {
  const block = Buffer.alloc(chunkSize);
  for (let i = 0; i < chunkSize; i++) block[i] = i % 256;
  let sent = 0;
  while (sent < size) {
    const n = Math.min(chunkSize, size - sent);
    sent += n;
    if (!res.write(n === chunkSize ? block : block.subarray(0, n))) {
      await new Promise((r) => res.once('drain', r));
    }
  }
  res.end();
}

// Mirrors LibreChat's S3 client set-up: with both keys in the env it builds credentials from
// the pair alone (dropping the session token); otherwise the SDK's default provider chain.
async function s3Get(bucket: string, key: string): Promise<string> {
  const id = process.env.AWS_ACCESS_KEY_ID;
  const secret = process.env.AWS_SECRET_ACCESS_KEY;
  const client = new S3Client({
    region: process.env.AWS_REGION,
    forcePathStyle: true,
    ...(id && secret ? { credentials: { accessKeyId: id, secretAccessKey: secret } } : {}),
  });
  const res = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return (await res.Body?.transformToString()) ?? '';
}

// Like LibreChat's agents chat: SSE headers at once (or after `holdMs`), an event every 100 ms
// for `ms`, and a stop only when the request's socket closes (request.js createCloseHandler),
// which is recorded.
async function agentsChat(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  ms: number,
  holdMs: number,
): Promise<void> {
  await readBody(req);
  const streamId = req.headers['x-stream-id'];
  record('chat-start', { url: req.url, streamId });
  if (holdMs > 0) {
    let gone = false;
    res.once('close', () => (gone = true));
    await sleep(holdMs);
    if (gone) {
      record('chat-closed', { streamId, afterMs: holdMs, beforeHeaders: true });
      return;
    }
  }
  res.writeHead(200, {
    'content-type': 'text/event-stream',
    'cache-control': 'no-cache, no-transform',
    'x-accel-buffering': 'no',
  });
  res.flushHeaders();
  const started = Date.now();
  let finished = false;
  let i = 0;
  const timer = setInterval(() => {
    if (Date.now() - started >= ms) {
      clearInterval(timer);
      finished = true;
      res.end(`event: message\ndata: {"final":true}\n\n`);
      record('chat-done', { streamId });
      return;
    }
    res.write(`event: message\ndata: {"i":${i++}}\n\n`);
  }, 100);
  res.on('close', () => {
    clearInterval(timer);
    if (!finished) record('chat-closed', { streamId, afterMs: Date.now() - started });
  });
}

async function route(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://x');
  const q = url.searchParams;
  // A long stream (the stop relay's tests ask for one with `ms`); without it the title-like
  // route below answers /api/agents/chat/openAI.
  if (
    req.method === 'POST' &&
    /^\/api\/agents\/chat(\/[^/]+)?$/.test(url.pathname) &&
    (q.has('ms') || req.headers['x-stream-id'] !== undefined)
  ) {
    return agentsChat(req, res, Number(q.get('ms') ?? 10000), Number(q.get('holdMs') ?? 0));
  }
  switch (url.pathname) {
    case '/health':
      res.writeHead(200, { 'content-type': 'text/plain' }).end('OK');
      return;
    case '/api/env':
      return json(res, 200, { env: process.env, cwd: process.cwd(), pid: process.pid });
    case '/api/echo': {
      const body = await readBody(req);
      return json(res, 200, {
        method: req.method,
        url: req.url,
        headers: req.headers,
        rawHeaders: req.rawHeaders,
        body: body.toString('base64'),
      });
    }
    case '/api/binary': {
      const body = await readBody(req);
      res.writeHead(200, {
        'content-type': 'application/octet-stream',
        'content-length': body.length,
      });
      res.end(body);
      return;
    }
    case '/api/bytes':
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      return writePattern(res, Number(q.get('size') ?? 1024), Number(q.get('chunk') ?? 65536));
    case '/api/cookies':
      res.writeHead(200, [
        ['Set-Cookie', 'refreshToken=abc; Path=/; HttpOnly; Secure'],
        ['Set-Cookie', 'token_provider=librechat; Path=/; HttpOnly'],
        ['Set-Cookie', 'openid_id_token=xyz; Path=/'],
        ['Content-Type', 'text/plain'],
        ['X-Multi', 'one'],
        ['X-Multi', 'two'],
      ]);
      res.end('cookies');
      return;
    case '/api/status': {
      const code = Number(q.get('code') ?? 204);
      res.writeHead(code, { etag: '"v1"' });
      res.end();
      return;
    }
    case '/api/sse': {
      // gaps: ms to wait before each event; mid=1 splits every event across the gap.
      const gaps = (q.get('gaps') ?? '0').split(',').map(Number);
      const mid = q.get('mid') === '1';
      res.writeHead(200, {
        'content-type': 'text/event-stream',
        'cache-control': 'no-cache, no-transform',
        'x-accel-buffering': 'no',
      });
      // headers=late: like LibreChat's setHeaders (writeHead, no flush), the headers leave with
      // the first event, in one segment.
      if (q.get('headers') !== 'late') res.flushHeaders();
      for (let i = 0; i < gaps.length; i++) {
        if (mid) {
          res.write(`event: message\n`);
          await sleep(gaps[i]);
          res.write(`data: {"i":${i},"t":${now()}}\n\n`);
        } else {
          await sleep(gaps[i]);
          res.write(`event: message\ndata: {"i":${i},"t":${now()}}\n\n`);
        }
      }
      res.end(`event: message\ndata: {"final":true}\n\n`);
      return;
    }
    case '/api/crash':
      record('crash');
      process.exit(3);
      return;
    case '/api/crash-once': {
      // Dies without answering the first time a key is seen (across restarts), answers after.
      const marker = `${eventsFile}.${q.get('key') ?? 'x'}`;
      if (!existsSync(marker)) {
        writeFileSync(marker, '');
        record('crash');
        process.exit(3);
      }
      return json(res, 200, { answered: true, pid: process.pid });
    }
    case '/api/reset-once': {
      // Drops the connection without a response byte the first time (like a pooled connection
      // that LibreChat closed), answers after; the process stays alive.
      const marker = `${eventsFile}.${q.get('key') ?? 'x'}`;
      if (!existsSync(marker)) {
        writeFileSync(marker, '');
        record('reset');
        req.socket.resetAndDestroy();
        return;
      }
      return json(res, 200, { answered: true, pid: process.pid });
    }
    case '/api/reset-next':
      // Answers, keeping the connection open, but resets the next request that arrives on the
      // same connection without a response byte: a pooled connection LibreChat has dropped.
      poisoned.add(req.socket);
      return json(res, 200, { armed: true });
    case '/api/connections':
      // Open server-side connections, this request's included.
      return json(res, 200, { open: await connectionCount() });
    case '/api/agents/chat/openAI':
    case '/api/title-like': {
      // Like LibreChat's agents chat: the stream ends, then the title is generated: an LLM
      // call starting `delay` ms later, answering after `llm` ms, then a database write on a
      // separate TCP connection `gap` ms after that.
      const delay = Number(q.get('delay') ?? 200);
      const llm = Number(q.get('llm') ?? 1500);
      const gap = Number(q.get('gap') ?? 50);
      const noWork = q.get('work') === '0';
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.end('event: message\ndata: {"final":true}\n\n');
      if (noWork) return;
      await sleep(delay);
      record('title-start');
      await (await fetch(`http://127.0.0.1:${port}/api/sleep?ms=${llm}`)).text();
      record('title-llm-done');
      await sleep(gap);
      await dbWrite();
      record('title-db-done');
      return;
    }
    case '/api/exit-soon':
      // Stops listening at once but exits only later: the handler meets a refused connection
      // before it sees the exit.
      res.writeHead(200, { connection: 'close', 'content-type': 'text/plain' });
      res.end('bye', () => {
        server?.close();
        setTimeout(() => process.exit(5), 300);
      });
      return;
    case '/api/crash-mid':
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('event: message\ndata: {"partial":true}\n\n');
      setTimeout(() => {
        record('crash');
        process.exit(4);
      }, 100);
      return;
    case '/api/hang':
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('event: message\ndata: {"started":true}\n\n');
      res.on('close', () => record('client-closed', { path: url.pathname }));
      return;
    case '/api/sleep':
      await sleep(Number(q.get('ms') ?? 100));
      res.writeHead(200).end('slept');
      return;
    case '/api/slow-after': {
      // Like title generation: the answer ends first, then an outgoing call does more work.
      const work = Number(q.get('work') ?? 300);
      json(res, 200, { ok: true });
      record('work-start');
      const url = `http://127.0.0.1:${port}/api/sleep?ms=${work}`;
      if (q.get('client') === 'http') {
        // node:http, as axios-based SDKs use it.
        await new Promise<void>((resolve, reject) => {
          http.get(url, (r) => r.resume().on('end', resolve)).on('error', reject);
        });
      } else {
        await (await fetch(url)).text();
      }
      record('work-done');
      return;
    }
    case '/api/open-stream':
      // A long-lived outgoing connection (like an MCP server's event stream) left open.
      http.get(`http://127.0.0.1:${port}/api/hang`, (r) => r.resume()).on('error', () => undefined);
      return json(res, 200, { opened: true });
    case '/api/s3':
      try {
        return json(res, 200, { body: await s3Get(q.get('bucket') ?? '', q.get('key') ?? '') });
      } catch (err) {
        return json(res, 500, { error: (err as Error).message });
      }
    case '/api/config':
      return json(res, 200, {
        path: process.env.CONFIG_PATH,
        text: readFileSync(process.env.CONFIG_PATH ?? '', 'utf8'),
      });
    default:
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
  }
}

/** A request/answer round trip on a fresh TCP connection to the stand-in database. */
function dbWrite(): Promise<void> {
  return new Promise((resolve, reject) => {
    const sock = net.connect((db.address() as net.AddressInfo).port, '127.0.0.1', () =>
      sock.write('insert\n'),
    );
    sock.once('data', () => {
      sock.end();
      resolve();
    });
    sock.on('error', reject);
  });
}

// A stand-in database: answers each line 100 ms later.
const db = net.createServer((c) => {
  c.on('data', () => setTimeout(() => c.write('ok\n'), 100));
  c.on('error', () => undefined);
});
db.listen(0, '127.0.0.1');
db.unref();

function connectionCount(): Promise<number> {
  return new Promise((resolve) => server?.getConnections((_e, n) => resolve(n)));
}

process.on('SIGTERM', () => {
  record('sigterm');
  process.exit(0);
});

let server: http.Server | undefined;
const poisoned = new WeakSet<net.Socket>();
record('spawned', { cwd: process.cwd() });

setTimeout(async () => {
  // LibreChat awaits a fetch before it listens (the RAG API's /health), so Node's lazily loaded
  // fetch implementation is warm by the first request: do the same (the answer is not HTTP).
  await fetch(`http://127.0.0.1:${(db.address() as net.AddressInfo).port}/health`).catch(
    () => undefined,
  );
  server = http.createServer((req, res) => {
    if (poisoned.delete(req.socket)) {
      record('reset-reused', { url: req.url });
      req.socket.resetAndDestroy();
      return;
    }
    if (recordRequests && req.url !== '/health')
      record('request', { method: req.method, url: req.url });
    route(req, res).catch((err: Error) => {
      if (!res.headersSent) json(res, 500, { error: err.message });
      else res.destroy();
    });
  });
  server.keepAliveTimeout = keepAliveTimeoutMs;
  server.listen(port, host, () => record('listening', { port }));
}, readyDelayMs);
