// Typed access to the `awslambda` global that aws-lambda-ric installs before it loads the handler.

export interface ResponseStream {
  write(chunk: string | Uint8Array, cb?: (err?: Error | null) => void): boolean;
  end(cb?: () => void): void;
  on(event: string, listener: (...args: unknown[]) => void): unknown;
  once(event: string, listener: (...args: unknown[]) => void): unknown;
  off(event: string, listener: (...args: unknown[]) => void): unknown;
  destroy(err?: Error): void;
  readonly destroyed: boolean;
  readonly writableEnded: boolean;
  readonly writableFinished: boolean;
}

export interface InvocationContext {
  awsRequestId: string;
}

export type StreamingHandler = (
  event: unknown,
  responseStream: ResponseStream,
  context: InvocationContext,
) => Promise<void>;

export interface AwsLambdaGlobal {
  streamifyResponse(
    handler: StreamingHandler,
    options?: { highWaterMark?: number },
  ): StreamingHandler;
  HttpResponseStream: { from(stream: ResponseStream, prelude: object): ResponseStream };
}

export function awslambda(): AwsLambdaGlobal {
  const g = (globalThis as unknown as { awslambda?: AwsLambdaGlobal }).awslambda;
  if (!g?.streamifyResponse || !g.HttpResponseStream) {
    throw new Error('the awslambda global is missing: load this handler under aws-lambda-ric');
  }
  return g;
}

/**
 * Turns Nagle's algorithm off on the response connection to the runtime API. Node's HTTP client
 * leaves it on, so a small write that follows another one (the first SSE event after the
 * prelude) waits for the runtime's ACK, which a delayed ACK holds back for up to 40 ms. Must be
 * called when the invocation starts: the socket is handed to the request on a later tick.
 */
export function disableNagle(stream: ResponseStream): void {
  stream.once('socket', (socket) =>
    (socket as { setNoDelay?: (v: boolean) => void }).setNoDelay?.(true),
  );
}

const CONNECTION_CLOSED = new Set(['ECONNRESET', 'EPIPE', 'ERR_STREAM_DESTROYED']);

/**
 * aws-lambda-ric 4.0.2 leaves a promise about the response connection unhandled: when the
 * runtime side closes that connection mid-stream, the rejection would kill the process (and
 * LibreChat with it, costing a full cold start). Only that kind of rejection is absorbed;
 * anything else still crashes as Node would by default.
 */
export function absorbClosedResponseConnections(onAbsorbed: (err: Error) => void): void {
  process.on('unhandledRejection', (reason) => {
    const code = (reason as NodeJS.ErrnoException | undefined)?.code;
    if (reason instanceof Error && code !== undefined && CONNECTION_CLOSED.has(code)) {
      onAbsorbed(reason);
      return;
    }
    throw reason;
  });
}
