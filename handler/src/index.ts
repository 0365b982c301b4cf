// Lambda entry point: aws-lambda-ric loads this module during the init phase.
import { createApp } from './app';
import { errorMessage, log } from './log';
import type { ProxyEvent } from './request';
import { absorbClosedResponseConnections, awslambda, disableNagle } from './runtime';
import { loadSettings, type Settings } from './settings';

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

const app = createApp(settings);

// Lambda sends SIGTERM before shutting the environment down: pass it on to LibreChat, then
// die by the same signal. (process.exit() would hang while the runtime client's native
// long-poll for the next event is outstanding.)
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
