// A real redis-server (Debian package `redis-server`) on a free port, for the stop relay tests.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { freePort } from './harness';

export const REDIS_SERVER = process.env.REDIS_SERVER_BIN ?? 'redis-server';

export class RedisServer {
  proc?: ChildProcess;
  port = 0;
  output = '';

  get uri(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  static async start(port?: number): Promise<RedisServer> {
    const r = new RedisServer();
    await r.begin(port);
    return r;
  }

  /** Starts it (again, on the same port when restarting). */
  async begin(port?: number): Promise<void> {
    if (spawnSync(REDIS_SERVER, ['--version']).error) {
      throw new Error(
        `${REDIS_SERVER} not found: install the Debian package redis-server (.ci/run does)`,
      );
    }
    this.port = port ?? (await freePort());
    this.output = '';
    const proc = spawn(
      REDIS_SERVER,
      ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    this.proc = proc;
    proc.stdout?.on('data', (c: Buffer) => (this.output += c.toString()));
    proc.stderr?.on('data', (c: Buffer) => (this.output += c.toString()));
    const deadline = Date.now() + 10000;
    while (!/Ready to accept connections/i.test(this.output)) {
      if (proc.exitCode !== null || Date.now() > deadline) {
        throw new Error(`redis-server did not start:\n${this.output}`);
      }
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  async stop(): Promise<void> {
    const proc = this.proc;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    const gone = new Promise((r) => proc.once('exit', r));
    proc.kill('SIGKILL');
    await gone;
  }
}
