#!/usr/bin/env node
// Step 1 of an origin secret rotation (docs/security.md): raises api.originVerifyGeneration of
// one environment file by one. The next `cdktf deploy` then writes a new current value and keeps
// the old one as the previous value, accepted for api.originVerifyPreviousMinutes.
//   node scripts/rotate-origin-secret.mjs <env> [config dir]
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const [env, dir = 'config'] = process.argv.slice(2);
if (!env || !/^[a-z][a-z0-9-]{0,14}[a-z0-9]$/.test(env)) {
  console.error('usage: node scripts/rotate-origin-secret.mjs <environment name> [config dir]');
  process.exit(2);
}
const file = join(dir, `${env}.json`);
let config;
try {
  config = JSON.parse(readFileSync(file, 'utf8'));
} catch (e) {
  console.error(`${file}: cannot read the environment file (${e.message})`);
  process.exit(1);
}
const api = (config.api ??= {});
const before = api.originVerifyGeneration ?? 1;
if (!Number.isInteger(before) || before < 1) {
  console.error(
    `${file}: api.originVerifyGeneration: expected a whole number from 1, got ${JSON.stringify(before)}`,
  );
  process.exit(1);
}
api.originVerifyGeneration = before + 1;
writeFileSync(file, `${JSON.stringify(config, null, 2)}\n`);
console.log(
  `${file}: api.originVerifyGeneration ${before} -> ${before + 1}. Next: CHECKPOINT_DISABLE=1 npx cdktf deploy ${env}`,
);
