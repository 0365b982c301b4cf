// The only module that reads process.env: everything else receives typed settings.
import path from 'node:path';
import { parse as parseShell } from 'shell-quote';
import { loadStopRelaySettings, type StopRelaySettings } from './stop-relay-settings';
import {
  INHERITED_ENVIRONMENT,
  type InheritedEnvironmentSource,
  parseInheritedEnvironmentSource,
} from './inherited-environment-source';

export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export interface ConfigSource {
  bucket: string;
  key: string;
}

export interface Settings {
  /** argv of the LibreChat process (LIBRECHAT_COMMAND split like a shell would, no shell run). */
  command: string[];
  port: number;
  readyTimeoutMs: number;
  healthPollMs: number;
  /** Working directory of LibreChat: relative writes (./data/*.json) must land under /tmp. */
  workDir: string;
  logDir: string;
  /** Directories created at cold start (targets of the image's /app -> /tmp links). */
  ensureDirs: string[];
  /** S3 location of librechat.yaml; undefined = no fetch. */
  configSource?: ConfigSource;
  /** Where LibreChat reads librechat.yaml (and where a fetched one is written). */
  configPath?: string;
  configReplace: Record<string, string>;
  /** env name -> SSM parameter name or ARN. */
  ssmSecrets: Record<string, string>;
  originVerifyHeader: string;
  /** ORIGIN_VERIFY_DISABLED=true turns the origin check off (else no secret means 503). */
  originVerifyDisabled: boolean;
  /** How long the previous origin secret stays accepted after the current one was stored. */
  originVerifyPreviousMs: number;
  /** Least time between two re-reads of the origin secrets caused by a mismatch. */
  originVerifyRefreshMs: number;
  /** CloudFront-Viewer-Address is added by the distribution itself (else never trusted). */
  trustViewerAddress: boolean;
  sseKeepAliveMs: number;
  /** Cap of an after-response hold. */
  afterResponseGraceMs: number;
  /** Quiet window: no outgoing activity for this long ends a hold. */
  afterResponseIdleMs: number;
  /** Minimum hold after a chat route's response (title generation starts after it). */
  chatMinTailMs: number;
  /** Streaming chat routes: POST paths, `:name` matches one path segment. */
  chatRoutes: RegExp[];
  /** Largest upload (MiB): ceiling merged into librechat.yaml; larger bodies get 413. */
  uploadLimitMb: number;
  stopTimeoutMs: number;
  /** Buffer size (bytes) of the response connection to the runtime API. */
  streamHighWaterMark: number;
  /** Role credentials of the function (Lambda sets all three). */
  credentials?: AwsCredentials;
  /** Environment handed on to LibreChat before the handler adds its own entries. */
  passThroughEnv: Record<string, string>;
  /**
   * Invocations Lambda may send at once (AWS_LAMBDA_MAX_CONCURRENCY, set on Lambda Managed
   * Instances); undefined on on-demand Lambda (one at a time).
   */
  maxConcurrency?: number;
  /** host:port of the Lambda Runtime API (AWS_LAMBDA_RUNTIME_API). */
  runtimeApi?: string;
  /** The cross-instance stop relay; undefined without REDIS_URI (docs/stop-button.md). */
  stopRelay?: StopRelaySettings;
  /** The ECS task environment to inherit (S3 object written by Terraform); undefined = none. */
  inheritedEnvironment?: InheritedEnvironmentSource;
}

/** Thrown for bad configuration: the message names the variable and what was expected. */
export class SettingsError extends Error {
  override name = 'SettingsError';
}

export const DEFAULT_COMMAND = 'node /app/api/server/index.js';
export const DEFAULT_CONFIG_PATH = '/tmp/librechat.yaml';
// LibreChat v0.8.2-rc1's streaming chat routes (api/server/routes/agents/chat.js,
// assistants/index.js with chatV1.js/chatV2.js).
export const DEFAULT_CHAT_ROUTES =
  '/api/agents/chat,/api/agents/chat/:endpoint,/api/assistants/v1/chat,/api/assistants/v2/chat';

