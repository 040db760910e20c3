#!/usr/bin/env node
/**
 * Search speed, measured reproducibly (issue 4, Benchmark): in-process median/p95 on a 100,000-message archive,
 * and `arche search` with process start on a 20,000-message archive.
 *
 * The archives are generated straight through the archive API (addMessages with the search metadata given, as the
 * backup does), so building 100,000 messages takes seconds, not the hour an IMAP round trip would. They are cached
 * under bench/work/search-archive-*; a cached archive made with an older schema is upgraded when opened (that is
 * what users' archives go through too).
 *
 *   node bench/search-inprocess.mjs [--messages 100000] [--cli-messages 20000] [--reps 10] [--cli-runs 10]
 *                                   [--limit 20] [--seed 1] [--json]
 * Loads the TypeScript sources through tsx: it measures the engine as it is in the working tree.
 */
import { register } from 'tsx/esm/api';
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { makeRng } from './lib/prng.mjs';
import { cachedArchive } from './lib/cached-archive.mjs';
import { FIRST_NAMES, LAST_NAMES, DOMAINS, CITIES, PROJECTS, ORGS, MONTHS, TOPICS, FUNCTION_WORDS, SYLLABLES, OWNER } from './lib/words.mjs';

register();
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const WORK = path.join(ROOT, 'bench', 'work');
/** Bump when the generated messages change: the cache key includes it. */
const GEN_VERSION = 1;

const { values: opt } = parseArgs({
  options: {
    messages: { type: 'string', default: '100000' },
    'cli-messages': { type: 'string', default: '20000' },
    reps: { type: 'string', default: '10' },
    'cli-runs': { type: 'string', default: '10' },
    limit: { type: 'string', default: '20' },
    seed: { type: 'string', default: '1' },
    json: { type: 'boolean', default: false },
  },
});
const N = Number(opt.messages);
const NCLI = Number(opt['cli-messages']);
const REPS = Number(opt.reps);
const CLI_RUNS = Number(opt['cli-runs']);
const LIMIT = Number(opt.limit);
const SEED = Number(opt.seed);
const log = (s) => process.stderr.write(`[search-bench ${new Date().toISOString().slice(11, 19)}] ${s}\n`);

/** The fixed query set: words, phrases, operators (English and French aliases), dates, sizes, negation, OR, rare and common terms. */
export const SEARCH_QUERIES = [
  { kind: 'common word', q: 'merci' },
  { kind: 'word', q: 'facture' },
  { kind: 'rare word', q: 'zéphyrin' },
  { kind: 'very rare word', q: 'quetzalcoatl' },
  { kind: 'accent-folded word', q: 'regate' },
  { kind: 'phrase', q: '"assemblée générale"' },
  { kind: 'from:', q: 'from:dupont' },
  { kind: 'à: (alias)', q: 'à:girard' },
  { kind: 'objet: (alias)', q: 'objet:facture' },
  { kind: 'has:attachment + word', q: 'has:attachment rapport' },
  { kind: 'filename:', q: 'filename:facture' },
  { kind: 'date range + word', q: 'réunion après:2020-01-01 avant:2021-01-01' },
  { kind: 'year + word', q: 'vacances on:2019' },
  { kind: 'folder: + common word', q: 'folder:inbox merci' },
  { kind: 'OR', q: 'vacances OR congés' },
  { kind: 'negation', q: 'projet -budget' },
  { kind: 'prefix', q: 'assembl*' },
  { kind: 'is:unread (filter only)', q: 'is:unread' },
  { kind: 'English word + larger:', q: 'invoice larger:10k' },
  { kind: 'de: + objet:', q: 'de:martin objet:réunion' },
];

// ---------- generation ----------

const FOLDERS = [
  { path: 'INBOX', specialUse: '\\Inbox', share: 0.42, topics: ['facture', 'vacances', 'famille', 'admin', 'reunion', 'asso', 'newsletter', 'projet', 'english'] },
  { path: 'Sent', specialUse: '\\Sent', share: 0.15, topics: ['famille', 'reunion', 'projet', 'vacances', 'asso', 'english'], fromOwner: true },
  { path: 'Archives', specialUse: '\\Archive', share: 0.12, topics: ['facture', 'admin', 'famille', 'vacances'] },
  { path: 'Travail', specialUse: null, share: 0.1, topics: ['reunion', 'projet', 'english'] },
  { path: 'Travail/Projets', specialUse: null, share: 0.06, topics: ['projet'] },
  { path: 'Famille', specialUse: null, share: 0.06, topics: ['famille', 'vacances'] },
  { path: 'Associations/Régate', specialUse: null, share: 0.04, topics: ['asso'] },
  { path: 'Newsletters', specialUse: null, share: 0.05, topics: ['newsletter'] },
];
const ENGLISH = {
  subjects: ['Invoice {n}', 'Meeting notes — {d}', 'Quick question about {p}', 'Holiday photos from {v}'],
  sentences: [
    'Please find attached the invoice {n} for last month.',
    'Thanks for the meeting today, the notes are below.',
    'Could you send me the report before Friday?',
    'We had a great holiday in {v}, photos attached.',
  ],
  attachments: ['invoice-{n}.pdf', 'notes_{y}.docx'],
};
const TOPIC = { ...TOPICS, english: ENGLISH };

