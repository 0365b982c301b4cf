#!/usr/bin/env node
// Measures synthesis speed: median wall time and peak memory (summed RSS of the process tree,
// sampled from /proc every 10 ms: the largest single process and the tree's sum) of the app alone and of `npx cdktf synth`. A benchmark: it prints figures.
// Usage: npm run bench:synth [-- --runs 5]
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const runsArg = process.argv.indexOf('--runs');
const runs = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 5;
const root = new URL('..', import.meta.url).pathname;

function childrenOf() {
  const parents = new Map();
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      parents.set(Number(pid), ppid);
    } catch {
      // the process ended while we looked
    }
  }
  return parents;
}

function treeRssKb(rootPid) {
  const parents = childrenOf();
  const tree = new Set([rootPid]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const [pid, ppid] of parents) {
      if (tree.has(ppid) && !tree.has(pid)) {
        tree.add(pid);
        grew = true;
      }
    }
  }
  let total = 0;
  let largest = 0;
  for (const pid of tree) {
    try {
      const m = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      if (m) {
        total += Number(m[1]);
        largest = Math.max(largest, Number(m[1]));
      }
    } catch {
      // ended
    }
  }
  return { total, largest };
}

function measure(command, args, env) {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const child = spawn(command, args, {
      cwd: root,
      env: { ...process.env, ...env },
      stdio: 'ignore',
    });
    let peak = 0;
    let peakProcess = 0;
    const timer = setInterval(() => {
      const rss = treeRssKb(child.pid);
      peak = Math.max(peak, rss.total);
      peakProcess = Math.max(peakProcess, rss.largest);
    }, 10);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearInterval(timer);
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      if (code !== 0) reject(new Error(`${command} ${args.join(' ')} exited with ${code}`));
      else resolve({ ms, peakMb: peak / 1024, peakProcessMb: peakProcess / 1024 });
    });
  });
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function bench(label, command, args) {
  const out = mkdtempSync(join(tmpdir(), 'bench-synth-'));
  const env = { CDKTF_OUTDIR: out, CHECKPOINT_DISABLE: '1' };
  await measure(command, args, env); // warm-up: compiles the app if sources changed
  const results = [];
  for (let i = 0; i < runs; i++) results.push(await measure(command, args, env));
  rmSync(out, { recursive: true, force: true });
  const ms = results.map((r) => r.ms);
  const mb = results.map((r) => r.peakMb);
  const processMb = results.map((r) => r.peakProcessMb);
  console.log(
    `${label.padEnd(22)} median ${(median(ms) / 1000).toFixed(2)} s  (min ${(Math.min(...ms) / 1000).toFixed(2)}, max ${(Math.max(...ms) / 1000).toFixed(2)})  peak memory: largest process ${Math.max(...processMb).toFixed(0)} MB, whole process tree ${Math.max(...mb).toFixed(0)} MB  (${runs} runs)`,
  );
}

await bench('app alone', process.execPath, [join(root, 'scripts', 'run-app.js')]);
await bench('npx cdktf synth', 'npx', ['cdktf', 'synth']);
await bench('cdktf synth (no npx)', join(root, 'node_modules', '.bin', 'cdktf'), ['synth']);
