#!/usr/bin/env node
/**
 * `npm run bench`: Arche against mbsync, mu and notmuch on the same generated account, in one run.
 * Prints figures (messages/s, MB/s, peak RSS, sizes, ratios, targets) and writes docs/benchmarks.md.
 * Not a test: nothing here gates CI.
 *
 *   node --expose-gc bench/run.mjs [--messages 20000] [--search-messages 100000] [--seed 1] [--reps 3]
 *                                  [--no-docs] [--keep-work] [--skip keep,move,find,loop,threads,browse]
 *                                  [--find-baselines attachments|all|none] [--deadline HH:MM] [--corpus a|b|both]
 * --corpus: "a" the generated corpus (bench/corpus.mjs), "b" real messages with attachments (bench/corpus-real.mjs),
 * "both" (default): the Keep steps run on each, so that no ratio depends on one corpus; Move on the first.
 * Find (issue 14) runs on its own archive: --search-messages small generated messages (one in ten with a real
 * document attached) imported with `arche import`, their attachment text read by `arche attachments`, then search,
 * browse and conversations measured on it; mu and notmuch index the messages with attachments of the same Maildir
 * (--find-baselines all: every message, and they are searched too; none: neither). When Keep runs, the search at
 * 20,200 on the backup's archive (against mu and notmuch) is measured too.
 * `--skip keep,move,loop` runs Find alone (no Dovecot); `--skip keep,find` measures the move alone (arche migrate,
 * imapsync, the plain loop); --skip loop leaves out the plain loop (imapsync is the move's reference).
 * Steps that need an Arche command not written yet report "not available yet"; the baselines still run.
 */
import { linkSync, mkdtempSync, readdirSync, rmSync, writeFileSync, mkdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { execFileSync, spawn } from 'node:child_process';
import { ensureCorpus, extraMessages } from './corpus.mjs';
import { ensureRealCorpus, extraRealMessages } from './corpus-real.mjs';
import { imapsyncAvailable, imapsyncSetup, runImapsync, imapsyncCounts } from './lib/imapsync.mjs';
import { startServer, linkCorpus, warm, appendAll, stopServer, folderCounts } from './lib/server.mjs';
import { mbsyncSetup, runMbsync, notmuchSetup, runNotmuchNew, muSetup, runMuIndex } from './lib/baselines.mjs';
import { arche, snapshotCli, removeCliSnapshot, ROOT } from './lib/arche.mjs';
import { measure, diskUsage } from './lib/measure.mjs';
import { runQuerySet, hitCount, LIMIT } from './lib/search-bench.mjs';
import { QUERIES } from './lib/queries.mjs';
import { mergeResults, printReport, writeDocs } from './lib/report.mjs';

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
    corpus: { type: 'string', default: 'both' },
    'find-baselines': { type: 'string', default: 'attachments' },
  },
});
const N = Number(opt.messages);
const NSEARCH = Number(opt['search-messages']);
const SEED = Number(opt.seed);
const REPS = Number(opt.reps);
const skip = new Set(opt.skip.split(',').filter(Boolean));
if (!['a', 'b', 'both'].includes(opt.corpus)) throw new Error(`--corpus a|b|both, not ${opt.corpus}`);
const CORPORA = opt.corpus === 'both' ? ['a', 'b'] : [opt.corpus];
/** The Dovecot account that holds each corpus. */
const OWNER_OF = { a: 'alice', b: 'erin' };
if (!['attachments', 'all', 'none'].includes(opt['find-baselines'])) throw new Error(`--find-baselines attachments|all|none, not ${opt['find-baselines']}`);
const EXTRA = 200;
// --deadline HH:MM (UTC, today): skip the remaining lower-priority steps rather than overrun a time box.
const DEADLINE = opt.deadline ? Date.parse(`${new Date().toISOString().slice(0, 10)}T${opt.deadline}:00Z`) : null;

