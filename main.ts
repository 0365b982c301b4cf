import { App } from 'cdktf';
import { resolve } from 'node:path';
import { ConfigError, loadEnvironments } from './src/config/load';
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

const app = new App();
for (const { name, config } of environments) {
  new LibreChatStack(app, name, { environment: name, config });
}
app.synth();
