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

type AnyStep = (value: unknown) => Step<unknown> | Promise<Step<unknown>>;

/**
 * Built once, with the steps in order; `end` gives the function that takes each request through
 * them (one loop per request, nothing rebuilt).
 */
export class Pipeline<In, T = In> {
  private constructor(private readonly steps: readonly AnyStep[]) {}

  static of<In>(): Pipeline<In> {
    return new Pipeline<In>([]);
  }

  /** Adds a step; it runs unless an earlier step has answered. */
  step<U>(fn: (value: T) => Step<U> | Promise<Step<U>>): Pipeline<In, U> {
    return new Pipeline<In, U>([...this.steps, fn as AnyStep]);
  }

  /** Adds the last step, which always answers, and returns the way from input to outcome. */
  end(last: (value: T) => Promise<Outcome>): (input: In) => Promise<Outcome> {
    const steps = this.steps;
    return async (input) => {
      let value: unknown = input;
      let notes: Partial<Outcome> = {};
      for (const step of steps) {
        const result = await step(value);
        if ('answer' in result) return { ...notes, ...result.answer };
        value = result.next;
        if (result.notes) notes = { ...notes, ...result.notes };
      }
      return { ...notes, ...(await last(value as T)) };
    };
  }
}
