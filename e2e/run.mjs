// `npm run test:e2e`: builds the app and the handler (and the test support it shares with the
// handler's tests), runs the end-to-end suite and closes with one plain line: "N passed, N failed".
import { spawn, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '..');
const t0 = Date.now();

// The app too: the distribution stand-in loads the SPA routing function as the stack does.
if (!createRequire(import.meta.url)(path.join(repo, 'scripts', 'build-app.js')).ensureAppBuilt()) {
  console.log('0 passed, 1 failed (the app did not compile)');
  process.exit(1);
}
for (const script of ['build', 'build:test']) {
  const r = spawnSync('npm', ['--prefix', path.join(repo, 'handler'), 'run', script], {
    stdio: 'inherit',
  });
  if (r.status !== 0) {
    console.log(`0 passed, 1 failed (npm --prefix handler run ${script} failed)`);
    process.exit(1);
  }
}

const child = spawn(process.execPath, ['--test-reporter=spec', path.join(here, 'e2e.test.mjs')], {
  cwd: repo,
  stdio: ['ignore', 'pipe', 'inherit'],
});
let out = '';
child.stdout.on('data', (c) => {
  process.stdout.write(c);
  out += c.toString('utf8');
  if (out.length > 1_000_000) out = out.slice(-500_000);
});
child.on('exit', (code, signal) => {
  const count = (name) => Number(new RegExp(`ℹ ${name} (\\d+)`).exec(out)?.[1] ?? 0);
  const passed = count('pass');
  let failed = count('fail') + count('cancelled');
  if (code !== 0 && failed === 0) failed = 1; // the run itself broke (see above)
  const secs = ((Date.now() - t0) / 1000).toFixed(0);
  console.log(`\ne2e: ${passed} passed, ${failed} failed (${secs}s${signal ? `, ${signal}` : ''})`);
  process.exit(code ?? 1);
});
