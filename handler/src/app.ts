// Wires the pieces together: cold-start preparation, origin check, readiness, proxying,
// the after-response hold and the per-request log line. Per-request state lives in handle()
// only, so several invocations may be in flight at once.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import { SSMClient } from '@aws-sdk/client-ssm';
import { AbortRelay } from './abort-relay';
import { fetchConfig } from './config';
import { AfterResponseHold, type RequestKind } from './hold';
import { inheritTaskEnvironment } from './inherited-environment';
import { writeChildCredentials } from './credentials';
import { errorMessage, log } from './log';
import { childSecretParameters, OriginCheck } from './origin-check';
import { dropIdleConnections, proxyRequest } from './proxy';
import {
  BadRequestError,
  checkEvent,
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

// Reads are not held after the response unless work they started is visibly in flight.
const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const MIB = 1024 * 1024;
// Room for the multipart envelope around a file of the upload limit (boundaries, part
// headers, form fields such as file_id and endpoint).
export const UPLOAD_ENVELOPE_BYTES = 64 * 1024;

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
    const [, secrets, credentialEnv, , inherited] = await Promise.all([
      settings.configSource && settings.configPath
        ? fetchConfig(
            s3,
            settings.configSource,
            settings.configReplace,
            settings.configPath,
            settings.uploadLimitMb,
          )
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
    // Conversation imports have their own limit (api/server/utils/import/importConversations.js,
    // api/server/routes/config.js): never above the upload ceiling.
    const importMax = settings.uploadLimitMb * MIB;
    const givenImportMax = Number(env.CONVERSATION_IMPORT_MAX_FILE_SIZE_BYTES);
    if (!(givenImportMax > 0 && givenImportMax <= importMax)) {
      env.CONVERSATION_IMPORT_MAX_FILE_SIZE_BYTES = String(importMax);
    }
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
    // Pooled connections to a process that exited would only fail the next request.
    supervisor.on('exit', () => dropIdleConnections(0));
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

  function requestKind(method: string, reqPath: string): RequestKind {
    if (READ_METHODS.has(method)) return 'read';
    if (method === 'POST' && settings.chatRoutes.some((r) => r.test(reqPath))) return 'chat';
    return 'write';
  }

  /**
   * Proxies one request. A connection that fails before any response byte (refused, reset,
   * hang-up, LibreChat exited) gets one retry, after a restart when LibreChat died.
   */
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
    if (!first.retryable) return first;
    log('warn', 'librechat connection failed before a response, retrying once', {
      error: first.error,
    });
    await supervisor.settleAfterFailure();
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
    let keepAlivesDeferred = 0;
    let upstreamError: string | undefined;
    let rejected: string | undefined;
    let heldMs = 0;
    let held = 'none';
    let responseMs = 0;
    let clientIp: string | undefined;
    // Input Node's http client would refuse: 400, logged with the reason, never forwarded.
    const rejectBadRequest = async (err: unknown): Promise<void> => {
      if (!(err instanceof BadRequestError)) throw err;
      rejected = err.message;
      status = 400;
      bytes = await sendJson(stream, status, { message: 'Bad request' }, method);
    };
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
      let headers: Map<string, string[]>;
      try {
        checkEvent(event);
        headers = eventHeaders(event);
      } catch (err) {
        await rejectBadRequest(err);
        return;
      }
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

      let upstream: UpstreamRequest;
      try {
        upstream = toUpstreamRequest(event, {
          dropHeaders: [settings.originVerifyHeader],
          clientIp,
        });
      } catch (err) {
        await rejectBadRequest(err);
        return;
      }
      // Bodies above the upload ceiling never reach LibreChat (Lambda's payload limit would
      // have stopped a little more anyway; this answer at least says why).
      const maxBody = settings.uploadLimitMb * MIB + UPLOAD_ENVELOPE_BYTES;
      if (upstream.body.length > maxBody) {
        rejected = `body of ${upstream.body.length} bytes exceeds ${maxBody}`;
        status = 413;
        bytes = await sendJson(
          stream,
          status,
          { message: `File size exceeds ${settings.uploadLimitMb} MB` },
          method,
        );
        return;
      }
      const finishedBefore = p.supervisor.work.responsesFinished;
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
      keepAlivesDeferred = result.keepAlivesDeferred ?? 0;
      upstreamError = result.error;
      const responseEndAt = performance.now();
      responseMs = responseEndAt - t0;

      // The response has reached the runtime; keep the invocation (and so the environment)
      // alive while LibreChat finishes this request's follow-up work.
      const hold = new AfterResponseHold(p.supervisor.work, t0, {
        minTailMs: settings.chatMinTailMs,
        quietMs: settings.afterResponseIdleMs,
        capMs: settings.afterResponseGraceMs,
      });
      ({ heldMs, reason: held } = await hold.wait(
        requestKind(method, reqPath),
        responseEndAt,
        finishedBefore,
      ));
    } finally {
      log('info', 'request', {
        requestId: context.awsRequestId,
        method,
        path: reqPath,
        viewerIp: clientIp,
        status,
        bytes,
        durationMs: Math.round((responseMs || performance.now() - t0) * 100) / 100,
        heldMs: Math.round(heldMs),
        held,
        cold: wasCold,
        ...(interrupted ? { interrupted } : {}),
        ...(keepAlives ? { keepAlives } : {}),
        ...(keepAlivesDeferred ? { keepAlivesDeferred } : {}),
        ...(rejected ? { rejected } : {}),
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
