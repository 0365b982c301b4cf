#!/usr/bin/env node
// Installs handler/'s own dependencies (npm ci) when they are missing or older than its lockfile,
// so `npm test` works on a fresh machine after a plain `npm ci` at the root. The handler's
// aws-lambda-ric compiles native code (cmake, make, g++, python3) against Node's headers.
'use strict';
const { createHash } = require('node:crypto');
const { existsSync, readFileSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');
const { spawnSync } = require('node:child_process');

const handlerDir = join(__dirname, '..', 'handler');
const lockHash = createHash('sha256')
  .update(readFileSync(join(handlerDir, 'package-lock.json')))
  .digest('hex');
const stamp = join(handlerDir, 'node_modules', '.installed-from-lock');

if (existsSync(stamp) && readFileSync(stamp, 'utf8') === lockHash) process.exit(0);

const env = { ...process.env };
// node-gyp would download Node's headers, which cannot be reached from the build machines; use
// the ones installed with Node when nothing else is configured.
if (!env.npm_config_nodedir && existsSync('/usr/include/node/node.h'))
  env.npm_config_nodedir = '/usr';

console.log(
  'handler/: installing dependencies (npm ci; builds aws-lambda-ric natively, about a minute)',
);
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const result = spawnSync(npm, ['ci', '--no-audit', '--no-fund'], {
  cwd: handlerDir,
  env,
  stdio: 'inherit',
});
if (result.status !== 0) {
  console.error(
    'handler/: npm ci failed (it needs cmake, make, g++ and python3 for aws-lambda-ric)',
  );
  process.exit(result.status ?? 1);
}
writeFileSync(stamp, lockHash);
