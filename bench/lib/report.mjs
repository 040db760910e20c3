// Turning the results into figures: the console report and docs/benchmarks.md (same tables, same targets).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { QUERIES } from './queries.mjs';

const MB = 1e6;
const f0 = (x) => (Number.isFinite(x) ? x.toFixed(0) : '—');
const f1 = (x) => (Number.isFinite(x) ? x.toFixed(1) : '—');
const f2 = (x) => (Number.isFinite(x) ? x.toFixed(2) : '—');
const gb = (b) => (Number.isFinite(b) ? `${(b / 1e9).toFixed(2)} GB` : '—');
const int = (n) => (Number.isFinite(n) ? n.toLocaleString('en-US') : '—');

const find = (R, name) => R.steps.find((s) => s.name === name);
const okStep = (R, name) => {
  const s = find(R, name);
  return s && s.status === 'ok' ? s : null;
};
const startsWith = (R, prefix) => R.steps.find((s) => s.name.startsWith(prefix));

/** Every target of issues 2, 3 and 4: { area, target, measured, verdict: PASS | FAIL | n/a }. */
export function targets(R) {
  const out = [];
  const add = (area, target, measured, pass) => out.push({ area, target, measured, verdict: pass === null ? 'n/a' : pass ? 'PASS' : 'FAIL' });
  const mb = okStep(R, 'mbsync full');
  const mu = okStep(R, 'mu index (full)');
  const full = okStep(R, 'arche backup (full)');
  const noop = okStep(R, 'arche backup (no-op)');
  const inc = R.steps.find((s) => s.name.startsWith('arche backup (+') && s.status === 'ok');
  const budget = mb && mu ? mb.seconds + mu.seconds : NaN;
  add('Keep', 'full backup (indexing included) no slower than mbsync + mu index', full ? `${f1(full.seconds)} s vs ${f1(budget)} s (ratio ${f2(full.seconds / budget)})` : statusOf(R, 'arche backup (full)'), full && mb && mu ? full.seconds <= budget : null);
  add('Keep', `no-op backup under 2 s at ${int(R.corpus?.messages)} messages (process start included)`, noop ? `${f2(noop.seconds)} s` : statusOf(R, 'arche backup (no-op)'), noop ? noop.seconds < 2 : null);
  const keepRss = [full, noop, inc].filter(Boolean).map((s) => s.maxRssMb);
  add('Keep', 'peak RSS under 300 MB', keepRss.length ? `${f0(Math.max(...keepRss))} MB` : statusOf(R, 'arche backup (full)'), keepRss.length ? Math.max(...keepRss) < 300 : null);
  const raw = R.sizes.rawWithExtra ?? R.sizes.raw;
  add('Keep', 'archive on disk (index included) no larger than the raw mail', R.sizes.archive ? `${gb(R.sizes.archive)} for ${gb(raw)} (ratio ${f2(R.sizes.archive / raw)})` : statusOf(R, 'arche backup (full)'), R.sizes.archive ? R.sizes.archive <= raw : null);
  if (inc) add('Keep', `backup after ${R.extra} more messages finds exactly them`, inc.note, /new = (\d+)/.exec(inc.note)?.[1] === String(R.extra));
  // issue 13: keep by itself (bench/keep-by-itself.mjs) and the archive's own check.
  const all = okStep(R, 'arche backup --all (3 accounts, nothing new)');
  add('Keep', '`backup --all` with nothing new for 3 saved accounts under 2 s (process start included)', all ? `${f2(all.seconds)} s` : statusOf(R, 'arche backup --all (3 accounts, nothing new)'), all ? all.seconds < 2 : null);
  const idle = okStep(R, 'arche serve, idle with 3 saved accounts');
  add('Keep', 'idle `arche serve` with schedules under 120 MB', idle ? `${f0(idle.rssMb)} MB` : statusOf(R, 'arche serve, idle with 3 saved accounts'), idle ? idle.rssMb < 120 : null);
  const chk = okStep(R, 'arche check (whole archive)');
  add('Keep', '`arche check` at least 100 MB/s of archive', chk && chk.bytes ? `${f0(chk.bytes / 1e6 / chk.seconds)} MB/s` : statusOf(R, 'arche check (whole archive)'), chk && chk.bytes ? chk.bytes / 1e6 / chk.seconds >= 100 : null);

  const mig = okStep(R, 'arche migrate (full, verified)');
  const migRate = mig ? mig.messages / mig.seconds : NaN;
  add('Move', 'migration with verification faster than 280 msg/s (imapsync, unverified)', mig ? `${f0(migRate)} msg/s` : statusOf(R, 'arche migrate (full, verified)'), mig ? migRate > 280 : null);
  add('Move', 'goal: twice imapsync, 560 msg/s', mig ? `${f0(migRate)} msg/s` : statusOf(R, 'arche migrate (full, verified)'), mig ? migRate >= 560 : null);
  const again = okStep(R, 'arche migrate (no-op re-run)');
  add('Move', 'no-op re-run under 3 s', again ? `${f2(again.seconds)} s` : statusOf(R, 'arche migrate (no-op re-run)'), again ? again.seconds < 3 : null);
  const moveRss = [mig, again].filter(Boolean).map((s) => s.maxRssMb);
  add('Move', 'flat memory, under 300 MB', moveRss.length ? `${f0(Math.max(...moveRss))} MB` : statusOf(R, 'arche migrate (full, verified)'), moveRss.length ? Math.max(...moveRss) < 300 : null);

  const scales = Object.keys(R.search).map(Number).sort((a, b) => a - b);
  const small = scales[0];
  const big = scales[scales.length - 1];
  const ip = big !== undefined ? R.search[big]['arche in-process'] : null;
  const ipOk = ip?.status === 'ok' && big > small;
  add('Find', `in-process: median under 20 ms and p95 under 100 ms at ${int(big)} messages`, ipOk ? `median ${f1(ip.median)} ms, p95 ${f1(ip.p95)} ms` : ip?.status ?? 'not run', ipOk ? ip.median < 20 && ip.p95 < 100 : null);
  const cli = small !== undefined ? R.search[small].arche : null;
  const muq = small !== undefined ? R.search[small].mu : null;
  const cliOk = cli?.status === 'ok' && muq?.status === 'ok';
  add('Find', `\`arche search\` (process start included) median no slower than \`mu find\` at ${int(small)} messages`, cliOk ? `${f1(cli.median)} ms vs ${f1(muq.median)} ms` : cli?.status ?? 'not run', cliOk ? cli.median <= muq.median : null);
  const imp = R.steps.find((s) => s.name.startsWith('arche import') && s.status === 'ok');
  const muSmall = R.steps.find((s) => s.group === 'find' && s.name.startsWith('mu index (+') && s.status === 'ok');
  add('Find', 'indexing at least as fast as mu index (same small messages)', imp && muSmall ? `${f0(imp.messages / imp.seconds)} msg/s vs ${f0(muSmall.messages / muSmall.seconds)} msg/s` : statusOf(R, 'arche import'), imp && muSmall ? imp.messages / imp.seconds >= muSmall.messages / muSmall.seconds : null);
  if (full && mu) add('Find', 'indexing (full backup, download included) at least as fast as mu index on the 20,000 corpus', `${f0(full.messages / full.seconds)} msg/s vs ${f0(mu.messages / mu.seconds)} msg/s`, full.messages / full.seconds >= mu.messages / mu.seconds);
  return out;
}

