// A Lambda Runtime API emulator for the tests: hands out events on /next and records streamed
// responses chunk by chunk with arrival times, trailers and errors. With maxConcurrency above 1
// it behaves like Lambda Managed Instances: several events are out at once (one per pending
// /next), and an invocation ends with its response or error, not with the next /next.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Chunk {
  at: number;
  data: Buffer;
}

export interface Invocation {
  id: string;
  event: unknown;
  /** Raw request headers of the /response POST. */
  headers: http.IncomingHttpHeaders;
  chunks: Chunk[];
  raw: Buffer;
  prelude?: {
    statusCode: number;
    headers?: Record<string, string>;
    multiValueHeaders?: Record<string, string[]>;
    cookies?: string[];
  };
  /** Payload after the prelude and its 8-byte delimiter. */
  body: Buffer;
  /** The payload as it arrived, one entry per read of the response connection. */
  bodyChunks: Chunk[];
  /** Payload length (also counted when the payload is not kept). */
  bodyBytes: number;
  /** Time of the first payload byte after the prelude. */
  firstBodyAt?: number;
  trailers: Record<string, string | undefined>;
  startedAt: number;
  responseEndAt?: number;
  /** When the runtime asked for the next event, i.e. the invocation was over. */
  doneAt?: number;
  error?: unknown;
}

/** Sees a response while it streams (the end-to-end suite relays it to a browser). */
export interface ResponseObserver {
  /** Status and headers, as soon as the handler wrote them. */
  prelude?(inv: Invocation): void;
  /** Each payload chunk after the prelude, as it arrives (inv.prelude is set by then). */
  body?(inv: Invocation, chunk: Buffer): void;
  /** The response stream ended or broke off (before the invocation itself is over). */
  end?(inv: Invocation): void;
}

interface Pending {
  id: string;
  event: unknown;
  resolve: (inv: Invocation) => void;
  reject: (err: Error) => void;
  closeAfterBytes?: number;
  discardBody?: boolean;
  observer?: ResponseObserver;
  inv?: Invocation;
}

export interface RuntimeApiOptions {
  /** Events handed out at once (Lambda Managed Instances); 1 (default) = on-demand Lambda. */
  maxConcurrency?: number;
}

const DELIM = Buffer.alloc(8);
export const now = (): number => performance.timeOrigin + performance.now();

export class RuntimeApi {
  private server = http.createServer((req, res) => this.route(req, res));
  private queue: Pending[] = [];
  private waiting: http.ServerResponse[] = [];
  private active = new Map<string, Pending>();
  private lastDone?: Pending;
  private seq = 0;
  private readonly maxConcurrency: number;
  initErrors: unknown[] = [];
  nextCalls = 0;
  port = 0;
  /** Most invocations that were out at the same time. */
  maxInFlight = 0;

  constructor(opts: RuntimeApiOptions = {}) {
    this.maxConcurrency = opts.maxConcurrency ?? 1;
  }

  private get concurrent(): boolean {
    return this.maxConcurrency > 1;
  }

  async start(): Promise<void> {
    // Lambda's Runtime API never drops the runtime client's idle connection, also not while
    // the environment is frozen (tests and the end-to-end suite freeze it for seconds).
    this.server.keepAliveTimeout = 0;
    this.server.requestTimeout = 0;
    this.server.headersTimeout = 0;
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.port = (this.server.address() as AddressInfo).port;
  }

  get address(): string {
    return `127.0.0.1:${this.port}`;
  }

  async stop(): Promise<void> {
    // Nothing will answer what is still queued or running: fail it now rather than at its timeout.
    for (const p of [...this.queue, ...this.active.values()]) {
      p.reject(new Error(`invocation ${p.id}: the runtime API stopped`));
    }
    this.queue = [];
    this.active.clear();
    for (const res of this.waiting.splice(0)) res.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((r) => this.server.close(() => r()));
  }

