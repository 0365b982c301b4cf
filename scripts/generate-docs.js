#!/usr/bin/env node
// Writes the generated parts of the docs (configuration reference, guardrail table, the
// environment files' JSON Schema) from the code: `npm run docs`. A test fails when they are stale.
'use strict';
const { readFileSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');
const { ensureAppBuilt, root } = require('./build-app');

if (!ensureAppBuilt()) {
  console.error('TypeScript compilation failed: no docs were written.');
  process.exit(1);
}
const { GENERATED_DOCS, replaceGeneratedSection } = require(join(root, 'build', 'src', 'docs'));
for (const doc of GENERATED_DOCS) {
  const path = join(root, doc.file);
  const text = doc.section
    ? replaceGeneratedSection(readFileSync(path, 'utf8'), doc.section, doc.render())
    : doc.render();
  writeFileSync(path, text);
  console.log(`docs: wrote ${doc.file}${doc.section ? ` (${doc.section})` : ''}`);
}
