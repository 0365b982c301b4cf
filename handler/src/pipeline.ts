// A request's way through the handler as a sequence of steps. Each step either passes what it
// found on to the next one or answers the request; the first answer ends the way. Facts a step
// learns for the log (notes) travel along and are merged into the outcome, so that the handler
// writes one log line per request from one value instead of from mutable locals.

/** What one request came to: the facts its log line reports. */
export interface Outcome {
  status: number;
  bytes: number;
  viewerIp?: string;
  /** Why the request was refused as bad input (never forwarded). */
  rejected?: string;
  interrupted?: string;
  keepAlives?: number;
  keepAlivesDeferred?: number;
  upstreamError?: string;
  /** From the invocation's start to the end of the response (forwarded requests). */
  responseMs?: number;
  heldMs?: number;
  held?: string;
}

/** What a step returns: the value for the next step, or the request's answer. */
export type Step<T> =
  { readonly next: T; readonly notes?: Partial<Outcome> } | { readonly answer: Outcome };

export function proceed<T>(next: T, notes?: Partial<Outcome>): Step<T> {
  return { next, notes };
}

export function answered(answer: Outcome): Step<never> {
  return { answer };
}

type Reached<T> = { value: T; notes: Partial<Outcome> } | { answer: Outcome };

export class Pipeline<T> {
  private constructor(private readonly reached: Promise<Reached<T>>) {}

  static from<T>(value: T): Pipeline<T> {
    return new Pipeline(Promise.resolve({ value, notes: {} }));
  }

  /** Runs `fn` unless an earlier step has answered. */
  step<U>(fn: (value: T) => Step<U> | Promise<Step<U>>): Pipeline<U> {
    return new Pipeline(
      this.reached.then(async (at): Promise<Reached<U>> => {
        if ('answer' in at) return at;
        const result = await fn(at.value);
        if ('answer' in result) return { answer: { ...at.notes, ...result.answer } };
        return { value: result.next, notes: { ...at.notes, ...result.notes } };
      }),
    );
  }

  /** The last step, which always answers; resolves to the request's outcome. */
  async end(fn: (value: T) => Promise<Outcome>): Promise<Outcome> {
    const at = await this.reached;
    if ('answer' in at) return at.answer;
    return { ...at.notes, ...(await fn(at.value)) };
  }
}