function statusOf(R, prefix) {
  const s = startsWith(R, prefix);
  if (!s) return 'not run';
  return s.status === 'failed' ? `failed (${s.why.slice(0, 160)})` : s.status;
}

function stepRows(R) {
  return R.steps.map((s) => {
    const ok = s.status === 'ok';
    return {
      group: s.group,
      name: s.name,
      status: s.status,
      messages: ok && s.messages ? int(s.messages) : '',
      seconds: ok ? f2(s.seconds) : '',
      rate: ok && s.messages ? f0(s.messages / s.seconds) : '',
      mbps: ok && s.bytes ? f1(s.bytes / MB / s.seconds) : '',
      rss: ok ? f0(s.maxRssMb) : '',
      note: ok ? s.note ?? '' : s.why ?? '',
    };
  });
}

function ratios(R) {
  const out = [];
  const full = okStep(R, 'arche backup (full)');
  const base = (n) => okStep(R, n);
  if (full) {
    const mb = base('mbsync full');
    const mu = base('mu index (full)');
    const nm = base('notmuch new (full)');
    if (mb) out.push(['arche backup / mbsync (download only)', f2(full.seconds / mb.seconds)]);
    if (mb && mu) out.push(['arche backup / (mbsync + mu index)', f2(full.seconds / (mb.seconds + mu.seconds))]);
    if (mb && nm) out.push(['arche backup / (mbsync + notmuch new)', f2(full.seconds / (mb.seconds + nm.seconds))]);
  }
  const noop = okStep(R, 'arche backup (no-op)');
  const mbn = okStep(R, 'mbsync no-op');
  if (noop && mbn) out.push(['arche no-op backup / mbsync no-op', f2(noop.seconds / mbn.seconds)]);
  const mig = okStep(R, 'arche migrate (full, verified)');
  const loop = okStep(R, 'fetch-then-APPEND loop (baseline)');
  if (mig && loop) out.push(['arche migrate (verified) speed / plain loop speed', f2((mig.messages / mig.seconds) / (loop.messages / loop.seconds))]);
  if (mig) out.push(['arche migrate speed / imapsync reference (280 msg/s)', f2(mig.messages / mig.seconds / 280)]);
  for (const [scale, engines] of Object.entries(R.search)) {
    const a = engines.arche;
    for (const other of ['mu', 'notmuch']) {
      if (a?.status === 'ok' && engines[other]?.status === 'ok') out.push([`arche search CLI median / ${other} median at ${int(Number(scale))}`, f2(a.median / engines[other].median)]);
    }
  }
  return out;
}

