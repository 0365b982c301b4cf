// Follows each forwarded request's share of LibreChat's work: what LibreChat had finished when the
// request was sent, and after the response how long the invocation stays open (AfterResponseHold)
// so that follow-up work finishes before Lambda freezes the environment. One tracker per handler;
// it reads the running process's feed each time (a restart replaces it).
import { AfterResponseHold, type HoldPolicy, type HoldResult, type RequestKind } from './hold';
import type { WorkFeed } from './work-feed';

// Reads are not held after the response unless work they started is visibly in flight.
const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export interface WorkTrackerOptions {
  /** POST routes that stream a chat answer (title generation follows them). */
  chatRoutes: readonly RegExp[];
  hold: HoldPolicy;
}

/** One forwarded request, from the moment it is sent. */
export interface TrackedRequest {
  readonly kind: RequestKind;
  /** Call once the response has reached the runtime; resolves when the invocation may end. */
  afterResponse(responseEndAt: number): Promise<HoldResult>;
}

/** Whatever holds the running LibreChat process's work reports (the Supervisor). */
export interface WorkSource {
  readonly work: WorkFeed;
}

export class WorkTracker {
  constructor(private readonly opts: WorkTrackerOptions) {}

  kindOf(method: string, reqPath: string): RequestKind {
    if (READ_METHODS.has(method)) return 'read';
    if (method === 'POST' && this.opts.chatRoutes.some((r) => r.test(reqPath))) return 'chat';
    return 'write';
  }

  /**
   * Call right before the request is sent to LibreChat. since: performance.now() when the
   * invocation began (only outgoing work started after it is this request's).
   */
  track(source: WorkSource, method: string, reqPath: string, since: number): TrackedRequest {
    const kind = this.kindOf(method, reqPath);
    const finishedBefore = source.work.responsesFinished;
    return {
      kind,
      afterResponse: (responseEndAt) =>
        // The feed of the process that served the response (a retry may have restarted it).
        new AfterResponseHold(source.work, since, this.opts.hold).wait(
          kind,
          responseEndAt,
          finishedBefore,
        ),
    };
  }
}
