// The two places the stop relay touches a request (docs/stop-button.md): the abort request the
// client script sends (answered here, never forwarded to LibreChat), and a streaming POST that
// carries a stream id (watched while it is proxied).
import type { AbortRelay } from './abort-relay';
import { errorMessage, log } from './log';
import { type ProxyEvent, requestBody } from './request';
import { endResponse, openResponse, sendJson } from './response';
import type { ResponseStream } from './runtime';
import { bearerHash, parseAbortBody, parseStreamId, STREAM_ID_HEADER } from './stop-request';

export interface Answer {
  status: number;
  bytes: number;
}

/**
 * Answers `POST /api/stream/abort`. 204 whether or not the id names a running stream of this
 * viewer (no oracle); 400 for a malformed body; 503 when the relay cannot record the stop.
 */
export async function answerAbort(
  relay: AbortRelay | undefined,
  event: ProxyEvent,
  headers: Map<string, string[]>,
  stream: ResponseStream,
): Promise<Answer> {
  const method = event.httpMethod.toUpperCase();
  if (method !== 'POST') {
    const out = openResponse(stream, { statusCode: 405, headers: { allow: 'POST' } });
    await endResponse(out);
    return { status: 405, bytes: 0 };
  }
  const body = parseAbortBody(requestBody(event));
  if ('error' in body) {
    return { status: 400, bytes: await sendJson(stream, 400, { error: body.error }) };
  }
  const hash = bearerHash(headers.get('authorization')?.[0]);
  if (relay === undefined) {
    const error = 'the stop relay is not configured (no REDIS_URI)';
    return { status: 503, bytes: await sendJson(stream, 503, { error }) };
  }
  // Without a bearer nothing could match: record nothing, answer as for any other stop.
  if (hash !== undefined) {
    try {
      await relay.requestAbort(body.streamId, hash);
    } catch (err) {
      log('warn', 'stop relay: could not record a stop', { error: errorMessage(err) });
      const error = 'the stop could not be relayed, try again';
      return { status: 503, bytes: await sendJson(stream, 503, { error }) };
    }
  }
  await endResponse(
    openResponse(stream, { statusCode: 204, headers: { 'cache-control': 'no-store' } }),
  );
  return { status: 204, bytes: 0 };
}

export interface StreamStop {
  /** Aborted when the viewer stopped the stream from any instance. */
  readonly signal: AbortSignal;
  /** Ends the watch (the subscription); call it when the stream is over. */
  end(): void;
}

/** Watches a streaming POST that carries a stream id and a bearer; undefined for any other. */
export function watchStream(
  relay: AbortRelay | undefined,
  method: string,
  headers: Map<string, string[]>,
): StreamStop | undefined {
  if (relay === undefined || method !== 'POST') return undefined;
  const streamId = parseStreamId(headers.get(STREAM_ID_HEADER)?.[0]);
  const hash = bearerHash(headers.get('authorization')?.[0]);
  if (streamId === undefined || hash === undefined) return undefined;
  const controller = new AbortController();
  const watch = relay.watch(streamId, hash, () => {
    log('info', 'stop relay: the viewer stopped the stream', { streamId });
    controller.abort(new Error('the viewer stopped the stream'));
  });
  return { signal: controller.signal, end: () => watch.stop() };
}
