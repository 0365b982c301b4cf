import { App } from 'cdktf';
import { resolve } from 'node:path';
import { ConfigError, loadEnvironments } from './src/config/load';
import { formatFindings, synthWithGuardrails } from './src/guardrails';
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
// Every stack is checked before any is written: all findings at once, no partial output.
const findings = synthWithGuardrails(app);
if (findings.length > 0) {
  console.error(formatFindings(findings));
  process.exit(1);
}
