import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { REPO_ROOT } from '../helpers/config';

// The stop relay's client script in a real browser (Debian's chromium), with the real sse.js
// 2.5.0 that LibreChat's client streams with, used the way useSSE.ts uses it.

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SCRIPT = readFileSync(join(REPO_ROOT, 'src', 'frontend', 'client', 'stop-relay.js'));
const SSE_JS = readFileSync(require.resolve('sse.js/lib/sse.js'));
const PAGE = `<!doctype html><html><head><base href="/" />
<script src="/stop-relay.js"></script>
<script type="module">import { SSE } from '/sse.js'; window.SSE = SSE; window.sseReady = true;</script>
</head><body>test</body></html>`;

interface Seen {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  closedEarly?: boolean;
}

class TestServer {
  seen: Seen[] = [];
  private server = http.createServer((req, res) => this.route(req, res));
  origin = '';

  async start(): Promise<void> {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.origin = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  stop(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((r) => this.server.close(() => r()));
  }

  find(pred: (s: Seen) => boolean): Seen | undefined {
    return this.seen.find(pred);
  }

  async waitFor(pred: (s: Seen) => boolean, what: string, ms = 10000): Promise<Seen> {
    const deadline = Date.now() + ms;
    for (;;) {
      const hit = this.find(pred);
      if (hit) return hit;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  private route(req: http.IncomingMessage, res: http.ServerResponse): void {
    const parts: Buffer[] = [];
    req.on('data', (c: Buffer) => parts.push(c));
    req.on('end', () => {
      const seen: Seen = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(parts).toString(),
      };
      if (req.method === 'POST') this.seen.push(seen);
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      const send = (type: string, body: Buffer | string) =>
        res.writeHead(200, { 'content-type': type, 'cache-control': 'no-store' }).end(body);
      if (path === '/') return void send('text/html', PAGE);
      if (path === '/stop-relay.js') return void send('text/javascript', SCRIPT);
      if (path === '/sse.js') return void send('text/javascript', SSE_JS);
      if (path === '/api/stream/abort') return void res.writeHead(204).end();
      if (/^\/api\/(agents|assistants\/v2)\/chat/.test(path)) {
        // Like LibreChat: SSE at once, `count` events 50 ms apart, then the final one.
        const count = Number(new URL(req.url ?? '/', 'http://x').searchParams.get('count') ?? 200);
        res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
        let i = 0;
        const timer = setInterval(() => {
          if (i === count) {
            clearInterval(timer);
            res.end('event: message\ndata: {"final":true}\n\n');
            return;
          }
          res.write(`event: message\ndata: {"i":${i++}}\n\n`);
        }, 50);
        res.on('close', () => {
          clearInterval(timer);
          if (!res.writableEnded) seen.closedEarly = true;
        });
        return;
      }
      res.writeHead(404).end();
    });
  }
}

const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

// Starts a stream as useSSE.ts does and resolves after its first message; `window.sse` keeps it.
async function startStream(page: Page, url: string, token: string): Promise<void> {
  await page.evaluate(
    ({ url, token }) =>
      new Promise<void>((resolve, reject) => {
        const w = window as any;
        const sse = new w.SSE(url, {
          payload: JSON.stringify({ text: 'hello', conversationId: 'new' }),
          headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
        });
        w.sse = sse;
        w.finals = 0;
        sse.addEventListener('message', (e: MessageEvent) => {
          if (JSON.parse(e.data).final) w.finals += 1;
          resolve();
        });
        sse.addEventListener('error', () => reject(new Error('stream error')));
        sse.stream(); // a no-op here, as in useSSE (the constructor already started it)
      }),
    { url, token },
  );
}

if (!existsSync(CHROMIUM)) {
  // Only a machine without Chromium skips; .ci/run installs it.
  console.warn(
    `SKIPPED stop relay browser tests: no Chromium at ${CHROMIUM} (apt-get install -y chromium, or set CHROMIUM_PATH)`,
  );
}
const describeWithChromium = existsSync(CHROMIUM) ? describe : describe.skip;

describeWithChromium('stop relay client script in Chromium with sse.js 2.5.0', () => {
  jest.setTimeout(60_000);
  const server = new TestServer();
  let profile: string;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    await server.start();
    profile = mkdtempSync(join(tmpdir(), 'chromium-profile-'));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: FLAGS,
    });
  });

  afterAll(async () => {
    await context?.close();
    await server.stop();
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  beforeEach(async () => {
    server.seen = [];
    page = await context.newPage();
    await page.goto(`${server.origin}/`);
    await page.waitForFunction(() => (window as any).sseReady === true);
  });

  afterEach(async () => {
    await page.close();
  });

  it('close() of a running stream sends the abort with the same bearer and stream id', async () => {
    await startStream(page, '/api/agents/chat/openAI', 'token-one');
    await page.evaluate(() => (window as any).sse.close());

    const stream = server.find((s) => s.url === '/api/agents/chat/openAI')!;
    const id = stream.headers['x-stream-id'];
    expect(id).toMatch(/^[0-9a-f]{32}$/);
    expect(stream.headers.authorization).toBe('Bearer token-one');
    expect(JSON.parse(stream.body)).toEqual({ text: 'hello', conversationId: 'new' });

    const abort = await server.waitFor((s) => s.url === '/api/stream/abort', 'the abort request');
    expect(abort.headers.authorization).toBe('Bearer token-one');
    expect(abort.headers['content-type']).toBe('application/json');
    expect(JSON.parse(abort.body)).toEqual({ streamId: id });
    await server.waitFor((s) => s === stream && s.closedEarly === true, 'the XHR to close');
  });

  it('every stream gets its own id, also on the bare /api/agents/chat route', async () => {
    await startStream(page, '/api/agents/chat', 'token-two');
    await page.evaluate(() => (window as any).sse.close());
    await startStream(page, '/api/agents/chat/anthropic', 'token-two');
    await page.evaluate(() => (window as any).sse.close());
    await server.waitFor(
      () => server.seen.filter((s) => s.url === '/api/stream/abort').length === 2,
      'two aborts',
    );
    const ids = server.seen
      .filter((s) => /agents/.test(s.url))
      .map((s) => s.headers['x-stream-id']);
    const aborted = server.seen
      .filter((s) => s.url === '/api/stream/abort')
      .map((s) => JSON.parse(s.body).streamId);
    expect(new Set(ids).size).toBe(2);
    expect(aborted).toEqual(ids);
  });

  it('a finished stream sends no abort on close(); assistants streams are left alone', async () => {
    await startStream(page, '/api/agents/chat/openAI?count=1', 'token-three');
    await page.waitForFunction(() => (window as any).finals === 1);
    await page.evaluate(() => (window as any).sse.close());
    await startStream(page, '/api/assistants/v2/chat', 'token-three');
    await page.evaluate(() => (window as any).sse.close());
    // A page fetch after both closes: any abort would have been sent before it.
    await page.evaluate(() => fetch('/api/stream/abort?marker=1', { method: 'POST' }));
    await server.waitFor((s) => s.url === '/api/stream/abort?marker=1', 'the marker');
    expect(server.seen.filter((s) => s.url === '/api/stream/abort')).toEqual([]);
    const assistants = server.find((s) => s.url === '/api/assistants/v2/chat')!;
    expect(assistants.headers['x-stream-id']).toBeUndefined();
    expect(
      server.find((s) => s.url === '/api/agents/chat/openAI?count=1')!.headers['x-stream-id'],
    ).toMatch(/^[0-9a-f]{32}$/);
  });

  it('leaving the page while a reply streams stops it too', async () => {
    await startStream(page, '/api/agents/chat/openAI', 'token-four');
    const id = server.find((s) => s.url === '/api/agents/chat/openAI')!.headers['x-stream-id'];
    await page.goto(`${server.origin}/?elsewhere=1`);
    const abort = await server.waitFor((s) => s.url === '/api/stream/abort', 'the abort request');
    expect(abort.headers.authorization).toBe('Bearer token-four');
    expect(JSON.parse(abort.body)).toEqual({ streamId: id });
  });
});
