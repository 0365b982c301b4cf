// Sends one translated request to LibreChat and streams the answer back.
import http from 'node:http';
import type { EventEmitter } from 'node:events';
import type { UpstreamRequest } from './request';
import { type PipeResult, pipeResponse, sendJson } from './response';
import type { ResponseStream } from './runtime';

// Reused loopback connections: no TCP handshake per request.
const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

export interface ProxyOptions {
  port: number;
  keepAliveMs: number;
  /** Emits 'exit' when LibreChat exits: the in-flight request ends then. */
  lifecycle: EventEmitter;
  /** Return `refused` instead of answering 502 when the connection is refused. */
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
    const req = http.request({
      host: '127.0.0.1',
      port: opts.port,
      method: up.method,
      path: up.path,
      headers: up.headers,
      agent,
      // Destroys the request, before or during the response: LibreChat sees its socket close.
      signal: opts.signal,
    });
    const onExit = (): void => {
      req.destroy(new Error('LibreChat exited during the request'));
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
      // Refused: the request never reached LibreChat (it just died and its exit has not been
      // seen yet, or it is restarting). Nothing is written, so the caller may retry.
      if ((err as NodeJS.ErrnoException).code === 'ECONNREFUSED' && opts.allowRetry) {
        resolve({ status: 0, bytes: 0, keepAlives: 0, refused: true, error: err.message });
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
