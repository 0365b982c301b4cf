#!/usr/bin/env node
// The cdktf app command. Runs the app as compiled JavaScript (fast: no TypeScript at synth time)
// and recompiles first only when a source file is newer than the last build.
'use strict';
const { readdirSync, statSync, existsSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');
const { spawnSync } = require('node:child_process');

const root = join(__dirname, '..');
const entry = join(root, 'build', 'main.js');
// tsc leaves unchanged outputs untouched, so a stamp records when the build last succeeded.
const stamp = join(root, 'build', '.app-built');

function newestSource(dir, newest = 0) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = newestSource(path, newest);
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

const sources = Math.max(
  statSync(join(root, 'main.ts')).mtimeMs,
  statSync(join(root, 'tsconfig.json')).mtimeMs,
  statSync(join(root, 'tsconfig.build.json')).mtimeMs,
  newestSource(join(root, 'src')),
  newestSource(join(root, '.gen')),
  // The config check runs the handler's own settings parser (src/config/handler-settings.ts).
  newestSource(join(root, 'handler', 'src')),
);
if (!existsSync(entry) || !existsSync(stamp) || statSync(stamp).mtimeMs < sources) {
  const tsc = require.resolve('typescript/bin/tsc');
  const result = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], {
    stdio: 'inherit',
  });
  if (result.status !== 0) {
    console.error('TypeScript compilation failed: nothing was synthesized.');
    process.exit(result.status ?? 1);
  }
  writeFileSync(stamp, new Date().toISOString());
}
require(entry);
