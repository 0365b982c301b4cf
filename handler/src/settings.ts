// The only module that reads process.env: everything else receives typed settings.
import path from 'node:path';
import { parse as parseShell } from 'shell-quote';
import {
  ENV,
  ENV_NAME,
  integerRule,
  type IntegerVariable,
  isHandlerOnly,
  ORIGIN_HEADER_NAME,
  VARIABLES,
} from './contract';
import { loadStopRelaySettings, type StopRelaySettings } from './stop-relay-settings';
import {
  type InheritedEnvironmentSource,
  parseInheritedEnvironmentSource,
} from './inherited-environment-source';

export { isHandlerOnly };

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

/** `/a/:b` -> a pattern matching `/a/<one segment>` exactly (a trailing slash allowed). */
export function routePattern(route: string): RegExp {
  const parts = route
    .split('/')
    .map((p) => (p.startsWith(':') ? '[^/]+' : p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
  return new RegExp(`^${parts.join('/')}/?$`);
}

function routeList(env: Env, name: typeof ENV.HANDLER_CHAT_ROUTES): RegExp[] {
  const raw = nonEmpty(env, name) ?? VARIABLES[name].default;
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

type Env = Record<string, string | undefined>;

function nonEmpty(env: Env, name: string): string | undefined {
  const v = env[name];
  return v === undefined || v.trim() === '' ? undefined : v.trim();
}

/** An integer setting, by its contract rule (default and range). */
function intVar(env: Env, name: IntegerVariable): number {
  const { default: def, min, max } = integerRule(name);
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

function boolVar(
  env: Env,
  name: typeof ENV.ORIGIN_VERIFY_DISABLED | typeof ENV.TRUST_CLOUDFRONT_VIEWER_ADDRESS,
): boolean {
  const raw = nonEmpty(env, name);
  if (raw === undefined) return VARIABLES[name].default;
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
  const command = parseCommand(
    nonEmpty(env, ENV.LIBRECHAT_COMMAND) ?? VARIABLES.LIBRECHAT_COMMAND.default,
  );
  const port = intVar(env, ENV.LIBRECHAT_PORT);

  const bucket = nonEmpty(env, ENV.CONFIG_S3_BUCKET);
  const key = nonEmpty(env, ENV.CONFIG_S3_KEY);
  if ((bucket === undefined) !== (key === undefined)) {
    throw new SettingsError(
      'CONFIG_S3_BUCKET and CONFIG_S3_KEY must be set together (or both left unset for no config fetch)',
    );
  }
  const configSource = bucket && key ? { bucket, key } : undefined;
  let configPath = nonEmpty(env, ENV.CONFIG_PATH);
  if (configSource) {
    configPath ??= VARIABLES.CONFIG_PATH.default;
    if (!path.isAbsolute(configPath)) {
      throw new SettingsError(
        `CONFIG_PATH must be an absolute file path when CONFIG_S3_BUCKET is set, got ${JSON.stringify(configPath)}`,
      );
    }
  }
  const configReplace = stringMap(env, ENV.CONFIG_REPLACE, 'placeholder -> replacement strings');
  if (Object.keys(configReplace).some((k) => k === '')) {
    throw new SettingsError('CONFIG_REPLACE must not contain an empty key');
  }

  const ssmSecrets = stringMap(env, ENV.SSM_SECRETS, 'environment variable name -> SSM parameter');
  for (const [name, param] of Object.entries(ssmSecrets)) {
    if (!ENV_NAME.test(name)) {
      throw new SettingsError(
        `SSM_SECRETS: ${JSON.stringify(name)} is not a valid env name (UPPER_SNAKE_CASE)`,
      );
    }
    if (param.trim() === '') {
      throw new SettingsError(`SSM_SECRETS: the parameter for ${name} is empty`);
    }
  }

  const workDir = nonEmpty(env, ENV.HANDLER_WORK_DIR) ?? VARIABLES.HANDLER_WORK_DIR.default;
  const accessKeyId = nonEmpty(env, ENV.AWS_ACCESS_KEY_ID);
  const secretAccessKey = nonEmpty(env, ENV.AWS_SECRET_ACCESS_KEY);
  const credentials =
    accessKeyId && secretAccessKey
      ? { accessKeyId, secretAccessKey, sessionToken: nonEmpty(env, ENV.AWS_SESSION_TOKEN) }
      : undefined;

  const passThroughEnv: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) {
    if (v !== undefined && !isHandlerOnly(k)) {
      passThroughEnv[k] = v;
    }
  }

  const ensureDirs = (nonEmpty(env, ENV.HANDLER_ENSURE_DIRS) ?? '')
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
      stringMap(env, ENV.INHERITED_ENVIRONMENT, 'bucket, key and sha256'),
    );
  } catch (err) {
    throw new SettingsError((err as Error).message);
  }

  const originVerifyHeader = (
    nonEmpty(env, ENV.ORIGIN_VERIFY_HEADER) ?? VARIABLES.ORIGIN_VERIFY_HEADER.default
  ).toLowerCase();
  if (!ORIGIN_HEADER_NAME.test(originVerifyHeader)) {
    throw new SettingsError(
      `ORIGIN_VERIFY_HEADER must be a header name starting with x- (letters, digits and -), got ${JSON.stringify(originVerifyHeader)}`,
    );
  }

  return {
    command,
    ensureDirs,
    port,
    readyTimeoutMs: intVar(env, ENV.LIBRECHAT_READY_TIMEOUT_MS),
    healthPollMs: intVar(env, ENV.HANDLER_HEALTH_POLL_MS),
    workDir,
    logDir: nonEmpty(env, ENV.LIBRECHAT_LOG_DIR) ?? path.join(workDir, 'logs'),
    configSource,
    configPath,
    configReplace,
    ssmSecrets,
    originVerifyHeader,
    originVerifyDisabled: boolVar(env, ENV.ORIGIN_VERIFY_DISABLED),
    originVerifyPreviousMs: intVar(env, ENV.ORIGIN_VERIFY_PREVIOUS_WINDOW_S) * 1000,
    originVerifyRefreshMs: intVar(env, ENV.HANDLER_ORIGIN_REFRESH_MS),
    trustViewerAddress: boolVar(env, ENV.TRUST_CLOUDFRONT_VIEWER_ADDRESS),
    sseKeepAliveMs: intVar(env, ENV.SSE_KEEPALIVE_MS),
    afterResponseGraceMs: intVar(env, ENV.AFTER_RESPONSE_GRACE_MS),
    afterResponseIdleMs: intVar(env, ENV.HANDLER_AFTER_RESPONSE_IDLE_MS),
    chatMinTailMs: intVar(env, ENV.HANDLER_CHAT_MIN_TAIL_MS),
    chatRoutes: routeList(env, ENV.HANDLER_CHAT_ROUTES),
    uploadLimitMb: intVar(env, ENV.HANDLER_UPLOAD_LIMIT_MB),
    stopTimeoutMs: intVar(env, ENV.HANDLER_STOP_TIMEOUT_MS),
    streamHighWaterMark: intVar(env, ENV.HANDLER_STREAM_HIGH_WATER_MARK),
    credentials,
    passThroughEnv,
    maxConcurrency,
    runtimeApi: nonEmpty(env, ENV.AWS_LAMBDA_RUNTIME_API),
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
  if (nonEmpty(env, ENV.AWS_LAMBDA_MAX_CONCURRENCY) === undefined) return undefined;
  const n = intVar(env, ENV.AWS_LAMBDA_MAX_CONCURRENCY);
  const workers = nonEmpty(env, ENV.AWS_LAMBDA_NODEJS_WORKER_COUNT);
  if (workers !== '1') {
    throw new SettingsError(
      `AWS_LAMBDA_NODEJS_WORKER_COUNT must be 1 when AWS_LAMBDA_MAX_CONCURRENCY is set (Lambda Managed Instances), got ${JSON.stringify(workers ?? '')}: every runtime worker thread loads this handler and would start its own LibreChat`,
    );
  }
  return n;
}
