// The function's environment contract: every variable the handler reads or the stack sets, with
// its default and its rule, written once. The handler reads its settings through it (settings.ts)
// and the stack (../src, by a path import: the image's build context is handler/) builds the
// function's environment from it, so both sides agree on every name, default and rule.
// No imports: this file is loaded by the stack at synth and by the e2e suite as plain JS.

/** A variable name of the function's environment (and an SSM_SECRETS key): UPPER_SNAKE_CASE. */
export const ENV_NAME = /^[A-Z_][A-Z0-9_]*$/;

/**
 * A name a process environment can hold and pass on (POSIX portable): what an inherited ECS
 * task variable must be to reach LibreChat. Looser than ENV_NAME, which the stack writes.
 */
export const PORTABLE_ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The origin header's name: lowercase, starting with x- (HTTP/2 carries header names lowercase). */
export const ORIGIN_HEADER_NAME = /^x-[a-z0-9-]+$/;

/** A whole-number setting: its default and the range the handler accepts. */
export interface IntegerRule {
  readonly default: number;
  readonly min: number;
  readonly max: number;
}

/** One variable of the contract. */
export interface VariableSpec {
  /** What applies when the variable is unset or blank (a number for integer settings). */
  readonly default?: string | number | boolean;
  /** Integer settings: the accepted range (the handler refuses others at cold start). */
  readonly min?: number;
  readonly max?: number;
  /** Read by the handler only: LibreChat never sees it. */
  readonly handlerOnly?: boolean;
  /**
   * Set by the stack on every deployment, from other config fields and resources: an
   * environment file may not set it (plain or as a secret).
   */
  readonly stackManaged?: boolean;
  /** One line for the reference table (handler/README.md). */
  readonly doc: string;
}

// LibreChat v0.8.2-rc1's streaming chat routes (api/server/routes/agents/chat.js,
// assistants/index.js with chatV1.js/chatV2.js).
const RC1_CHAT_ROUTES =
  '/api/agents/chat,/api/agents/chat/:endpoint,/api/assistants/v1/chat,/api/assistants/v2/chat';