function fillerVocabulary(rng, n) {
  const out = new Set();
  while (out.size < n) {
    let w = '';
    const k = rng.int(2, 4);
    for (let i = 0; i < k; i++) w += rng.pick(SYLLABLES);
    out.add(w);
  }
  return [...out];
}

/** One message: raw bytes and the metadata the backup would have extracted from them. */
function makeGenerator(seed) {
  const rng = makeRng(seed);
  const vocab = fillerVocabulary(rng, 20000);
  // Zipf-like: index ~ vocab.length ^ u^2 keeps a few words frequent and most rare
  const zipf = () => vocab[Math.min(vocab.length - 1, Math.floor(Math.pow(vocab.length, rng.next() ** 1.5)) - 1)];
  const person = () => {
    const f = rng.pick(FIRST_NAMES);
    const l = rng.pick(LAST_NAMES);
    const addr = `${f}.${l}`.normalize('NFD').replace(/\p{M}/gu, '').replace(/[^A-Za-z.]/g, '').toLowerCase() + '@' + rng.pick(DOMAINS);
    return { name: `${f} ${l}`, addr, first: f };
  };
  const fmt = (p) => `${p.name} <${p.addr}>`;
  const fill = (s, year) =>
    s
      .replace(/\{n\}/g, () => String(rng.int(10, 9999)))
      .replace(/\{d\}/g, () => `${rng.int(1, 28)} ${rng.pick(MONTHS)}`)
      .replace(/\{y\}/g, String(year))
      .replace(/\{m\}/g, () => rng.pick(MONTHS))
      .replace(/\{v\}/g, () => rng.pick(CITIES))
      .replace(/\{p\}/g, () => rng.pick(PROJECTS))
      .replace(/\{o\}/g, () => rng.pick(ORGS))
      .replace(/\{f\}/g, () => rng.pick(FIRST_NAMES));
  const start = Date.UTC(2012, 0, 1);
  const end = Date.UTC(2026, 10, 1);
  return (i, total) => {
    const folder = (() => {
      let u = rng.next();
      for (const f of FOLDERS) if ((u -= f.share) < 0) return f;
      return FOLDERS[0];
    })();
    const topicName = rng.pick(folder.topics);
    const t = TOPIC[topicName];
    const date = Math.floor(start + ((end - start) * (i + rng.next())) / total);
    const year = new Date(date).getUTCFullYear();
    const other = person();
    const from = folder.fromOwner ? OWNER : other;
    const to = folder.fromOwner ? other : OWNER;
    const cc = rng.chance(0.15) ? [person()] : [];
    const subject = fill(rng.pick(t.subjects), year);
    const lines = [topicName === 'english' ? `Hello ${to.first ?? to.name.split(' ')[0]},` : `Bonjour ${to.first ?? to.name.split(' ')[0]},`, ''];
    const nPara = rng.int(1, 4);
    for (let p = 0; p < nPara; p++) {
      const words = [];
      const sentences = rng.int(1, 3);
      for (let s = 0; s < sentences; s++) words.push(fill(rng.pick(t.sentences), year));
      const filler = rng.int(15, 90);
      for (let k = 0; k < filler; k++) words.push(rng.chance(0.45) ? rng.pick(FUNCTION_WORDS) : zipf());
      if (rng.chance(1 / 1700)) words.push('zéphyrin');
      if (rng.chance(1 / 6700)) words.push('quetzalcoatl');
      lines.push(words.join(' '), '');
    }
    lines.push(topicName === 'english' ? (rng.chance(0.6) ? 'Thanks,' : 'Best regards,') : rng.chance(0.55) ? 'Merci, bonne journée.' : 'Bien cordialement,');
    lines.push(from.name ?? from.first);
    const text = lines.join('\n');
    const attachments = [];
    if (rng.chance(0.12)) {
      const k = rng.int(1, 2);
      for (let a = 0; a < k; a++) {
        const filename = fill(rng.pick(t.attachments), year);
        attachments.push({ filename, contentType: filename.endsWith('.pdf') ? 'application/pdf' : 'application/octet-stream', size: Math.floor(rng.logUniform(1500, 60000)) });
      }
    }
    const messageId = `<${seed}.${i}.${rng.int(0, 1e9)}@bench.arche>`;
    const head = [
      `From: ${fmt(from)}`,
      `To: ${fmt(to)}`,
      ...(cc.length ? [`Cc: ${cc.map(fmt).join(', ')}`] : []),
      `Subject: ${subject}`,
      `Date: ${new Date(date).toUTCString()}`,
      `Message-ID: ${messageId}`,
      'MIME-Version: 1.0',
    ];
    let raw;
    if (!attachments.length) {
      raw = [...head, 'Content-Type: text/plain; charset=utf-8', 'Content-Transfer-Encoding: 8bit', '', text, ''].join('\r\n');
    } else {
      // Attachment bytes are only a little base64 noise (the index never reads them); their declared size counts.
      const parts = [...head, 'Content-Type: multipart/mixed; boundary="b"', '', '--b', 'Content-Type: text/plain; charset=utf-8', '', text];
      for (const a of attachments) {
        const bytes = Buffer.alloc(Math.min(a.size, 8000));
        for (let b = 0; b < bytes.length; b += 4) bytes.writeUInt32LE((rng.next() * 4294967296) >>> 0, Math.min(b, bytes.length - 4));
        parts.push('--b', `Content-Type: ${a.contentType}; name="${a.filename}"`, 'Content-Transfer-Encoding: base64', `Content-Disposition: attachment; filename="${a.filename}"`, '', bytes.toString('base64').replace(/.{76}/g, '$&\r\n'));
      }
      parts.push('--b--', '');
      raw = parts.join('\r\n');
    }
    const flags = [];
    const age = (end - date) / (365 * 864e5);
    if (folder.fromOwner || rng.chance(age < 0.2 ? 0.6 : 0.95)) flags.push('\\Seen');
    if (rng.chance(0.03)) flags.push('\\Flagged');
    return {
      folder,
      // a few messages are kept in two folders: the same content, counted once
      alsoIn: rng.chance(0.03) && folder.path !== 'Archives' ? 'Archives' : null,
      flags,
      date,
      raw: Buffer.from(raw),
      meta: {
        messageId,
        date,
        from: fmt(from),
        to: fmt(to),
        cc: cc.map(fmt).join(', '),
        subject,
        attachments,
        text,
      },
    };
  };
}

