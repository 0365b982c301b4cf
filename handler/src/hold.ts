// How long one invocation stays open after its response has ended, so that LibreChat's
// follow-up work finishes before Lambda freezes the environment. One instance per invocation.
//
// Attribution: outgoing HTTP requests are counted only when they started after this invocation
// began (a long-lived MCP stream opened earlier never holds a later request). Socket activity
// cannot be attributed to a request: with several invocations in flight in one environment, a
// hold may also wait for another request's database traffic (bounded by the cap).
import type { WorkFeed } from './work-feed';

// Longest wait for LibreChat's "response finished" report (it normally arrives before the
// handler has seen the end of the response).
const FINISH_REPORT_MAX_MS = 250;

/** chat: a streaming chat route (title generation follows); write: other non-read requests. */
export type RequestKind = 'chat' | 'write' | 'read';

export interface HoldPolicy {
  /** Chat routes: always held at least this long after the response. */
  minTailMs: number;
  /** No socket activity for this long (and no HTTP request in flight) ends a hold. */
  quietMs: number;
  /** Longest hold. */
  capMs: number;
}

export interface HoldResult {
  heldMs: number;
  /** Why it was held ('none' when it was not) and how it ended. */
  reason: string;
}

export class AfterResponseHold {
  constructor(
    private readonly feed: WorkFeed,
    /** performance.now() when the invocation began. */
    private readonly since: number,
    private readonly policy: HoldPolicy,
  ) {}

  /**
   * Waits as long as the request kind and LibreChat's work require. finishedBefore: the feed's
   * responsesFinished when the request was sent; reads and writes first wait (bounded) until
   * LibreChat reported a response finished since, so that work it started right after
   * res.end() is known. (With several requests in flight another one's report may come first.)
   */
  async wait(
    kind: RequestKind,
    responseEndAt: number,
    finishedBefore?: number,
  ): Promise<HoldResult> {
    const { feed, since, policy } = this;
    const t0 = performance.now();
    if (kind !== 'chat' && finishedBefore !== undefined) {
      const until = t0 + FINISH_REPORT_MAX_MS;
      while (feed.responsesFinished <= finishedBefore && !feed.closed) {
        const now = performance.now();
        if (now >= until) break;
        await feed.nextChange(until - now);
      }
    }
    // Activity within the quiet window before now is activity that may still continue.
    const recent = performance.now() < feed.lastActivityAt + policy.quietMs;
    let why: string;
    const none = { heldMs: performance.now() - t0, reason: 'none' };
    if (kind === 'chat') why = 'chat';
    else if (feed.httpInFlight(since) > 0) why = 'http-in-flight';
    else if (kind === 'write' && recent) why = 'activity';
    else return none;
    if (feed.closed) return none;

    const deadline = t0 + policy.capMs;
    const minUntil = kind === 'chat' ? responseEndAt + policy.minTailMs : t0;
    let ended = 'quiet';
    for (;;) {
      const now = performance.now();
      if (feed.closed) {
        ended = 'exited';
        break;
      }
      if (now >= deadline) {
        ended = 'cap';
        break;
      }
      let until = deadline;
      if (feed.httpInFlight(since) === 0) {
        const quietUntil = Math.max(minUntil, feed.lastActivityAt + policy.quietMs);
        if (now >= quietUntil) break;
        until = Math.min(deadline, quietUntil);
      }
      await feed.nextChange(until - now);
    }
    return { heldMs: performance.now() - t0, reason: `${why}:${ended}` };
  }
}
