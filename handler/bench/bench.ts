// Benchmark: the handler under the real aws-lambda-ric against direct calls to the stand-in.
// Prints a JSON summary and a Markdown table. Loopback only, bounded loops.
import http from 'node:http';
import { apiEvent, Harness } from '../test/support/harness';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 400);
const SSE_EVENTS = Number(process.env.BENCH_SSE_EVENTS ?? 300);
const BIG_MB = Number(process.env.BENCH_BIG_MB ?? 100);
const READY_RUNS = Number(process.env.BENCH_READY_RUNS ?? 5);
const FIRST_BYTE_ROUNDS = Number(process.env.BENCH_FIRST_BYTE_ROUNDS ?? 100);
// Like LibreChat's chat route: a POST whose SSE headers leave with the first event.
const CHAT_PATH = '/api/sse?gaps=0,20&headers=late';
const CHAT_BODY = JSON.stringify({ text: 'hello', endpoint: 'openAI', model: 'gpt-4o' });

const now = (): number => performance.timeOrigin + performance.now();
const agent = new http.Agent({ keepAlive: true });

function pct(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
}

function directGet(port: number, path: string, onChunk?: (c: Buffer, at: number) => void) {
  return new Promise<{ ms: number; bytes: number }>((resolve, reject) => {
    const t0 = performance.now();
    let bytes = 0;
    http
      .get({ host: '127.0.0.1', port, path, agent }, (res) => {
        res.on('data', (c: Buffer) => {
          bytes += c.length;
          onChunk?.(c, now());
        });
        res.on('end', () => resolve({ ms: performance.now() - t0, bytes }));
        res.on('error', reject);
      })
      .on('error', reject);
  });
}

/** Time to the first body byte of a streamed chat POST, straight to the stand-in. */
function directFirstByte(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    let first: number | undefined;
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: CHAT_PATH,
        agent,
        headers: { 'content-type': 'application/json' },
      },
      (res) => {
        res.on('data', () => (first ??= performance.now() - t0));
        res.on('end', () => resolve(first ?? NaN));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(CHAT_BODY);
  });
}

