// Streams LibreChat's HTTP response into the Lambda response stream: prelude (status, headers,
// cookies) first, then every upstream chunk as it arrives, with SSE keep-alive events.
import type { IncomingMessage } from 'node:http';
import { HOP_BY_HOP } from './request';
import { log } from './log';
import { awslambda, type ResponseStream } from './runtime';

export interface Prelude {
  statusCode: number;
  headers: Record<string, string>;
  multiValueHeaders?: Record<string, string[]>;
  cookies?: string[];
}

/** Response metadata for API Gateway: every Set-Cookie goes into `cookies`, none is merged. */
export function buildPrelude(statusCode: number, headers: Record<string, string[]>): Prelude {
  const prelude: Prelude = { statusCode, headers: {} };
  const drop = new Set(HOP_BY_HOP);
  for (const v of headers['connection'] ?? []) {
    for (const name of v.split(',')) drop.add(name.trim().toLowerCase());
  }
  for (const [rawName, values] of Object.entries(headers)) {
    const name = rawName.toLowerCase();
    if (drop.has(name) || values.length === 0) continue;
    if (name === 'set-cookie') {
      prelude.cookies = [...(prelude.cookies ?? []), ...values];
    } else if (values.length === 1) {
      prelude.headers[name] = values[0];
    } else {
      prelude.multiValueHeaders ??= {};
      prelude.multiValueHeaders[name] = values;
    }
  }
  return prelude;
}

export function isEventStream(headers: Record<string, string[]>): boolean {
  return (headers['content-type']?.[0] ?? '').toLowerCase().startsWith('text/event-stream');
}

// LibreChat's client (sse.js 2.5.0) dispatches a comment-only block as a `message` event with
// empty data, and its `message` listener JSON.parses it and throws. A named event with no
// listener in the client is ignored instead.
export const KEEPALIVE_EVENT = 'event: keepalive\ndata: {}\n\n';

/**
 * True when the bytes sent so far end at an event boundary (or nothing was sent yet): the
 * separators sse.js splits on.
 */
export function atEventBoundary(tail: string): boolean {
  return tail === '' || tail.endsWith('\n\n') || tail.endsWith('\r\n\r\n') || tail.endsWith('\r\r');
}

export interface PipeOptions {
  keepAliveMs: number;
}

export interface PipeResult {
  status: number;
  bytes: number;
  /**
   * 'upstream': LibreChat's response broke off; 'client': the runtime closed our stream;
   * 'stopped': the viewer stopped the stream through the stop relay.
   */
  interrupted?: 'upstream' | 'client' | 'stopped';
  keepAlives: number;
  /** Keep-alives that were due while LibreChat was silent in the middle of an event. */
  keepAlivesDeferred?: number;
  /** Why the upstream request failed, for the log. */
  error?: string;
  /** The connection failed before any response byte; nothing was written (allowRetry). */
  retryable?: boolean;
}

/** Opens the response with a prelude and writes it at once, so headers reach the viewer. */
export function openResponse(stream: ResponseStream, prelude: Prelude): ResponseStream {
  const out = awslambda().HttpResponseStream.from(stream, prelude);
  // The runtime writes prelude + delimiter on the first write(), never on end().
  out.write(Buffer.alloc(0));
  return out;
}

export function endResponse(out: ResponseStream): Promise<void> {
  return new Promise((resolve) => {
    if (out.writableEnded || out.destroyed) return resolve();
    out.end(() => resolve());
  });
}

export async function sendJson(
  stream: ResponseStream,
  statusCode: number,
  body: unknown,
  method = 'GET',
): Promise<number> {
  const text = Buffer.from(JSON.stringify(body));
  const out = openResponse(stream, {
    statusCode,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' },
  });
  // A HEAD answer has the headers of the GET answer and no body.
  if (method !== 'HEAD') out.write(text);
  await endResponse(out);
  return method === 'HEAD' ? 0 : text.length;
}

export function pipeResponse(
  upstream: IncomingMessage,
  stream: ResponseStream,
  opts: PipeOptions,
): Promise<PipeResult> {
  const headers = upstream.headersDistinct as Record<string, string[]>;
  const status = upstream.statusCode ?? 502;
  const out = openResponse(stream, buildPrelude(status, headers));
  const sse = isEventStream(headers);
  let bytes = 0;
  let keepAlives = 0;
  let deferred = 0;
  let tail = '';
  let timer: NodeJS.Timeout | undefined;

  return new Promise<PipeResult>((resolve) => {
    let done = false;
    const finish = (interrupted?: 'upstream' | 'client'): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      upstream.off('data', onData);
      stream.off('close', onClientClose);
      stream.off('error', onClientClose);
      const result = {
        status,
        bytes,
        keepAlives,
        interrupted,
        ...(deferred ? { keepAlivesDeferred: deferred } : {}),
      };
      if (interrupted === 'client') {
        upstream.destroy();
        resolve(result);
      } else {
        void endResponse(out).then(() => resolve(result));
      }
    };
    const armKeepAlive = (): void => {
      if (!sse) return;
      clearTimeout(timer);
      timer = setTimeout(() => {
        if (out.writableEnded) return;
        if (atEventBoundary(tail)) {
          out.write(KEEPALIVE_EVENT);
          keepAlives += 1;
          tail = '\n\n';
        } else {
          // Silent in the middle of an event: anything inserted here would become part of it.
          // The next keep-alive waits for the event to be completed.
          if (deferred === 0) log('info', 'sse keep-alive waits for an event boundary');
          deferred += 1;
        }
        armKeepAlive();
      }, opts.keepAliveMs);
    };
    const onData = (chunk: Buffer): void => {
      bytes += chunk.length;
      if (sse) tail = (tail + chunk.subarray(-4).toString('latin1')).slice(-4);
      // Respect backpressure so a 100 MB body never sits in memory.
      if (!out.write(chunk)) {
        upstream.pause();
        out.once('drain', () => upstream.resume());
      }
      armKeepAlive();
    };
    const onClientClose = (): void => {
      if (!out.writableEnded) finish('client');
    };
    upstream.on('data', onData);
    upstream.on('end', () => finish());
    // 'close' without a complete body: LibreChat died or reset the connection mid-response.
    upstream.on('close', () => finish(upstream.complete ? undefined : 'upstream'));
    upstream.on('error', () => finish('upstream'));
    stream.on('close', onClientClose);
    stream.on('error', onClientClose);
    armKeepAlive();
  });
}
