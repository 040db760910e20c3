#!/usr/bin/env node
/**
 * The bench's SECOND corpus shape ("b"), made by a different generator than bench/corpus.mjs ("a"), so that no
 * ratio in docs/benchmarks.md depends on one corpus: mu indexes corpus "a" (generated pseudo-French text) unusually
 * slowly, and an independently generated 1.67 GB corpus gave other ratios (issue 16).
 *
 * Messages are drawn from the team's REAL messages (/work/shared/corpora, or $ARCHE_BENCH_REAL_CORPUS; see its README
 * for sources and licences; nothing from it is committed, the corpus is built on the machine that runs the bench).
 * Each copy gets its own Message-ID and Date (so every message is unique, as in a mailbox); about 12 % are wrapped
 * in multipart/mixed with 1–3 attachments of 15 KB–1.2 MB shaped like real ones: PDF/DOCX/XLSX are real documents
 * (bench/lib/documents.mjs) holding text of the real messages plus random bytes standing for their pictures (v2);
 * JPEG/PNG/ZIP bodies do not compress (random after a real magic number); old .doc and text/CSV/log files do. The real
 * messages bring the rest: real headers from many mailers, RFC 2047 words, HTML alternatives, charsets from
 * ISO-8859-1 to GB2312 and Shift_JIS, forwarded message/rfc822, inline images, list footers.
 * Left out: files with NUL bytes (IMAP cannot carry them without BINARY) and mbox files (more than one message).
 * Line ends are LF, as in Maildir files; Dovecot sends CRLF.
 *
 *   node bench/corpus-real.mjs [--messages N] [--seed S]
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { makeRng } from './lib/prng.mjs';
import { makeDocument } from './lib/documents.mjs';
import { b64Lines, printCorpus, rfc2822, writeMaildirCorpus } from './lib/maildir.mjs';

export const REAL_GENERATOR_VERSION = 2;
export const REAL_SOURCE = process.env.ARCHE_BENCH_REAL_CORPUS ?? '/work/shared/corpora';

/** Folders of corpus b with their share; spam samples go to the junk folder whatever the draw. */
const FOLDERS_B = [
  { name: 'INBOX', share: 0.4 },
  { name: 'Listes/usrp-users', share: 0.2 },
  { name: 'Archive', share: 0.15 },
  { name: 'Travail', share: 0.1 },
  { name: 'Éléments envoyés', share: 0.1 },
  { name: 'Factures 2021', share: 0.05 },
];
const JUNK = 'Courrier indésirable';

/** The source messages: every file of the real corpus that holds one message. */
function sourceMessages(root) {
  const out = [];
  const walk = (dir) => {
    for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile() && !/\.(md|txt|json|rlug)$/i.test(e.name) && statSync(p).size < 4_000_000) {
        let b = readFileSync(p);
        if (b.includes(0)) continue;
        // an mbox-style "From " envelope line is not part of the message
        if (b.subarray(0, 5).toString('latin1') === 'From ') b = b.subarray(b.indexOf(10) + 1);
        b = crlfToLf(b);
        const headEnd = b.indexOf('\n\n');
        if (headEnd < 0 || !/^[!-9;-~]+:/.test(b.subarray(0, 200).toString('latin1'))) continue;
        const head = b.subarray(0, headEnd + 1).toString('latin1');
        if (/^(From|Date|Subject|Message-ID):/im.test(head) === false) continue;
        out.push({ rel: path.relative(root, p), head, body: b.subarray(headEnd + 2), spam: /spamassassin-tdata\/spam\//.test(p) });
      }
    }
  };
  walk(root);
  return out;
}

function crlfToLf(b) {
  if (!b.includes(13)) return b;
  const out = Buffer.allocUnsafe(b.length);
  let j = 0;
  for (let i = 0; i < b.length; i++) {
    if (b[i] === 13 && b[i + 1] === 10) continue;
    out[j++] = b[i];
  }
  return out.subarray(0, j);
}

/** Header fields as [name, whole field text with folded lines] in order. */
function fields(head) {
  const out = [];
  for (const line of head.split('\n')) {
    if (!line) continue;
    if (/^[ \t]/.test(line) && out.length) out[out.length - 1][1] += '\n' + line;
    else out.push([line.slice(0, Math.max(0, line.indexOf(':'))).toLowerCase(), line]);
  }
  return out;
}