/** Every variable of the contract, by name. */
export const VARIABLES = {
  // The LibreChat process.
  LIBRECHAT_COMMAND: {
    default: 'node /app/api/server/index.js',
    handlerOnly: true,
    doc: "LibreChat's command line, split like a shell would (quotes allowed), run without a shell. Pipes/redirects are rejected.",
  },
  LIBRECHAT_PORT: {
    default: 3080,
    min: 1,
    max: 65535,
    handlerOnly: true,
    doc: 'Port LibreChat listens on (on 127.0.0.1); passed as `PORT`.',
  },
  LIBRECHAT_READY_TIMEOUT_MS: {
    default: 30000,
    min: 100,
    max: 900000,
    handlerOnly: true,
    doc: 'Longest wait for `GET /health` = `OK`.',
  },
  HANDLER_HEALTH_POLL_MS: {
    default: 10,
    min: 1,
    max: 500,
    handlerOnly: true,
    doc: 'Interval between `/health` probes during start-up.',
  },
  HANDLER_WORK_DIR: {
    default: '/tmp/librechat',
    handlerOnly: true,
    doc: "LibreChat's working directory (its `./data/*.json` land here) and home of `.aws/credentials`.",
  },
  LIBRECHAT_LOG_DIR: {
    doc: 'Passed to LibreChat; unset: `logs` under `HANDLER_WORK_DIR` (the image sets `/tmp/app/logs`).',
  },
  HANDLER_ENSURE_DIRS: {
    handlerOnly: true,
    doc: "Comma-separated absolute directories created at cold start: the targets of the image's `/app/...` links (the image sets them).",
  },
  HANDLER_STOP_TIMEOUT_MS: {
    default: 1500,
    min: 0,
    max: 60000,
    handlerOnly: true,
    doc: 'Wait for LibreChat to exit after the forwarded SIGTERM before SIGKILL.',
  },
  // librechat.yaml.
  CONFIG_S3_BUCKET: {
    handlerOnly: true,
    stackManaged: true,
    doc: 'S3 bucket of `librechat.yaml`; set together with `CONFIG_S3_KEY` (both unset: no fetch).',
  },
  CONFIG_S3_KEY: {
    handlerOnly: true,
    stackManaged: true,
    doc: 'S3 key of `librechat.yaml`.',
  },
  CONFIG_PATH: {
    default: '/tmp/librechat.yaml',
    stackManaged: true,
    doc: 'Where the fetched file is written (the default applies only when fetching; must be absolute then); passed to LibreChat, which reads it. Without a fetch it is passed on as given.',
  },
  CONFIG_REPLACE: {
    default: '{}',
    handlerOnly: true,
    stackManaged: true,
    doc: 'JSON object; each key is replaced by its value everywhere in the fetched file (one pass, longest key first). Ignored (with a warning) without a fetch.',
  },
  HANDLER_UPLOAD_LIMIT_MB: {
    // One invocation takes 6,291,456 bytes including the event, after base64: about 4.4 MiB.
    default: 4,
    min: 1,
    max: 4,
    handlerOnly: true,
    stackManaged: true,
    doc: 'Ceiling (MiB) merged into the fetched `librechat.yaml`; bodies above it (plus 64 KiB) get 413.',
  },
  // Secrets.
  SSM_SECRETS: {
    default: '{}',
    handlerOnly: true,
    stackManaged: true,
    doc: "JSON object: env name -> SSM parameter name or ARN. Values are decrypted at cold start and set in LibreChat's environment.",
  },
  ORIGIN_VERIFY_SECRET: {
    handlerOnly: true,
    stackManaged: true,
    doc: 'Key in `SSM_SECRETS`: the origin secret. Without it every request gets 503 unless the check is off. Never passed to LibreChat.',
  },
  ORIGIN_VERIFY_PREVIOUS_SECRET: {
    handlerOnly: true,
    stackManaged: true,
    doc: 'Key in `SSM_SECRETS`: the previous origin secret, accepted for a while after a rotation. Never passed to LibreChat.',
  },
  // The origin check and the viewer address.
  ORIGIN_VERIFY_HEADER: {
    default: 'x-origin-verify',
    handlerOnly: true,
    stackManaged: true,
    doc: 'Header CloudFront sends with the secret (lowercase, starting with `x-`).',
  },
  ORIGIN_VERIFY_DISABLED: {
    default: false,
    handlerOnly: true,
    stackManaged: true,
    doc: '`true` turns the origin check off (local runs only; the stack always sets `false`).',
  },
  ORIGIN_VERIFY_PREVIOUS_WINDOW_S: {
    default: 3600,
    min: 0,
    max: 86400,
    handlerOnly: true,
    stackManaged: true,
    doc: "How long after the current secret's parameter was written the previous one is accepted.",
  },
  HANDLER_ORIGIN_REFRESH_MS: {
    default: 10000,
    min: 0,
    max: 3600000,
    handlerOnly: true,
    doc: 'Least time between two re-reads of the origin secrets caused by a mismatching header.',
  },
  TRUST_CLOUDFRONT_VIEWER_ADDRESS: {
    default: false,
    handlerOnly: true,
    stackManaged: true,
    doc: '`true` when the distribution itself adds `CloudFront-Viewer-Address`; only then is it the viewer IP.',
  },
  // Streams and the work after a response.
  SSE_KEEPALIVE_MS: {
    default: 15000,
    min: 10,
    max: 3600000,
    handlerOnly: true,
    doc: 'Silence after which an `event: keepalive` is written (at an event boundary).',
  },
  AFTER_RESPONSE_GRACE_MS: {
    default: 10000,
    min: 0,
    max: 600000,
    handlerOnly: true,
    doc: "Longest time the invocation stays open after the response for LibreChat's follow-up work.",
  },
  HANDLER_AFTER_RESPONSE_IDLE_MS: {
    default: 300,
    min: 0,
    max: 60000,
    handlerOnly: true,
    doc: 'Quiet window: no outgoing socket activity (and no HTTP request of this invocation in flight) for this long ends a hold.',
  },
  HANDLER_CHAT_MIN_TAIL_MS: {
    default: 500,
    min: 0,
    max: 60000,
    handlerOnly: true,
    doc: 'Minimum hold after the response of a chat route (title generation starts after it).',
  },
  HANDLER_CHAT_ROUTES: {
    default: RC1_CHAT_ROUTES,
    handlerOnly: true,
    doc: "Comma-separated POST paths of chat routes (LibreChat rc1's streaming routes); `:name` matches one path segment.",
  },
  HANDLER_STREAM_HIGH_WATER_MARK: {
    default: 1048576,
    min: 16384,
    max: 67108864,
    handlerOnly: true,
    doc: 'Buffer size (bytes) of the response connection to the runtime API.',
  },
  // The stop relay (docs/stop-button.md).
  REDIS_URI: {
    stackManaged: true,
    doc: 'Turns the stop relay on ([docs/stop-button.md](../docs/stop-button.md)); TLS with `rediss://`. Also passed to LibreChat.',
  },
  HANDLER_ABORT_KEY_PREFIX: {
    default: 'librechat',
    handlerOnly: true,
    stackManaged: true,
    doc: "Prefix of the stop relay's Redis keys and channels, one per deployment (the stack sets the function name).",
  },
  HANDLER_ABORT_REDIS_TIMEOUT_MS: {
    default: 2000,
    min: 50,
    max: 30000,
    handlerOnly: true,
    doc: 'Longest wait for Redis (connection or answer) before a stop answers 503 or a stream goes unwatched.',
  },
  // The ECS task's environment (docs/deploy.md).
  INHERITED_ENVIRONMENT: {
    handlerOnly: true,
    stackManaged: true,
    doc: 'JSON `{"bucket","key","sha256"}`: an ECS task\'s environment in S3, checked by hash and merged under the function\'s own variables at cold start (docs/deploy.md).',
  },
  // Lambda's own. The bare key pair is the handler's only: LibreChat would build credentials
  // from it and drop the session token.
  AWS_ACCESS_KEY_ID: {
    handlerOnly: true,
    doc: 'Set by Lambda (with `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`): used by the handler; LibreChat gets the role credentials only through a credentials file.',
  },
  AWS_SECRET_ACCESS_KEY: { handlerOnly: true, doc: 'Set by Lambda; see `AWS_ACCESS_KEY_ID`.' },
  AWS_SESSION_TOKEN: { handlerOnly: true, doc: 'Set by Lambda; see `AWS_ACCESS_KEY_ID`.' },
  AWS_LAMBDA_RUNTIME_API: { doc: 'Set by Lambda: host:port of the Runtime API.' },
  AWS_LAMBDA_MAX_CONCURRENCY: {
    min: 1,
    max: 1600,
    doc: 'Set by Lambda Managed Instances: multi-concurrent mode.',
  },
  AWS_LAMBDA_NODEJS_WORKER_COUNT: {
    stackManaged: true,
    doc: 'Runtime worker threads; must be 1 in multi-concurrent mode (each worker would start its own LibreChat). The stack sets 1.',
  },
  // LibreChat's, set by the stack from the config and the other resources.
  DOMAIN_SERVER: { stackManaged: true, doc: 'LibreChat: `https://<domain.name>`.' },
  DOMAIN_CLIENT: { stackManaged: true, doc: 'LibreChat: `https://<domain.name>`.' },
  USE_REDIS: { stackManaged: true, doc: 'LibreChat: `true` (the session cache).' },
  AWS_BUCKET_NAME: { stackManaged: true, doc: 'LibreChat: the uploads bucket.' },
  LITELLM_BASE_URL: { stackManaged: true, doc: 'LibreChat: `librechat.serviceUrls.litellm`.' },
  SEARXNG_INSTANCE_URL: {
    stackManaged: true,
    doc: 'LibreChat: `librechat.serviceUrls.searxng`.',
  },
  RAG_API_URL: { stackManaged: true, doc: 'LibreChat: `librechat.serviceUrls.ragApi`.' },
  MEILI_HOST: { stackManaged: true, doc: 'LibreChat: `librechat.serviceUrls.meilisearch`.' },
  FIRECRAWL_API_URL: {
    stackManaged: true,
    doc: 'LibreChat: `librechat.serviceUrls.firecrawl`.',
  },
  FORCED_IN_MEMORY_CACHE_NAMESPACES: {
    stackManaged: true,
    doc: 'LibreChat: caches kept in memory (Redis-backed they would outlive a changed `librechat.yaml`).',
  },
} as const satisfies Record<string, VariableSpec>;

