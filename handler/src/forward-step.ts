// The last step of a request: it goes to LibreChat (one retry when the connection failed before
// any response byte), the answer streams back, and the invocation stays open while LibreChat
// finishes the request's follow-up work.
import type { AbortRelay } from './abort-relay';
import { errorMessage, log } from './log';
import type { Outcome } from './pipeline';
import { proxyRequest } from './proxy';
import type { Translated } from './request-steps';
import type { PipeResult } from './response';
import type { Settings } from './settings';
import { watchStream } from './stop-endpoint';
import type { WorkTracker } from './work-tracker';

export class ForwardStep {
  constructor(
    private readonly settings: Settings,
    private readonly work: WorkTracker,
    private readonly relay: AbortRelay | undefined,
  ) {}

  readonly run = async (x: Translated): Promise<Outcome> => {
    const tracked = this.work.track(x.supervisor, x.method, x.path, x.startedAt);
    // A stream the viewer may stop from another instance (stop relay).
    const stop = watchStream(this.relay, x.method, x.headers);
    const result = await this.send(x, stop?.signal);
    stop?.end();
    if (stop?.signal.aborted && result.interrupted) result.interrupted = 'stopped';
    const responseEndAt = performance.now();
    // The response has reached the runtime; keep the invocation (and so the environment)
    // alive while LibreChat finishes this request's follow-up work.
    const hold = await tracked.afterResponse(responseEndAt);
    return {
      status: result.status,
      bytes: result.bytes,
      interrupted: result.interrupted,
      keepAlives: result.keepAlives,
      keepAlivesDeferred: result.keepAlivesDeferred,
      upstreamError: result.error,
      responseMs: responseEndAt - x.startedAt,
      heldMs: hold.heldMs,
      held: hold.reason,
    };
  };

  /**
   * Proxies the request. A connection that fails before any response byte (refused, reset,
   * hang-up, LibreChat exited) gets one retry, after a restart when LibreChat died.
   */
  private async send(x: Translated, signal?: AbortSignal): Promise<PipeResult> {
    const options = {
      port: this.settings.port,
      keepAliveMs: this.settings.sseKeepAliveMs,
      lifecycle: x.supervisor,
      signal,
    };
    const first = await proxyRequest(x.upstream, x.stream, { ...options, allowRetry: true });
    if (!first.retryable) return first;
    log('warn', 'librechat connection failed before a response, retrying once', {
      error: first.error,
    });
    await x.supervisor.settleAfterFailure();
    try {
      await x.supervisor.ensureReady();
    } catch (err) {
      log('error', 'librechat not available', { error: errorMessage(err) });
    }
    return proxyRequest(x.upstream, x.stream, options);
  }
}
