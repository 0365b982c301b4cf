// Puts the whole path together on loopback: CongoDB, redis-server, the fake model, local S3 and
// SSM, two Lambda environments running the project's handler in front of the real LibreChat,
// and (for the browser) the distribution serving the built client.
import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { CloudFront } from './cloudfront.mjs';
import { FakeLlm, MODEL } from './fake-llm.mjs';
import { installCongo, installLibreChat } from './install.mjs';
import { Fleet, HANDLER, LambdaEnvironment, REPO } from './lambda-env.mjs';
import { log, timed } from './log.mjs';
import { Congo, Redis, freePort } from './services.mjs';
import { Viewer } from './viewer.mjs';

const require = createRequire(import.meta.url);
const { S3Stub, SsmStub } = require(
  path.join(HANDLER, 'build-test', 'test', 'support', 'aws-stubs.js'),
);
// The function's environment contract (handler/src/contract.ts, built by run.mjs): the names,
// defaults and fixed values the stack writes, and the stack's LibreChat runtime profile.
const { ENV, ORIGIN_SECRET_VARIABLES, STACK_FIXED_VALUES, VARIABLES } = require(
  path.join(HANDLER, 'dist', 'contract.js'),
);
const { LIBRECHAT_RUNTIME_PROFILE } = require(
  path.join(REPO, 'build', 'src', 'backend', 'librechat-runtime-profile.js'),
);

export const ENDPOINT = 'FakeLLM';
export const CONFIG_BUCKET = 'e2e-shared-config';
export const CONFIG_KEY = 'librechat/librechat.yaml';
/** Shorter than the pause the slow replies make, so keep-alives must flow during it. */
export const SSE_KEEPALIVE_MS = 2000;
/**
 * Upload ceiling of the deployment (config `librechat.uploadLimitMb`, by default the handler's):
 * the handler merges it into librechat.yaml at cold start and answers 413 above it.
 */
export const UPLOAD_LIMIT_MB = VARIABLES.HANDLER_UPLOAD_LIMIT_MB.default;
export const ORIGIN_HEADER = VARIABLES.ORIGIN_VERIFY_HEADER.default;

/** librechat.yaml as kept in S3: the fake model as a custom endpoint with titles on. */
export function librechatYaml(fakeLlmUrl) {
  return [
    'version: 1.3.1',
    'cache: true',
    'endpoints:',
    '  custom:',
    `    - name: '${ENDPOINT}'`,
    "      apiKey: 'e2e-dummy-key'",
    `      baseURL: '${fakeLlmUrl}'`,
    '      models:',
    `        default: ['${MODEL}']`,
    '        fetch: false',
    '      titleConvo: true',
    `      titleModel: '${MODEL}'`,
    `      modelDisplayLabel: '${ENDPOINT}'`,
    '',
  ].join('\n');
}

function extraFunctionEnv() {
  const raw = process.env.E2E_FUNCTION_ENV;
  if (!raw) return {};
  let parsed;
  try {
    parsed = JSON.parse(raw);
  } catch (err) {
    throw new Error(`E2E_FUNCTION_ENV must be a JSON object of strings: ${err.message}`, {
      cause: err,
    });
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new Error('E2E_FUNCTION_ENV must be a JSON object of strings');
  }
  for (const [k, v] of Object.entries(parsed)) {
    if (typeof v !== 'string') throw new Error(`E2E_FUNCTION_ENV: ${k} must be a string`);
  }
  return parsed;
}

