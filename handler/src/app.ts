// Wires the pieces together: cold-start preparation, origin check, readiness, proxying,
// the after-response grace period and the per-request log line.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import { SSMClient } from '@aws-sdk/client-ssm';
import { AbortRelay } from './abort-relay';
import { fetchConfig } from './config';
import { inheritTaskEnvironment } from './inherited-environment';
import { writeChildCredentials } from './credentials';
import { errorMessage, log } from './log';
import { childSecretParameters, OriginCheck } from './origin-check';
import { proxyRequest } from './proxy';
import {
  eventHeaders,
  type ProxyEvent,
  toUpstreamRequest,
  type UpstreamRequest,
  viewerIp,
} from './request';
import { type PipeResult, sendJson } from './response';
import type { InvocationContext, ResponseStream } from './runtime';
import { fetchSecrets } from './secrets';
import type { Settings } from './settings';
import { answerAbort, watchStream } from './stop-endpoint';
import { ABORT_PATH } from './stop-request';
import { NotReadyError, probeHealth, Supervisor } from './supervisor';

interface Prepared {
  supervisor: Supervisor;
}

// Methods after which LibreChat may keep working once the response has ended (title
// generation follows a chat POST). Reads are not waited for unless work is visibly in flight.
const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export interface App {
  handle(event: ProxyEvent, stream: ResponseStream, context: InvocationContext): Promise<void>;
  /** Forwards SIGTERM to LibreChat and waits (bounded) for it to exit. */
  shutdown(signal: NodeJS.Signals): Promise<void>;
}

