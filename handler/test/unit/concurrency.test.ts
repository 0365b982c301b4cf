import assert from 'node:assert/strict';
import http from 'node:http';
import { describe, test } from 'node:test';
import { allowConcurrentResponseStreams } from '../../src/concurrency';
import { loadSettings, SettingsError } from '../../src/settings';

describe('multi-concurrent settings', () => {
  test('unset on on-demand Lambda', () => {
    assert.equal(loadSettings({}).maxConcurrency, undefined);
  });

  test('AWS_LAMBDA_MAX_CONCURRENCY with one runtime worker', () => {
    const s = loadSettings({
      AWS_LAMBDA_MAX_CONCURRENCY: '64',
      AWS_LAMBDA_NODEJS_WORKER_COUNT: '1',
      AWS_LAMBDA_RUNTIME_API: '127.0.0.1:9001',
    });
    assert.equal(s.maxConcurrency, 64);
    assert.equal(s.runtimeApi, '127.0.0.1:9001');
  });

  test('more runtime workers (or the default of 8 per vCPU) are refused', () => {
    for (const workers of [undefined, '8']) {
      assert.throws(
        () =>
          loadSettings({
            AWS_LAMBDA_MAX_CONCURRENCY: '64',
            ...(workers ? { AWS_LAMBDA_NODEJS_WORKER_COUNT: workers } : {}),
          }),
        (err: Error) =>
          err instanceof SettingsError &&
          /AWS_LAMBDA_NODEJS_WORKER_COUNT must be 1/.test(err.message),
      );
    }
  });

  test('a bad AWS_LAMBDA_MAX_CONCURRENCY is named', () => {
    assert.throws(
      () =>
        loadSettings({ AWS_LAMBDA_MAX_CONCURRENCY: 'lots', AWS_LAMBDA_NODEJS_WORKER_COUNT: '1' }),
      /AWS_LAMBDA_MAX_CONCURRENCY must be a whole number/,
    );
  });
});

describe('allowConcurrentResponseStreams', () => {
  test('lifts the one-socket limit of the agent talking to the Runtime API, and no other', async () => {
    const server = http.createServer((req, res) => {
      req.resume();
      // Answer only once three requests are open at the same time.
      open += 1;
      waiters.push(() => res.end('ok'));
      if (open === 3) for (const w of waiters) w();
    });
    let open = 0;
    const waiters: (() => void)[] = [];
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    const lifted: number[] = [];
    allowConcurrentResponseStreams(`127.0.0.1:${port}`, (n) => lifted.push(n));

    const other = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const post = (agent: http.Agent, path: string): Promise<number> =>
      new Promise((resolve, reject) => {
        const req = http.request(
          { host: '127.0.0.1', port, method: 'POST', path, agent },
          (res) => {
            res.resume();
            res.on('end', () => resolve(res.statusCode ?? 0));
          },
        );
        req.on('error', reject);
        req.end('x');
      });
    // Another path keeps its limit.
    void post(other, '/elsewhere');
    assert.equal(other.maxSockets, 1);

    const runtimeAgent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const statuses = await Promise.all(
      [1, 2].map((i) => post(runtimeAgent, `/2018-06-01/runtime/invocation/req-${i}/response`)),
    );
    assert.deepEqual(statuses, [200, 200]);
    assert.equal(runtimeAgent.maxSockets, Infinity);
    assert.deepEqual(lifted, [1]);
    other.destroy();
    runtimeAgent.destroy();
    server.close();
  });
});