let pool;
/** 8 MB of seeded random bytes (the incompressible inside of JPEG, PDF streams, ZIP-based office files). */
function randomPool() {
  if (pool) return pool;
  const rng = makeRng(0xb0b);
  pool = Buffer.allocUnsafe(8_000_000);
  for (let i = 0; i < pool.length; i += 4) pool.writeUInt32LE(Math.floor(rng.next() * 4294967296), i);
  return pool;
}
function randomSlice(rng, n) {
  const p = randomPool();
  n = Math.min(n, p.length);
  const start = Math.floor(rng.next() * (p.length - n));
  return p.subarray(start, start + n);
}

/** Text for compressible attachments: bodies of the real messages, as a log or a CSV would repeat them. */
function textLike(rng, sources, n, csv) {
  const parts = [];
  let len = 0;
  while (len < n) {
    const s = sources[Math.floor(rng.next() * sources.length)].body.toString('latin1').replace(/[^\x20-\x7e\n]/g, '');
    const t = csv ? s.split('\n').map((l, k) => `${k};${l.replace(/;/g, ',').slice(0, 60)};${(k * 37) % 1000}`).join('\n') : s;
    parts.push(t);
    len += t.length + 1;
  }
  return Buffer.from(parts.join('\n').slice(0, n), 'latin1');
}

