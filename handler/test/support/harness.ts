// Starts the whole set-up for an integration test: runtime API emulator, S3/SSM stand-ins, and
// the real aws-lambda-ric process loading the built handler, which starts the stand-in LibreChat.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { S3Stub, SsmStub } from './aws-stubs';
import { type Invocation, RuntimeApi } from './runtime-api';

export const HANDLER_ROOT = path.resolve(__dirname, '..', '..', '..');
export const DIST = path.join(HANDLER_ROOT, 'dist');
export const RIC = path.join(HANDLER_ROOT, 'node_modules', 'aws-lambda-ric', 'index.mjs');
export const STANDIN = path.join(__dirname, 'standin-librechat.js');
export const MAIN_THREAD = path.join(DIST, 'main-thread.js');

export const CREDS = {
  AWS_ACCESS_KEY_ID: 'ASIATESTACCESSKEY001',
  AWS_SECRET_ACCESS_KEY: 'test-secret-access-key-do-not-log-1',
  AWS_SESSION_TOKEN: 'test-session-token-do-not-log-2',
};

export interface HarnessOptions {
  env?: Record<string, string>;
  s3Objects?: Record<string, string>;
  ssmParams?: Record<string, string>;
  /** Delay of every S3 and SSM answer. */
  stubDelayMs?: number;
  /** Wait until the handler logged that LibreChat is ready (default true). */
  waitReady?: boolean;
  /**
   * Run like Lambda Managed Instances: the emulator hands out up to this many events at once and
   * the runtime client gets AWS_LAMBDA_MAX_CONCURRENCY (its multi-concurrent mode).
   */
  maxConcurrency?: number;
  /** Start the runtime in its own process group, so freeze()/thaw() can stop all of it. */
  processGroup?: boolean;
}

export async function freePort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as net.AddressInfo).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

export interface StandinEvent {
  event: string;
  at: number;
  pid: number;
  [k: string]: unknown;
}

export interface LogLine {
  level: string;
  msg: string;
  [k: string]: unknown;
}

export class Harness {
  runtime = new RuntimeApi();
  s3 = new S3Stub();
  ssm = new SsmStub();
  proc?: ChildProcess;
  output = '';
  exit?: { code: number | null; signal: NodeJS.Signals | null };
  dir = mkdtempSync(path.join(os.tmpdir(), 'handler-test-'));
  eventsFile = path.join(this.dir, 'events.jsonl');
  port = 0;
  private groupLeader = false;
  private exited: Promise<void> = new Promise(() => undefined);

  static async start(opts: HarnessOptions = {}): Promise<Harness> {
    const h = new Harness();
    await h.begin(opts);
    return h;
  }

