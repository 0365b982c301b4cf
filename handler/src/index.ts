// Lambda entry point: aws-lambda-ric loads this module during the init phase.
import { createApp } from './app';
import { errorMessage, log } from './log';
import type { ProxyEvent } from './request';
import { awslambda } from './runtime';
import { loadSettings, type Settings } from './settings';

let settings: Settings;
try {
  settings = loadSettings();
} catch (err) {
  // Fails the init phase: the runtime client reports it as an init error.
  log('error', 'invalid handler configuration', { error: errorMessage(err) });
  throw err;
}

const app = createApp(settings);

process.on('SIGTERM', () => {
  log('info', 'SIGTERM received, stopping LibreChat');
  void app.shutdown('SIGTERM').finally(() => process.exit(0));
});

export const handler = awslambda().streamifyResponse((event, stream, context) =>
  app.handle(event as ProxyEvent, stream, context),
);