/** A variable of the contract. */
export type ContractVariable = keyof typeof VARIABLES;

/** Each name as a constant (`ENV.CONFIG_PATH === 'CONFIG_PATH'`): a misspelt name fails the build. */
export const ENV = Object.fromEntries(Object.keys(VARIABLES).map((n) => [n, n])) as {
  readonly [K in ContractVariable]: K;
};

/** The variables with an integer rule. */
export type IntegerVariable = {
  [K in ContractVariable]: (typeof VARIABLES)[K] extends { min: number } ? K : never;
}[ContractVariable];

/** The rule (default and range) of an integer setting. */
export function integerRule(name: IntegerVariable): IntegerRule {
  const spec: VariableSpec = VARIABLES[name];
  return { default: Number(spec.default ?? spec.min), min: spec.min!, max: spec.max! };
}

const names = (keep: (spec: VariableSpec) => boolean | undefined): readonly ContractVariable[] =>
  (Object.keys(VARIABLES) as ContractVariable[]).filter((n) => keep(VARIABLES[n]));

/** What the stack sets itself; an environment file cannot set or override these. */
export const STACK_MANAGED_VARIABLES = names((s) => s.stackManaged);

/** Read by the handler only (and every HANDLER_* name): LibreChat never sees them. */
export const HANDLER_ONLY_VARIABLES = names((s) => s.handlerOnly);

