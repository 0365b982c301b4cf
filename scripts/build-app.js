// Compiles the app (main.ts, src/, .gen/) to build/ when a source file is newer than the last
// build, so the cdktf app command and the docs generator run plain JavaScript.
'use strict';
const { readdirSync, statSync, existsSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');
const { spawnSync } = require('node:child_process');

const root = join(__dirname, '..');
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

/** Builds when needed; returns false (after tsc printed why) when compilation fails. */
function ensureAppBuilt() {
  const sources = Math.max(
    statSync(join(root, 'main.ts')).mtimeMs,
    statSync(join(root, 'tsconfig.json')).mtimeMs,
    statSync(join(root, 'tsconfig.build.json')).mtimeMs,
    newestSource(join(root, 'src')),
    newestSource(join(root, '.gen')),
    // The config check runs the handler's own settings parser (src/config/handler-settings.ts).
    newestSource(join(root, 'handler', 'src')),
  );
  if (existsSync(join(root, 'build', 'main.js')) && existsSync(stamp)) {
    if (statSync(stamp).mtimeMs >= sources) return true;
  }
  const tsc = require.resolve('typescript/bin/tsc');
  const result = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], {
    stdio: 'inherit',
  });
  if (result.status !== 0) return false;
  writeFileSync(stamp, new Date().toISOString());
  return true;
}

module.exports = { ensureAppBuilt, root };
