// The steps a request takes before it is forwarded, in the order app.ts runs them. Each step
// answers the request itself or passes on what it found (pipeline.ts).
import type { AbortRelay } from './abort-relay';
import type { ColdStart } from './cold-start';
import { errorMessage, log } from './log';
import type { OriginCheck } from './origin-check';
import { answered, type Outcome, proceed, type Step } from './pipeline';
import {
  BadRequestError,
  checkEvent,
  eventHeaders,
  type ProxyEvent,
  toUpstreamRequest,
  type UpstreamRequest,
  viewerIp,
} from './request';
import { sendJson } from './response';
import type { ResponseStream } from './runtime';
import type { Settings } from './settings';
import { answerAbort } from './stop-endpoint';
import { ABORT_PATH } from './stop-request';
import { NotReadyError, probeHealth, type Supervisor } from './supervisor';
import { MIB } from './upload-ceiling';

// Room for the multipart envelope around a file of the upload limit (boundaries, part
// headers, form fields such as file_id and endpoint).
const UPLOAD_ENVELOPE_BYTES = 64 * 1024;
// Viewers get no internals: the cause goes to the log only.
const UNAVAILABLE = { error: 'LibreChat is not available' };

/** The request as it arrived. */
export interface Arrival {
  event: ProxyEvent;
  stream: ResponseStream;
  /** Upper-case method and path as the log shows them ('-' when the event has none). */
  method: string;
  path: string;
  /** The first request this environment serves. */
  cold: boolean;
  /** performance.now() when the invocation began. */
  startedAt: number;
}

export interface Prepared extends Arrival {
  supervisor: Supervisor;
}

export interface HeadersRead extends Prepared {
  headers: Map<string, string[]>;
}

export interface Admitted extends HeadersRead {
  viewerIp?: string;
}

export interface Translated extends Admitted {
  upstream: UpstreamRequest;
}

async function json(x: Arrival, status: number, body: unknown): Promise<Outcome> {
  return { status, bytes: await sendJson(x.stream, status, body, x.method) };
}

// Input Node's http client would refuse: 400, logged with the reason, never forwarded.
async function badRequest(x: Arrival, err: unknown): Promise<Step<never>> {
  if (!(err instanceof BadRequestError)) throw err;
  return answered({ ...(await json(x, 400, { message: 'Bad request' })), rejected: err.message });
}

/** Anything but an API Gateway REST API proxy event is answered 400 at once. */
export async function validateEvent(x: Arrival): Promise<Step<Arrival>> {
  if (typeof x.event?.httpMethod === 'string' && typeof x.event.path === 'string') {
    return proceed(x);
  }
  const error = 'not an API Gateway REST API proxy event (httpMethod and path are required)';
  const status = 400;
  // Without a method of its own the answer is that of a GET.
  return answered({ status, bytes: await sendJson(x.stream, status, { error }) });
}

/** Header values that are not strings or not valid in HTTP are refused with 400. */
export async function readHeaders(x: Prepared): Promise<Step<HeadersRead>> {
  try {
    checkEvent(x.event);
    return proceed({ ...x, headers: eventHeaders(x.event) });
  } catch (err) {
    return badRequest(x, err);
  }
}

/** Steps that need the handler's settings and its long-lived parts. */
export class RequestSteps {
  constructor(
    private readonly settings: Settings,
    private readonly coldStart: ColdStart,
    private readonly origin: OriginCheck,
    private readonly relay: AbortRelay | undefined,
  ) {}

  /** Waits for the cold start's preparation; 503 when it failed (the next request retries). */
  readonly prepare = async (x: Arrival): Promise<Step<Prepared>> => {
    try {
      return proceed({ ...x, supervisor: await this.coldStart.prepare() });
    } catch (err) {
      log('error', 'cold start preparation failed', { error: errorMessage(err) });
      return answered(await json(x, 503, UNAVAILABLE));
    }
  };

  /** 403 without the right origin header; 503 when the check has no secret to compare with. */
  readonly checkOrigin = async (x: HeadersRead): Promise<Step<Admitted>> => {
    const verdict = await this.origin.check(x.headers.get(this.settings.originVerifyHeader)?.[0]);
    const ip = viewerIp(x.event, this.origin.enforced, this.settings.trustViewerAddress);
    const notes = { viewerIp: ip };
    if (verdict === 'forbidden') {
      return answered({ ...notes, ...(await json(x, 403, { error: 'forbidden' })) });
    }
    if (verdict === 'unconfigured') {
      log('error', 'refused: the origin check has no secret');
      return answered({
        ...notes,
        ...(await json(x, 503, UNAVAILABLE)),
      });
    }
    return proceed({ ...x, viewerIp: ip }, notes);
  };

  /**
   * The stop relay's abort request is answered here, never forwarded (it needs no LibreChat, so
   * it works during a cold start too).
   */
  readonly answerStop = async (x: Admitted): Promise<Step<Admitted>> => {
    if (x.path !== ABORT_PATH) return proceed(x);
    return answered(await answerAbort(this.relay, x.event, x.headers, x.stream));
  };

  /** Starts LibreChat when it is not running and waits for it; 503 when it does not come up. */
  readonly ensureReady = async (x: Admitted): Promise<Step<Admitted>> => {
    try {
      await x.supervisor.ensureReady();
      return proceed(x);
    } catch (err) {
      log('error', 'librechat not available', { error: errorMessage(err) });
      const timeout = err instanceof NotReadyError && err.reason === 'timeout';
      const body = timeout ? { error: 'LibreChat did not become ready in time' } : UNAVAILABLE;
      return answered(await json(x, 503, body));
    }
  };

  /** LibreChat has no /api/health (it would answer the SPA's index.html): answered here. */
  readonly answerHealth = async (x: Admitted): Promise<Step<Admitted>> => {
    if (x.path !== '/api/health' || (x.method !== 'GET' && x.method !== 'HEAD')) return proceed(x);
    const ok = await probeHealth(this.settings.port);
    return answered(
      await json(x, ok ? 200 : 503, {
        status: ok ? 'ok' : 'unavailable',
        librechat: ok ? 'ready' : 'not answering /health',
        cold: x.cold,
      }),
    );
  };

  /**
   * The HTTP request for LibreChat, without the origin header. Bodies above the upload ceiling
   * never reach LibreChat (Lambda's payload limit would have stopped a little more anyway; this
   * answer at least says why).
   */
  readonly translate = async (x: Admitted): Promise<Step<Translated>> => {
    let upstream: UpstreamRequest;
    try {
      upstream = toUpstreamRequest(x.event, {
        dropHeaders: [this.settings.originVerifyHeader],
        clientIp: x.viewerIp,
      });
    } catch (err) {
      return badRequest(x, err);
    }
    const { uploadLimitMb } = this.settings;
    const maxBody = uploadLimitMb * MIB + UPLOAD_ENVELOPE_BYTES;
    if (upstream.body.length > maxBody) {
      const message = `File size exceeds ${uploadLimitMb} MB`;
      return answered({
        ...(await json(x, 413, { message })),
        rejected: `body of ${upstream.body.length} bytes exceeds ${maxBody}`,
      });
    }
    return proceed({ ...x, upstream });
  };
}