/** `/a/:b` -> a pattern matching `/a/<one segment>` exactly (a trailing slash allowed). */
export function routePattern(route: string): RegExp {
  const parts = route
    .split('/')
    .map((p) => (p.startsWith(':') ? '[^/]+' : p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
  return new RegExp(`^${parts.join('/')}/?$`);
}

function routeList(env: Env, name: string, def: string): RegExp[] {
  const raw = nonEmpty(env, name) ?? def;
  return raw
    .split(',')
    .map((r) => r.trim())
    .filter(Boolean)
    .map((r) => {
      if (!/^\/[A-Za-z0-9_\-./:]*$/.test(r)) {
        throw new SettingsError(
          `${name} must be a comma-separated list of paths like /api/agents/chat/:endpoint, got ${JSON.stringify(r)}`,
        );
      }
      return routePattern(r);
    });
}

// Variables meant for the handler only: LibreChat never sees them. The bare key pair is
// removed because LibreChat would build credentials from it and drop the session token.
const HANDLER_ONLY = [
  'LIBRECHAT_COMMAND',
  'LIBRECHAT_PORT',
  'LIBRECHAT_READY_TIMEOUT_MS',
  'CONFIG_S3_BUCKET',
  'CONFIG_S3_KEY',
  'CONFIG_REPLACE',
  'SSM_SECRETS',
  'ORIGIN_VERIFY_HEADER',
  'ORIGIN_VERIFY_SECRET',
  'ORIGIN_VERIFY_PREVIOUS_SECRET',
  'ORIGIN_VERIFY_DISABLED',
  'ORIGIN_VERIFY_PREVIOUS_WINDOW_S',
  'TRUST_CLOUDFRONT_VIEWER_ADDRESS',
  'SSE_KEEPALIVE_MS',
  'AFTER_RESPONSE_GRACE_MS',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  INHERITED_ENVIRONMENT,
];

/** Whether a variable is meant for the handler only (LibreChat never sees it). */
export function isHandlerOnly(name: string): boolean {
  return HANDLER_ONLY.includes(name) || name.startsWith('HANDLER_');
}

type Env = Record<string, string | undefined>;

function nonEmpty(env: Env, name: string): string | undefined {
  const v = env[name];
  return v === undefined || v.trim() === '' ? undefined : v.trim();
}

function intVar(env: Env, name: string, def: number, min: number, max: number): number {
  const raw = nonEmpty(env, name);
  if (raw === undefined) return def;
  if (!/^\d+$/.test(raw)) {
    throw new SettingsError(`${name} must be a whole number, got ${JSON.stringify(raw)}`);
  }
  const n = Number(raw);
  if (n < min || n > max) {
    throw new SettingsError(`${name} must be between ${min} and ${max}, got ${n}`);
  }
  return n;
}

function boolVar(env: Env, name: string, def: boolean): boolean {
  const raw = nonEmpty(env, name);
  if (raw === undefined) return def;
  if (raw !== 'true' && raw !== 'false') {
    throw new SettingsError(`${name} must be true or false, got ${JSON.stringify(raw)}`);
  }
  return raw === 'true';
}

function stringMap(env: Env, name: string, what: string): Record<string, string> {
  const raw = nonEmpty(env, name);
  if (raw === undefined) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (err) {
    throw new SettingsError(
      `${name} must be a JSON object of ${what}, but it is not valid JSON: ${(err as Error).message}`,
    );
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new SettingsError(`${name} must be a JSON object of ${what}`);
  }
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(parsed)) {
    if (typeof v !== 'string') {
      throw new SettingsError(`${name}: the value of ${JSON.stringify(k)} must be a string`);
    }
    out[k] = v;
  }
  return out;
}

function parseCommand(raw: string): string[] {
  const parts = parseShell(raw);
  const argv: string[] = [];
  for (const p of parts) {
    if (typeof p !== 'string') {
      throw new SettingsError(
        `LIBRECHAT_COMMAND must be a plain command with arguments (no pipes, redirects or globs), got ${JSON.stringify(raw)}`,
      );
    }
    argv.push(p);
  }
  if (argv.length === 0) throw new SettingsError('LIBRECHAT_COMMAND is empty');
  return argv;
}

export function loadSettings(env: Env = process.env): Settings {
  const command = parseCommand(nonEmpty(env, 'LIBRECHAT_COMMAND') ?? DEFAULT_COMMAND);
  const port = intVar(env, 'LIBRECHAT_PORT', 3080, 1, 65535);

  const bucket = nonEmpty(env, 'CONFIG_S3_BUCKET');
  const key = nonEmpty(env, 'CONFIG_S3_KEY');
  if ((bucket === undefined) !== (key === undefined)) {
    throw new SettingsError(
      'CONFIG_S3_BUCKET and CONFIG_S3_KEY must be set together (or both left unset for no config fetch)',
    );
  }
  const configSource = bucket && key ? { bucket, key } : undefined;
  let configPath = nonEmpty(env, 'CONFIG_PATH');
  if (configSource) {
    configPath ??= DEFAULT_CONFIG_PATH;
    if (!path.isAbsolute(configPath)) {
      throw new SettingsError(
        `CONFIG_PATH must be an absolute file path when CONFIG_S3_BUCKET is set, got ${JSON.stringify(configPath)}`,
      );
    }
  }
  const configReplace = stringMap(env, 'CONFIG_REPLACE', 'placeholder -> replacement strings');
  if (Object.keys(configReplace).some((k) => k === '')) {
    throw new SettingsError('CONFIG_REPLACE must not contain an empty key');
  }

  const ssmSecrets = stringMap(env, 'SSM_SECRETS', 'environment variable name -> SSM parameter');
  for (const [name, param] of Object.entries(ssmSecrets)) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
      throw new SettingsError(`SSM_SECRETS: ${JSON.stringify(name)} is not a valid env name`);
    }
    if (param.trim() === '') {
      throw new SettingsError(`SSM_SECRETS: the parameter for ${name} is empty`);
    }
  }

  const workDir = nonEmpty(env, 'HANDLER_WORK_DIR') ?? '/tmp/librechat';
  const accessKeyId = nonEmpty(env, 'AWS_ACCESS_KEY_ID');
  const secretAccessKey = nonEmpty(env, 'AWS_SECRET_ACCESS_KEY');
  const credentials =
    accessKeyId && secretAccessKey
      ? { accessKeyId, secretAccessKey, sessionToken: nonEmpty(env, 'AWS_SESSION_TOKEN') }
      : undefined;

  const passThroughEnv: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) {
    if (v !== undefined && !isHandlerOnly(k)) {
      passThroughEnv[k] = v;
    }
  }

  const ensureDirs = (nonEmpty(env, 'HANDLER_ENSURE_DIRS') ?? '')
    .split(',')
    .map((d) => d.trim())
    .filter(Boolean);
  for (const d of ensureDirs) {
    if (!path.isAbsolute(d)) {
      throw new SettingsError(
        `HANDLER_ENSURE_DIRS must be a comma-separated list of absolute paths, got ${JSON.stringify(d)}`,
      );
    }
  }

  const maxConcurrency = multiConcurrency(env);
  let inheritedEnvironment: InheritedEnvironmentSource | undefined;
  try {
    inheritedEnvironment = parseInheritedEnvironmentSource(
      stringMap(env, INHERITED_ENVIRONMENT, 'bucket, key and sha256'),
    );
  } catch (err) {
    throw new SettingsError((err as Error).message);
  }

  return {
    command,
    ensureDirs,
    port,
    readyTimeoutMs: intVar(env, 'LIBRECHAT_READY_TIMEOUT_MS', 30000, 100, 900000),
    healthPollMs: intVar(env, 'HANDLER_HEALTH_POLL_MS', 10, 1, 500),
    workDir,
    logDir: nonEmpty(env, 'LIBRECHAT_LOG_DIR') ?? path.join(workDir, 'logs'),
    configSource,
    configPath,
    configReplace,
    ssmSecrets,
    originVerifyHeader: (nonEmpty(env, 'ORIGIN_VERIFY_HEADER') ?? 'x-origin-verify').toLowerCase(),
    originVerifyDisabled: boolVar(env, 'ORIGIN_VERIFY_DISABLED', false),
    originVerifyPreviousMs: intVar(env, 'ORIGIN_VERIFY_PREVIOUS_WINDOW_S', 3600, 0, 86400) * 1000,
    originVerifyRefreshMs: intVar(env, 'HANDLER_ORIGIN_REFRESH_MS', 10000, 0, 3600000),
    trustViewerAddress: boolVar(env, 'TRUST_CLOUDFRONT_VIEWER_ADDRESS', false),
    sseKeepAliveMs: intVar(env, 'SSE_KEEPALIVE_MS', 15000, 10, 3600000),
    afterResponseGraceMs: intVar(env, 'AFTER_RESPONSE_GRACE_MS', 10000, 0, 600000),
    afterResponseIdleMs: intVar(env, 'HANDLER_AFTER_RESPONSE_IDLE_MS', 300, 0, 60000),
    chatMinTailMs: intVar(env, 'HANDLER_CHAT_MIN_TAIL_MS', 500, 0, 60000),
    chatRoutes: routeList(env, 'HANDLER_CHAT_ROUTES', DEFAULT_CHAT_ROUTES),
    // Lambda takes at most 6,291,456 bytes per invocation after base64: about 4.4 MiB of file.
    uploadLimitMb: intVar(env, 'HANDLER_UPLOAD_LIMIT_MB', 4, 1, 4),
    stopTimeoutMs: intVar(env, 'HANDLER_STOP_TIMEOUT_MS', 1500, 0, 60000),
    streamHighWaterMark: intVar(env, 'HANDLER_STREAM_HIGH_WATER_MARK', 1048576, 16384, 67108864),
    credentials,
    passThroughEnv,
    maxConcurrency,
    runtimeApi: nonEmpty(env, 'AWS_LAMBDA_RUNTIME_API'),
    stopRelay: loadStopRelaySettings(env),
    inheritedEnvironment,
  };
}

/**
 * Lambda Managed Instances sets AWS_LAMBDA_MAX_CONCURRENCY, which switches aws-lambda-ric into
 * its multi-concurrent mode: it runs AWS_LAMBDA_NODEJS_WORKER_COUNT worker threads (default 8
 * per vCPU), each loading this handler, and each would start its own LibreChat. One worker
 * serves every invocation of the environment (the handler only waits on I/O).
 */
function multiConcurrency(env: Env): number | undefined {
  if (nonEmpty(env, 'AWS_LAMBDA_MAX_CONCURRENCY') === undefined) return undefined;
  const n = intVar(env, 'AWS_LAMBDA_MAX_CONCURRENCY', 1, 1, 1600);
  const workers = nonEmpty(env, 'AWS_LAMBDA_NODEJS_WORKER_COUNT');
  if (workers !== '1') {
    throw new SettingsError(
      `AWS_LAMBDA_NODEJS_WORKER_COUNT must be 1 when AWS_LAMBDA_MAX_CONCURRENCY is set (Lambda Managed Instances), got ${JSON.stringify(workers ?? '')}: every runtime worker thread loads this handler and would start its own LibreChat`,
    );
  }
  return n;
}