function sizeRows(R) {
  const s = R.sizes;
  const raw = s.rawWithExtra ?? s.raw;
  const rows = [['raw mail (sum of message sizes)', gb(raw), '1.00']];
  const add = (label, v, of = raw) => v && rows.push([label, gb(v), f2(v / of)]);
  add('Arche archive (SQLite + blobs + full-text index)', s.archive);
  add('mbsync Maildir', s.mbsyncMaildir);
  add('notmuch database (index only; the Maildir is extra)', s.notmuchDb);
  add('mu database (index only; the Maildir is extra)', s.muDb);
  if (s.rawBig) {
    rows.push([`raw mail, search archive (${int(R.corpus.messages + R.extra + (R.smallCorpus?.messages ?? 0))} messages)`, gb(s.rawBig), '1.00']);
    add('Arche search archive', s.searchArchive, s.rawBig);
    add('notmuch database (same messages)', s.notmuchDbBig, s.rawBig);
    add('mu database (same messages)', s.muDbBig, s.rawBig);
  }
  return rows;
}

function table(headers, rows) {
  const esc = (c) => String(c).replace(/\|/g, '\\|').replace(/\n/g, ' ');
  return [`| ${headers.join(' | ')} |`, `|${headers.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.map(esc).join(' | ')} |`)].join('\n');
}

function searchTables(R) {
  const parts = [];
  for (const [scale, engines] of Object.entries(R.search)) {
    const rows = Object.entries(engines).map(([e, r]) => [e, r.status === 'ok' ? f1(r.median) : r.status, r.status === 'ok' ? f1(r.p95) : '', r.status === 'ok' ? f1(r.max) : '', r.status === 'ok' ? r.samples : '', r.status === 'ok' ? '' : (r.why ?? '').slice(0, 200)]);
    parts.push(`**${int(Number(scale))} messages** (20 queries; each timed ${R.reps ?? ''} times after a warm-up; in-process timed more often)\n\n${table(['engine', 'median (ms)', 'p95 (ms)', 'max (ms)', 'samples', 'note'], rows)}`);
    const perQ = QUERIES.map((q, i) => {
      const cell = (e) => {
        const r = engines[e];
        const p = r?.status === 'ok' ? r.perQuery[i] : null;
        return p ? `${f1(p.median)} (${p.hits ?? '?'})` : '—';
      };
      return [q.kind, `\`${q.arche}\``, cell('arche in-process'), cell('arche'), cell('mu'), cell('notmuch')];
    });
    parts.push(`Per query at ${int(Number(scale))}: median ms (hits)\n\n${table(['kind', 'Arche query', 'Arche in-process', 'arche search', 'mu find', 'notmuch search'], perQ)}`);
  }
  return parts.join('\n\n');
}

