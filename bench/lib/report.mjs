// Turning the results into figures: the console report and docs/benchmarks.md (same tables, same targets).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { QUERIES } from './queries.mjs';

const MB = 1e6;
const f0 = (x) => (Number.isFinite(x) ? x.toFixed(0) : '—');
const f1 = (x) => (Number.isFinite(x) ? x.toFixed(1) : '—');
const f2 = (x) => (Number.isFinite(x) ? x.toFixed(2) : '—');
const gb = (b) => (Number.isFinite(b) ? `${(b / 1e9).toFixed(2)} GB` : '—');
const int = (n) => (Number.isFinite(n) ? n.toLocaleString('en-US') : '—');

/** A step's corpus ('a' for runs saved before the bench had two); by default the run's first corpus. */
const corpusOf = (s) => s.corpus ?? 'a';
const mainOf = (R) => R.mainCorpus ?? 'a';
const find = (R, name, corpus = mainOf(R)) => R.steps.find((s) => s.name === name && corpusOf(s) === corpus);
const okStep = (R, name, corpus) => {
  const s = find(R, name, corpus);
  return s && s.status === 'ok' ? s : null;
};
const startsWith = (R, prefix) => R.steps.find((s) => s.name.startsWith(prefix) && corpusOf(s) === mainOf(R));

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
  for (const id of corporaOf(R)) {
    const k = keepFigures(R, id);
    add('Keep', `corpus ${id}: full backup (indexing included) at most 0.8 × (mbsync + mu index) (issue 16)`, k.full ? `${f1(k.full.seconds)} s vs ${f1(k.budget)} s (ratio ${f2(k.ratioMu)})` : statusOf(R, 'arche backup (full)'), k.full && Number.isFinite(k.ratioMu) ? k.ratioMu <= 0.8 : null);
    add('Keep', `corpus ${id}: peak RSS of the full backup under 300 MB`, k.full ? `${f0(k.full.maxRssMb)} MB` : 'not run', k.full ? k.full.maxRssMb < 300 : null);
  }
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
  // imapsync is measured in the same run, on the same source and server (bench/lib/imapsync.mjs): wall times compared.
  const sync = okStep(R, 'imapsync (baseline)');
  const vsSync = mig && sync ? `${f1(mig.seconds)} s vs ${f1(sync.seconds)} s (ratio ${f2(mig.seconds / sync.seconds)}; ${f0(migRate)} vs ${f0(sync.messages / sync.seconds)} msg/s)` : !mig ? statusOf(R, 'arche migrate (full, verified)') : `imapsync ${statusOf(R, 'imapsync (baseline)')}`;
  add('Move', 'migration with verification no slower than imapsync (unverified), same run', vsSync, mig && sync ? mig.seconds <= sync.seconds : null);
  add('Move', "goal: migrate with verification ≤ 0.5× imapsync's wall time", vsSync, mig && sync ? mig.seconds <= 0.5 * sync.seconds : null);
  const again = okStep(R, 'arche migrate (no-op re-run)');
  add('Move', 'no-op re-run under 3 s', again ? `${f2(again.seconds)} s` : statusOf(R, 'arche migrate (no-op re-run)'), again ? again.seconds < 3 : null);
  const moveRss = [mig, again].filter(Boolean).map((s) => s.maxRssMb);
  add('Move', 'flat memory, under 300 MB', moveRss.length ? `${f0(Math.max(...moveRss))} MB` : statusOf(R, 'arche migrate (full, verified)'), moveRss.length ? Math.max(...moveRss) < 300 : null);

  const scales = Object.keys(R.search).map(Number).sort((a, b) => a - b);
  // issue 14: the search figures on the Find archive, attachment text indexed (older runs: the largest scale)
  const big = R.find ? R.find.messages : scales[scales.length - 1];
  const ip = big !== undefined ? R.search[big]?.['arche in-process'] : null;
  const ipOk = ip?.status === 'ok' && (R.find ? R.find.extract !== undefined : big > scales[0]);
  add('Find', `in-process search: median under 20 ms and p95 under 100 ms at ${int(big)} messages${R.find ? ', attachment text indexed' : ''}`, ipOk ? `median ${f1(ip.median)} ms, p95 ${f1(ip.p95)} ms` : ip?.status ?? 'not run', ipOk ? ip.median < 20 && ip.p95 < 100 : null);
  const small = scales.find((x) => R.search[x].mu?.status === 'ok' && R.search[x].arche?.status === 'ok');
  const cli = small !== undefined ? R.search[small].arche : null;
  const muq = small !== undefined ? R.search[small].mu : null;
  const cliOk = cli?.status === 'ok' && muq?.status === 'ok';
  add('Find', `\`arche search\` (process start included) median no slower than \`mu find\` at ${int(small)} messages`, cliOk ? `${f1(cli.median)} ms vs ${f1(muq.median)} ms` : cli?.status ?? 'not run', cliOk ? cli.median <= muq.median : null);
  const imp = R.steps.find((s) => s.name.startsWith('arche import') && s.status === 'ok');
  const muSame = R.steps.find((s) => s.group === 'find' && s.name.startsWith('mu index (') && s.status === 'ok' && (R.find?.baselines?.mode === 'all' || s.name.startsWith('mu index (+')));
  add('Find', 'indexing at least as fast as mu index (same small messages)', imp && muSame ? `${f0(imp.messages / imp.seconds)} msg/s vs ${f0(muSame.messages / muSame.seconds)} msg/s` : imp && R.find?.baselines ? 'mu indexed only the messages with attachments (--find-baselines all compares)' : statusOf(R, 'arche import'), imp && muSame ? imp.messages / imp.seconds >= muSame.messages / muSame.seconds : null);
  // issue 14: browse, conversations (in process) and attachment text
  const b = R.browse && R.browse.status !== 'failed' ? R.browse : null;
  const bm = (x) => `median ${f1(x.median)} ms, p95 ${f1(x.p95)} ms, max ${f1(x.max)} ms (${x.samples} runs)`;
  add('Find', `browse: a folder's first page (with its total) under 50 ms at ${int(b?.messages)} messages`, b ? bm(b.folderFirst) : statusOf(R, 'browse'), b ? b.folderFirst.median < 50 : null);
  add('Find', 'browse: each further page under 16 ms (p95 of every page to the last)', b ? bm(b.folderFurther) : 'not run', b ? b.folderFurther.p95 < 16 : null);
  add('Find', 'browse: all folders, first page under 50 ms and further pages under 16 ms (p95)', b ? `first ${f1(b.allFirst.median)} ms; further ${bm(b.allFurther)}` : 'not run', b ? b.allFirst.median < 50 && b.allFurther.p95 < 16 : null);
  add('Find', 'browse with a filter (unread; a word): first page under 50 ms and further pages under 16 ms (p95)', b ? `unread ${f1(b.unreadFirst.median)} / ${f1(b.unreadFurther.p95)} ms; «${b.word ?? 'facture'}» ${f1(b.wordFirst.median)} / ${f1(b.wordFurther.p95)} ms` : 'not run', b ? Math.max(b.unreadFirst.median, b.wordFirst.median) < 50 && Math.max(b.unreadFurther.p95, b.wordFurther.p95) < 16 : null);
  const t = R.threads && R.threads.status !== 'failed' ? R.threads : null;
  add('Find', `a conversation of 50 messages assembled in under 50 ms at ${int(t?.messages)} messages`, t ? `median ${f2(t.assembleMedianMs)} ms, p95 ${f2(t.assembleP95Ms)} ms (${t.conversationMessages} messages)` : R.threads?.why ?? 'not run', t ? t.assembleMedianMs < 50 && t.conversationMessages === 50 : null);
  const x = R.find?.extract;
  add('Find', 'attachment text: extraction throughput and index growth reported beside mu and notmuch', x ? `${f0(x.attachmentsPerSecond)} attachments/s, ${f1(x.mbPerSecond)} MB/s; archive +${f1(R.find.growth / MB)} MB (see Find below)` : 'not run', null);
  if (full && mu) add('Find', 'indexing (full backup, download included) at least as fast as mu index on the 20,000 corpus', `${f0(full.messages / full.seconds)} msg/s vs ${f0(mu.messages / mu.seconds)} msg/s`, full.messages / full.seconds >= mu.messages / mu.seconds);
  return out;
}

