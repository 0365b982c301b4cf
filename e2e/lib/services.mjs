// The stand-ins for DocumentDB (CongoDB, a MongoDB wire-protocol server in memory) and
// ElastiCache (Debian's redis-server), on loopback ports, with their output in log files.
import { spawn, spawnSync } from 'node:child_process';
import { openSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';

export async function freePort() {
  const srv = net.createServer();
  await new Promise((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address();
  await new Promise((r) => srv.close(() => r()));
  return port;
}

export async function waitForPort(port, timeoutMs, what, proc) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const open = await new Promise((resolve) => {
      const s = net.connect(port, '127.0.0.1');
      s.once('connect', () => {
        s.destroy();
        resolve(true);
      });
      s.once('error', () => resolve(false));
    });
    if (open) return;
    if (proc && proc.exitCode !== null)
      throw new Error(`${what} exited with ${proc.exitCode} before it listened`);
    if (Date.now() > deadline)
      throw new Error(`${what} did not listen on port ${port} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

class Service {
  constructor(name, logDir) {
    this.name = name;
    this.logFile = path.join(logDir, `${name}.log`);
  }

  spawn(cmd, args, opts = {}) {
    const out = openSync(this.logFile, 'a');
    this.proc = spawn(cmd, args, { ...opts, stdio: ['ignore', out, out] });
    return this.proc;
  }

  killNow() {
    if (this.proc && this.proc.exitCode === null) this.proc.kill('SIGKILL');
  }

  async stop() {
    const p = this.proc;
    if (!p || p.exitCode !== null || p.signalCode !== null) return;
    const gone = new Promise((r) => p.once('exit', r));
    p.kill('SIGTERM');
    const t = setTimeout(() => p.kill('SIGKILL'), 3000);
    await gone;
    clearTimeout(t);
  }
}

export class Congo extends Service {
  constructor(install, logDir) {
    super('congodb', logDir);
    this.install = install;
  }

  async start() {
    this.port = await freePort();
    const script = path.join(this.install.dir, 'congo-e2e.mjs');
    writeFileSync(
      script,
      [
        `import { CongoServer } from ${JSON.stringify(this.install.entry)};`,
        `const server = new CongoServer({ port: Number(process.env.CONGO_PORT), host: '127.0.0.1', storage: 'memory' });`,
        'await server.start();',
        "console.log('congodb listening on', process.env.CONGO_PORT);",
        "process.on('SIGTERM', () => server.stop().finally(() => process.exit(0)));",
        '',
      ].join('\n'),
    );
    const p = this.spawn(process.execPath, [script], {
      cwd: this.install.dir,
      env: { ...process.env, CONGO_PORT: String(this.port) },
    });
    await waitForPort(this.port, 20000, 'CongoDB', p);
  }

  uri(db = 'LibreChat') {
    return `mongodb://127.0.0.1:${this.port}/${db}`;
  }
}

export class Redis extends Service {
  constructor(logDir) {
    super('redis', logDir);
  }

  static check() {
    const r = spawnSync('redis-server', ['--version'], { encoding: 'utf8' });
    if (r.status !== 0)
      throw new Error('redis-server is not installed (Debian: apt-get install redis-server)');
    return r.stdout.trim();
  }

  async start() {
    this.port = await freePort();
    const p = this.spawn('redis-server', [
      '--port',
      String(this.port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'no',
    ]);
    await waitForPort(this.port, 20000, 'redis-server', p);
  }

  get uri() {
    return `redis://127.0.0.1:${this.port}`;
  }
}
