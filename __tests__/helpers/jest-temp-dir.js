// Jest global setup/teardown: every temporary directory of a test run (cdktf's Testing.app()
// makes a `cdktf.outdir.*` per synth, about 180 a run) goes into one directory removed at the
// end, instead of piling up in the system's temp directory.
'use strict';
const { mkdtempSync, rmSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');

module.exports = {
  setup() {
    // Workers are spawned after global setup and inherit the variable; os.tmpdir() reads it.
    process.env.TMPDIR = mkdtempSync(join(tmpdir(), 'librechat-lambda-jest-'));
    process.env.LIBRECHAT_LAMBDA_JEST_TMPDIR = process.env.TMPDIR;
  },
  teardown() {
    const dir = process.env.LIBRECHAT_LAMBDA_JEST_TMPDIR;
    if (dir) rmSync(dir, { recursive: true, force: true });
  },
};