async function main(): Promise<void> {
  const h = await Harness.start({
    env: { STANDIN_RECORD_REQUESTS: '0', STANDIN_READY_DELAY_MS: '200' },
  });
  const results: Record<string, number> = {};
  try {
    // Warm-up both paths.
    for (let i = 0; i < 50; i++) {
      await directGet(h.port, '/api/sleep?ms=0');
      await h.invoke(apiEvent('GET', '/api/sleep', { query: { ms: ['0'] } }));
    }

    // 1. Added latency per request (small GET), interleaved so drift hits both equally.
    const direct: number[] = [];
    const viaRuntime: number[] = [];
    const inHandler: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      direct.push((await directGet(h.port, '/api/sleep?ms=0')).ms);
      const inv = await h.invoke(apiEvent('GET', '/api/sleep', { query: { ms: ['0'] } }));
      viaRuntime.push(inv.responseEndAt! - inv.startedAt);
    }
    // The handler's own view: its request log line measures from handler entry to stream end.
    for (const l of h.logs().filter((x) => x.msg === 'request' && x.path === '/api/sleep')) {
      inHandler.push(Number(l.durationMs));
    }
    const handlerRecent = inHandler.slice(-ROUNDS);
    results.directP50 = pct(direct, 50);
    results.directP99 = pct(direct, 99);
    results.runtimeP50 = pct(viaRuntime, 50);
    results.runtimeP99 = pct(viaRuntime, 99);
    results.addedP50 = results.runtimeP50 - results.directP50;
    results.addedP99 = results.runtimeP99 - results.directP99;
    results.handlerP50 = pct(handlerRecent, 50);
    results.handlerP99 = pct(handlerRecent, 99);
    results.handlerAddedP50 = results.handlerP50 - results.directP50;

    // 2. SSE write -> arrival at the runtime API.
    const gaps = Array.from({ length: SSE_EVENTS }, () => '3').join(',');
    const sse = await h.invoke(apiEvent('GET', '/api/sse', { query: { gaps: [gaps] } }), {
      timeoutMs: 60000,
    });
    const sseLat: number[] = [];
    for (const c of sse.chunks) {
      for (const m of c.data.toString('latin1').matchAll(/"t":([0-9.]+)/g)) {
        sseLat.push(c.at - Number(m[1]));
      }
    }
    const sseDirect: number[] = [];
    await directGet(h.port, `/api/sse?gaps=${gaps}`, (c, at) => {
      for (const m of c.toString('latin1').matchAll(/"t":([0-9.]+)/g))
        sseDirect.push(at - Number(m[1]));
    });
    results.sseEvents = sseLat.length;
    results.sseP50 = pct(sseLat, 50);
    results.sseP99 = pct(sseLat, 99);
    results.sseDirectP50 = pct(sseDirect, 50);
    results.sseDirectP99 = pct(sseDirect, 99);

    // 2b. First byte of a streamed chat: direct vs through the runtime API and the handler
    // (from the runtime handing out the event to the first body byte arriving back).
    const fbDirect: number[] = [];
    const fbRuntime: number[] = [];
    const [chatPath, chatQuery] = CHAT_PATH.split('?');
    const query = Object.fromEntries(
      [...new URLSearchParams(chatQuery)].map(([k, v]) => [k, [v]] as [string, string[]]),
    );
    for (let i = 0; i < FIRST_BYTE_ROUNDS; i++) {
      fbDirect.push(await directFirstByte(h.port));
      const inv = await h.invoke(apiEvent('POST', chatPath, { query, body: CHAT_BODY }));
      fbRuntime.push(inv.firstBodyAt! - inv.startedAt);
    }
    results.firstByteDirectP50 = pct(fbDirect, 50);
    results.firstByteRuntimeP50 = pct(fbRuntime, 50);
    results.firstByteAddedP50 = results.firstByteRuntimeP50 - results.firstByteDirectP50;

    // 3. Throughput of a large streamed body: median of three runs each way, interleaved.
    const size = BIG_MB * 1024 * 1024;
    const directMBps: number[] = [];
    const runtimeMBps: number[] = [];
    for (let i = 0; i < 3; i++) {
      const d = await directGet(h.port, `/api/bytes?size=${size}`);
      const big = await h.invoke(
        apiEvent('GET', '/api/bytes', { query: { size: [String(size)] } }),
        { discardBody: true, timeoutMs: 120000 },
      );
      if (big.bodyBytes !== size || d.bytes !== size) throw new Error('big body size mismatch');
      directMBps.push(BIG_MB / (d.ms / 1000));
      runtimeMBps.push(BIG_MB / ((big.responseEndAt! - big.startedAt) / 1000));
    }
    results.bigDirectMBps = pct(directMBps, 50);
    results.bigRuntimeMBps = pct(runtimeMBps, 50);
    results.bigRatio = results.bigRuntimeMBps / results.bigDirectMBps;

    // 4. Readiness detection delay over restarts (the stand-in listens 200 ms after spawn).
    const delays: number[] = [];
    const first = h.standinEvents().find((e) => e.event === 'listening');
    const firstReady = h.logs().find((l) => l.msg === 'librechat ready');
    if (first && firstReady) delays.push(Number(firstReady.readyAt) - first.at);
    for (let i = 1; i < READY_RUNS; i++) {
      await h.invoke(apiEvent('GET', '/api/crash'));
      await h.invoke(apiEvent('GET', '/api/sleep', { query: { ms: ['0'] } }));
      const listens = h.standinEvents().filter((e) => e.event === 'listening');
      const readies = h.logs().filter((l) => l.msg === 'librechat ready');
      delays.push(Number(readies[readies.length - 1].readyAt) - listens[listens.length - 1].at);
    }
    results.readyMaxMs = Math.max(...delays);
    results.readyMeanMs = delays.reduce((a, b) => a + b, 0) / delays.length;
  } finally {
    await h.stop();
    agent.destroy();
  }

  const f = (n: number): string => n.toFixed(2);
  console.log(JSON.stringify(results, null, 2));
  console.log(`
| measure | result | target |
| --- | --- | --- |
| small GET, direct to stand-in, p50 / p99 | ${f(results.directP50)} / ${f(results.directP99)} ms | |
| small GET through aws-lambda-ric + handler, p50 / p99 | ${f(results.runtimeP50)} / ${f(results.runtimeP99)} ms | |
| added latency, p50 / p99 | ${f(results.addedP50)} / ${f(results.addedP99)} ms | p50 < 1 ms |
| handler's own time (entry to stream end) minus direct, p50 | ${f(results.handlerAddedP50)} ms | |
| SSE write -> arrival at runtime API, p50 / p99 (${results.sseEvents} events) | ${f(results.sseP50)} / ${f(results.sseP99)} ms | p99 < 5 ms |
| first byte of a streamed chat POST: direct / through runtime, p50 (${FIRST_BYTE_ROUNDS} each) | ${f(results.firstByteDirectP50)} / ${f(results.firstByteRuntimeP50)} ms (+${f(results.firstByteAddedP50)}) | within 2 ms |
| SSE write -> arrival, direct client, p50 / p99 | ${f(results.sseDirectP50)} / ${f(results.sseDirectP99)} ms | |
| ${BIG_MB} MB body: direct / through runtime | ${f(results.bigDirectMBps)} / ${f(results.bigRuntimeMBps)} MB/s (${(results.bigRatio * 100).toFixed(0)} %) | >= 80 % |
| readiness detection delay, mean / max (${READY_RUNS} starts) | ${f(results.readyMeanMs)} / ${f(results.readyMaxMs)} ms | < 50 ms |
`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
