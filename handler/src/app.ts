// Wires the pieces together. A request takes the steps of a pipeline (request-steps.ts, then
// forward-step.ts); whichever step answers, the outcome gives the request its one log line.
// Per-request state lives in the values passed between steps only, so several invocations may
// be in flight at once.
import { S3Client } from '@aws-sdk/client-s3';
import { SSMClient } from '@aws-sdk/client-ssm';
import { AbortRelay } from './abort-relay';
import { ColdStart } from './cold-start';
import { ForwardStep } from './forward-step';
import { OriginCheck } from './origin-check';
import { Pipeline } from './pipeline';
import type { ProxyEvent } from './request';
import { logRequest, UNANSWERED } from './request-log';
import { type Arrival, readHeaders, RequestSteps, validateEvent } from './request-steps';
import type { InvocationContext, ResponseStream } from './runtime';
import type { Settings } from './settings';
import { WorkTracker } from './work-tracker';

export interface App {
  /** Starts the cold start (config, secrets, LibreChat) without waiting for it. */
  start(): void;
  handle(event: ProxyEvent, stream: ResponseStream, context: InvocationContext): Promise<void>;
  /** Forwards SIGTERM to LibreChat and waits (bounded) for it to exit. */
  shutdown(signal: NodeJS.Signals): Promise<void>;
}

export function createApp(settings: Settings): App {
  const ssm = new SSMClient({});
  const origin = new OriginCheck(settings, ssm);
  const coldStart = new ColdStart(settings, { s3: new S3Client({}), ssm, origin });
  // Stop relay: its Redis connections are made now, during the init phase, and reused.
  const relay = settings.stopRelay ? new AbortRelay(settings.stopRelay) : undefined;
  const steps = new RequestSteps(settings, coldStart, origin, relay);
  const work = new WorkTracker({
    chatRoutes: settings.chatRoutes,
    hold: {
      minTailMs: settings.chatMinTailMs,
      quietMs: settings.afterResponseIdleMs,
      capMs: settings.afterResponseGraceMs,
    },
  });
  const forward = new ForwardStep(settings, work, relay);
  const answer = Pipeline.of<Arrival>()
    .step(validateEvent)
    .step(steps.prepare)
    .step(readHeaders)
    .step(steps.checkOrigin)
    .step(steps.answerStop)
    .step(steps.ensureReady)
    .step(steps.answerHealth)
    .step(steps.translate)
    .end(forward.run);
  let cold = true;

  async function handle(
    event: ProxyEvent,
    stream: ResponseStream,
    context: InvocationContext,
  ): Promise<void> {
    const arrival: Arrival = {
      event,
      stream,
      method: String(event?.httpMethod ?? '-').toUpperCase(),
      path: String(event?.path ?? '-'),
      cold,
      startedAt: performance.now(),
    };
    cold = false;
    let outcome = UNANSWERED;
    try {
      outcome = await answer(arrival);
    } finally {
      logRequest({ requestId: context.awsRequestId, ...arrival }, outcome);
    }
  }

  return {
    start: () => coldStart.begin(),
    handle,
    async shutdown(signal) {
      await Promise.all([coldStart.supervisor?.stop(signal), relay?.close()]);
    },
  };
}
