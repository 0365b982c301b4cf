// Lambda entry point: aws-lambda-ric loads this module during the init phase.
import { createApp } from './app';
import { allowConcurrentResponseStreams } from './concurrency';
import { errorMessage, log } from './log';
import type { ProxyEvent } from './request';
import { absorbClosedResponseConnections, awslambda, disableNagle } from './runtime';
import { loadSettings, type Settings } from './settings';
import { onRelayedSigterm } from './shutdown-relay';

let settings: Settings;
try {
  settings = loadSettings();
} catch (err) {
  // Fails the init phase: the runtime client reports it as an init error.
  log('error', 'invalid handler configuration', { error: errorMessage(err) });
  throw err;
}

absorbClosedResponseConnections((err) =>
  log('warn', 'response connection to the runtime closed', { error: errorMessage(err) }),
);

// Lambda Managed Instances: many invocations at once in this worker, each streaming on its own.
if (settings.maxConcurrency !== undefined && settings.runtimeApi !== undefined) {
  allowConcurrentResponseStreams(settings.runtimeApi, (previousLimit) =>
    log('info', 'response streams to the runtime API no longer share one connection', {
      previousLimit,
      maxConcurrency: settings.maxConcurrency,
    }),
  );
}

const app = createApp(settings);
// Cold start: config, secrets and LibreChat begin now, during the init phase, not on import.
app.start();

// Lambda sends SIGTERM before shutting the environment down: pass it on to LibreChat, then
// die by the same signal. (process.exit() would hang while the runtime client's native
// long-poll for the next event is outstanding.) In multi-concurrent mode this runs in a worker
// thread, which gets no signals: the main thread relays SIGTERM (main-thread.ts).
if (settings.maxConcurrency !== undefined) {
  onRelayedSigterm(() => {
    log('info', 'SIGTERM relayed by the main thread, stopping LibreChat');
    return app.shutdown('SIGTERM');
  });
}
process.once('SIGTERM', () => {
  log('info', 'SIGTERM received, stopping LibreChat');
  void app.shutdown('SIGTERM').finally(() => process.kill(process.pid, 'SIGTERM'));
});

export const handler = awslambda().streamifyResponse(
  (event, stream, context) => {
    disableNagle(stream);
    return app.handle(event as ProxyEvent, stream, context);
  },
  // A larger buffer towards the runtime API: fewer pause/resume rounds on big bodies.
  { highWaterMark: settings.streamHighWaterMark },
);
