#!/usr/bin/env node
// The cdktf app command. Runs the app as compiled JavaScript (fast: no TypeScript at synth time)
// and recompiles first only when a source file is newer than the last build.
'use strict';
const { join } = require('node:path');
const { ensureAppBuilt, root } = require('./build-app');

if (!ensureAppBuilt()) {
  console.error('TypeScript compilation failed: nothing was synthesized.');
  process.exit(1);
}
require(join(root, 'build', 'main.js'));
