// Multi-concurrent mode (Lambda Managed Instances): many invocations share one runtime worker.
import http from 'node:http';

const RUNTIME_PATH = '/2018-06-01/runtime/';

interface AgentRequestOptions {
  host?: string | null;
  hostname?: string | null;
  path?: string | null;
}

type AddRequest = (this: http.Agent, req: http.ClientRequest, options: AgentRequestOptions) => void;

/**
 * aws-lambda-ric 4.0.2 posts every streamed response through one keep-alive agent limited to a
 * single socket. In multi-concurrent mode that queues each response stream behind the one before
 * it: a second chat waits, fully buffered, until the first one has ended. The agent is private
 * to the runtime client, so this lifts the limit where every agent takes a request
 * (`Agent.prototype.addRequest`, before the request could queue), for requests to the Runtime
 * API only; every other agent is left as it is.
 */
export function allowConcurrentResponseStreams(
  runtimeApi: string,
  onLifted: (previousLimit: number) => void,
): void {
  const colon = runtimeApi.lastIndexOf(':');
  const host = colon < 0 ? runtimeApi : runtimeApi.slice(0, colon);
  const proto = http.Agent.prototype as unknown as { addRequest: AddRequest };
  const original = proto.addRequest;
  proto.addRequest = function addRequest(req, options) {
    const target = options.hostname ?? options.host;
    if (
      this.maxSockets !== Infinity &&
      target === host &&
      String(options.path ?? '').startsWith(RUNTIME_PATH)
    ) {
      const previous = this.maxSockets;
      this.maxSockets = Infinity;
      onLifted(previous);
    }
    original.call(this, req, options);
  };
}