  async begin(opts: HarnessOptions): Promise<void> {
    if (opts.maxConcurrency !== undefined) {
      this.runtime = new RuntimeApi({ maxConcurrency: opts.maxConcurrency });
    }
    await Promise.all([this.runtime.start(), this.s3.start(), this.ssm.start()]);
    this.s3.delayMs = this.ssm.delayMs = opts.stubDelayMs ?? 0;
    for (const [k, v] of Object.entries(opts.s3Objects ?? {})) this.s3.objects.set(k, v);
    for (const [k, v] of Object.entries(opts.ssmParams ?? {})) this.ssm.params.set(k, v);
    this.port = await freePort();
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      _HANDLER: 'index.handler',
      LAMBDA_TASK_ROOT: DIST,
      AWS_LAMBDA_RUNTIME_API: this.runtime.address,
      AWS_REGION: 'us-east-1',
      AWS_LAMBDA_FUNCTION_NAME: 'librechat-test',
      AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '2048',
      AWS_LAMBDA_LOG_GROUP_NAME: '/aws/lambda/librechat-test',
      AWS_LAMBDA_LOG_STREAM_NAME: '2026/01/01/[$LATEST]test',
      ...CREDS,
      AWS_ENDPOINT_URL_S3: this.s3.url,
      AWS_ENDPOINT_URL_SSM: this.ssm.url,
      // Never read a developer's ~/.aws.
      AWS_CONFIG_FILE: path.join(this.dir, 'no-config'),
      HOME: this.dir,
      LIBRECHAT_COMMAND: `${process.execPath} ${STANDIN}`,
      LIBRECHAT_PORT: String(this.port),
      HANDLER_WORK_DIR: path.join(this.dir, 'work'),
      HANDLER_ENSURE_DIRS: ['uploads', 'images']
        .map((d) => path.join(this.dir, 'app', d))
        .join(','),
      STANDIN_EVENTS_FILE: this.eventsFile,
      STANDIN_RECORD_REQUESTS: '1',
      LIBRECHAT_READY_TIMEOUT_MS: '5000',
      SSE_KEEPALIVE_MS: '15000',
      AFTER_RESPONSE_GRACE_MS: '1500',
      ...(opts.maxConcurrency !== undefined
        ? { AWS_LAMBDA_MAX_CONCURRENCY: String(opts.maxConcurrency) }
        : {}),
      // The origin check fails closed; tests about other things turn it off explicitly.
      ORIGIN_VERIFY_DISABLED: 'true',
      ...opts.env,
    };
    // As the image's ENTRYPOINT does: the main-thread preload, then the runtime client.
    this.proc = spawn(process.execPath, ['--require', MAIN_THREAD, RIC], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: opts.processGroup === true,
    });
    this.groupLeader = opts.processGroup === true;
    this.proc.stdout?.on('data', (c: Buffer) => (this.output += c.toString('utf8')));
    this.proc.stderr?.on('data', (c: Buffer) => (this.output += c.toString('utf8')));
    this.exited = new Promise((resolve) => {
      this.proc?.on('exit', (code, signal) => {
        this.exit = { code, signal };
        resolve();
      });
    });
    if (opts.waitReady !== false) await this.waitForLog((l) => l.msg === 'librechat ready', 10000);
  }

  /** The handler's JSON log lines (other output, e.g. the runtime's own, is skipped). */
  logs(): LogLine[] {
    const out: LogLine[] = [];
    for (const line of this.output.split('\n')) {
      const start = line.indexOf('{"time"');
      if (start < 0) continue;
      try {
        out.push(JSON.parse(line.slice(start)) as LogLine);
      } catch {
        // Not one of ours.
      }
    }
    return out;
  }

  standinEvents(): StandinEvent[] {
    try {
      return readFileSync(this.eventsFile, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as StandinEvent);
    } catch {
      return [];
    }
  }

  async waitFor<T>(fn: () => T | undefined, timeoutMs: number, what: string): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const v = fn();
      if (v !== undefined && v !== false) return v;
      if (Date.now() > deadline) {
        throw new Error(`timed out waiting for ${what}; output:\n${this.output.slice(-3000)}`);
      }
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  waitForLog(pred: (l: LogLine) => boolean, timeoutMs = 5000): Promise<LogLine> {
    return this.waitFor(() => this.logs().find(pred), timeoutMs, 'a log line');
  }

  /** Like Lambda between invocations: stops the runtime and LibreChat (processGroup only). */
  freeze(): void {
    process.kill(-this.proc!.pid!, 'SIGSTOP');
  }

  thaw(): void {
    process.kill(-this.proc!.pid!, 'SIGCONT');
  }

  invoke(
    event: unknown,
    opts?: { closeAfterBytes?: number; timeoutMs?: number; discardBody?: boolean },
  ): Promise<Invocation> {
    return this.runtime.invoke(event, opts);
  }

  async stop(): Promise<void> {
    if (this.proc && !this.exit) {
      if (this.groupLeader) this.thaw();
      const gone = new Promise((r) => this.proc?.once('exit', r));
      this.proc.kill('SIGTERM');
      await Promise.race([gone, new Promise((r) => setTimeout(r, 3000))]);
      if (!this.exit) this.proc.kill('SIGKILL');
    }
    // The stand-in may outlive a killed runtime: stop every pid it recorded.
    for (const e of this.standinEvents()) {
      if (e.event === 'spawned') {
        try {
          process.kill(e.pid, 'SIGKILL');
        } catch {
          // Already gone.
        }
      }
    }
    await Promise.all([this.runtime.stop(), this.s3.stop(), this.ssm.stop()]);
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** A REST API (v1) proxy event as API Gateway sends it. */
export function apiEvent(
  method: string,
  p: string,
  opts: {
    headers?: Record<string, string[]>;
    query?: Record<string, string[]>;
    body?: Buffer | string;
    base64?: boolean;
    sourceIp?: string;
  } = {},
): Record<string, unknown> {
  const multiValueHeaders = { host: ['abc.execute-api.us-east-1.amazonaws.com'], ...opts.headers };
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(multiValueHeaders)) headers[k] = v[v.length - 1];
  const query = opts.query ?? null;
  let body: string | null = null;
  if (opts.body !== undefined) {
    body = opts.base64
      ? Buffer.from(opts.body).toString('base64')
      : Buffer.isBuffer(opts.body)
        ? opts.body.toString('utf8')
        : opts.body;
  }
  return {
    resource: '/{proxy+}',
    path: p,
    httpMethod: method,
    headers,
    multiValueHeaders,
    queryStringParameters: query
      ? Object.fromEntries(Object.entries(query).map(([k, v]) => [k, v[v.length - 1]]))
      : null,
    multiValueQueryStringParameters: query,
    pathParameters: { proxy: p.slice(1) },
    stageVariables: null,
    requestContext: {
      resourcePath: '/{proxy+}',
      httpMethod: method,
      path: `/prod${p}`,
      stage: 'prod',
      requestId: 'apigw-req',
      identity: { sourceIp: opts.sourceIp ?? '198.51.100.7' },
    },
    body,
    isBase64Encoded: Boolean(opts.base64),
  };
}

export function bodyJson<T = Record<string, unknown>>(inv: Invocation): T {
  return JSON.parse(inv.body.toString('utf8')) as T;
}
