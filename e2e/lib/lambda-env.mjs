// A Lambda execution environment as the function really runs: the project's built handler under
// the real aws-lambda-ric, talking to the project's Runtime API emulator, starting the real
// LibreChat as its child. Like Lambda, the whole process group (runtime client, handler,
// LibreChat) is stopped with SIGSTOP between invocations and resumed with SIGCONT when the next
// event is handed out. The environment starts on its first event (on-demand init).
import { spawn } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { log } from './log.mjs';

const require = createRequire(import.meta.url);
export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const HANDLER = path.join(REPO, 'handler');
const { RuntimeApi } = require(
  path.join(HANDLER, 'build-test', 'test', 'support', 'runtime-api.js'),
);
const RIC = path.join(HANDLER, 'node_modules', 'aws-lambda-ric', 'index.mjs');

export class LambdaEnvironment {
  /**
   * @param {string} name  A, B, ...
   * @param {{ env: Record<string,string>, dir: string }} opts  env: the function's variables
   *   (as the stack sets them) plus the image's; dir: this environment's own /tmp.
   */
  constructor(name, opts) {
    this.name = name;
    this.opts = opts;
    this.runtime = new RuntimeApi();
    this.busy = false;
    this.frozen = false;
    this.invocations = 0;
    this.output = '';
    this.waiters = [];
  }

  get started() {
    return Boolean(this.proc);
  }

  async boot() {
    await this.runtime.start();
    mkdirSync(this.opts.dir, { recursive: true });
    const logFile = path.join(this.opts.logDir, `lambda-${this.name}.log`);
    const out = createWriteStream(logFile, { flags: 'a' });
    this.proc = spawn(process.execPath, [RIC], {
      cwd: path.join(HANDLER, 'dist'),
      env: {
        PATH: process.env.PATH,
        ...this.opts.env,
        AWS_LAMBDA_RUNTIME_API: this.runtime.address,
        AWS_LAMBDA_LOG_STREAM_NAME: `2026/01/01/[$LATEST]e2e${this.name}`,
      },
      // Its own process group, so that SIGSTOP/SIGCONT reach LibreChat too.
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const take = (c) => {
      out.write(c);
      this.output += c.toString('utf8');
      if (this.output.length > 4_000_000) this.output = this.output.slice(-2_000_000);
    };
    this.proc.stdout.on('data', take);
    this.proc.stderr.on('data', take);
    this.proc.on('exit', (code, signal) => {
      log(`environment ${this.name}: runtime process exited (${code ?? signal})`);
      this.exit = { code, signal };
    });
    log(`environment ${this.name}: init (pid ${this.proc.pid}, log ${logFile})`);
  }

  /** The handler's JSON log lines. */
  logs() {
    const out = [];
    for (const line of this.output.split('\n')) {
      const i = line.indexOf('{"time"');
      if (i < 0) continue;
      try {
        out.push(JSON.parse(line.slice(i)));
      } catch {
        // Not one of the handler's lines.
      }
    }
    return out;
  }

  /** Pid of the running LibreChat child, from the handler's log. */
  librechatPid() {
    const starts = this.logs().filter((l) => l.msg === 'librechat starting');
    return starts.at(-1)?.pid;
  }

  signal(sig) {
    if (!this.proc || this.exit) return;
    try {
      process.kill(-this.proc.pid, sig);
    } catch {
      // Group already gone.
    }
  }

  freeze() {
    this.signal('SIGSTOP');
    this.frozen = true;
    this.frozenAt = Date.now();
  }

  thaw() {
    if (this.frozen) this.signal('SIGCONT');
    this.frozen = false;
  }

  /**
   * Hands one event to this environment: thaw, wait until the runtime asks for the next event
   * (the invocation is over, post-response work included), freeze. `observer` sees the response
   * stream as it arrives (see RuntimeApi).
   */
  async invoke(event, { timeoutMs = 300000, observer } = {}) {
    if (this.busy)
      throw new Error(`environment ${this.name} is busy: Lambda never sends it two events at once`);
    this.busy = true;
    const t0 = Date.now();
    try {
      if (!this.started) await this.boot();
      this.thaw();
      // Tell observers which environment answers, before the invocation is over.
      const stamp = (fn) =>
        fn ? (inv, ...rest) => ((inv.environment = this.name), fn(inv, ...rest)) : undefined;
      const seen = observer && {
        prelude: stamp(observer.prelude),
        body: stamp(observer.body),
        end: stamp(observer.end),
      };
      const inv = await this.runtime.invoke(event, { timeoutMs, observer: seen });
      inv.environment = this.name;
      inv.wallMs = Date.now() - t0;
      this.invocations += 1;
      return inv;
    } finally {
      if (!this.exit) this.freeze();
      this.busy = false;
      // Wake every waiter: each checks again which environment is free (one wake-up per
      // free event could go to a request another environment has served meanwhile).
      const waiters = this.waiters;
      this.waiters = [];
      for (const w of waiters) w();
    }
  }

  /** Resolves when the environment is free (used by the router when all are busy). */
  whenFree() {
    if (!this.busy) return Promise.resolve();
    return new Promise((r) => this.waiters.push(r));
  }

  /** Last resort when the suite itself dies: no stopped process group may be left behind. */
  killNow() {
    this.signal('SIGCONT');
    this.signal('SIGKILL');
  }

  async stop() {
    if (this.proc && !this.exit) {
      this.thaw();
      const gone = new Promise((r) => this.proc.once('exit', r));
      this.signal('SIGTERM');
      const t = setTimeout(() => this.signal('SIGKILL'), 4000);
      await gone;
      clearTimeout(t);
      // LibreChat may outlive the runtime client for a moment.
      this.signal('SIGKILL');
    }
    await this.runtime.stop();
  }
}

/**
 * Routes events the way Lambda's concurrency does: a free (frozen) environment gets the event;
 * while all are busy, the first to become free does (Lambda would start another one; two are
 * enough to show requests landing on an environment other than the one that streamed).
 */
export class Fleet {
  constructor(envs) {
    this.envs = envs;
  }

  byName(name) {
    return this.envs.find((e) => e.name === name);
  }

  async invoke(event, opts = {}) {
    for (;;) {
      // Warm environments first, as Lambda prefers them.
      const free =
        this.envs.find((e) => !e.busy && e.started && !e.exit) ??
        this.envs.find((e) => !e.busy && !e.exit);
      if (free) return free.invoke(event, opts);
      await Promise.race(this.envs.map((e) => e.whenFree()));
    }
  }

  async stop() {
    await Promise.all(this.envs.map((e) => e.stop()));
  }
}