function dirSize(dir) {
  let n = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    n += e.isDirectory() ? dirSize(p) : statSync(p).size;
  }
  return n;
}

async function ensureArchive(n) {
  const { dir, built } = await cachedArchive(path.join(WORK, `search-archive-s${SEED}-n${n}-v${GEN_VERSION}`), async (tmp) => {
    const { openArchive } = await import(path.join(ROOT, 'main/engine/archive/archive.node.ts'));
    const archive = openArchive(tmp);
    try {
      const account = archive.ensureAccount('imaps://marie.dubois@mail.mailo.com:993');
      const ids = new Map(FOLDERS.map((f) => [f.path, archive.upsertFolder(account.id, { path: f.path, delimiter: '/', specialUse: f.specialUse }).id]));
      const uids = new Map([...ids.values()].map((id) => [id, 0]));
      const gen = makeGenerator(SEED);
      const BATCH = 500;
      for (let i = 0; i < n; i += BATCH) {
        const batch = [];
        for (let j = i; j < Math.min(n, i + BATCH); j++) {
          const m = gen(j, n);
          for (const p of [m.folder.path, ...(m.alsoIn ? [m.alsoIn] : [])]) {
            const folderId = ids.get(p);
            const uid = uids.get(folderId) + 1;
            uids.set(folderId, uid);
            batch.push({ folderId, uidvalidity: 1, uid, flags: m.flags, internalDate: m.date, raw: m.raw, meta: m.meta });
          }
        }
        archive.addMessages(batch);
        if ((i / BATCH) % 40 === 0) log(`generating ${n} messages: ${i}`);
      }
    } finally {
      archive.close();
    }
    return { messages: n, seed: SEED };
  });
  return { dir, built: built && { seconds: built.seconds, rate: n / built.seconds } };
}

// ---------- measuring ----------

const median = (a) => {
  const s = [...a].sort((x, y) => x - y);
  return s.length ? (s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2) : NaN;
};
const p95 = (a) => {
  const s = [...a].sort((x, y) => x - y);
  return s.length ? s[Math.min(s.length - 1, Math.ceil(0.95 * s.length) - 1)] : NaN;
};
const ms = (x) => `${x.toFixed(1)} ms`;