/** The corpora of a run, in the order run ('a' only for runs saved before corpus b existed). */
export function corporaOf(R) {
  const ids = Object.keys(R.corpora ?? {});
  return ids.length ? ids : ['a'];
}

/** One corpus's Keep figures: Arche's full backup against mbsync + mu index and mbsync + notmuch new. */
function keepFigures(R, id) {
  const full = okStep(R, 'arche backup (full)', id);
  const mb = okStep(R, 'mbsync full', id);
  const mu = okStep(R, 'mu index (full)', id);
  const nm = okStep(R, 'notmuch new (full)', id);
  const budget = mb && mu ? mb.seconds + mu.seconds : NaN;
  return { full, mb, mu, nm, budget, ratioMu: full ? full.seconds / budget : NaN, ratioNm: full && mb && nm ? full.seconds / (mb.seconds + nm.seconds) : NaN };
}

/** The Keep table: per corpus, Arche's backup with search data against a download plus an indexer. */
function keepRows(R) {
  return corporaOf(R).map((id) => {
    const c = (R.corpora ?? {})[id] ?? R.corpus ?? {};
    const k = keepFigures(R, id);
    const sec = (s) => (s ? f1(s.seconds) : '—');
    return [id, `${int(c.messages)} (${gb(c.bytes)}, mean ${f1(c.meanBytes / 1024)} KB)`, sec(k.mb), sec(k.mu), sec(k.nm), sec(k.full), f2(k.ratioMu), f2(k.ratioNm), k.full ? f0(k.full.maxRssMb) : '—', k.full ? whenAndLoad(k.full) : '—'];
  });
}
const KEEP_HEADERS = ['corpus', 'messages', 'mbsync (s)', 'mu index (s)', 'notmuch new (s)', 'arche backup (s)', '÷ (mbsync + mu)', '÷ (mbsync + notmuch)', 'arche peak RSS (MB)', 'arche backup at (UTC), load'];

