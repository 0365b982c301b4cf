// Preloaded into the runtime client's main thread (`node --require`, see the Dockerfile). Only in
// multi-concurrent mode (Lambda Managed Instances), where the handler runs in a worker thread:
// on demand the handler runs in the main thread and forwards SIGTERM itself (index.ts). The
// runtime's worker threads inherit the preload; there it does nothing.
import { isMainThread } from 'node:worker_threads';
import { relaySigtermToHandler } from './shutdown-relay';

// Longer than the handler's own bounded stop (HANDLER_STOP_TIMEOUT_MS, at most 60 s).
const RELAY_LIMIT_MS = 65000;

// Reading process.env here is deliberate: this runs before, and apart from, the handler's
// settings, and only asks whether Lambda switched the runtime client into multi-concurrent mode.
if (isMainThread && process.env.AWS_LAMBDA_MAX_CONCURRENCY !== undefined) {
  relaySigtermToHandler(RELAY_LIMIT_MS);
}