export async function startStack({ source, client, artifacts }) {
  const runDir = path.join(os.tmpdir(), `librechat-e2e-run-${process.pid}`);
  const logDir = path.join(artifacts, 'logs');
  rmSync(runDir, { recursive: true, force: true });
  mkdirSync(logDir, { recursive: true });
  const stack = { runDir, logDir, stops: [] };
  const stop = async () => {
    for (const s of stack.stops.reverse()) await s().catch((e) => log(`stop: ${e.message}`));
    rmSync(runDir, { recursive: true, force: true });
  };
  stack.stop = stop;
  // If the suite dies (an exception, Ctrl-C), kill what it started, frozen groups included.
  const killNow = () => {
    for (const e of stack.fleet?.envs ?? []) e.killNow();
    for (const s of [stack.congo, stack.redis]) s?.killNow();
  };
  process.once('exit', killNow);
  for (const sig of ['SIGINT', 'SIGTERM']) {
    process.once(sig, () => {
      killNow();
      process.exit(130);
    });
  }
  try {
    log(`redis-server: ${Redis.check()}`);
    const congoInstall = await installCongo();
    const lc = await installLibreChat({ source, client });
    stack.lc = lc;

    const congo = new Congo(congoInstall, logDir);
    const redis = new Redis(logDir);
    const llm = new FakeLlm();
    const s3 = new S3Stub();
    const ssm = new SsmStub();
    await timed('start CongoDB, redis-server, fake model, S3, SSM', () =>
      Promise.all([congo.start(), redis.start(), llm.start(), s3.start(), ssm.start()]),
    );
    stack.stops.push(
      () => congo.stop(),
      () => redis.stop(),
      () => llm.stop(),
      () => s3.stop(),
      () => ssm.stop(),
    );
    Object.assign(stack, { congo, redis, llm, s3, ssm });

    const originSecret = randomBytes(24).toString('hex');
    stack.origin = { header: ORIGIN_HEADER, value: originSecret };
    s3.objects.set(`${CONFIG_BUCKET}/${CONFIG_KEY}`, librechatYaml(llm.baseUrl));
    const secrets = {
      JWT_SECRET: randomBytes(32).toString('hex'),
      JWT_REFRESH_SECRET: randomBytes(32).toString('hex'),
      CREDS_KEY: randomBytes(32).toString('hex'),
      CREDS_IV: randomBytes(16).toString('hex'),
      MONGO_URI: congo.uri(),
      [ORIGIN_SECRET_VARIABLES.current]: originSecret,
    };
    const ssmSecrets = {};
    for (const [name, value] of Object.entries(secrets)) {
      ssm.params.set(`/librechat-e2e/${name}`, value);
      ssmSecrets[name] = `/librechat-e2e/${name}`;
    }

    // The distribution comes first: its address is the site's domain.
    const fleet = new Fleet([]);
    stack.fleet = fleet;
    const cloudfront = new CloudFront({ bucketDir: lc.clientDist, fleet, origin: stack.origin });
    await cloudfront.start();
    stack.stops.push(() => cloudfront.stop());
    stack.cloudfront = cloudfront;
    const site = cloudfront.url;

    for (const name of ['A', 'B']) {
      const tmp = path.join(runDir, name, 'tmp');
      const env = {
        // Lambda's own variables.
        _HANDLER: 'index.handler',
        LAMBDA_TASK_ROOT: path.join(HANDLER, 'dist'),
        AWS_REGION: 'eu-west-1',
        AWS_DEFAULT_REGION: 'eu-west-1',
        AWS_LAMBDA_FUNCTION_NAME: 'librechat-api-e2e',
        AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
        AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '1024',
        AWS_LAMBDA_LOG_GROUP_NAME: '/aws/lambda/librechat-api-e2e',
        AWS_ACCESS_KEY_ID: 'ASIAE2ETESTKEY000001',
        AWS_SECRET_ACCESS_KEY: 'e2e-secret-access-key',
        AWS_SESSION_TOKEN: 'e2e-session-token',
        AWS_ENDPOINT_URL_S3: s3.url,
        AWS_ENDPOINT_URL_SSM: ssm.url,
        AWS_CONFIG_FILE: path.join(tmp, 'no-aws-config'),
        // The image's (handler/Dockerfile), with this environment's own /tmp.
        HOME: tmp,
        NPM_CONFIG_CACHE: path.join(tmp, '.npm'),
        [ENV.HANDLER_WORK_DIR]: path.join(tmp, 'librechat'),
        [ENV.LIBRECHAT_LOG_DIR]: path.join(tmp, 'app', 'logs'),
        [ENV.HANDLER_ENSURE_DIRS]: ['uploads', 'images', 'logs']
          .map((d) => path.join(tmp, 'app', d))
          .join(','),
        [ENV.LIBRECHAT_COMMAND]: `node ${path.join(lc.lc, 'api', 'server', 'index.js')}`,
        // Each Lambda environment has its own network namespace; here they share loopback.
        [ENV.LIBRECHAT_PORT]: String(await freePort()),
        // The stack's (src/backend/librechat-function.ts, src/librechat-stack.ts), named by the
        // contract. The service URLs (LiteLLM, RAG API, Meilisearch, ...) are left out: nothing
        // here answers them.
        ...LIBRECHAT_RUNTIME_PROFILE,
        ...STACK_FIXED_VALUES,
        [ENV.DOMAIN_SERVER]: site,
        [ENV.DOMAIN_CLIENT]: site,
        [ENV.CONFIG_PATH]: path.join(tmp, 'librechat.yaml'),
        [ENV.CONFIG_S3_BUCKET]: CONFIG_BUCKET,
        [ENV.CONFIG_S3_KEY]: CONFIG_KEY,
        [ENV.CONFIG_REPLACE]: '{}',
        [ENV.REDIS_URI]: redis.uri,
        [ENV.HANDLER_ABORT_KEY_PREFIX]: 'librechat-api-e2e',
        [ENV.HANDLER_UPLOAD_LIMIT_MB]: String(UPLOAD_LIMIT_MB),
        [ENV.AWS_BUCKET_NAME]: 'librechat-files-e2e',
        [ENV.SSM_SECRETS]: JSON.stringify(ssmSecrets),
        [ENV.ORIGIN_VERIFY_HEADER]: ORIGIN_HEADER,
        [ENV.ORIGIN_VERIFY_DISABLED]: 'false',
        // The environment file of a test deployment.
        ALLOW_REGISTRATION: 'true',
        ALLOW_EMAIL_LOGIN: 'true',
        ALLOW_UNVERIFIED_EMAIL_LOGIN: 'true',
        ALLOW_SOCIAL_LOGIN: 'false',
        SEARCH: 'false',
        // Many registrations and logins from one address in a few minutes.
        LOGIN_MAX: '100000',
        REGISTER_MAX: '100000',
        BAN_VIOLATIONS: 'false',
        [ENV.SSE_KEEPALIVE_MS]: String(SSE_KEEPALIVE_MS),
        // The machine may be loaded: give LibreChat's start-up room.
        [ENV.LIBRECHAT_READY_TIMEOUT_MS]: '120000',
        // An install workaround: packages/api/dist requires @smithy/node-http-handler, which
        // the lockfile installs under api/node_modules only.
        NODE_PATH: path.join(lc.lc, 'api', 'node_modules'),
      };
      // More function variables for a run (e.g. handler settings being tried out).
      Object.assign(env, extraFunctionEnv());
      fleet.envs.push(new LambdaEnvironment(name, { env, dir: tmp, logDir }));
    }
    stack.stops.push(() => fleet.stop());
    stack.viewer = () => new Viewer({ fleet, origin: stack.origin, baseUrl: site });
    return stack;
  } catch (err) {
    await stop();
    throw err;
  }
}

export { REPO };