/** When a step started (UTC) and the machine's 1-minute load average at its start → end (older results have neither). */
function whenAndLoad(s) {
  if (!s.startedAt) return '';
  const load = Array.isArray(s.load) ? ` · load ${s.load.map((l) => l.toFixed(1)).join('→')}` : '';
  return `${s.startedAt.slice(0, 10)} ${s.startedAt.slice(11, 16)}${load}`;
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
      corpus: corpusOf(s),
      group: s.group,
      name: s.name,
      status: s.status,
      messages: ok && s.messages ? int(s.messages) : '',
      seconds: ok ? f2(s.seconds) : '',
      rate: ok && s.messages ? f0(s.messages / s.seconds) : '',
      mbps: ok && s.bytes ? f1(s.bytes / MB / s.seconds) : '',
      rss: ok ? f0(s.maxRssMb) : '',
      note: ok ? s.note ?? '' : s.why ?? '',
      at: whenAndLoad(s),
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
  for (const id of corporaOf(R).filter((x) => x !== mainOf(R))) {
    const k = keepFigures(R, id);
    if (k.full && k.mb) out.push([`corpus ${id}: arche backup / mbsync (download only)`, f2(k.full.seconds / k.mb.seconds)]);
    if (Number.isFinite(k.ratioMu)) out.push([`corpus ${id}: arche backup / (mbsync + mu index)`, f2(k.ratioMu)]);
    if (Number.isFinite(k.ratioNm)) out.push([`corpus ${id}: arche backup / (mbsync + notmuch new)`, f2(k.ratioNm)]);
  }
  const noop = okStep(R, 'arche backup (no-op)');
  const mbn = okStep(R, 'mbsync no-op');
  if (noop && mbn) out.push(['arche no-op backup / mbsync no-op', f2(noop.seconds / mbn.seconds)]);
  const mig = okStep(R, 'arche migrate (full, verified)');
  const loop = okStep(R, 'fetch-then-APPEND loop (baseline)');
  if (mig && loop) out.push(['arche migrate (verified) speed / plain loop speed', f2((mig.messages / mig.seconds) / (loop.messages / loop.seconds))]);
  const sync = okStep(R, 'imapsync (baseline)');
  if (mig && sync) out.push(["arche migrate (verified) wall time / imapsync's wall time", f2(mig.seconds / sync.seconds)]);
  for (const [scale, engines] of Object.entries(R.search)) {
    const a = engines.arche;
    for (const other of ['mu', 'notmuch']) {
      if (a?.status === 'ok' && engines[other]?.status === 'ok') out.push([`arche search CLI median / ${other} median at ${int(Number(scale))}`, f2(a.median / engines[other].median)]);
    }
  }
  return out;
}

