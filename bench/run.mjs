#!/usr/bin/env node
/**
 * `npm run bench`: Arche against mbsync, mu and notmuch on the same generated account, in one run.
 * Prints figures (messages/s, MB/s, peak RSS, sizes, ratios, targets) and writes docs/benchmarks.md.
 * Not a test: nothing here gates CI.
 *
 *   node --expose-gc bench/run.mjs [--messages 20000] [--search-messages 100000] [--seed 1] [--reps 3]
 *                                  [--no-docs] [--keep-work] [--skip move,find] [--deadline HH:MM]
 * Steps that need an Arche command not written yet report "not available yet"; the baselines still run.
 */
import { mkdtempSync, rmSync, writeFileSync, mkdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { execFileSync, spawn } from 'node:child_process';
import { ensureCorpus, extraMessages } from './corpus.mjs';
import { startServer, linkCorpus, warm, appendAll, stopServer, folderCounts } from './lib/server.mjs';
import { mbsyncSetup, runMbsync, notmuchSetup, runNotmuchNew, muSetup, runMuIndex } from './lib/baselines.mjs';
import { arche, snapshotCli, removeCliSnapshot, ROOT } from './lib/arche.mjs';
import { measure, diskUsage } from './lib/measure.mjs';
import { runQuerySet, LIMIT } from './lib/search-bench.mjs';
import { printReport, writeDocs } from './lib/report.mjs';

const { values: opt } = parseArgs({
  options: {
    messages: { type: 'string', default: '20000' },
    'search-messages': { type: 'string', default: '100000' },
    seed: { type: 'string', default: '1' },
    reps: { type: 'string', default: '3' },
    'no-docs': { type: 'boolean', default: false },
    'keep-work': { type: 'boolean', default: false },
    skip: { type: 'string', default: '' },
    docs: { type: 'string', default: path.join(ROOT, 'docs', 'benchmarks.md') },
    deadline: { type: 'string' },
    'from-results': { type: 'string' },
  },
});
const N = Number(opt.messages);
const NSEARCH = Number(opt['search-messages']);
const SEED = Number(opt.seed);
const REPS = Number(opt.reps);
const skip = new Set(opt.skip.split(',').filter(Boolean));
const EXTRA = 200;
// --deadline HH:MM (UTC, today): skip the remaining lower-priority steps rather than overrun a time box.
const DEADLINE = opt.deadline ? Date.parse(`${new Date().toISOString().slice(0, 10)}T${opt.deadline}:00Z`) : null;

const log = (s) => process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${s}\n`);
const R = {
  startedAt: new Date().toISOString(),
  machine: machineInfo(),
  corpus: null,
  steps: [], // { group, name, status, messages, bytes, seconds, maxRssMb, why, note }
  sizes: {},
  search: {}, // scale -> engine -> result
  hits: {},
  extra: EXTRA,
  reps: REPS,
  deadline: opt.deadline ?? null,
};

function machineInfo() {
  const cpu = os.cpus();
  const ver = (cmd, args) => {
    try {
      return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).split('\n')[0].trim();
    } catch {
      return 'unavailable';
    }
  };
  return {
    cpu: cpu[0]?.model ?? 'unknown',
    cores: cpu.length,
    memGb: Math.round(os.totalmem() / 2 ** 30),
    os: `${os.type()} ${os.release()}`,
    node: process.version,
    tools: {
      dovecot: ver('/usr/sbin/dovecot', ['--version']),
      mbsync: ver('mbsync', ['--version']),
      notmuch: ver('notmuch', ['--version']),
      mu: ver('mu', ['--version']),
    },
  };
}

function step(group, name, r, { messages, bytes, note } = {}) {
  const s = {
    group,
    name,
    status: r.status ?? (r.code === 0 ? 'ok' : 'failed'),
    messages,
    bytes,
    seconds: r.seconds,
    maxRssMb: r.maxRssMb,
    why: r.why || (r.status === undefined && r.code !== 0 ? `exit ${r.code}: ${String(r.stderr).trim().slice(-300)}` : ''),
    note,
  };
  R.steps.push(s);
  const rate = s.status === 'ok' && messages ? `${(messages / s.seconds).toFixed(0)} msg/s` : '';
  log(`${group} / ${name}: ${s.status} ${s.status === 'ok' ? `${s.seconds.toFixed(2)} s ${rate} peak ${s.maxRssMb.toFixed(0)} MB` : s.why}`);
  return s;
}

// --from-results FILE: print and write the docs again from a saved run (no measuring).
if (opt['from-results']) {
  const saved = JSON.parse(readFileSync(opt['from-results'], 'utf8'));
  printReport(saved);
  if (!opt['no-docs']) writeDocs(saved, opt.docs);
  process.exit(0);
}

const run = mkdtempSync(path.join(os.tmpdir(), 'arche-bench-run-'));
let d;
try {
  log(`CLI: ${snapshotCli()} (a copy of the build made by npm run bench)`);

  // ---------- corpus ----------
  log(`corpus: ${N} messages, seed ${SEED}`);
  let t0 = performance.now();
  const corpus = ensureCorpus({ messages: N, seed: SEED, profile: 'full' }, (i, n) => i % 5000 === 0 && log(`  generated ${i}/${n}`));
  R.corpus = { ...corpus.manifest, cached: corpus.cached, generateSeconds: (performance.now() - t0) / 1000 };
  log(`corpus ${corpus.cached ? 'reused' : 'generated'}: ${(corpus.manifest.bytes / 1e9).toFixed(2)} GB, median ${(corpus.manifest.medianBytes / 1024).toFixed(1)} KB, mean ${(corpus.manifest.meanBytes / 1024).toFixed(1)} KB, ${corpus.manifest.withAttachments} with attachments`);
  const extras = extraMessages(SEED, EXTRA, N);
  const extraBytes = extras.reduce((a, m) => a + m.bytes.length, 0);

  // ---------- server ----------
  d = await startServer();
  linkCorpus(d, 'alice', corpus.maildir);
  t0 = performance.now();
  const warmed = await warm(d, 'alice');
  R.corpus.dovecotIndexSeconds = (performance.now() - t0) / 1000;
  log(`Dovecot on 127.0.0.1:${d.port} (TLS), indexed ${warmed} messages in ${R.corpus.dovecotIndexSeconds.toFixed(1)} s`);
  R.corpus.serverFolders = await folderCounts(d, 'alice');
  const ca = ['--ca-file', d.caFile];
  const aliceEnv = { ARCHE_BENCH_PASSWORD: d.passwordOf('alice') };

  // Order = priority: if --deadline is given and a step would not finish in time, it is skipped and said so.
  // ---------- Keep: baselines (download) and mu ----------
  const mbMaildir = path.join(run, 'mbsync-maildir');
  const mb = mbsyncSetup(d, 'alice', mbMaildir, run);
  step('keep', 'mbsync full', await runMbsync(mb), { messages: N, bytes: corpus.manifest.bytes });
  // mbsync's first re-run still moves new/ to cur/ in its Maildir; the second is its true no-op
  step('keep', 'mbsync re-run (first)', await runMbsync(mb), { note: 'local housekeeping (new/ → cur/)' });
  step('keep', 'mbsync no-op', await runMbsync(mb), { note: 'nothing new' });
  R.sizes.raw = corpus.manifest.bytes;
  const mu = await muSetup(mbMaildir, run);
  step('keep', 'mu index (full)', await runMuIndex(mu), { messages: N, bytes: corpus.manifest.bytes });
  step('keep', 'mu index (no-op)', await runMuIndex(mu));

  // ---------- Keep: Arche ----------
  const archiveDir = path.join(run, 'archive');
  const backupArgs = ['backup', '--account', d.url('alice'), '--password-env', 'ARCHE_BENCH_PASSWORD', '--archive', archiveDir, ...ca, '--json'];
  const full = await arche(backupArgs, { env: aliceEnv });
  step('keep', 'arche backup (full)', full, { messages: full.json?.new ?? N, bytes: full.json?.bytes_new ?? corpus.manifest.bytes });
  R.archeBackupJson = full.json;
  if (full.status === 'ok') {
    const noop = await arche(backupArgs, { env: aliceEnv });
    step('keep', 'arche backup (no-op)', noop, { note: `new = ${noop.json?.new ?? '?'}` });
    await appendAll(d, 'alice', 'INBOX', extras);
    const inc = await arche(backupArgs, { env: aliceEnv });
    step('keep', `arche backup (+${EXTRA})`, inc, { messages: inc.json?.new ?? EXTRA, bytes: inc.json?.bytes_new ?? extraBytes, note: `new = ${inc.json?.new ?? '?'} (expected ${EXTRA})` });
    R.sizes.archive = diskUsage(archiveDir);
    // issue 13: the archive checks itself (every stored byte read and hashed; goal ≥ 100 MB/s of archive), and a
    // second copy (the database through SQLite's online backup, every blob file, then the copy checked).
    const chk = await arche(['check', '--archive', archiveDir, '--json'], { label: 'arche check' });
    const chkMbs = chk.json && chk.seconds ? chk.json.bytes / 1e6 / chk.seconds : null;
    step('keep', 'arche check (whole archive)', chk, { messages: chk.json?.contents, bytes: chk.json?.bytes, note: chkMbs ? `${chkMbs.toFixed(0)} MB/s of archive (goal ≥ 100); damaged ${chk.json.damaged}` : '' });
    const mirrorDir = path.join(run, 'mirror');
    const mir = await arche(['mirror', '--archive', archiveDir, '--to', mirrorDir, '--json'], { label: 'arche mirror' });
    step('keep', 'arche mirror (first, checked)', mir, { messages: mir.json?.contents, bytes: mir.json?.bytes, note: mir.json ? `${mir.json.blobs_copied} blob files copied` : '' });
    const mir2 = await arche(['mirror', '--archive', archiveDir, '--to', mirrorDir, '--json'], { label: 'arche mirror' });
    step('keep', 'arche mirror (nothing new, checked)', mir2, { note: mir2.json ? `${mir2.json.blobs_copied} blob files copied` : '' });
    rmSync(mirrorDir, { recursive: true, force: true });
  } else {
    await appendAll(d, 'alice', 'INBOX', extras);
    for (const n of ['arche backup (no-op)', `arche backup (+${EXTRA})`]) R.steps.push({ group: 'keep', name: n, status: full.status, why: full.why });
  }
  R.sizes.rawWithExtra = corpus.manifest.bytes + extraBytes;

  // ---------- issue 13, keep by itself: backup --all with nothing new for 3 saved accounts, idle arche serve ----------
  if (!skip.has('keep-by-itself') && timeFor(90)) {
    const kbi = await keepByItself();
    if (kbi.backupAllNoop) step('keep', 'arche backup --all (3 accounts, nothing new)', kbi.backupAllNoop, { note: `median of 3 runs (goal < 2 s): ${kbi.backupAllNoop.runs.map((x) => x.toFixed(2)).join(', ')} s` });
    else R.steps.push({ group: 'keep', name: 'arche backup --all (3 accounts, nothing new)', status: 'failed', why: kbi.why });
    if (kbi.serveIdle) {
      step('keep', 'arche serve, idle with 3 saved accounts', kbi.serveIdle, { note: `RSS ${kbi.serveIdle.rssMb.toFixed(0)} MB after ${kbi.serveIdle.seconds} s idle (goal < 120 MB)` });
      R.steps.at(-1).rssMb = kbi.serveIdle.rssMb;
    }
  } else skipped('keep', 'arche backup --all (3 accounts, nothing new)');
  // the baselines take the same 200 new messages, so that every engine searches the same 20,200 messages
  step('keep', `mbsync (+${EXTRA})`, await runMbsync(mb), { messages: EXTRA, bytes: extraBytes });
  step('keep', `mu index (+${EXTRA})`, await runMuIndex(mu), { messages: EXTRA, bytes: extraBytes });
  R.sizes.mbsyncMaildir = diskUsage(mbMaildir);
  R.sizes.muDb = diskUsage(mu.home);

  const nm = notmuchSetup(mbMaildir, run);

  // ---------- Find at N ----------
  const ctx = { muHome: mu.home, notmuchEnv: nm.env, archiveDir };
  if (!skip.has('find')) {
    log(`search at ${N + EXTRA}: ${REPS} runs of 20 queries per engine`);
    R.search[N + EXTRA] = {
      mu: runQuerySet('mu', ctx, REPS),
      arche: runQuerySet('arche', ctx, REPS),
      'arche in-process': inProcess(archiveDir, REPS * 3),
    };
    logSearch(N + EXTRA);
  }

  // ---------- Move ----------
  if (!skip.has('move')) {
    const moveN = N + EXTRA;
    const moveBytes = corpus.manifest.bytes + extraBytes;
    const migArchive = path.join(run, 'archive-migrate');
    const migArgs = ['migrate', '--from', d.url('alice'), '--from-password-env', 'ARCHE_BENCH_FROM', '--to', d.url('bob'), '--to-password-env', 'ARCHE_BENCH_TO', '--archive', migArchive, ...ca, '--json'];
    const migEnv = { ARCHE_BENCH_FROM: d.passwordOf('alice'), ARCHE_BENCH_TO: d.passwordOf('bob') };
    if (timeFor(moveN * 0.022)) {
      const mig = await arche(migArgs, { env: migEnv, okCodes: [0] });
      const v = mig.json?.verify;
      step('move', 'arche migrate (full, verified)', mig, {
        messages: moveN,
        bytes: moveBytes,
        note: mig.json ? `fresh archive (backup + copy + verify); copied ${mig.json.copied}, skipped ${mig.json.skipped_existing}, failed ${mig.json.failed}; verify: ${v?.present}/${v?.expected} present, ${v?.missing} missing, ${v?.changed} changed` : 'fresh archive: backup + copy + verify',
      });
      R.migrateJson = mig.json;
      if (mig.status === 'ok') {
        const again = await arche(migArgs, { env: migEnv });
        step('move', 'arche migrate (no-op re-run)', again, { note: again.json ? `copied ${again.json.copied}, verify present ${again.json.verify?.present}` : '' });
      } else R.steps.push({ group: 'move', name: 'arche migrate (no-op re-run)', status: mig.status, why: mig.why });
    } else skipped('move', 'arche migrate (full, verified)');
    rmSync(migArchive, { recursive: true, force: true });
    if (timeFor(moveN * 0.008)) {
      const loop = await measure(process.execPath, [path.join(ROOT, 'bench/lib/copy-loop.mjs'), d.host, String(d.port), d.caFile, 'alice', 'carol'], {
        env: { BENCH_SRC_PASS: d.passwordOf('alice'), BENCH_DST_PASS: d.passwordOf('carol') },
        label: 'copy loop',
      });
      let loopOut = {};
      try {
        loopOut = JSON.parse(loop.stdout.trim().split('\n').pop());
      } catch {
        /* reported as failed below */
      }
      step('move', 'fetch-then-APPEND loop (baseline)', loop, { messages: loopOut.messages ?? moveN, bytes: loopOut.bytes ?? moveBytes, note: 'sequential, 1 connection each side, no verification' });
    } else skipped('move', 'fetch-then-APPEND loop (baseline)');
  }

  // ---------- Find at N + NSEARCH: the small generated messages, imported into the backup's archive ----------
  const big = N + EXTRA + NSEARCH;
  let small = null;
  if (!skip.has('find') && timeFor(NSEARCH * 0.002)) {
    log(`search archive: ${NSEARCH} small generated messages`);
    small = ensureCorpus({ messages: NSEARCH, seed: SEED, profile: 'small' }, (i, n) => i % 20000 === 0 && log(`  generated ${i}/${n}`));
    R.smallCorpus = small.manifest;
    const imp = await arche(['import', '--archive', archiveDir, '--format', 'maildir', small.maildir, '--folder', 'Anciens'], { label: 'arche import' });
    step('find', `arche import (${NSEARCH} small)`, imp, { messages: NSEARCH, bytes: small.manifest.bytes });
    R.sizes.searchArchive = diskUsage(archiveDir);
    R.sizes.rawBig = corpus.manifest.bytes + extraBytes + small.manifest.bytes;
    log(`search at ${big} (Arche)`);
    R.search[big] = {
      arche: imp.status === 'ok' ? runQuerySet('arche', ctx, REPS) : { status: imp.status, why: imp.why },
      'arche in-process': imp.status === 'ok' ? inProcess(archiveDir, REPS * 3) : { status: imp.status, why: imp.why },
    };
    logSearch(big);
  }

  // ---------- notmuch: the slowest indexer, so last among the 20,200-message steps ----------
  if (timeFor((N + EXTRA) * 0.017)) {
    step('keep', 'notmuch new (full)', await runNotmuchNew(nm), { messages: N + EXTRA, bytes: corpus.manifest.bytes + extraBytes });
    step('keep', 'notmuch new (no-op)', await runNotmuchNew(nm));
    R.sizes.notmuchDb = diskUsage(nm.db);
    if (R.search[N + EXTRA]) {
      R.search[N + EXTRA].notmuch = runQuerySet('notmuch', ctx, REPS);
      logSearch(N + EXTRA);
    }
  } else skipped('keep', 'notmuch new (full)');
  const notmuchOk = okNamed('notmuch new (full)');

  // ---------- mu and notmuch on the same big set: the small Maildir linked in as a folder of the mbsync Maildir ----------
  if (small && R.search[big]) {
    execFileSync('cp', ['-al', small.maildir, path.join(mbMaildir, 'Anciens')]);
    if (timeFor(NSEARCH * 0.0045)) {
      step('find', `mu index (+${NSEARCH} small)`, await runMuIndex(mu), { messages: NSEARCH, bytes: small.manifest.bytes });
      R.sizes.muDbBig = diskUsage(mu.home);
      R.search[big].mu = runQuerySet('mu', ctx, REPS);
    } else skipped('find', `mu index (+${NSEARCH} small)`);
    if (notmuchOk && timeFor(NSEARCH * 0.008)) {
      step('find', `notmuch new (+${NSEARCH} small)`, await runNotmuchNew(nm), { messages: NSEARCH, bytes: small.manifest.bytes });
      R.sizes.notmuchDbBig = diskUsage(nm.db);
      R.search[big].notmuch = runQuerySet('notmuch', ctx, REPS);
    } else skipped('find', `notmuch new (+${NSEARCH} small)`);
    logSearch(big);
  }
} catch (e) {
  log(`ABORTED: ${e?.stack ?? e}`);
  R.aborted = String(e?.message ?? e);
} finally {
  stopServer(d);
  removeCliSnapshot();
  R.finishedAt = new Date().toISOString();
  mkdirSync(path.join(ROOT, 'bench', 'work'), { recursive: true });
  const resultsFile = path.join(ROOT, 'bench', 'work', `results-${R.startedAt.replace(/[:.]/g, '-')}.json`);
  writeFileSync(resultsFile, JSON.stringify(R, null, 2));
  printReport(R);
  log(`raw results: ${path.relative(ROOT, resultsFile)}`);
  if (!opt['no-docs']) {
    writeDocs(R, opt.docs);
    log(`wrote ${path.relative(ROOT, opt.docs)}`);
  }
  if (!opt['keep-work']) {
    rmSync(run, { recursive: true, force: true });
    if (d) rmSync(d.dir, { recursive: true, force: true });
  } else log(`work kept in ${run} and ${d?.dir}`);
}

/** Whether a step estimated at `seconds` (rough, pessimistic: a busy machine) still fits before --deadline. */
function timeFor(seconds) {
  if (!DEADLINE) return true;
  return Date.now() + seconds * 1000 < DEADLINE;
}
function skipped(group, name) {
  R.steps.push({ group, name, status: 'skipped (time)', why: `would not finish before --deadline ${opt.deadline}` });
  log(`${group} / ${name}: skipped (--deadline ${opt.deadline})`);
}
function okNamed(name) {
  return R.steps.some((s) => s.name === name && s.status === 'ok');
}

function inProcess(archiveDir, reps) {
  try {
    const out = execFileSync(process.execPath, [path.join(ROOT, 'bench/lib/search-inprocess.mjs'), archiveDir, String(reps), String(LIMIT)], {
      cwd: ROOT,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      maxBuffer: 16 * 1024 * 1024,
    });
    return JSON.parse(out.trim().split('\n').pop());
  } catch (e) {
    return { status: 'failed', why: String(e?.stderr ?? e?.message ?? e).trim().slice(-400) };
  }
}

function logSearch(scale) {
  for (const [engine, r] of Object.entries(R.search[scale])) {
    log(`  ${engine.padEnd(17)} ${r.status === 'ok' ? `median ${r.median.toFixed(1)} ms, p95 ${r.p95.toFixed(1)} ms` : `${r.status} ${r.why ?? ''}`}`);
  }
}

/** bench/keep-by-itself.mjs in its own process (its own Dovecot and HOME): its figures, or why there are none. */
function keepByItself() {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(ROOT, 'bench', 'keep-by-itself.mjs')], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (b) => (out += b));
    child.on('close', (code) => {
      try {
        resolve(JSON.parse(out.trim().split('\n').pop()));
      } catch {
        resolve({ why: `keep-by-itself.mjs exit ${code}` });
      }
    });
  });
}
