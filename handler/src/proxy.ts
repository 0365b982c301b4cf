// Sends one translated request to LibreChat and streams the answer back.
import http from 'node:http';
import type { Socket } from 'node:net';
import type { EventEmitter } from 'node:events';
import type { UpstreamRequest } from './request';
import { type PipeResult, pipeResponse, sendJson } from './response';
import type { ResponseStream } from './runtime';

// Loopback connections are pooled only briefly. Lambda freezes the environment between
// invocations; after a thaw, LibreChat's overdue keep-alive timer (Node's default 5 s) closes an
// idle connection just as it is reused (socket hang up). So a connection idle for longer than
// MAX_IDLE_MS (monotonic clock: a freeze counts) is closed instead of reused, and every pooled
// connection is dropped when LibreChat exits. Within a burst of requests connections are reused.
export const MAX_IDLE_MS = 2000;
const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
const idleSince = new WeakMap<Socket, number>();
agent.on('free', (socket: Socket) => idleSince.set(socket, performance.now()));

/** Closes pooled connections idle for longer than maxIdleMs (all of them with 0). */
export function dropIdleConnections(maxIdleMs = MAX_IDLE_MS): number {
  const now = performance.now();
  let dropped = 0;
  for (const list of Object.values(agent.freeSockets)) {
    const sockets = (list ?? []) as Socket[];
    for (let i = sockets.length - 1; i >= 0; i--) {
      if (now - (idleSince.get(sockets[i]) ?? -Infinity) < maxIdleMs) continue;
      // Out of the pool at once: the agent could otherwise hand out a destroyed socket.
      const [socket] = sockets.splice(i, 1);
      socket.destroy();
      dropped += 1;
    }
  }
  return dropped;
}

// Failures that mean LibreChat never answered: the request may be sent again after a restart.
const RETRYABLE = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'LIBRECHAT_EXITED']);

export interface ProxyOptions {
  port: number;
  keepAliveMs: number;
  /** Emits 'exit' when LibreChat exits: the in-flight request ends then. */
  lifecycle: EventEmitter;
  /**
   * Return `retryable` instead of answering 502 when the connection fails before any response
   * byte (refused, reset, hang-up, LibreChat exited).
   */
  allowRetry?: boolean;
  /** Aborted when the viewer stopped the stream (stop relay): the upstream request is destroyed. */
  signal?: AbortSignal;
}

export function proxyRequest(
  up: UpstreamRequest,
  stream: ResponseStream,
  opts: ProxyOptions,
): Promise<PipeResult> {
  return new Promise<PipeResult>((resolve) => {
    let responded = false;
    let clientGone = false;
    dropIdleConnections();
    let req: http.ClientRequest;
    try {
      req = http.request({
        host: '127.0.0.1',
        port: opts.port,
        method: up.method,
        path: up.path,
        headers: up.headers,
        agent,
        // Destroys the request, before or during the response: LibreChat sees its socket close.
        signal: opts.signal,
      });
    } catch (err) {
      // Input http.request rejects (request.ts checks it first; this is the backstop).
      void sendJson(stream, 400, { message: 'Bad request' }).then((bytes) =>
        resolve({ status: 400, bytes, keepAlives: 0, error: (err as Error).message }),
      );
      return;
    }
    const onExit = (): void => {
      req.destroy(
        Object.assign(new Error('LibreChat exited during the request'), {
          code: 'LIBRECHAT_EXITED',
        }),
      );
    };
    const onClientClose = (): void => {
      if (responded) return;
      clientGone = true;
      req.destroy();
    };
    const cleanup = (): void => {
      opts.lifecycle.off('exit', onExit);
      stream.off('close', onClientClose);
      stream.off('error', onClientClose);
    };
    opts.lifecycle.on('exit', onExit);
    stream.on('close', onClientClose);
    stream.on('error', onClientClose);

    req.setNoDelay(true);
    req.on('response', (res) => {
      responded = true;
      cleanup();
      const onExitMidResponse = (): void => {
        res.destroy();
      };
      opts.lifecycle.on('exit', onExitMidResponse);
      void pipeResponse(res, stream, { keepAliveMs: opts.keepAliveMs }).then((result) => {
        opts.lifecycle.off('exit', onExitMidResponse);
        resolve(result);
      });
    });
    req.on('error', (err) => {
      if (responded) return;
      cleanup();
      if (clientGone) {
        resolve({ status: 499, bytes: 0, keepAlives: 0, interrupted: 'client' });
        return;
      }
      if (opts.signal?.aborted) {
        // Stopped before LibreChat answered: the viewer no longer reads this response.
        void sendJson(stream, 499, { error: 'stopped by the viewer' }).then((bytes) =>
          resolve({ status: 499, bytes, keepAlives: 0, interrupted: 'stopped' }),
        );
        return;
      }
      // No response byte: LibreChat died (its exit maybe not seen yet) or dropped the
      // connection. Nothing is written to the viewer, so the caller may retry once.
      if (RETRYABLE.has(String((err as NodeJS.ErrnoException).code)) && opts.allowRetry) {
        resolve({ status: 0, bytes: 0, keepAlives: 0, retryable: true, error: err.message });
        return;
      }
      // The cause goes to the log only; viewers get no internals.
      void sendJson(stream, 502, { error: 'LibreChat did not answer' }).then((bytes) =>
        resolve({ status: 502, bytes, keepAlives: 0, interrupted: 'upstream', error: err.message }),
      );
    });
    req.end(up.body);
  });
}