function sizeRows(R) {
  const s = R.sizes ?? {};
  const raw = s.rawWithExtra ?? s.raw;
  const rows = raw ? [['raw mail (sum of message sizes)', gb(raw), '1.00']] : [];
  const add = (label, v, of = raw) => v && rows.push([label, gb(v), f2(v / of)]);
  add('Arche archive (SQLite + blobs + full-text index)', s.archive);
  add('mbsync Maildir', s.mbsyncMaildir);
  add('notmuch database (index only; the Maildir is extra)', s.notmuchDb);
  add('mu database (index only; the Maildir is extra)', s.muDb);
  const F = R.find;
  if (F?.archiveAfter) {
    rows.push([`raw mail, Find archive (${int(F.messages)} small messages, ${int(F.withAttachments)} with a document)`, gb(F.rawBytes), '1.00']);
    add('Arche Find archive, before reading attachment text', F.archiveBefore, F.rawBytes);
    add('Arche Find archive, attachment text indexed', F.archiveAfter, F.rawBytes);
    const bl = F.baselines;
    if (bl) {
      rows.push([`raw mail, ${bl.mode === 'all' ? 'the same' : 'its'} ${int(bl.messages)} messages${bl.mode === 'all' ? '' : ' with attachments'} (mu and notmuch)`, gb(bl.bytes), '1.00']);
      add('mu database (index only)', bl.muDb, bl.bytes);
      add('notmuch database (index only)', bl.notmuchDb, bl.bytes);
    }
  }
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

/** Issue 14's figures on the Find archive: attachment text beside mu and notmuch, browse, conversations. */
function findSection(R) {
  const F = R.find;
  const parts = [];
  if (F) {
    const x = F.extract;
    const bl = F.baselines ?? {};
    const stepOf = (prefix) => R.steps.find((s) => s.group === 'find' && s.name.startsWith(prefix) && s.status === 'ok');
    const mu = stepOf('mu index (');
    const nm = stepOf('notmuch new (');
    const rows = [];
    if (x) rows.push(['Arche: `arche attachments` (after `arche import`)', `${int(x.messages)} messages, ${int(x.attachments)} attachments, ${f1(x.bytes / MB)} MB`, f2(x.seconds), `${f0(x.attachmentsPerSecond)} attachments/s, ${f1(x.mbPerSecond)} MB/s`, `+${f1(F.growth / MB)} MB (${f1((100 * F.growth) / F.archiveBefore)} % of ${f1(F.archiveBefore / MB)} MB)`, 'PDF, DOCX, XLSX, PPTX, ODT/ODS/ODP, RTF, text, CSV, HTML']);
    const other = (name, s, db, what) => s && rows.push([name, `${int(s.messages)} messages, ${f1(s.bytes / MB)} MB of mail`, f2(s.seconds), `${f0(s.messages / s.seconds)} msg/s, ${f1(s.bytes / MB / s.seconds)} MB/s`, `${f1(db / MB)} MB (whole index)`, what]);
    other(`mu index (${bl.mode === 'all' ? 'every message' : 'the messages with attachments'})`, mu, bl.muDb, 'text/* attachments (embed:), attachment names; not PDF or office files');
    other(`notmuch new (${bl.mode === 'all' ? 'every message' : 'the messages with attachments'})`, nm, bl.notmuchDb, 'text/* attachments, attachment names; not PDF or office files');
    parts.push(`**Text inside attachments** (${int(F.messages)} small generated messages, ${int(F.withAttachments)} with a real document: bench/lib/documents.mjs)

${table(['engine', 'what', 'seconds', 'throughput', 'index growth / size', 'reads the text of'], rows)}

Not the same work, said plainly: Arche's row is the extraction alone (the messages were indexed by \`arche import\` before:
that archive size is the "before" of the growth); mu's and notmuch's rows index the messages whole (headers, bodies, and the
attachments they read), so their time and database size are an upper bound of what attachments cost them. Hits of the two
queries on attachment text, every engine searching the same messages with attachments (notmuch has no attachment-text field:
its second query is the closest it can say, a message with an attachment and the word anywhere):

${table(['query', 'Arche', 'mu', 'notmuch'], (bl.hits ?? []).map((h) => [h.kind, h.arche ?? '—', h.mu ?? '—', h.notmuch ?? '—']))}`);
  }
  const b = R.browse && R.browse.status !== 'failed' ? R.browse : null;
  if (b) {
    const line = (name, x) => [name, f1(x.median), f1(x.p95), f1(x.max), x.samples, x.total ?? ''];
    parts.push(`**Browse** (bench/browse-inprocess.mjs on the Find archive, in process: ${int(b.messages)} messages in ${b.folder}, pages of ${b.limit}; load ${b.load?.join(' ')})

${table(['call', 'median (ms)', 'p95 (ms)', 'max (ms)', 'runs', 'total'], [
  line('folders with counts', b.folders),
  line(`${b.folder}: first page (with its total)`, b.folderFirst),
  line(`${b.folder}: every further page, to the last`, b.folderFurther),
  line('all folders: first page', b.allFirst),
  line('all folders: 200 further pages', b.allFurther),
  line(`${b.folder} unread: first page`, b.unreadFirst),
  line(`${b.folder} unread: 50 further pages`, b.unreadFurther),
  line(`${b.folder} «${b.word}»: first page`, b.wordFirst),
  line(`${b.folder} «${b.word}»: 50 further pages`, b.wordFurther),
])}`);
  }
  const t = R.threads && R.threads.status !== 'failed' ? R.threads : null;
  if (t) parts.push(`**Conversations** (bench/threads.mjs, its own archive of ${int(t.messages)} messages in ${int(t.conversations)} conversations): a conversation of ${t.conversationMessages} assembled in ${f2(t.assembleMedianMs)} ms median (p95 ${f2(t.assembleP95Ms)} ms); a folder's first page of conversations ${f1(t.folderPageMedianMs)} ms median (load ${f2(t.load)}).`);
  return parts.join('\n\n');
}

/**
 * Several saved runs as one (--from-results A,B): a quiet Find-only run laid over a full one, say. Later files win
 * for the steps they have (same corpus, group and name), the search scales they measured and the Find figures.
 */
export function mergeResults(list) {
  const [first, ...rest] = list;
  const R = structuredClone(first);
  for (const o of rest) {
    const key = (s) => `${s.corpus ?? 'a'}|${s.group}|${s.name}`;
    const replaced = new Set(o.steps.map(key));
    R.steps = [...R.steps.filter((s) => !replaced.has(key(s))), ...o.steps];
    R.search = { ...R.search, ...o.search };
    for (const k of ['find', 'browse', 'threads', 'smallCorpus']) if (o[k]) R[k] = o[k];
    if (!R.corpus && o.corpus) Object.assign(R, { corpus: o.corpus, corpora: o.corpora, sizes: o.sizes });
    R.merged = [...(R.merged ?? [first.startedAt]), o.startedAt];
    R.finishedAt = o.finishedAt > R.finishedAt ? o.finishedAt : R.finishedAt;
  }
  return R;
}

export function printReport(R) {
  const w = (s) => process.stdout.write(s + '\n');
  w('\n=== Arche benchmark ===');
  w(`${R.startedAt} · ${R.machine.cpu} × ${R.machine.cores} · ${R.machine.memGb} GB · Node ${R.machine.node}`);
  if (R.corpus) w(`corpus: ${int(R.corpus.messages)} messages, ${gb(R.corpus.bytes)}, median ${f1(R.corpus.medianBytes / 1024)} KB, mean ${f1(R.corpus.meanBytes / 1024)} KB, ${int(R.corpus.withAttachments)} with attachments`);
  w('');
  const rows = stepRows(R);
  const hdr = ['step', 'status', 'msgs', 's', 'msg/s', 'MB/s', 'RSS MB'];
  w(hdr.map((h, i) => (i === 0 ? h.padEnd(42) : h.padStart(9))).join(''));
  for (const r of rows) {
    w([`${r.corpus} ${r.group}: ${r.name}`.padEnd(42), r.status.slice(0, 9).padStart(9), r.messages.padStart(9), r.seconds.padStart(9), r.rate.padStart(9), r.mbps.padStart(9), r.rss.padStart(9)].join('') + (r.note ? `  ${r.note.slice(0, 140)}` : ''));
  }
  w('\nkeep, per corpus:');
  for (const r of keepRows(R)) w(`  ${KEEP_HEADERS.map((h, i) => `${h} ${r[i]}`).join(' · ')}`);
  w('\nsizes:');
  for (const [l, v, r] of sizeRows(R)) w(`  ${l.padEnd(62)} ${v.padStart(10)}  × ${r}`);
  w('\nsearch (ms, process start included except in-process):');
  for (const [scale, engines] of Object.entries(R.search)) {
    for (const [e, r] of Object.entries(engines)) w(`  ${int(Number(scale)).padStart(8)} ${e.padEnd(17)} ${r.status === 'ok' ? `median ${f1(r.median).padStart(7)}  p95 ${f1(r.p95).padStart(7)}` : `${r.status} ${r.why ?? ''}`}`);
  }
  const fs = findSection(R);
  if (fs) w(`\nfind (issue 14):\n${fs}`);
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

/** Corpus b's paragraph (bench/corpus-real.mjs), when the run had it. */
function corpusBText(R) {
  const b = R.corpora?.b;
  if (!b) return '';
  return `
Corpus b (bench/corpus-real.mjs, a different generator): ${int(b.messages)} messages drawn from ${int(b.sourceMessages)} REAL messages (the team's corpus of
public test and mailing-list messages, ${b.source}; see its README for sources and licences; nothing of it is committed), each with its
own Message-ID and Date, ${gb(b.bytes)}: median ${f1(b.medianBytes / 1024)} KB, mean ${f1(b.meanBytes / 1024)} KB, largest ${f1(b.maxBytes / MB)} MB; ${int(b.withAttachments)}
(${f1((100 * b.withAttachments) / b.messages)} %) wrapped in multipart/mixed with 1–3 attachments of 15 KB–1.2 MB (real PDF, DOCX and XLSX documents
holding the real messages' text, from generator v2; JPEG, PNG, ZIP that do not compress; .doc, CSV and logs that do), on top of the real messages' own attachments, HTML alternatives, charsets and malformed
MIME. Folders: ${Object.entries(b.folders ?? {}).map(([k, v]) => `${k} ${int(v)}`).join(', ')}. Only the Keep steps run on it (account \`dave\`).
`;
}

export function writeDocs(R, file) {
  const findings = keptFindings(file);
  const c = R.corpus ?? {};
  const m = R.machine;
  const day = R.startedAt.slice(0, 10);
  const doc = `# Benchmarks

Figures from \`npm run bench\` (bench/run.mjs), run on ${day} (${R.startedAt.slice(11, 16)}–${(R.finishedAt ?? '').slice(11, 16)} UTC).
Benchmarks print figures; they are not tests and do not gate CI. Re-running writes this page again.${R.merged ? `\nThis page joins the runs started at ${R.merged.join(', ')} (\`--from-results\` with several files: a later run's steps replace an earlier one's).` : ''}

## Machine

- ${m.cpu}, ${m.cores} cores, ${m.memGb} GB RAM, ${m.os}, Node ${m.node}
- ${m.tools.dovecot.startsWith('2') ? `Dovecot ${m.tools.dovecot}` : m.tools.dovecot}, ${m.tools.mbsync}, ${m.tools.notmuch}, ${m.tools.mu}${m.tools.imapsync ? `, imapsync ${m.tools.imapsync} (bench/vendor/imapsync)` : ''}
- Everything runs on this one machine: the IMAP server (a private Dovecot on 127.0.0.1, TLS), the tools and Arche.
  The 2 cores are shared between the server and the client, so a client that spends less CPU leaves more to Dovecot.

## Corpus

- ${int(c.messages)} generated messages (seed ${c.seed}, generator v${c.generatorVersion}), ${gb(c.bytes)}: median ${f1(c.medianBytes / 1024)} KB, mean ${f1(c.meanBytes / 1024)} KB,
  largest ${f1(c.maxBytes / MB)} MB; ${int(c.withAttachments)} (${f1((100 * c.withAttachments) / c.messages)} %) with base64 attachments of 10 KB–1.5 MB: real PDF, DOCX,
  XLSX, ODT, CSV, TXT and HTML documents holding the corpus's words (bench/lib/documents.mjs; from generator v7), and JPEG-like random bytes.
- Folders: ${Object.entries(c.folders ?? {}).map(([k, v]) => `${k} ${int(v)}`).join(', ')}; plus an empty Drafts.
- French names with accents; RFC 2047 Q and B words in UTF-8 and ISO-8859-1, some raw 8-bit UTF-8 headers; Message-IDs and threads
  (In-Reply-To, References); dates 2012–2026; text/plain, multipart/alternative and HTML-only bodies in UTF-8, ISO-8859-1 and
  windows-1252, 8bit, quoted-printable and base64; attachment names in RFC 2231 and RFC 2047; deterministic (seeded PRNG).
- Loaded by writing the Maildir directly on disk (Dovecot LAYOUT=fs, mUTF-7 folder names, file mtime = INTERNALDATE), then
  hard-linked into the account's home; Dovecot indexes it on first access, which the bench triggers before any timing
  (${f1(c.dovecotIndexSeconds)} s). APPEND over TLS (~184 msg/s here) would take ~2 minutes per 20,000 messages; the corpus is
  cached in bench/work/corpus/ (keyed by seed, count and generator version).
- ${R.extra} more messages are APPENDed over IMAP for the incremental backup.
- Find archive (issue 14): ${int(R.smallCorpus?.messages)} small generated messages (${f1((R.smallCorpus?.meanBytes ?? NaN) / 1024)} KB mean), ${int(R.smallCorpus?.withAttachments)} of them with one real document
  (PDF, DOCX, XLSX, ODT, CSV, TXT, HTML of 2–30 KB, words of the corpus's vocabulary; "ornithorynque" only inside documents),
  imported with \`arche import --format maildir\`, then their attachment text read by \`arche attachments\`; the search, browse
  figures at that size are taken with attachment text indexed. mu and notmuch index the same Maildir's messages with attachments.
${corpusBText(R)}
## Results

Time is wall time including process start; peak RSS is the child's (getrusage RUSAGE_CHILDREN, through bench/lib/rusage.py).
MB/s counts the raw message bytes handled by the step. Load is the machine's 1-minute load average when the step started
and when it ended (2 cores: above 2, other work was competing with the step).

${table(['corpus', 'area', 'step', 'status', 'messages', 'seconds', 'msg/s', 'MB/s', 'peak RSS (MB)', 'started (UTC), load', 'note'], stepRows(R).map((r) => [r.corpus, r.group, r.name, r.status, r.messages, r.seconds, r.rate, r.mbps, r.rss, r.at, r.note]))}

### Keep on each corpus

Arche's full backup with search data against a download (mbsync) plus an indexer, on each corpus of the run.

${table(KEEP_HEADERS, keepRows(R))}

### Sizes on disk

${table(['what', 'size', '× raw'], sizeRows(R))}

### Ratios

${table(['ratio', 'value'], ratios(R))}

### Search

Same 20 queries in each engine's syntax (bench/lib/queries.mjs: words, phrases, from:/to:/subject:, attachments, file names,
dates, folder, OR, negation, prefix, flags; rare and common terms), 50 results asked from each engine, page cache warm.
Hit counts differ a little where the engines tokenise differently (notmuch does not fold accents; mu's \`file:\` is a wildcard).

${searchTables(R)}

### Find: attachment text, browse, conversations (issue 14)

${findSection(R) || '_Not run._'}

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
npm run bench -- --skip keep,move,loop --no-docs  # Find alone (issue 14's figures), then --from-results FULL.json,FIND.json
node --expose-gc bench/run.mjs --messages 2000 --search-messages 10000 --no-docs   # quick run while developing
node bench/corpus.mjs --messages 20000          # only generate (and cache) the corpus
\`\`\`

Options: \`--corpus a|b|both\` (default both: the Keep steps on the generated corpus a and on corpus b made of real messages;
Move on the first), \`--seed N\`, \`--reps N\` (timed runs per query and engine), \`--skip keep,move,find,loop,threads,browse\` (any of them;
\`--skip keep,move,loop\` runs Find alone on its own archive, no Dovecot: about 10 minutes at 100,000; \`--skip keep,find,loop\` measures the
move alone against imapsync), \`--search-messages N\` (the Find archive's size), \`--find-baselines attachments|all|none\` (what mu and
notmuch index of the Find Maildir: its messages with attachments, all of it and searched too, or nothing), \`--keep-work\` (keep the temp Dovecot,
Maildir and archives), \`--no-docs\`, \`--deadline HH:MM\` (UTC: skip lower-priority steps that would not finish in time${R.deadline ? `; this run used ${R.deadline}` : ''}), \`--from-results FILE[,FILE…]\` (rewrite this page from saved runs; several are joined, a later run's steps replacing an earlier one's). Raw results go to bench/work/results-*.json. Needs dovecot-imapd, isync, notmuch, maildir-utils
(Debian) and python3 (peak RSS); imapsync (vendored in bench/vendor/) needs Perl modules from Debian. \`scripts/bench-deps.sh\`
installs all of them; a step whose tool is missing is skipped with the reason. Corpus b needs the real messages in
/work/shared/corpora (or \`ARCHE_BENCH_REAL_CORPUS\`).
`;
  writeFileSync(file, doc);
}