async function inProcess(dir) {
  const { openArchive } = await import(path.join(ROOT, 'main/engine/archive/archive.node.ts'));
  const { search } = await import(path.join(ROOT, 'main/engine/find/search.node.ts'));
  const archive = openArchive(dir);
  try {
    const perQuery = [];
    const all = [];
    for (const { kind, q } of SEARCH_QUERIES) {
      const first = performance.now();
      const res = search(archive.db, q, { limit: LIMIT });
      const firstMs = performance.now() - first;
      const t = [];
      for (let i = 0; i < REPS; i++) {
        const t0 = performance.now();
        search(archive.db, q, { limit: LIMIT });
        t.push(performance.now() - t0);
      }
      all.push(...t);
      perQuery.push({ kind, q, total: res.total, firstMs, median: median(t), p95: p95(t) });
    }
    return { perQuery, median: median(all), p95: p95(all), max: Math.max(...all), samples: all.length };
  } finally {
    archive.close();
  }
}

function timeRun(cmd, args) {
  const t0 = performance.now();
  const r = spawnSync(cmd, args, { encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } });
  const t = performance.now() - t0;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} → ${r.status}: ${r.stderr.slice(0, 400)}`);
  return { t, out: r.stdout };
}

function cliTimes(dir) {
  const build = spawnSync(process.execPath, [path.join(ROOT, 'scripts/build-cli.mjs')], { cwd: ROOT, encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`build-cli failed: ${build.stderr}`);
  const native = spawnSync(process.execPath, [path.join(ROOT, 'scripts/build-native.mjs')], { cwd: ROOT, encoding: 'utf8' });
  if (native.status !== 0) throw new Error(`build-native failed: ${native.stderr}`);
  // the `arche` launcher, as users run it: the native fast path when built, else Node
  const launcher = path.join(ROOT, 'bin/arche');
  const queries = SEARCH_QUERIES.slice(0, 10).map((x) => x.q);
  const arche = [];
  const bare = [];
  for (const q of queries) timeRun(launcher, ['search', '--json', '--archive', dir, '--', q]); // warm the page cache
  for (let i = 0; i < CLI_RUNS; i++) {
    bare.push(timeRun(process.execPath, ['-e', '']).t);
    for (const q of queries) arche.push(timeRun(launcher, ['search', '--json', '--limit', String(LIMIT), '--archive', dir, '--', q]).t);
  }
  return { median: median(arche), p95: p95(arche), nodeBare: median(bare), samples: arche.length };
}

// ---------- main ----------

const big = await ensureArchive(N);
if (big.built) log(`built ${N} messages in ${big.built.seconds.toFixed(1)} s (${Math.round(big.built.rate)} msg/s)`);
const small = NCLI > 0 ? await ensureArchive(NCLI) : null;
const inproc = await inProcess(big.dir);
const cli = small ? cliTimes(small.dir) : null;
const result = {
  at: new Date().toISOString(),
  load: os.loadavg().map((x) => Number(x.toFixed(2))),
  cpus: os.cpus().length,
  messages: N,
  archiveBytes: dirSize(big.dir),
  built: big.built,
  limit: LIMIT,
  reps: REPS,
  inProcess: inproc,
  cli: cli && { messages: NCLI, runs: CLI_RUNS, ...cli },
  archiveSha: createHash('sha256').update(JSON.stringify(inproc.perQuery.map((p) => p.total))).digest('hex').slice(0, 12),
};
if (opt.json) process.stdout.write(`${JSON.stringify(result)}\n`);
else {
  const out = [];
  out.push(`Arche search, in process — ${N.toLocaleString('en-GB')} messages, archive ${(result.archiveBytes / 1048576).toFixed(0)} MB on disk, limit ${LIMIT}, ${REPS} runs per query`);
  out.push(`load average ${result.load.join(' ')} on ${result.cpus} cores`);
  out.push('');
  out.push(`${'query'.padEnd(44)} ${'matches'.padStart(8)} ${'first'.padStart(9)} ${'median'.padStart(9)} ${'p95'.padStart(9)}`);
  for (const p of inproc.perQuery) out.push(`${p.q.padEnd(44)} ${String(p.total).padStart(8)} ${ms(p.firstMs).padStart(9)} ${ms(p.median).padStart(9)} ${ms(p.p95).padStart(9)}`);
  out.push('');
  out.push(`overall: median ${ms(inproc.median)}, p95 ${ms(inproc.p95)}, max ${ms(inproc.max)} (${inproc.samples} searches) — target median < 20 ms, p95 < 100 ms`);
  if (cli) out.push(`arche search --json, process start included (${NCLI.toLocaleString('en-GB')} messages, ${cli.samples} runs): median ${ms(cli.median)}, p95 ${ms(cli.p95)}; node -e '' median ${ms(cli.nodeBare)}`);
  process.stdout.write(`${out.join('\n')}\n`);
}
