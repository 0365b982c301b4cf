#!/usr/bin/env node
// Runs the project's cdktf CLI with HashiCorp's checkpoint (version/bulletin) lookup turned off:
// it needs the internet, and without it every command prints `getaddrinfo ENOTFOUND checkpoint-api`.
// Terraform, run by `cdktf deploy`, honours the same variable.
'use strict';
const { spawnSync } = require('node:child_process');
const { join } = require('node:path');

const cli = join(__dirname, '..', 'node_modules', 'cdktf-cli', 'bundle', 'bin', 'cdktf');
const result = spawnSync(process.execPath, [cli, ...process.argv.slice(2)], {
  stdio: 'inherit',
  env: { CHECKPOINT_DISABLE: '1', ...process.env },
});
if (result.error) {
  console.error(`cdktf: could not start ${cli}: ${result.error.message} (run npm ci first)`);
  process.exit(1);
}
process.exit(result.status ?? 1);