/** Whether a variable is meant for the handler only (LibreChat never sees it). */
export function isHandlerOnly(name: string): boolean {
  return (
    (HANDLER_ONLY_VARIABLES as readonly string[]).includes(name) || name.startsWith('HANDLER_')
  );
}

/** The SSM_SECRETS entries that hold the origin secrets (read by the handler, never LibreChat's). */
export const ORIGIN_SECRET_VARIABLES = {
  current: ENV.ORIGIN_VERIFY_SECRET,
  previous: ENV.ORIGIN_VERIFY_PREVIOUS_SECRET,
} as const;

/**
 * Values the stack always writes (the same on every deployment): the handler's and LibreChat's
 * settings that make them work inside Lambda behind this stack.
 */
export const STACK_FIXED_VALUES = {
  USE_REDIS: 'true',
  // Caches that must stay in memory: Redis-backed they would outlive a changed librechat.yaml.
  FORCED_IN_MEMORY_CACHE_NAMESPACES: 'CONFIG_STORE,APP_CONFIG',
  // Managed Instances: one runtime worker thread, so one LibreChat per environment (each
  // worker would start its own). The runtime client ignores it when on demand.
  AWS_LAMBDA_NODEJS_WORKER_COUNT: '1',
} as const satisfies Partial<Record<ContractVariable, string>>;

/**
 * Lambda sets these itself and refuses a function that sets them; the handler never takes them
 * from an inherited task environment either.
 */
export const LAMBDA_RESERVED_VARIABLES = [
  '_HANDLER',
  '_X_AMZN_TRACE_ID',
  'AWS_DEFAULT_REGION',
  'AWS_REGION',
  'AWS_EXECUTION_ENV',
  'AWS_LAMBDA_FUNCTION_NAME',
  'AWS_LAMBDA_FUNCTION_MEMORY_SIZE',
  'AWS_LAMBDA_FUNCTION_VERSION',
  'AWS_LAMBDA_INITIALIZATION_TYPE',
  'AWS_LAMBDA_LOG_GROUP_NAME',
  'AWS_LAMBDA_LOG_STREAM_NAME',
  'AWS_ACCESS_KEY',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_LAMBDA_RUNTIME_API',
  'LAMBDA_TASK_ROOT',
  'LAMBDA_RUNTIME_DIR',
] as const;