export function printReport(R) {
  const w = (s) => process.stdout.write(s + '\n');
  w('\n=== Arche benchmark ===');
  w(`${R.startedAt} · ${R.machine.cpu} × ${R.machine.cores} · ${R.machine.memGb} GB · Node ${R.machine.node}`);
  if (R.corpus) w(`corpus: ${int(R.corpus.messages)} messages, ${gb(R.corpus.bytes)}, median ${f1(R.corpus.medianBytes / 1024)} KB, mean ${f1(R.corpus.meanBytes / 1024)} KB, ${int(R.corpus.withAttachments)} with attachments`);
  w('');
  const rows = stepRows(R);
  const hdr = ['step', 'status', 'msgs', 's', 'msg/s', 'MB/s', 'RSS MB'];
  w(hdr.map((h, i) => (i === 0 ? h.padEnd(40) : h.padStart(9))).join(''));
  for (const r of rows) {
    w([`${r.group}: ${r.name}`.padEnd(40), r.status.slice(0, 9).padStart(9), r.messages.padStart(9), r.seconds.padStart(9), r.rate.padStart(9), r.mbps.padStart(9), r.rss.padStart(9)].join('') + (r.note ? `  ${r.note.slice(0, 140)}` : ''));
  }
  w('\nsizes:');
  for (const [l, v, r] of sizeRows(R)) w(`  ${l.padEnd(62)} ${v.padStart(10)}  × ${r}`);
  w('\nsearch (ms, process start included except in-process):');
  for (const [scale, engines] of Object.entries(R.search)) {
    for (const [e, r] of Object.entries(engines)) w(`  ${int(Number(scale)).padStart(8)} ${e.padEnd(17)} ${r.status === 'ok' ? `median ${f1(r.median).padStart(7)}  p95 ${f1(r.p95).padStart(7)}` : `${r.status} ${r.why ?? ''}`}`);
  }
  w('\nratios:');
  for (const [l, v] of ratios(R)) w(`  ${l.padEnd(58)} ${v}`);
  w('\ntargets:');
  for (const t of targets(R)) w(`  [${t.verdict.padEnd(4)}] ${t.area}: ${t.target} — ${t.measured}`);
  if (R.aborted) w(`\nABORTED: ${R.aborted}`);
}

const F_START = '<!-- findings:start (kept when the bench rewrites this page) -->';
const F_END = '<!-- findings:end -->';
/** The hand-written analysis between the markers survives a re-run of the bench. */
function keptFindings(file) {
  if (!existsSync(file)) return '';
  const old = readFileSync(file, 'utf8');
  const a = old.indexOf(F_START);
  const b = old.indexOf(F_END);
  return a >= 0 && b > a ? old.slice(a + F_START.length, b).trim() : '';
}