export function createApp(settings: Settings): App {
  const s3 = new S3Client({});
  const ssm = new SSMClient({});
  let prepared: Promise<Prepared> | undefined;
  let supervisor: Supervisor | undefined;
  let cold = true;
  const origin = new OriginCheck(settings, ssm);
  const childSsmSecrets = childSecretParameters(settings.ssmSecrets);
  // Stop relay: its Redis connections are made now, during the init phase, and reused.
  const relay = settings.stopRelay ? new AbortRelay(settings.stopRelay) : undefined;

  async function doPrepare(): Promise<Prepared> {
    const t0 = performance.now();
    const [, secrets, credentialEnv, inherited] = await Promise.all([
      settings.configSource && settings.configPath
        ? fetchConfig(s3, settings.configSource, settings.configReplace, settings.configPath)
        : undefined,
      Object.keys(childSsmSecrets).length > 0
        ? fetchSecrets(ssm, childSsmSecrets)
        : ({} as Record<string, string>),
      writeChildCredentials(settings.credentials, path.join(settings.workDir, '.aws')),
      origin.load(),
      inheritTaskEnvironment(s3, settings),
      ...[settings.logDir, ...settings.ensureDirs].map((d) => mkdir(d, { recursive: true })),
    ]);
    const childSecrets = secrets;
    if (!settings.configSource && Object.keys(settings.configReplace).length > 0) {
      log('warn', 'CONFIG_REPLACE is ignored: no CONFIG_S3_BUCKET/CONFIG_S3_KEY to fetch from');
    }
    log('info', 'cold start prepared', {
      configFetched: Boolean(settings.configSource),
      secrets: Object.keys(secrets),
      ms: Math.round(performance.now() - t0),
    });
    const env: Record<string, string> = {
      // The ECS task's variables first: everything the function sets itself wins over them.
      ...inherited,
      ...settings.passThroughEnv,
      ...childSecrets,
      ...credentialEnv,
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PORT: String(settings.port),
      LIBRECHAT_LOG_DIR: settings.logDir,
    };
    if (settings.configPath) env.CONFIG_PATH = settings.configPath;
    supervisor = new Supervisor({
      command: settings.command,
      env,
      cwd: settings.workDir,
      port: settings.port,
      readyTimeoutMs: settings.readyTimeoutMs,
      healthPollMs: settings.healthPollMs,
      stopTimeoutMs: settings.stopTimeoutMs,
    });
    supervisor.setMaxListeners(0);
    return { supervisor };
  }

  // A failed preparation is retried by the next request instead of poisoning the environment.
  function prepare(): Promise<Prepared> {
    prepared ??= doPrepare().catch((err: unknown) => {
      prepared = undefined;
      throw err;
    });
    return prepared;
  }

  // Cold start: fetch config and secrets during the init phase and start LibreChat as soon as
  // both are done. Not awaited: LibreChat's readiness may take longer than the init limit.
  void mkdir(settings.workDir, { recursive: true })
    .then(prepare)
    .then((p) => p.supervisor.ensureReady())
    .catch((err: unknown) => log('error', 'cold start failed', { error: errorMessage(err) }));

  /** Proxies one request; a refused connection gets one retry after a restart. */
  async function forward(
    supervisor: Supervisor,
    upstream: UpstreamRequest,
    stream: ResponseStream,
    signal?: AbortSignal,
  ): Promise<PipeResult> {
    const options = {
      port: settings.port,
      keepAliveMs: settings.sseKeepAliveMs,
      lifecycle: supervisor,
      signal,
    };
    const first = await proxyRequest(upstream, stream, { ...options, allowRetry: true });
    if (!first.refused) return first;
    // LibreChat died since the last request (its exit not seen yet): restart it, try once more.
    log('warn', 'librechat refused the connection, restarting it', { error: first.error });
    await supervisor.settleAfterRefusal();
    try {
      await supervisor.ensureReady();
    } catch (err) {
      log('error', 'librechat not available', { error: errorMessage(err) });
    }
    return proxyRequest(upstream, stream, options);
  }

  async function handle(
    event: ProxyEvent,
    stream: ResponseStream,
    context: InvocationContext,
  ): Promise<void> {
    const t0 = performance.now();
    const wasCold = cold;
    cold = false;
    const method = String(event?.httpMethod ?? '-').toUpperCase();
    const reqPath = String(event?.path ?? '-');
    let status = 0;
    let bytes = 0;
    let interrupted: string | undefined;
    let keepAlives = 0;
    let upstreamError: string | undefined;
    let graceMs = 0;
    let responseMs = 0;
    let clientIp: string | undefined;
    try {
      if (typeof event?.httpMethod !== 'string' || typeof event.path !== 'string') {
        status = 400;
        bytes = await sendJson(stream, status, {
          error: 'not an API Gateway REST API proxy event (httpMethod and path are required)',
        });
        return;
      }
      let p: Prepared;
      try {
        p = await prepare();
      } catch (err) {
        log('error', 'cold start preparation failed', { error: errorMessage(err) });
        status = 503;
        bytes = await sendJson(stream, status, { error: 'LibreChat is not available' }, method);
        return;
      }
      const headers = eventHeaders(event);
      const verdict = await origin.check(headers.get(settings.originVerifyHeader)?.[0]);
      clientIp = viewerIp(event, origin.enforced, settings.trustViewerAddress);
      if (verdict === 'forbidden' || verdict === 'unconfigured') {
        if (verdict === 'unconfigured') log('error', 'refused: the origin check has no secret');
        status = verdict === 'forbidden' ? 403 : 503;
        bytes = await sendJson(
          stream,
          status,
          { error: verdict === 'forbidden' ? 'forbidden' : 'LibreChat is not available' },
          method,
        );
        return;
      }
      // --- stop relay: the abort request is answered here, never forwarded (it needs no
      // LibreChat, so it works during a cold start too). ---
      if (reqPath === ABORT_PATH) {
        ({ status, bytes } = await answerAbort(relay, event, headers, stream));
        return;
      }

      try {
        await p.supervisor.ensureReady();
      } catch (err) {
        log('error', 'librechat not available', { error: errorMessage(err) });
        status = 503;
        const timeout = err instanceof NotReadyError && err.reason === 'timeout';
        bytes = await sendJson(
          stream,
          status,
          {
            error: timeout
              ? 'LibreChat did not become ready in time'
              : 'LibreChat is not available',
          },
          method,
        );
        return;
      }

      // LibreChat has no /api/health (it would answer the SPA's index.html): answer it here.
      if (reqPath === '/api/health' && (method === 'GET' || method === 'HEAD')) {
        const ok = await probeHealth(settings.port);
        status = ok ? 200 : 503;
        bytes = await sendJson(
          stream,
          status,
          {
            status: ok ? 'ok' : 'unavailable',
            librechat: ok ? 'ready' : 'not answering /health',
            cold: wasCold,
          },
          method,
        );
        return;
      }

      const upstream = toUpstreamRequest(event, {
        dropHeaders: [settings.originVerifyHeader],
        clientIp,
      });
      // --- stop relay: a stream the viewer may stop from another instance. ---
      const stop = watchStream(relay, method, headers);
      const result = await forward(p.supervisor, upstream, stream, stop?.signal);
      stop?.end();
      if (stop?.signal.aborted && result.interrupted) result.interrupted = 'stopped';
      // --- end stop relay ---
      status = result.status;
      bytes = result.bytes;
      interrupted = result.interrupted;
      keepAlives = result.keepAlives;
      upstreamError = result.error;
      responseMs = performance.now() - t0;

      // The response has reached the runtime; keep the invocation (and so the environment)
      // alive while LibreChat still talks to the outside for this request's follow-up work.
      // Only work started since this request began counts (not e.g. an MCP stream).
      if (!READ_METHODS.has(method) || p.supervisor.workInFlight(t0) > 0) {
        graceMs = await p.supervisor.waitForIdle(
          settings.afterResponseGraceMs,
          settings.afterResponseIdleMs,
          t0,
        );
      }
    } finally {
      log('info', 'request', {
        requestId: context.awsRequestId,
        method,
        path: reqPath,
        viewerIp: clientIp,
        status,
        bytes,
        durationMs: Math.round((responseMs || performance.now() - t0) * 100) / 100,
        graceMs: Math.round(graceMs),
        cold: wasCold,
        ...(interrupted ? { interrupted } : {}),
        ...(keepAlives ? { keepAlives } : {}),
        ...(upstreamError ? { upstreamError } : {}),
      });
    }
  }

  return {
    handle,
    async shutdown(signal) {
      await Promise.all([supervisor?.stop(signal), relay?.close()]);
    },
  };
}
