#!/usr/bin/env node
// Publishes the web client to the frontend bucket. Run by Terraform on deploy (terraform_data
// local-exec in ClientPublication) after `cdktf synth` has compiled the app into build/; the
// logic and its rules live in src/frontend/client-publisher.ts.
'use strict';
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const compiled = join(__dirname, '..', 'build', 'src', 'frontend', 'client-publisher.js');
if (!existsSync(compiled)) {
  process.stderr.write(
    `publish-client: ${compiled} is missing: run \`npx cdktf synth\` (or deploy) from the repository first\n`,
  );
  process.exit(1);
}
process.exit(require(compiled).publishClientCommand(process.env));
