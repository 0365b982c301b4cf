import { App } from 'cdktf';
import { join, resolve } from 'node:path';
import { resolveImageDigest } from './src/backend/base-image-digest';
import { handlerImageBuild } from './src/backend/image-source-hash';
import { ConfigError, loadEnvironments } from './src/config/load';
import { FrontendAssetsError, prepareFrontendAssets } from './src/frontend/asset-manifest';
import { formatFindings, synthWithGuardrails } from './src/guardrails';
import { loadCloudfrontFunctionCode } from './src/frontend/functions/function-code';
import { LibreChatStack } from './src/librechat-stack';
import { stopRelayScript } from './src/frontend/stop-relay';

// One stack per config/<env>.json. CONFIG_DIR points elsewhere (tests, other repos of settings).
const configDir = resolve(process.env.CONFIG_DIR ?? 'config');
// The Lambda image's build context (its own npm package with a Dockerfile).
const handlerDir = resolve(process.env.HANDLER_DIR ?? 'handler');
const pushScript = resolve('scripts', 'push-image.sh');
// Publishes the web client on deploy (from the LibreChat image, or a prepared dist).
const publishScript = resolve('scripts', 'publish-client.js');

let environments;
try {
  // Validate every file before anything is synthesized, so a bad file leaves no partial output.
  environments = loadEnvironments(configDir);
} catch (e) {
  if (e instanceof ConfigError) {
    console.error(e.message);
    process.exit(1);
  }
  throw e;
}

// Where cdktf writes the stacks (cdktf's own default), known before the App creates it.
const outdir = resolve(process.env.CDKTF_OUTDIR ?? 'cdktf.out');
// The base image's current digest, asked from its registry when deploying
// (RESOLVE_BASE_IMAGE_DIGEST=1, which `npm run deploy` sets): a re-tagged upstream image changes
// the image hash and is rebuilt. A plain synth stays offline and needs no CLI but node; without
// docker or a registry the tag alone is hashed, with a warning. A `@sha256:` pin needs no call.
const resolveDigests = process.env.RESOLVE_BASE_IMAGE_DIGEST === '1';
function baseImageDigest(env: string, reference: string): string | undefined {
  if (!resolveDigests && !/@sha256:/.test(reference)) return undefined;
  const resolved = resolveImageDigest(reference);
  if (resolved.problem) {
    console.error(
      `${env}: warning: the digest of ${reference} was not resolved (${resolved.problem}); a re-tagged upstream image will not rebuild. Pin librechat.image.baseImage with @sha256: to be exact.`,
    );
  }
  return resolved.digest;
}

let stacks;
try {
  // Hash the image sources before any stack exists: a missing handler/ stops synth, nothing written.
  stacks = environments.map(({ name, config }) => ({
    name,
    config,
    imageBuild: config.librechat.image.prebuiltImageUri
      ? undefined
      : handlerImageBuild({
          handlerDir,
          stackDir: join(outdir, 'stacks', name),
          pushScript,
          baseImage: config.librechat.image.baseImage,
          baseImageDigest: baseImageDigest(name, config.librechat.image.baseImage),
          rdsCaBundleSha256: config.librechat.image.rdsCaBundleSha256,
          architecture: config.lambda.architecture,
        }),
  }));
} catch (e) {
  console.error(`Cannot build the Lambda image: ${(e as Error).message}`);
  process.exit(1);
}
// Build each environment's web client when its sources changed, and list its files; relative
// paths in `frontend` resolve against the environment file's directory.
let prepared;
try {
  prepared = stacks.map((stack, i) => ({
    ...stack,
    frontendAssets: prepareFrontendAssets(stack.config.frontend, {
      baseDir: configDir,
      file: environments[i].file,
    }),
  }));
} catch (e) {
  if (e instanceof FrontendAssetsError) {
    console.error(e.message);
    process.exit(1);
  }
  throw e;
}
const spaRoutingFunctionCode = loadCloudfrontFunctionCode('spa-routing');
const app = new App({ outdir });
for (const { name, config, imageBuild, frontendAssets } of prepared) {
  new LibreChatStack(app, name, {
    environment: name,
    config,
    imageBuild,
    frontendAssets,
    spaRoutingFunctionCode,
    publishScript,
    clientScriptKey: stopRelayScript().key,
  });
}
// Every stack is checked before any is written: all findings at once, no partial output.
const findings = synthWithGuardrails(app);
if (findings.length > 0) {
  console.error(formatFindings(findings));
  process.exit(1);
}
