// Supervisor.stop against real child processes (child-preload.js is built next to it through
// tsconfig.test.json, as the image has it next to the handler).
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { after, test } from 'node:test';
import { Supervisor } from '../../src/supervisor';
import { freePort } from '../support/harness';

// A LibreChat stand-in that only answers /health; with `ignoreSigterm` it survives SIGTERM.
const standin = (ignoreSigterm: boolean): string =>
  [
    ignoreSigterm ? "process.on('SIGTERM', () => {});" : '',
    "require('node:http').createServer((q, s) => s.end('OK'))",
    ".listen(Number(process.env.PORT), '127.0.0.1');",
  ].join('');

const running: Supervisor[] = [];
after(async () => {
  await Promise.all(running.map((s) => s.stop('SIGKILL')));
});

async function started(ignoreSigterm: boolean, stopTimeoutMs: number): Promise<Supervisor> {
  const port = await freePort();
  const supervisor = new Supervisor({
    command: [process.execPath, '-e', standin(ignoreSigterm)],
    env: { PORT: String(port) },
    cwd: process.cwd(),
    port,
    readyTimeoutMs: 10000,
    healthPollMs: 20,
    stopTimeoutMs,
  });
  running.push(supervisor);
  await supervisor.ensureReady();
  return supervisor;
}

test('stop forwards the signal and returns once LibreChat has exited', async () => {
  const supervisor = await started(false, 10000);
  // Bounded: a missing kill fails the test instead of hanging it.
  const exit = once(supervisor, 'exit', { signal: AbortSignal.timeout(5000) });
  const t0 = performance.now();
  await supervisor.stop('SIGTERM');
  assert.ok(performance.now() - t0 < 5000, 'stop waited for its limit although the child exited');
  const [, signal] = await exit;
  assert.equal(signal, 'SIGTERM');
  assert.equal(supervisor.isReady, false);
});

test('a LibreChat that ignores SIGTERM is killed once the stop limit has passed', async () => {
  const supervisor = await started(true, 300);
  // Bounded: a missing kill fails the test instead of hanging it.
  const exit = once(supervisor, 'exit', { signal: AbortSignal.timeout(5000) });
  const t0 = performance.now();
  await supervisor.stop('SIGTERM');
  assert.ok(performance.now() - t0 >= 280, 'killed before the stop limit');
  const [, signal] = await exit;
  assert.equal(signal, 'SIGKILL');
});
