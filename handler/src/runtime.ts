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
  streamifyResponse(handler: StreamingHandler): StreamingHandler;
  HttpResponseStream: { from(stream: ResponseStream, prelude: object): ResponseStream };
}

export function awslambda(): AwsLambdaGlobal {
  const g = (globalThis as unknown as { awslambda?: AwsLambdaGlobal }).awslambda;
  if (!g?.streamifyResponse || !g.HttpResponseStream) {
    throw new Error('the awslambda global is missing: load this handler under aws-lambda-ric');
  }
  return g;
}
