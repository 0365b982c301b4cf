// What one LibreChat process reports about its outgoing work (see child-preload.ts): HTTP
// requests in flight with the time each started, and the time of the latest socket activity.
// One feed per process; it is shared by every invocation that process serves.
import { EventEmitter } from 'node:events';
import type { Readable } from 'node:stream';

export class WorkFeed extends EventEmitter {
  /** Outgoing HTTP requests in flight: id -> when the handler heard of it (performance.now()). */
  private readonly inFlight = new Map<number, number>();
  /** Latest outgoing socket activity or HTTP start/end (performance.now() time). */
  lastActivityAt = -Infinity;
  /** Responses LibreChat has finished writing (any request's). */
  responsesFinished = 0;
  /** The process exited: no more work will be reported. */
  closed = false;

  constructor(pipe: Readable | null) {
    super();
    this.setMaxListeners(0);
    if (!pipe) return;
    let buffered = '';
    pipe.setEncoding('utf8');
    pipe.on('data', (chunk: string) => {
      buffered += chunk;
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) this.apply(line, performance.now());
      this.emit('change');
    });
    pipe.on('error', () => undefined);
  }

  private apply(line: string, at: number): void {
    if (line === 'f') {
      this.responsesFinished += 1;
      return;
    }
    const value = Number(line.slice(1));
    if (!Number.isFinite(value)) return;
    if (line[0] === 'a') {
      // The child's clock is the same wall clock; convert to this process's performance.now().
      this.lastActivityAt = Math.max(this.lastActivityAt, value - performance.timeOrigin);
      return;
    }
    if (line[0] === '+') this.inFlight.set(value, at);
    else if (line[0] === '-') this.inFlight.delete(value);
    else return;
    this.lastActivityAt = Math.max(this.lastActivityAt, at);
  }

  /** HTTP requests in flight that started at or after `since` (performance.now() time). */
  httpInFlight(since = 0): number {
    let n = 0;
    for (const started of this.inFlight.values()) if (started >= since) n += 1;
    return n;
  }

  close(): void {
    this.closed = true;
    this.inFlight.clear();
    this.emit('change');
  }

  /** Resolves on the next report or exit, or after ms. */
  nextChange(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.off('change', done);
        resolve();
      };
      const timer = setTimeout(done, Math.max(1, ms));
      this.on('change', done);
    });
  }
}
