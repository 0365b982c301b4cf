import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { after, test } from 'node:test';
import { hasExited, waitForExit } from '../../src/process-exit';

const started: ChildProcess[] = [];
after(() => {
  for (const child of started) if (!hasExited(child)) child.kill('SIGKILL');
});

function node(script: string): ChildProcess {
  const child = spawn(process.execPath, ['-e', script], { stdio: 'ignore' });
  started.push(child);
  return child;
}

test('resolves true when the process exits within the limit', async () => {
  const child = node('setTimeout(() => process.exit(3), 50)');
  assert.equal(await waitForExit(child, 10000), true);
  assert.equal(child.exitCode, 3);
});

test('resolves true at once for a process that has already exited', async () => {
  const child = node('process.exit(0)');
  await once(child, 'exit');
  const t0 = performance.now();
  assert.equal(await waitForExit(child, 10000), true);
  assert.ok(performance.now() - t0 < 1000);
});

test('resolves false after the limit when the process keeps running, and stops listening', async () => {
  const child = node('setInterval(() => {}, 1000)');
  const listeners = child.listenerCount('exit');
  const t0 = performance.now();
  assert.equal(await waitForExit(child, 150), false);
  assert.ok(performance.now() - t0 >= 140);
  assert.equal(hasExited(child), false);
  assert.equal(child.listenerCount('exit'), listeners);
});

test('a signal counts as an exit', async () => {
  const child = node('setInterval(() => {}, 1000)');
  const exited = waitForExit(child, 10000);
  child.kill('SIGTERM');
  assert.equal(await exited, true);
  assert.equal(child.signalCode, 'SIGTERM');
});