  /**
   * Queues one event and resolves when the handler finished it (the runtime asked for the next
   * event, or posted an error). closeAfterBytes: drop the response connection after that many
   * payload bytes, like a client that goes away.
   */
  invoke(
    event: unknown,
    opts: {
      closeAfterBytes?: number;
      timeoutMs?: number;
      discardBody?: boolean;
      observer?: ResponseObserver;
    } = {},
  ): Promise<Invocation> {
    const id = `req-${++this.seq}`;
    const timeoutMs = opts.timeoutMs ?? 20000;
    return new Promise<Invocation>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`invocation ${id} did not finish within ${timeoutMs} ms`)),
        timeoutMs,
      );
      this.queue.push({
        id,
        event,
        closeAfterBytes: opts.closeAfterBytes,
        discardBody: opts.discardBody,
        observer: opts.observer,
        resolve: (inv) => {
          clearTimeout(timer);
          resolve(inv);
        },
        reject: (err) => {
          clearTimeout(timer);
          reject(err);
        },
      });
      this.dispatch();
    });
  }

  private dispatch(): void {
    while (
      this.waiting.length > 0 &&
      this.queue.length > 0 &&
      (!this.concurrent || this.active.size < this.maxConcurrency)
    ) {
      this.handOut(this.queue.shift()!, this.waiting.shift()!);
    }
  }

  private handOut(p: Pending, res: http.ServerResponse): void {
    p.inv = {
      id: p.id,
      event: p.event,
      headers: {},
      chunks: [],
      raw: Buffer.alloc(0),
      body: Buffer.alloc(0),
      bodyChunks: [],
      bodyBytes: 0,
      trailers: {},
      startedAt: now(),
    };
    this.active.set(p.id, p);
    this.maxInFlight = Math.max(this.maxInFlight, this.active.size);
    const body = JSON.stringify(p.event);
    res.writeHead(200, {
      'content-type': 'application/json',
      'lambda-runtime-aws-request-id': p.id,
      'lambda-runtime-deadline-ms': String(Date.now() + 60000),
      'lambda-runtime-invoked-function-arn': 'arn:aws:lambda:us-east-1:123456789012:function:test',
      'lambda-runtime-trace-id': 'Root=1-00000000-000000000000000000000000;Sampled=0',
      'content-length': Buffer.byteLength(body),
    });
    res.end(body);
  }

  private finish(p: Pending): void {
    if (!p.inv || p.inv.doneAt !== undefined) return;
    p.inv.doneAt = now();
    this.active.delete(p.id);
    p.resolve(p.inv);
    // Managed Instances: the finished invocation frees a slot for a queued event.
    if (this.concurrent) this.dispatch();
  }

  private route(req: http.IncomingMessage, res: http.ServerResponse): void {
    const url = req.url ?? '';
    if (req.method === 'GET' && url === '/2018-06-01/runtime/invocation/next') {
      this.nextCalls += 1;
      // On demand, asking for the next event means the previous invocation is complete.
      for (const p of this.concurrent ? [] : [...this.active.values()]) {
        if (p.inv?.responseEndAt !== undefined || p.inv?.error !== undefined) this.finish(p);
      }
      this.waiting.push(res);
      this.dispatch();
      return;
    }
    if (req.method === 'POST' && url === '/2018-06-01/runtime/init/error') {
      this.collect(req, (buf) => {
        this.initErrors.push(safeJson(buf));
        res.writeHead(202).end('{}');
      });
      return;
    }
    const m = /^\/2018-06-01\/runtime\/invocation\/([^/]+)\/(response|error)$/.exec(url);
    const p = m ? this.active.get(decodeURIComponent(m[1])) : undefined;
    if (!m || !p || !p.inv) {
      res.writeHead(404).end();
      return;
    }
    const inv = p.inv;
    if (m[2] === 'error') {
      this.collect(req, (buf) => {
        inv.error = safeJson(buf);
        res.writeHead(202).end('{}');
        this.finish(p);
      });
      return;
    }
    inv.headers = req.headers;
    const parts: Buffer[] = [];
    const bodyParts: Buffer[] = [];
    let bodyBytes = 0;
    let preludeDone = !String(req.headers['content-type'] ?? '').startsWith(
      'application/vnd.awslambda.http-integration-response',
    );
    req.on('data', (chunk: Buffer) => {
      const at = now();
      if (p.discardBody && preludeDone) {
        inv.bodyBytes += chunk.length;
        return;
      }
      inv.chunks.push({ at, data: chunk });
      parts.push(chunk);
      let payload = chunk;
      if (!preludeDone) {
        const all = parts.length === 1 ? parts[0] : Buffer.concat(parts);
        const i = all.indexOf(DELIM);
        if (i < 0) return;
        inv.prelude = JSON.parse(all.subarray(0, i).toString('utf8'));
        preludeDone = true;
        p.observer?.prelude?.(inv);
        payload = all.subarray(i + DELIM.length);
      }
      if (payload.length > 0) {
        inv.firstBodyAt ??= at;
        p.observer?.body?.(inv, payload);
        bodyBytes += payload.length;
        inv.bodyBytes += payload.length;
        if (!p.discardBody) {
          bodyParts.push(payload);
          inv.bodyChunks.push({ at, data: payload });
        }
      }
      if (p.closeAfterBytes !== undefined && bodyBytes >= p.closeAfterBytes) {
        // The viewer went away: cut the response connection.
        inv.responseEndAt = now();
        inv.body = Buffer.concat(bodyParts);
        req.socket.destroy();
        if (this.concurrent) this.finish(p);
      }
    });
    req.on('end', () => {
      inv.raw = Buffer.concat(parts);
      inv.body = Buffer.concat(bodyParts);
      inv.trailers = req.trailers;
      inv.responseEndAt = now();
      res.writeHead(202).end('{}');
      if (this.concurrent) this.finish(p);
      p.observer?.end?.(inv);
    });
    // Broken off without an end (the handler's process died or reset the connection).
    req.on('close', () => {
      if (!req.complete) p.observer?.end?.(inv);
    });
  }

  private collect(req: http.IncomingMessage, done: (b: Buffer) => void): void {
    const parts: Buffer[] = [];
    req.on('data', (c: Buffer) => parts.push(c));
    req.on('end', () => done(Buffer.concat(parts)));
  }
}

function safeJson(buf: Buffer): unknown {
  try {
    return JSON.parse(buf.toString('utf8'));
  } catch {
    return buf.toString('utf8');
  }
}
