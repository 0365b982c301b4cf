// Starts LibreChat, detects readiness through GET /health, restarts it after an exit (on the
// next request) and exposes the running process's work reports (WorkFeed).
import { type ChildProcess, spawn } from 'node:child_process';
import { EventEmitter } from 'node:events';
import http from 'node:http';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { hasExited, waitForExit } from './process-exit';
import { WorkFeed } from './work-feed';
import { WORK_FD, WORK_FD_ENV } from './work-pipe';
import { log } from './log';

export interface SupervisorOptions {
  command: string[];
  env: Record<string, string>;
  cwd: string;
  port: number;
  readyTimeoutMs: number;
  healthPollMs: number;
  stopTimeoutMs: number;
}

export class NotReadyError extends Error {
  override name = 'NotReadyError';
  constructor(
    message: string,
    readonly reason: 'timeout' | 'exited' | 'spawn-failed',
  ) {
    super(message);
  }
}

const PRELOAD = path.join(__dirname, 'child-preload.js');
// Health probes must not queue behind proxied requests on a shared socket pool.
const probeAgent = new http.Agent({ keepAlive: false });

/** One GET /health; true only for 200 with body "OK" (what LibreChat answers once ready). */
export function probeHealth(port: number, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const req = http.get(
      { host: '127.0.0.1', port, path: '/health', agent: probeAgent, timeout: timeoutMs },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => {
          if (body.length < 64) body += c;
        });
        res.on('end', () => resolve(res.statusCode === 200 && body.trim() === 'OK'));
        res.on('error', () => resolve(false));
      },
    );
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
  });
}

export class Supervisor extends EventEmitter {
  private child?: ChildProcess;
  private ready = false;
  private starting?: Promise<void>;
  /** Work reports of the current process (a closed, empty feed before the first start). */
  private feed = new WorkFeed(null);
  starts = 0;

  constructor(private readonly opts: SupervisorOptions) {
    super();
  }

  get isReady(): boolean {
    return this.ready && this.child !== undefined;
  }

  /** The current LibreChat process's outgoing work, for after-response holds. */
  get work(): WorkFeed {
    return this.feed;
  }

  /**
   * Called when a connection to LibreChat failed before any response byte although it was
   * thought ready. Returns at once when it still answers /health (it only dropped that
   * connection); otherwise waits (bounded) for the exit that explains it, so that
   * ensureReady() starts a new process.
   */
  async settleAfterFailure(): Promise<void> {
    const child = this.child;
    if (!child || hasExited(child)) return;
    const exited = waitForExit(child, this.opts.stopTimeoutMs);
    const alive = probeHealth(this.opts.port).then((ok) => (ok ? undefined : exited));
    await Promise.race([exited, alive]);
  }

  /** Resolves once LibreChat answers /health with OK; starts it when it is not running. */
  ensureReady(): Promise<void> {
    if (this.isReady) return Promise.resolve();
    this.starting ??= this.start().finally(() => {
      this.starting = undefined;
    });
    return this.starting;
  }

  private async start(): Promise<void> {
    const { command, env, cwd, port } = this.opts;
    // A process killed after a start-up timeout may still hold the port for a moment: its
    // successor must not bind next to it or have its /health probes answered by it.
    if (this.child) await waitForExit(this.child, this.opts.stopTimeoutMs);
    const t0 = performance.now();
    this.starts += 1;
    const nodeOptions = [env.NODE_OPTIONS, `--require=${PRELOAD}`].filter(Boolean).join(' ');
    const child = spawn(command[0], command.slice(1), {
      cwd,
      env: { ...env, NODE_OPTIONS: nodeOptions, [WORK_FD_ENV]: String(WORK_FD) },
      // LibreChat's own logs go straight to the function's log; fd 3 carries its work reports.
      stdio: ['ignore', 'inherit', 'inherit', 'pipe'],
    });
    this.child = child;
    this.feed.close();
    const feed = new WorkFeed(child.stdio[WORK_FD] as Readable | null);
    this.feed = feed;

    let exited: { code: number | null; signal: NodeJS.Signals | null } | undefined;
    let spawnError: Error | undefined;
    child.on('error', (err) => {
      spawnError = err;
    });
    child.on('exit', (code, signal) => {
      exited = { code, signal };
      feed.close();
      if (this.child === child) {
        this.child = undefined;
        this.ready = false;
      }
      log('warn', 'librechat exited', { pid: child.pid, code, signal });
      this.emit('exit', code, signal);
    });
    log('info', 'librechat starting', { pid: child.pid, start: this.starts, command, cwd, port });

    const deadline = t0 + this.opts.readyTimeoutMs;
    for (;;) {
      if (spawnError) {
        throw new NotReadyError(
          `could not start LibreChat (LIBRECHAT_COMMAND=${command.join(' ')}): ${spawnError.message}`,
          'spawn-failed',
        );
      }
      if (exited) {
        throw new NotReadyError(
          `LibreChat exited before it was ready (code ${exited.code}, signal ${exited.signal})`,
          'exited',
        );
      }
      const probeStart = performance.now();
      if (await probeHealth(port, Math.max(50, Math.min(1000, deadline - probeStart)))) break;
      const now = performance.now();
      if (now >= deadline) {
        log('error', 'librechat not ready in time, stopping it', {
          pid: child.pid,
          timeoutMs: this.opts.readyTimeoutMs,
        });
        this.kill(child, 'SIGKILL');
        throw new NotReadyError(
          `LibreChat did not answer GET /health with OK within ${this.opts.readyTimeoutMs} ms (LIBRECHAT_READY_TIMEOUT_MS)`,
          'timeout',
        );
      }
      const wait = Math.min(this.opts.healthPollMs, deadline - now);
      await new Promise((r) => setTimeout(r, Math.max(0, wait)));
    }
    if (exited) throw new NotReadyError('LibreChat exited right after it became ready', 'exited');
    this.ready = true;
    log('info', 'librechat ready', {
      pid: child.pid,
      startupMs: Math.round(performance.now() - t0),
      readyAt: performance.timeOrigin + performance.now(),
    });
  }

  private kill(child: ChildProcess, signal: NodeJS.Signals): void {
    try {
      child.kill(signal);
    } catch {
      // Already gone.
    }
  }

  /** Forwards a signal (SIGTERM on shutdown) and waits a bounded time for the exit. */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    const child = this.child;
    if (!child || hasExited(child)) return;
    const exited = waitForExit(child, this.opts.stopTimeoutMs);
    this.kill(child, signal);
    if (!(await exited) && this.child === child) this.kill(child, 'SIGKILL');
  }
}
