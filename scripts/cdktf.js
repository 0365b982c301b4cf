#!/usr/bin/env node
// Runs the project's cdktf CLI with HashiCorp's checkpoint (version/bulletin) lookup turned off:
// it needs the internet, and without it every command prints `getaddrinfo ENOTFOUND checkpoint-api`.
// Terraform, run by `cdktf deploy`, honours the same variable.
'use strict';
const { spawnSync } = require('node:child_process');
const { join } = require('node:path');

const cli = join(__dirname, '..', 'node_modules', 'cdktf-cli', 'bundle', 'bin', 'cdktf');
const args = process.argv.slice(2);
// Deploys (and their plans) ask the registry for the base image's current digest, so a
// re-tagged upstream image is rebuilt (main.ts); a synth stays offline.
const deploying = ['deploy', 'diff', 'plan'].includes(args[0]);
const result = spawnSync(process.execPath, [cli, ...args], {
  stdio: 'inherit',
  env: {
    CHECKPOINT_DISABLE: '1',
    ...(deploying ? { RESOLVE_BASE_IMAGE_DIGEST: '1' } : {}),
    ...process.env,
  },
});
if (result.error) {
  console.error(`cdktf: could not start ${cli}: ${result.error.message} (run npm ci first)`);
  process.exit(1);
}
process.exit(result.status ?? 1);