export function writeDocs(R, file) {
  const findings = keptFindings(file);
  const c = R.corpus ?? {};
  const m = R.machine;
  const day = R.startedAt.slice(0, 10);
  const doc = `# Benchmarks

Figures from \`npm run bench\` (bench/run.mjs), run on ${day} (${R.startedAt.slice(11, 16)}–${(R.finishedAt ?? '').slice(11, 16)} UTC).
Benchmarks print figures; they are not tests and do not gate CI. Re-running writes this page again.

## Machine

- ${m.cpu}, ${m.cores} cores, ${m.memGb} GB RAM, ${m.os}, Node ${m.node}
- ${m.tools.dovecot.startsWith('2') ? `Dovecot ${m.tools.dovecot}` : m.tools.dovecot}, ${m.tools.mbsync}, ${m.tools.notmuch}, ${m.tools.mu}
- Everything runs on this one machine: the IMAP server (a private Dovecot on 127.0.0.1, TLS), the tools and Arche.
  The 2 cores are shared between the server and the client, so a client that spends less CPU leaves more to Dovecot.

## Corpus

- ${int(c.messages)} generated messages (seed ${c.seed}, generator v${c.generatorVersion}), ${gb(c.bytes)}: median ${f1(c.medianBytes / 1024)} KB, mean ${f1(c.meanBytes / 1024)} KB,
  largest ${f1(c.maxBytes / MB)} MB; ${int(c.withAttachments)} (${f1((100 * c.withAttachments) / c.messages)} %) with base64 attachments of 10 KB–1.5 MB.
- Folders: ${Object.entries(c.folders ?? {}).map(([k, v]) => `${k} ${int(v)}`).join(', ')}; plus an empty Drafts.
- French names with accents; RFC 2047 Q and B words in UTF-8 and ISO-8859-1, some raw 8-bit UTF-8 headers; Message-IDs and threads
  (In-Reply-To, References); dates 2012–2026; text/plain, multipart/alternative and HTML-only bodies in UTF-8, ISO-8859-1 and
  windows-1252, 8bit, quoted-printable and base64; attachment names in RFC 2231 and RFC 2047; deterministic (seeded PRNG).
- Loaded by writing the Maildir directly on disk (Dovecot LAYOUT=fs, mUTF-7 folder names, file mtime = INTERNALDATE), then
  hard-linked into the account's home; Dovecot indexes it on first access, which the bench triggers before any timing
  (${f1(c.dovecotIndexSeconds)} s). APPEND over TLS (~184 msg/s here) would take ~2 minutes per 20,000 messages; the corpus is
  cached in bench/work/corpus/ (keyed by seed, count and generator version).
- ${R.extra} more messages are APPENDed over IMAP for the incremental backup.
- Search archive: the same corpus plus ${int(R.smallCorpus?.messages)} small generated messages (${f1((R.smallCorpus?.meanBytes ?? NaN) / 1024)} KB mean), imported with
  \`arche import --format maildir\`; mu and notmuch index the same messages as a Maildir.

## Results

Time is wall time including process start; peak RSS is the child's (getrusage RUSAGE_CHILDREN, through bench/lib/rusage.py).
MB/s counts the raw message bytes handled by the step.

${table(['area', 'step', 'status', 'messages', 'seconds', 'msg/s', 'MB/s', 'peak RSS (MB)', 'note'], stepRows(R).map((r) => [r.group, r.name, r.status, r.messages, r.seconds, r.rate, r.mbps, r.rss, r.note]))}

### Sizes on disk

${table(['what', 'size', '× raw'], sizeRows(R))}

### Ratios

${table(['ratio', 'value'], ratios(R))}

### Search

Same 20 queries in each engine's syntax (bench/lib/queries.mjs: words, phrases, from:/to:/subject:, attachments, file names,
dates, folder, OR, negation, prefix, flags; rare and common terms), 50 results asked from each engine, page cache warm.
Hit counts differ a little where the engines tokenise differently (notmuch does not fold accents; mu's \`file:\` is a wildcard).

${searchTables(R)}

## Targets

${table(['area', 'target', 'measured', 'verdict'], targets(R).map((t) => [t.area, t.target, t.measured, t.verdict]))}

Reference figures given in the issues for this machine (2 cores, 20,000 messages, 1.67 GB): mbsync 20–25 s full, 0.1 s no-op;
\`mu index\` 25–34 s; \`notmuch new\` 68 s; offlineimap 225 s; imapsync ~280 msg/s (71 s, no-op 9 s) without verification;
\`mu find\` median 38 ms, \`notmuch search\` 157 ms.

## Findings

${F_START}
${findings || '_Analysis of this run: written by hand after the run._'}
${F_END}
${R.aborted ? `\n**The run was aborted:** ${R.aborted}\n` : ''}
## Reproduce

\`\`\`
npm run bench                                   # 20,000 + 100,000 messages (≈ 1.6 GB corpus, ≈ 8 GB of temporary space)
node --expose-gc bench/run.mjs --messages 2000 --search-messages 10000 --no-docs   # quick run while developing
node bench/corpus.mjs --messages 20000          # only generate (and cache) the corpus
\`\`\`

Options: \`--seed N\`, \`--reps N\` (timed runs per query and engine), \`--skip move,find\`, \`--keep-work\` (keep the temp Dovecot,
Maildir and archives), \`--no-docs\`, \`--deadline HH:MM\` (UTC: skip lower-priority steps that would not finish in time${R.deadline ? `; this run used ${R.deadline}` : ''}), \`--from-results FILE\` (rewrite this page from a saved run). Raw results go to bench/work/results-*.json. Needs dovecot-imapd, isync, notmuch, maildir-utils
(Debian) and python3 (peak RSS).
`;
  writeFileSync(file, doc);
}
