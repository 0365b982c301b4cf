import { App } from 'cdktf';
import { resolve } from 'node:path';
import { ConfigError, loadEnvironments } from './src/config/load';
import { FrontendAssetsError, prepareFrontendAssets } from './src/frontend/asset-manifest';
import { LibreChatStack } from './src/librechat-stack';

// One stack per config/<env>.json. CONFIG_DIR points elsewhere (tests, other repos of settings).
const configDir = resolve(process.env.CONFIG_DIR ?? 'config');

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

// Build (when its sources changed) and list each environment's web client; relative paths in
// `frontend` resolve against the environment file's directory.
let prepared;
try {
  prepared = environments.map((env) => ({
    ...env,
    frontendAssets: prepareFrontendAssets(env.config.frontend, {
      baseDir: configDir,
      file: env.file,
    }),
  }));
} catch (e) {
  if (e instanceof FrontendAssetsError) {
    console.error(e.message);
    process.exit(1);
  }
  throw e;
}

const app = new App();
for (const { name, config, frontendAssets } of prepared) {
  new LibreChatStack(app, name, { environment: name, config, frontendAssets });
}
app.synth();