const int = (n) => (Number.isFinite(n) ? n.toLocaleString('en-US') : '?');
const log = (s) => process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${s}\n`);
const R = {
  startedAt: new Date().toISOString(),
  machine: machineInfo(),
  corpus: null,
  /** Each corpus run: its manifest, sizes on disk; corpus a's is also R.corpus (older reports read that). */
  corpora: {},
  mainCorpus: CORPORA[0],
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

/** The corpus the steps being recorded belong to. */
let current = CORPORA[0];
function step(group, name, r, { messages, bytes, note } = {}) {
  const s = {
    corpus: current,
    group,
    name,
    status: r.status ?? (r.code === 0 ? 'ok' : 'failed'),
    messages,
    bytes,
    seconds: r.seconds,
    maxRssMb: r.maxRssMb,
    why: r.why || (r.status === undefined && r.code !== 0 ? `exit ${r.code}: ${String(r.stderr).trim().slice(-300)}` : ''),
    note,
    startedAt: r.startedAt,
    load: r.load,
  };
  R.steps.push(s);
  const rate = s.status === 'ok' && messages ? `${(messages / s.seconds).toFixed(0)} msg/s` : '';
  log(`[${current}] ${group} / ${name}: ${s.status} ${s.status === 'ok' ? `${s.seconds.toFixed(2)} s ${rate} peak ${s.maxRssMb.toFixed(0)} MB` : s.why}`);
  return s;
}

// --from-results FILE[,FILE…]: print and write the docs again from saved runs (no measuring).
if (opt['from-results']) {
  // several files (comma-separated) are joined: a quiet Find-only run over a full run, for example
  const saved = mergeResults(opt['from-results'].split(',').map((f) => JSON.parse(readFileSync(f, 'utf8'))));
  printReport(saved);
  if (!opt['no-docs']) writeDocs(saved, opt.docs);
  process.exit(0);
}

const run = mkdtempSync(path.join(os.tmpdir(), 'arche-bench-run-'));
let d;
try {
  log(`CLI: ${snapshotCli()} (a copy of the build made by npm run bench)`);
  const needServer = !skip.has('keep') || !skip.has('move');
  if (needServer) {
    d = await startServer();
    log(`Dovecot on 127.0.0.1:${d.port} (TLS)`);
  }
  const ca = d ? ['--ca-file', d.caFile] : [];

  if (skip.has('keep') && !skip.has('move')) {
    // The move alone, on the first corpus: the source gets the 200 more messages the backup steps would have added.
    current = CORPORA[0];
    const { corpus, extras, extraBytes, user } = await loadCorpus(current);
    await appendAll(d, user, 'INBOX', extras);
    R.sizes.rawWithExtra = corpus.manifest.bytes + extraBytes;
    await moveSteps({ d, corpus, extraBytes, ca, user });
  }
  let kept = null;
  if (!skip.has('keep')) {
    // ---------- Keep, on each corpus (order = priority) ----------
    kept = {};
    for (const id of CORPORA) {
      current = id;
      kept[id] = await keepPart(id, ca);
    }
    // ---------- issue 13, keep by itself: backup --all with nothing new for 3 saved accounts, idle arche serve ----------
    // Not about one corpus: filed under the first, where the targets table looks for them.
    current = CORPORA[0];
    if (!skip.has('keep-by-itself') && timeFor(90)) {
      const kbi = await keepByItself();
      if (kbi.backupAllNoop) step('keep', 'arche backup --all (3 accounts, nothing new)', kbi.backupAllNoop, { note: `median of 3 runs (goal < 2 s): ${kbi.backupAllNoop.runs.map((x) => x.toFixed(2)).join(', ')} s` });
      else R.steps.push({ group: 'keep', name: 'arche backup --all (3 accounts, nothing new)', status: 'failed', why: kbi.why });
      if (kbi.serveIdle) {
        step('keep', 'arche serve, idle with 3 saved accounts', kbi.serveIdle, { note: `RSS ${kbi.serveIdle.rssMb.toFixed(0)} MB after ${kbi.serveIdle.seconds} s idle (goal < 120 MB)` });
        R.steps.at(-1).rssMb = kbi.serveIdle.rssMb;
      }
    } else skipped('keep', 'arche backup --all (3 accounts, nothing new)');
    // Move on the first corpus asked for (a by default); notmuch's Keep step last, on every corpus.
    current = CORPORA[0];
    const { corpus, extraBytes, archiveDir, mu } = kept[current];
    const user = OWNER_OF[current];
    const nm = kept[current].nm;

    // ---------- Find at N + EXTRA, on the backup's archive (against mu; notmuch below, after its indexing) ----------
    if (!skip.has('find')) {
      const ctx = { muHome: mu.home, notmuchEnv: nm.env, archiveDir };
      log(`search at ${N + EXTRA}: ${REPS} runs of 20 queries per engine`);
      R.search[N + EXTRA] = {
        mu: runQuerySet('mu', ctx, REPS),
        arche: runQuerySet('arche', ctx, REPS),
        'arche in-process': inProcess(archiveDir, REPS * 3),
      };
      logSearch(N + EXTRA);
    }

    // ---------- Move ----------
    if (!skip.has('move')) await moveSteps({ d, corpus, extraBytes, ca, user });
  }

  // ---------- Find at NSEARCH: its own archive, attachment text indexed (issue 14) ----------
  current = CORPORA[0];
  if (!skip.has('find')) await findPart();

  // ---------- notmuch: the slowest indexer, so last among the 20,200-message steps (on each corpus) ----------
  if (kept) {
    for (const id of CORPORA) {
      current = id;
      const k = kept[id];
      if (timeFor((N + EXTRA) * 0.017)) {
        step('keep', 'notmuch new (full)', await runNotmuchNew(k.nm), { messages: N + EXTRA, bytes: k.corpus.manifest.bytes + k.extraBytes });
        step('keep', 'notmuch new (no-op)', await runNotmuchNew(k.nm));
        k.sizes.notmuchDb = diskUsage(k.nm.db);
        if (id === CORPORA[0] && R.search[N + EXTRA]) {
          R.search[N + EXTRA].notmuch = runQuerySet('notmuch', { muHome: k.mu.home, notmuchEnv: k.nm.env, archiveDir: k.archiveDir }, REPS);
          logSearch(N + EXTRA);
        }
      } else skipped('keep', 'notmuch new (full)');
    }
    current = CORPORA[0];
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

/**
 * The move: arche migrate (backup + copy + verify against the old mailbox), then imapsync and the plain loop on the
 * same source and server, each into an empty account of its own.
 */
async function moveSteps({ d, corpus, extraBytes, ca, user }) {
  const moveN = N + EXTRA;
  const moveBytes = corpus.manifest.bytes + extraBytes;
  const migArchive = path.join(run, 'archive-migrate');
  const migArgs = ['migrate', '--from', d.url(user), '--from-password-env', 'ARCHE_BENCH_FROM', '--to', d.url('bob'), '--to-password-env', 'ARCHE_BENCH_TO', '--archive', migArchive, ...ca, '--json'];
  const migEnv = { ARCHE_BENCH_FROM: d.passwordOf(user), ARCHE_BENCH_TO: d.passwordOf('bob') };
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
  // imapsync, the tool people use for this, into an empty account of its own (dave): the move's goal is measured
  // against its wall time in this same run. Skipped, with the reason, where its Perl modules are missing.
  const can = imapsyncAvailable();
  if (!can.ok) {
    R.steps.push({ group: 'move', name: 'imapsync (baseline)', status: 'skipped (not installed)', why: can.why });
    log(`move / imapsync (baseline): skipped: ${can.why}`);
  } else if (timeFor(moveN * 0.012)) {
    const sync = await runImapsync(imapsyncSetup(d, user, 'dave', run));
    const c = imapsyncCounts(sync.stdout);
    step('move', 'imapsync (baseline)', sync, { messages: c.transferred ?? moveN, bytes: moveBytes, note: `imapsync ${can.version}, default options, no content check; transferred ${c.transferred ?? '?'}, skipped ${c.skipped ?? '?'}, errors ${c.errors ?? '?'}` });
  } else skipped('move', 'imapsync (baseline)');
  if (skip.has('loop')) R.steps.push({ group: 'move', name: 'fetch-then-APPEND loop (baseline)', status: 'skipped (--skip loop)', why: '--skip loop' });
  else if (timeFor(moveN * 0.008)) {
    const loop = await measure(process.execPath, [path.join(ROOT, 'bench/lib/copy-loop.mjs'), d.host, String(d.port), d.caFile, user, 'carol'], {
      env: { BENCH_SRC_PASS: d.passwordOf(user), BENCH_DST_PASS: d.passwordOf('carol') },
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

/**
 * Find on its own archive (issue 14's figures): NSEARCH small generated messages, one in ten with a real document
 * (bench/corpus.mjs, profile small), imported with `arche import`; the text inside their attachments read by
 * `arche attachments` (throughput, and what it adds to the archive); then, with attachment text indexed, the 20
 * queries (CLI and in process), browsing (bench/browse-inprocess.mjs on this archive) and a 50-message conversation
 * (bench/threads.mjs, its own archive of as many messages: a conversation of exactly 50 is planted there). mu and
 * notmuch index the same Maildir's messages that have attachments (or all of them: --find-baselines all).
 */
async function findPart() {
  if (!timeFor(NSEARCH * 0.004)) return skipped('find', `arche import (${NSEARCH} small)`);
  log(`Find: ${NSEARCH} small generated messages, one in ten with a real document attached`);
  const fc = ensureCorpus({ messages: NSEARCH, seed: SEED, profile: 'small' }, (i, n) => i % 20000 === 0 && log(`  generated ${i}/${n}`));
  R.smallCorpus = fc.manifest;
  const archiveDir = path.join(run, 'archive-find');
  const imp = await arche(['import', '--archive', archiveDir, '--format', 'maildir', fc.maildir, '--folder', 'INBOX'], { label: 'arche import' });
  step('find', `arche import (${NSEARCH} small)`, imp, { messages: NSEARCH, bytes: fc.manifest.bytes, note: 'the text inside attachments is queued for the next step' });
  if (imp.status !== 'ok') return;
  const F = (R.find = { messages: NSEARCH, withAttachments: fc.manifest.withAttachments, rawBytes: fc.manifest.bytes });
  F.archiveBefore = diskUsage(archiveDir);
  F.queue = childJson('bench/lib/attachment-queue.mjs', [archiveDir]);
  const att = await arche(['attachments', '--archive', archiveDir, '--json'], { label: 'arche attachments' });
  F.archiveAfter = diskUsage(archiveDir);
  F.growth = F.archiveAfter - F.archiveBefore;
  const q = F.queue.status === 'failed' ? null : F.queue;
  if (att.status === 'ok' && q) {
    F.extract = { seconds: att.seconds, maxRssMb: att.maxRssMb, messages: att.json?.messages, attachments: q.attachments, bytes: q.bytes, unreadable: att.json?.attachments_unreadable, attachmentsPerSecond: q.attachments / att.seconds, mbPerSecond: q.bytes / 1e6 / att.seconds };
  }
  step('find', 'arche attachments (text inside attachments)', att, {
    messages: att.json?.messages,
    bytes: q?.bytes,
    note: F.extract
      ? `${int(q.attachments)} attachments read (${Object.entries(q.kinds).map(([k, n]) => `${k} ${n}`).join(', ')}), ${F.extract.attachmentsPerSecond.toFixed(0)}/s, ${F.extract.mbPerSecond.toFixed(1)} MB/s; ${F.extract.unreadable ?? '?'} unreadable; archive +${(F.growth / 1e6).toFixed(1)} MB (${((F.growth / F.archiveBefore) * 100).toFixed(1)} %)`
      : '',
  });
  if (att.status !== 'ok') return;

  log(`search at ${NSEARCH}, attachment text indexed`);
  R.search[NSEARCH] = {
    arche: runQuerySet('arche', { archiveDir }, REPS),
    'arche in-process': inProcess(archiveDir, REPS * 3),
  };
  logSearch(NSEARCH);
  if (!skip.has('browse')) {
    R.browse = childJson('bench/browse-inprocess.mjs', ['--archive', archiveDir, '--folder', 'INBOX', '--word', 'merci', '--json']);
    if (R.browse.status !== 'failed') log(`browse: first page ${R.browse.folderFirst.median.toFixed(1)} ms, further pages ${R.browse.folderFurther.median.toFixed(1)} ms (p95 ${R.browse.folderFurther.p95.toFixed(1)}), word further ${R.browse.wordFurther.median.toFixed(1)} ms`);
  }
  // a 50-message conversation in an archive of as many messages (its own: the conversation is planted there)
  if (!skip.has('threads') && timeFor(NSEARCH * 0.002)) {
    R.threads = childJson('bench/threads.mjs', ['--messages', String(NSEARCH), '--json']);
    if (R.threads.status !== 'failed') log(`conversation of ${R.threads.conversationMessages} at ${R.threads.messages}: median ${R.threads.assembleMedianMs.toFixed(2)} ms (goal < 50); folder page ${R.threads.folderPageMedianMs.toFixed(0)} ms`);
  } else if (!skip.has('threads')) skipped('find', 'conversations (bench/threads.mjs)');

  // mu and notmuch on the same Maildir: the messages with attachments (what extraction is about), or all of them
  const mode = opt['find-baselines'];
  if (mode === 'none') return;
  const md = path.join(run, 'find-maildir');
  const subset = mode === 'all' ? linkMaildir(fc.maildir, md, () => true) : linkMaildir(fc.maildir, md, (bytes) => /^Content-Disposition: attachment/im.test(bytes.toString('latin1')));
  F.baselines = { mode, ...subset };
  const label = mode === 'all' ? `${subset.messages}` : `${subset.messages} with attachments`;
  const ctx = { archiveDir };
  if (timeFor(subset.messages * 0.0045)) {
    const mu = await muSetup(md, run);
    ctx.muHome = mu.home;
    step('find', `mu index (${label})`, await runMuIndex(mu), { messages: subset.messages, bytes: subset.bytes, note: 'mu reads text/* attachments (embed:) and attachment names, not PDF or office files' });
    F.baselines.muDb = diskUsage(mu.home);
  } else skipped('find', `mu index (${label})`);
  if (timeFor(subset.messages * 0.009)) {
    const nm = notmuchSetup(md, run);
    ctx.notmuchEnv = nm.env;
    step('find', `notmuch new (${label})`, await runNotmuchNew(nm), { messages: subset.messages, bytes: subset.bytes, note: 'notmuch reads text/* attachments and attachment names, not PDF or office files' });
    F.baselines.notmuchDb = diskUsage(nm.db);
  } else skipped('find', `notmuch new (${label})`);
  // what each finds of the attachment-text queries (only messages with attachments can match them: same answer set)
  F.baselines.hits = QUERIES.filter((x) => /attachment/.test(x.kind) && x.kind !== 'has:attachment + word').map((x) => ({
    kind: x.kind,
    arche: hitCount('arche', ctx, x),
    mu: ctx.muHome ? hitCount('mu', ctx, x) : null,
    notmuch: ctx.notmuchEnv ? hitCount('notmuch', ctx, x) : null,
  }));
  if (mode === 'all') {
    if (ctx.muHome) R.search[NSEARCH].mu = runQuerySet('mu', ctx, REPS);
    if (ctx.notmuchEnv) R.search[NSEARCH].notmuch = runQuerySet('notmuch', ctx, REPS);
    logSearch(NSEARCH);
  }
}

/** Hard links of a Maildir's messages that `keep(bytes)` accepts, in the same folders: { messages, bytes }. */
function linkMaildir(from, to, keep) {
  let messages = 0;
  let bytes = 0;
  const walk = (rel) => {
    mkdirSync(path.join(to, rel), { recursive: true });
    for (const e of readdirSync(path.join(from, rel), { withFileTypes: true })) {
      const r = path.join(rel, e.name);
      if (e.isDirectory()) walk(r);
      else if (e.isFile() && /(^|\/)(cur|new)$/.test(rel)) {
        const b = readFileSync(path.join(from, r));
        if (!keep(b)) continue;
        linkSync(path.join(from, r), path.join(to, r));
        messages++;
        bytes += b.length;
      }
    }
  };
  walk('');
  return { messages, bytes };
}

/** A bench script's one-line JSON answer (its last line), or why there is none. */
function childJson(script, args) {
  try {
    const out = execFileSync(process.execPath, [path.join(ROOT, script), ...args], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 16 * 1024 * 1024 });
    return JSON.parse(out.trim().split('\n').pop());
  } catch (e) {
    return { status: 'failed', why: String(e?.message ?? e).slice(-300) };
  }
}
/** Whether a step estimated at `seconds` (rough, pessimistic: a busy machine) still fits before --deadline. */
function timeFor(seconds) {
  if (!DEADLINE) return true;
  return Date.now() + seconds * 1000 < DEADLINE;
}
function skipped(group, name) {
  R.steps.push({ corpus: current, group, name, status: 'skipped (time)', why: `would not finish before --deadline ${opt.deadline}` });
  log(`${group} / ${name}: skipped (--deadline ${opt.deadline})`);
}
/** One corpus generated (or reused) and linked into its own Dovecot account, indexed by Dovecot. */
async function loadCorpus(id) {
  const user = OWNER_OF[id];
  log(`corpus ${id}: ${N} messages, seed ${SEED}`);
  let t0 = performance.now();
  const onGen = (i, n) => i % 5000 === 0 && log(`  generated ${i}/${n}`);
  const corpus = id === 'a' ? ensureCorpus({ messages: N, seed: SEED, profile: 'full' }, onGen) : ensureRealCorpus({ messages: N, seed: SEED }, onGen);
  const sizes = {};
  R.corpora[id] = { ...corpus.manifest, cached: corpus.cached, generateSeconds: (performance.now() - t0) / 1000, sizes };
  if (id === CORPORA[0]) {
    R.corpus = R.corpora[id];
    R.sizes = sizes;
  }
  const m = corpus.manifest;
  log(`corpus ${id} ${corpus.cached ? 'reused' : 'generated'}: ${(m.bytes / 1e9).toFixed(2)} GB, median ${(m.medianBytes / 1024).toFixed(1)} KB, mean ${(m.meanBytes / 1024).toFixed(1)} KB, ${m.withAttachments} with attachments`);
  const extras = id === 'a' ? extraMessages(SEED, EXTRA, N) : extraRealMessages(SEED, EXTRA, N);
  const extraBytes = extras.reduce((a, x) => a + x.bytes.length, 0);

  linkCorpus(d, user, corpus.maildir);
  t0 = performance.now();
  const warmed = await warm(d, user);
  R.corpora[id].dovecotIndexSeconds = (performance.now() - t0) / 1000;
  log(`Dovecot indexed corpus ${id} (${warmed} messages) in ${R.corpora[id].dovecotIndexSeconds.toFixed(1)} s`);
  R.corpora[id].serverFolders = await folderCounts(d, user);
  return { corpus, extras, extraBytes, user, sizes, m };
}

/**
 * The Keep steps on one corpus, in its own Dovecot account: mbsync, mu index, then Arche's backup (full, no-op, the
 * same new messages for all). Returns what Find, Move and notmuch need next.
 */
async function keepPart(id, ca) {
  const { corpus, extras, extraBytes, user, sizes, m } = await loadCorpus(id);
  const env = { ARCHE_BENCH_PASSWORD: d.passwordOf(user) };

  // ---------- baselines (download) and mu ----------
  const mbMaildir = path.join(run, `mbsync-maildir-${id}`);
  const mb = mbsyncSetup(d, user, mbMaildir, run);
  step('keep', 'mbsync full', await runMbsync(mb), { messages: N, bytes: m.bytes });
  // mbsync's first re-run still moves new/ to cur/ in its Maildir; the second is its true no-op
  step('keep', 'mbsync re-run (first)', await runMbsync(mb), { note: 'local housekeeping (new/ → cur/)' });
  step('keep', 'mbsync no-op', await runMbsync(mb), { note: 'nothing new' });
  sizes.raw = m.bytes;
  const mu = await muSetup(mbMaildir, run);
  step('keep', 'mu index (full)', await runMuIndex(mu), { messages: N, bytes: m.bytes });
  step('keep', 'mu index (no-op)', await runMuIndex(mu));

  // ---------- Arche ----------
  const archiveDir = path.join(run, `archive-${id}`);
  // --attachments-later: the backup steps measure what they measured before issue 14 (the copy and its search data);
  // the text inside attachments is read by its own step just after, and measured apart
  const backupArgs = ['backup', '--account', d.url(user), '--password-env', 'ARCHE_BENCH_PASSWORD', '--archive', archiveDir, ...ca, '--attachments-later', '--json'];
  const full = await arche(backupArgs, { env });
  step('keep', 'arche backup (full)', full, { messages: full.json?.new ?? N, bytes: full.json?.bytes_new ?? m.bytes });
  if (full.status === 'ok') {
    // issue 14: attachment text extraction throughput (messages whose attachments were read per second) and what
    // it adds to the archive (its index only: the blobs do not change); mu's and notmuch's sizes are in the sizes table
    const before = diskUsage(archiveDir);
    const att = await arche(['attachments', '--archive', archiveDir, '--json'], { label: 'arche attachments' });
    const grown = diskUsage(archiveDir) - before;
    sizes.attachmentIndexGrowth = grown;
    step('keep', 'arche attachments (text inside attachments)', att, {
      messages: att.json?.messages,
      note: att.json ? `${att.json.messages} messages read, ${att.json.attachments_unreadable} attachments unreadable (counted); archive +${(grown / 1e6).toFixed(1)} MB (${((grown / Math.max(1, before)) * 100).toFixed(1)} %)` : '',
    });
  } else R.steps.push({ corpus: id, group: 'keep', name: 'arche attachments (text inside attachments)', status: full.status, why: full.why });
  if (id === CORPORA[0]) R.archeBackupJson = full.json;
  R.corpora[id].archeBackupJson = full.json;
  if (full.status === 'ok') {
    const noop = await arche(backupArgs, { env });
    step('keep', 'arche backup (no-op)', noop, { note: `new = ${noop.json?.new ?? '?'}` });
    await appendAll(d, user, 'INBOX', extras);
    const inc = await arche(backupArgs, { env });
    step('keep', `arche backup (+${EXTRA})`, inc, { messages: inc.json?.new ?? EXTRA, bytes: inc.json?.bytes_new ?? extraBytes, note: `new = ${inc.json?.new ?? '?'} (expected ${EXTRA})` });
    sizes.archive = diskUsage(archiveDir);
    // issue 13: the archive checks itself (every stored byte read and hashed; goal ≥ 100 MB/s of archive), and a
    // second copy (the database through SQLite's online backup, every blob file, then the copy checked).
    const chk = await arche(['check', '--archive', archiveDir, '--json'], { label: 'arche check' });
    const chkMbs = chk.json && chk.seconds ? chk.json.bytes / 1e6 / chk.seconds : null;
    step('keep', 'arche check (whole archive)', chk, { messages: chk.json?.contents, bytes: chk.json?.bytes, note: chkMbs ? `${chkMbs.toFixed(0)} MB/s of archive (goal ≥ 100); damaged ${chk.json.damaged}` : '' });
    const mirrorDir = path.join(run, `mirror-${id}`);
    const mir = await arche(['mirror', '--archive', archiveDir, '--to', mirrorDir, '--json'], { label: 'arche mirror' });
    step('keep', 'arche mirror (first, checked)', mir, { messages: mir.json?.contents, bytes: mir.json?.bytes, note: mir.json ? `${mir.json.blobs_copied} blob files copied` : '' });
    const mir2 = await arche(['mirror', '--archive', archiveDir, '--to', mirrorDir, '--json'], { label: 'arche mirror' });
    step('keep', 'arche mirror (nothing new, checked)', mir2, { note: mir2.json ? `${mir2.json.blobs_copied} blob files copied` : '' });
    rmSync(mirrorDir, { recursive: true, force: true });
  } else {
    await appendAll(d, user, 'INBOX', extras);
    for (const n of ['arche backup (no-op)', `arche backup (+${EXTRA})`]) R.steps.push({ corpus: id, group: 'keep', name: n, status: full.status, why: full.why });
  }
  sizes.rawWithExtra = m.bytes + extraBytes;
  // the baselines take the same 200 new messages, so that every engine searches the same 20,200 messages
  step('keep', `mbsync (+${EXTRA})`, await runMbsync(mb), { messages: EXTRA, bytes: extraBytes });
  step('keep', `mu index (+${EXTRA})`, await runMuIndex(mu), { messages: EXTRA, bytes: extraBytes });
  sizes.mbsyncMaildir = diskUsage(mbMaildir);
  sizes.muDb = diskUsage(mu.home);
  return { corpus, extraBytes, archiveDir, mbMaildir, mu, sizes, nm: notmuchSetup(mbMaildir, run) };
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
