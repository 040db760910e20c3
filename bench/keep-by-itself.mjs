#!/usr/bin/env node
/**
 * Issue 13's figures (not a test; nothing gates CI), run by `npm run bench` (bench/run.mjs) or alone:
 *   - `arche backup --all` with nothing new for 3 saved accounts: target under 2 s in all;
 *   - memory of an idle `arche serve` with 3 saved accounts scheduled: target under 120 MB.
 * Private HOME, private Dovecot (the tests' harness), passwords in environment variables only (the bare-machine way:
 * no keychain here). Run after `npm run build`:  node bench/keep-by-itself.mjs [--messages 200] [--idle-seconds 20]
 * Logs on stderr; the figures as one JSON object on stdout.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { startServer, appendAll, stopServer, USERS as ALL_USERS } from './lib/server.mjs';

// The figure is for 3 accounts: the first 3 of the bench server's users (it has more for other steps).
const USERS = ALL_USERS.slice(0, 3);
import { snapshotCli, removeCliSnapshot } from './lib/arche.mjs';
import { measure } from './lib/measure.mjs';
import { extraMessages } from './corpus.mjs';

const { values: opt } = parseArgs({ options: { messages: { type: 'string', default: '200' }, 'idle-seconds': { type: 'string', default: '20' } } });
const log = (s) => process.stderr.write(`[keep-by-itself ${new Date().toISOString().slice(11, 19)}] ${s}\n`);

const work = mkdtempSync(path.join(os.tmpdir(), 'arche-bench-kbi-'));
const home = path.join(work, 'home');
const d = await startServer();
const bin = snapshotCli();
/** The figures, printed as one JSON object on stdout at the end (bench/run.mjs reads them). */
const result = { accounts: USERS.length, messages: Number(opt.messages) };
try {
  const env = { HOME: home, XDG_CONFIG_HOME: path.join(home, '.config'), XDG_DATA_HOME: path.join(home, '.local', 'share'), DBUS_SESSION_BUS_ADDRESS: '' };
  for (const u of USERS) {
    await appendAll(d, u, 'INBOX', extraMessages(USERS.indexOf(u) + 1, Number(opt.messages), 0));
    env[`PW_${u}`] = d.passwordOf(u);
  }
  const archive = path.join(work, 'archive');
  for (const u of USERS) {
    const r = await measure(process.execPath, [bin, 'accounts', 'add', d.url(u), '--password-env', `PW_${u}`, '--ca-file', d.caFile, '--archive', archive], { env });
    if (r.code !== 0) throw new Error(`accounts add ${u}: ${r.stderr}`);
  }
  const first = await measure(process.execPath, [bin, 'backup', '--all', '--json'], { env });
  log(`first backup --all (${USERS.length} × ${opt.messages} messages): ${first.seconds.toFixed(2)} s, exit ${first.code}`);
  const times = [];
  for (let i = 0; i < 3; i++) {
    const again = await measure(process.execPath, [bin, 'backup', '--all', '--json'], { env });
    if (again.code !== 0) throw new Error(`backup --all: ${again.stderr}`);
    times.push(again);
  }
  times.sort((a, b) => a.seconds - b.seconds);
  const mid = times[1];
  log(`backup --all, nothing new, 3 accounts: median ${mid.seconds.toFixed(2)} s (target < 2 s), peak RSS ${mid.maxRssMb.toFixed(0)} MB`);
  result.backupAllNoop = { code: mid.code, seconds: mid.seconds, maxRssMb: mid.maxRssMb, runs: times.map((t) => t.seconds) };

  // Idle serve with schedules: RSS after a while (the scheduler's first look comes after a minute; idle before it).
  const serve = spawn(process.execPath, [bin, 'serve', '--archive', archive], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  await new Promise((resolve) => serve.stdout.once('data', resolve));
  await new Promise((resolve) => setTimeout(resolve, Number(opt['idle-seconds']) * 1000));
  const status = readFileSync(`/proc/${serve.pid}/status`, 'utf8');
  const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)[1]);
  const hwmKb = Number(/VmHWM:\s+(\d+)/.exec(status)[1]);
  serve.kill('SIGTERM');
  result.serveIdle = { code: 0, seconds: Number(opt['idle-seconds']), rssMb: rssKb / 1024, maxRssMb: hwmKb / 1024 };
  log(`idle arche serve with 3 saved accounts, after ${opt['idle-seconds']} s: RSS ${(rssKb / 1024).toFixed(0)} MB, peak ${(hwmKb / 1024).toFixed(0)} MB (target < 120 MB)`);
  process.stdout.write(JSON.stringify(result) + '\n');
} finally {
  stopServer(d);
  removeCliSnapshot();
  rmSync(work, { recursive: true, force: true });
}
