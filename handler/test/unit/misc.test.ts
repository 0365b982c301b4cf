import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { applyReplacements } from '../../src/config';
import { credentialsFileText, writeChildCredentials } from '../../src/credentials';
import { redact, registerSecret } from '../../src/log';

test('applyReplacements replaces every occurrence in one pass, longest key first', () => {
  const out = applyReplacements('a=${A} b=${AB} c=${A} d=.*', {
    '${A}': 'one ${AB}',
    '${AB}': 'two',
    '.*': 'dot-star',
  });
  assert.equal(out, 'a=one ${AB} b=two c=one ${AB} d=dot-star');
  assert.equal(applyReplacements('unchanged', {}), 'unchanged');
});

test('the credentials file keeps the session token and is owner-only', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'creds-'));
  try {
    const creds = { accessKeyId: 'AKIA1', secretAccessKey: 'sk1', sessionToken: 'tok1' };
    const env = await writeChildCredentials(creds, path.join(dir, '.aws'));
    const file = env.AWS_SHARED_CREDENTIALS_FILE;
    assert.equal(readFileSync(file, 'utf8'), credentialsFileText(creds));
    assert.match(readFileSync(file, 'utf8'), /aws_session_token = tok1/);
    assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.equal(env.AWS_PROFILE, 'default');
    assert.deepEqual(await writeChildCredentials(undefined, dir), {});
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('registered secrets are redacted from log text', () => {
  registerSecret('hunter2-secret');
  assert.equal(
    redact('pw=hunter2-secret; again hunter2-secret'),
    'pw=[REDACTED]; again [REDACTED]',
  );
  assert.equal(redact('nothing here'), 'nothing here');
});
