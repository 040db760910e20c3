// Running the measured commands: wall time and peak RSS of a child process (through lib/rusage.py), and quick
// timings of short commands (search queries) where process start is part of what is measured.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, readdirSync, statSync, lstatSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const RUSAGE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'rusage.py');
const PY = ['/usr/bin/python3', '/usr/local/bin/python3'].find((p) => { try { return statSync(p).isFile(); } catch { return false; } }) ?? 'python3';

/**
 * Run a command to completion; returns { code, seconds, maxRssMb, cpuSeconds, stdout, stderr, startedAt, load }.
 * stdout/stderr are kept (stderr only its last 8 KB) for JSON parsing and error reports. `load` is the machine's
 * 1-minute load average at the start and at the end ([start, end]): on a shared machine a figure means little without it.
 */
export function measure(cmd, args, { env = {}, cwd, label } = {}) {
  const startedAt = new Date().toISOString();
  const loadStart = os.loadavg()[0];
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'arche-bench-ru-'));
  const out = path.join(tmp, 'ru.json');
  return new Promise((resolve, reject) => {
    const child = spawn(PY, [RUSAGE, out, cmd, ...args], { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    const so = [];
    let se = '';
    child.stdout.on('data', (d) => so.push(d));
    child.stderr.on('data', (d) => {
      se += d.toString();
      if (se.length > 16384) se = se.slice(-8192);
      if (process.env.BENCH_VERBOSE) process.stderr.write(`  [${label ?? cmd}] ${d}`);
    });
    child.on('error', reject);
    child.on('close', () => {
      let ru;
      try {
        ru = JSON.parse(readFileSync(out, 'utf8'));
      } catch (e) {
        rmSync(tmp, { recursive: true, force: true });
        reject(new Error(`${cmd}: no resource usage (${e.message}); stderr: ${se.slice(-500)}`));
        return;
      }
      rmSync(tmp, { recursive: true, force: true });
      resolve({
        code: ru.rc,
        seconds: ru.wall_s,
        maxRssMb: ru.maxrss_kb / 1024,
        cpuSeconds: ru.utime_s + ru.stime_s,
        stdout: Buffer.concat(so).toString('utf8'),
        stderr: se.slice(-8192),
        startedAt,
        load: [loadStart, os.loadavg()[0]],
      });
    });
  });
}

/** Wall time in ms of one short command, process start included (spawnSync from this process). */
export function timeOnce(cmd, args, { env = {}, cwd } = {}) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { cwd, env: { ...process.env, ...env }, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  return { ms, code: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

export function percentile(values, p) {
  if (!values.length) return NaN;
  const s = [...values].sort((a, b) => a - b);
  const idx = Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1));
  return s[idx];
}
export const median = (v) => {
  if (!v.length) return NaN;
  const s = [...v].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/** Disk usage of a tree in bytes (allocated blocks, like du; hard links counted once). */
export function diskUsage(p, seen = new Set()) {
  let st;
  try { st = lstatSync(p); } catch { return 0; }
  const key = `${st.dev}:${st.ino}`;
  if (seen.has(key)) return 0;
  seen.add(key);
  let total = st.blocks * 512;
  if (st.isDirectory()) for (const e of readdirSync(p)) total += diskUsage(path.join(p, e), seen);
  return total;
}

/** Sum of file sizes (apparent bytes) of a tree, e.g. the raw mail of a Maildir. */
export function apparentSize(p, filter = () => true) {
  let st;
  try { st = lstatSync(p); } catch { return 0; }
  if (st.isDirectory()) return readdirSync(p).reduce((a, e) => a + apparentSize(path.join(p, e), filter), 0);
  return st.isFile() && filter(p) ? st.size : 0;
}
