// The one log line a request gets, written from its outcome whichever step answered it.
import { log } from './log';
import type { Outcome } from './pipeline';

export interface LoggedRequest {
  requestId: string;
  method: string;
  path: string;
  cold: boolean;
  /** performance.now() when the invocation began. */
  startedAt: number;
}

/** The request's outcome before any step answered (a step threw). */
export const UNANSWERED: Outcome = { status: 0, bytes: 0 };

export function logRequest(request: LoggedRequest, outcome: Outcome): void {
  const { interrupted, keepAlives, keepAlivesDeferred, rejected, upstreamError } = outcome;
  // Forwarded requests report the time to the end of the response, not the hold after it.
  const durationMs = outcome.responseMs || performance.now() - request.startedAt;
  log('info', 'request', {
    requestId: request.requestId,
    method: request.method,
    path: request.path,
    viewerIp: outcome.viewerIp,
    status: outcome.status,
    bytes: outcome.bytes,
    durationMs: Math.round(durationMs * 100) / 100,
    heldMs: Math.round(outcome.heldMs ?? 0),
    held: outcome.held ?? 'none',
    cold: request.cold,
    ...(interrupted ? { interrupted } : {}),
    ...(keepAlives ? { keepAlives } : {}),
    ...(keepAlivesDeferred ? { keepAlivesDeferred } : {}),
    ...(rejected ? { rejected } : {}),
    ...(upstreamError ? { upstreamError } : {}),
  });
}