const KINDS = [
  { ext: 'jpg', ct: 'image/jpeg', w: 30, magic: Buffer.from('ffd8ffe000104a46494600010101004800480000', 'hex') },
  { ext: 'pdf', ct: 'application/pdf', w: 30, document: true },
  { ext: 'png', ct: 'image/png', w: 8, magic: Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex') },
  { ext: 'docx', ct: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', w: 10, document: true },
  { ext: 'xlsx', ct: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', w: 5, document: true },
  { ext: 'doc', ct: 'application/msword', w: 4, magic: Buffer.from('d0cf11e0a1b11ae1', 'hex'), half: true },
  { ext: 'csv', ct: 'text/csv; charset=utf-8', w: 5, text: 'csv' },
  { ext: 'log', ct: 'text/plain; charset=us-ascii', w: 5, text: 'log' },
  { ext: 'zip', ct: 'application/zip', w: 3, magic: Buffer.from('504b0304', 'hex') },
];
const KIND_TOTAL = KINDS.reduce((a, k) => a + k.w, 0);
const NAMES = ['scan', 'facture', 'photo', 'compte-rendu', 'devis', 'IMG_', 'rapport', 'Relevé', 'plan', 'attestation', 'tableau', 'export'];

function attachment(rng, sources, boundary) {
  let x = rng.next() * KIND_TOTAL;
  let kind = KINDS[0];
  for (const k of KINDS) { if (x < k.w) { kind = k; break; } x -= k.w; }
  const raw = Math.round(rng.logUniform(15_000, 1_200_000));
  let bytes;
  if (kind.text) bytes = textLike(rng, sources, raw, kind.text === 'csv');
  else if (kind.half) bytes = Buffer.concat([kind.magic, Buffer.alloc(Math.floor(raw / 4)), textLike(rng, sources, Math.floor(raw / 4), false), randomSlice(rng, Math.floor(raw / 2))]);
  else if (kind.document) {
    // a real PDF/DOCX/XLSX (v2): the text of real messages inside, random bytes standing for its pictures
    const textLen = Math.min(raw, rng.int(1500, 12_000));
    bytes = makeDocument(kind.ext, textLike(rng, sources, textLen, false).toString('latin1'), randomSlice(rng, raw - textLen));
  } else bytes = Buffer.concat([kind.magic, randomSlice(rng, raw)]);
  const base = rng.pick(NAMES);
  const name = `${base}${base.endsWith('_') ? rng.int(1000, 9999) : `-${rng.int(1, 99)}`}.${kind.ext}`;
  // non-ASCII names (Relevé) as RFC 2231, as Thunderbird and Outlook write them
  const fname = /^[\x20-\x7e]*$/.test(name) ? `filename="${name}"` : `filename*=UTF-8''${encodeURIComponent(name)}`;
  const head = `--${boundary}\nContent-Type: ${kind.ct}; name="${name.normalize('NFD').replace(/[\u0300-\u036f]/g, '')}"\nContent-Transfer-Encoding: base64\nContent-Disposition: attachment;\n ${fname}\n\n`;
  return Buffer.concat([Buffer.from(head, 'utf8'), b64Lines(bytes)]);
}

/**
 * Message `i` of corpus b: a real message with its own Message-ID and Date, sometimes carrying attachments.
 * Returns { folder, date (ms), flags, bytes, attach }.
 */
export function makeRealMessage(rng, i, sources, seed, range = { start: Date.UTC(2012, 0, 1), end: Date.UTC(2026, 10, 1) }) {
  const src = sources[Math.floor(rng.next() * sources.length)];
  const date = range.start + Math.floor(rng.next() * (range.end - range.start));
  let folder;
  if (src.spam) folder = JUNK;
  else {
    let x = rng.next();
    folder = FOLDERS_B[FOLDERS_B.length - 1].name;
    for (const f of FOLDERS_B) { if (x < f.share) { folder = f.name; break; } x -= f.share; }
  }
  const all = fields(src.head);
  const kept = all.filter(([n]) => n !== 'message-id' && n !== 'date');
  const content = kept.filter(([n]) => n.startsWith('content-'));
  const other = kept.filter(([n]) => !n.startsWith('content-'));
  const ids = `Message-ID: <b${i.toString(36)}.${seed}.${date.toString(36)}@corpus-b.bench.example>\nDate: ${rfc2822(date, 1)}\n`;
  const attach = rng.chance(0.12);
  let bytes;
  if (!attach) {
    bytes = Buffer.concat([Buffer.from(ids, 'latin1'), Buffer.from(kept.map(([, t]) => t).join('\n') + '\n\n', 'latin1'), src.body]);
  } else {
    const boundary = `=_b${i.toString(36)}_${seed}`;
    const head = ids + other.filter(([n]) => n !== 'mime-version').map(([, t]) => t).join('\n') + `\nMIME-Version: 1.0\nContent-Type: multipart/mixed;\n boundary="${boundary}"\n\n`;
    const firstHead = content.length ? content.map(([, t]) => t).join('\n') : 'Content-Type: text/plain; charset=us-ascii';
    const parts = [Buffer.from(head + 'This is a multi-part message in MIME format.\n', 'latin1'), Buffer.from(`--${boundary}\n${firstHead}\n\n`, 'latin1'), src.body, Buffer.from('\n')];
    const n = rng.chance(0.75) ? 1 : rng.int(2, 3);
    for (let k = 0; k < n; k++) parts.push(attachment(rng, sources, boundary));
    parts.push(Buffer.from(`--${boundary}--\n`));
    bytes = Buffer.concat(parts);
  }
  const fr = rng.next();
  const flags = folder === 'Éléments envoyés' ? 'S' : fr < 0.1 ? '' : fr < 0.2 ? 'RS' : fr < 0.23 ? 'FS' : 'S';
  return { folder, date, flags, bytes, attach };
}

let cachedSources;
function loadSources() {
  if (!cachedSources) {
    if (!existsSync(REAL_SOURCE)) throw new Error(`corpus b needs real messages in ${REAL_SOURCE} (set ARCHE_BENCH_REAL_CORPUS)`);
    cachedSources = sourceMessages(REAL_SOURCE);
    if (cachedSources.length < 100) throw new Error(`corpus b: only ${cachedSources.length} messages found in ${REAL_SOURCE}`);
  }
  return cachedSources;
}

/** Generate (or reuse) corpus b; same result shape as ensureCorpus() of corpus.mjs. */
export function ensureRealCorpus(opts, onProgress) {
  const o = { seed: 1, ...opts };
  const rng = makeRng(o.seed * 31337 + 2);
  let sources;
  return writeMaildirCorpus(
    {
      key: `real-s${o.seed}-n${o.messages}-v${REAL_GENERATOR_VERSION}`,
      messages: o.messages,
      folders: [...FOLDERS_B.map((x) => x.name), JUNK],
      // the real messages are read only when the corpus is not cached yet
      make: (i) => makeRealMessage(rng, i, (sources ??= loadSources()), o.seed),
      // No W= (size with CRLF) in the name: some real messages hold lone CRs; Dovecot counts it itself.
      fileName: (msg, i) => `${Math.floor(msg.date / 1000)}.M${i}P${o.seed}.benchb,S=${msg.bytes.length}:2,${msg.flags}`,
      manifest: { seed: o.seed, profile: 'real', generatorVersion: REAL_GENERATOR_VERSION, get sourceMessages() { return loadSources().length; }, source: REAL_SOURCE },
    },
    onProgress,
  );
}

/** The "new mail arrived" messages of corpus b (appended to INBOX during the bench). */
export function extraRealMessages(seed, count, firstIndex) {
  const sources = loadSources();
  const rng = makeRng(seed * 7349 + firstIndex);
  const out = [];
  for (let i = 0; i < count; i++) out.push({ ...makeRealMessage(rng, firstIndex + i, sources, seed, { start: Date.UTC(2026, 10, 2), end: Date.UTC(2026, 10, 20) }), folder: 'INBOX' });
  return out;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { messages: { type: 'string' }, seed: { type: 'string' } } });
  printCorpus((progress) => ensureRealCorpus({ messages: Number(values.messages ?? 20000), seed: Number(values.seed ?? 1) }, progress));
}
