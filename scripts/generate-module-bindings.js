#!/usr/bin/env node
// Writes the registry module bindings (.gen/modules/<module>.ts, index.ts) from the committed
// module interfaces: `npm run gen:modules`. `node scripts/generate-module-bindings.js <dir>`
// writes them to <dir> instead (the test compares that with the committed files).
'use strict';
const { mkdirSync, writeFileSync } = require('node:fs');
const { join, resolve } = require('node:path');
const { spawnSync } = require('node:child_process');
const prettier = require('prettier');

const root = join(__dirname, '..');

// The generator is TypeScript compiled on its own (not with the app): it must run even when the
// bindings it replaces no longer compile.
function compileGenerator() {
  const tsc = require.resolve('typescript/bin/tsc');
  const project = join(root, 'scripts', 'module-bindings', 'tsconfig.json');
  const result = spawnSync(process.execPath, [tsc, '-p', project], { stdio: 'inherit' });
  if (result.status !== 0) {
    console.error('gen:modules: the generator does not compile; nothing was written.');
    process.exit(1);
  }
  return require(
    join(root, 'build', 'module-bindings', 'scripts', 'module-bindings', 'generate.js'),
  );
}

async function main() {
  const { renderModuleBindings, MODULES_DIR } = compileGenerator();
  const outDir = resolve(process.argv[2] ?? join(root, MODULES_DIR));
  // Everything is rendered and formatted before the first write: an error leaves no file half-done.
  const formatted = [];
  for (const [file, source] of renderModuleBindings(root)) {
    const target = join(root, MODULES_DIR, file);
    const options = (await prettier.resolveConfig(target)) ?? {};
    formatted.push([file, await prettier.format(source, { ...options, filepath: target })]);
  }
  mkdirSync(outDir, { recursive: true });
  for (const [file, text] of formatted) {
    writeFileSync(join(outDir, file), text);
    console.log(`gen:modules: wrote ${join(outDir, file)}`);
  }
}

main().catch((error) => {
  console.error(`gen:modules: ${error.message}`);
  process.exit(1);
});
