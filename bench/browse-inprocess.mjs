#!/usr/bin/env node
/**
 * Browse speed (issue 14): the reading view's calls, in process, on a 100,000-message folder — the folder list with
 * counts, a folder's first page (with its total), every further page by key to the very last one, "all folders",
 * and first pages with a filter or a word. Goals: first page < 50 ms, each further page < 16 ms (one frame).
 *
 * The archive is synthetic, written straight through the archive API (addMessages with the search metadata, as the
 * backup does): 100,000 small messages in INBOX, 5% of them also in Sent. Cached under bench/work/browse-archive-*.
 *
 *   node bench/browse-inprocess.mjs [--messages 100000] [--limit 100] [--reps 10] [--json]
 * Loads the TypeScript sources through tsx: it measures the engine as it is in the working tree.
 */
import { register } from 'tsx/esm/api';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { makeRng } from './lib/prng.mjs';
import { median, percentile } from './lib/measure.mjs';
import { cachedArchive } from './lib/cached-archive.mjs';

register();
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const WORK = path.join(ROOT, 'bench', 'work');
/** Bump when the generated messages change: the cache key includes it. */
const GEN_VERSION = 1;

const { values: opt } = parseArgs({
  options: {
    messages: { type: 'string', default: '100000' },
    limit: { type: 'string', default: '100' },
    reps: { type: 'string', default: '10' },
    json: { type: 'boolean', default: false },
    // an archive made elsewhere (npm run bench's Find archive): its folder --folder is browsed, nothing is generated
    archive: { type: 'string' },
    folder: { type: 'string', default: 'INBOX' },
    word: { type: 'string', default: 'facture' },
  },
});
const N = Number(opt.messages);
const LIMIT = Number(opt.limit);
const REPS = Number(opt.reps);
const log = (s) => process.stderr.write(`[browse-bench ${new Date().toISOString().slice(11, 19)}] ${s}\n`);
const DAY = 864e5;

async function ensureArchive(n) {
  const { dir } = await cachedArchive(path.join(WORK, `browse-archive-n${n}-v${GEN_VERSION}`), async (tmp) => {
    const { openArchive } = await import(path.join(ROOT, 'main/engine/archive/archive.node.ts'));
    const archive = openArchive(tmp);
    const rng = makeRng(14);
    try {
      const account = archive.ensureAccount('imaps://marie.dubois%40mailo.com@mail.mailo.com:993');
      const inbox = archive.upsertFolder(account.id, { path: 'INBOX', delimiter: '/', specialUse: null }).id;
      const sent = archive.upsertFolder(account.id, { path: 'Sent', delimiter: '/', specialUse: '\\Sent' }).id;
      const start = Date.UTC(2006, 0, 1);
      let sentUid = 0;
      for (let i = 0; i < n; i += 1000) {
        const batch = [];
        for (let j = i; j < Math.min(n, i + 1000); j++) {
          const date = start + Math.floor((j / n) * 20 * 365 * DAY) + rng.int(0, 3600_000);
          const from = `Personne ${j % 997} <p${j % 997}@exemple.fr>`;
          const subject = `Message ${j} ${rng.chance(0.1) ? 'facture' : 'nouvelles'}`;
          const text = `Bonjour, voici le message ${j}.`;
          const raw = Buffer.from(`From: ${from}\r\nTo: Marie <marie.dubois@mailo.com>\r\nSubject: ${subject}\r\nMessage-ID: <b${j}@exemple.fr>\r\n\r\n${text}\r\n`);
          const attachments = rng.chance(0.1) ? [{ filename: `piece-${j}.pdf`, contentType: 'application/pdf', size: 1000 }] : [];
          const flags = [...(rng.chance(0.9) ? ['\\Seen'] : []), ...(rng.chance(0.03) ? ['\\Flagged'] : [])];
          const meta = { messageId: `b${j}@exemple.fr`, date, from, to: 'Marie <marie.dubois@mailo.com>', cc: '', subject, attachments, text };
          batch.push({ folderId: inbox, uidvalidity: 1, uid: j + 1, flags, internalDate: date, raw, meta });
          if (j % 20 === 0) batch.push({ folderId: sent, uidvalidity: 1, uid: ++sentUid, flags: ['\\Seen'], internalDate: date, raw, meta });
        }
        archive.addMessages(batch);
        if (i % 20000 === 0) log(`generating ${n} messages: ${i}`);
      }
    } finally {
      archive.close();
    }
    return { messages: n };
  });
  return dir;
}

function timed(fn) {
  const t0 = performance.now();
  const value = fn();
  return { value, ms: performance.now() - t0 };
}

function stats(a) {
  return { median: median(a), p95: percentile(a, 95), max: Math.max(...a), samples: a.length };
}

const dir = opt.archive ?? (await ensureArchive(N));
const { openArchive } = await import(path.join(ROOT, 'main/engine/archive/archive.node.ts'));
const find = await import(path.join(ROOT, 'main/engine/find/browse.node.ts'));
const { detectRole } = await import(path.join(ROOT, 'main/engine/imap/mapping.std.ts'));
const browseFolders = (db) => find.browseFolders(db, detectRole);
const browseList = (db, o) => find.browseList(db, detectRole, o);
const archive = openArchive(dir);
const db = archive.db;
const account = browseFolders(db)[0].url;
/** A first page, REPS times (the first run warms the cache and is left out). */
const firstPage = (o) => {
  browseList(db, { ...o, limit: LIMIT });
  const t = [];
  let total = 0;
  for (let i = 0; i < REPS; i++) {
    const r = timed(() => browseList(db, { ...o, limit: LIMIT }));
    total = r.value.total;
    t.push(r.ms);
  }
  return { total, ...stats(t) };
};
/** Every page after the first, following `next` to the end (or `max` pages). */
const furtherPages = (o, max = Infinity) => {
  let next = browseList(db, { ...o, limit: LIMIT }).next;
  const t = [];
  while (next && t.length < max) {
    const r = timed(() => browseList(db, { ...o, limit: LIMIT, after: next }));
    t.push(r.ms);
    next = r.value.next;
  }
  return stats(t);
};
const folders = (() => {
  const t = [];
  for (let i = 0; i < REPS; i++) t.push(timed(() => browseFolders(db)).ms);
  return stats(t);
})();
const inbox = { account, folder: opt.folder };
const result = {
  at: new Date().toISOString(),
  load: os.loadavg().map((x) => Number(x.toFixed(2))),
  cpus: os.cpus().length,
  messages: opt.archive ? db.prepare('SELECT count(*) FROM contents').pluck().get() : N,
  folder: opt.folder,
  word: opt.word,
  limit: LIMIT,
  folders,
  folderFirst: firstPage(inbox),
  folderFurther: furtherPages(inbox),
  allFirst: firstPage({}),
  allFurther: furtherPages({}, 200),
  unreadFirst: firstPage({ ...inbox, unread: true }),
  unreadFurther: furtherPages({ ...inbox, unread: true }, 50),
  wordFirst: firstPage({ ...inbox, query: opt.word }),
  wordFurther: furtherPages({ ...inbox, query: opt.word }, 50),
};
archive.close();
const ms = (x) => `${x.toFixed(1)} ms`;
if (opt.json) process.stdout.write(`${JSON.stringify(result)}\n`);
else {
  const line = (name, s) => `${name.padEnd(46)} ${ms(s.median).padStart(9)} ${ms(s.p95).padStart(9)} ${ms(s.max).padStart(9)} ${String(s.samples).padStart(6)}${s.total !== undefined ? `  (${s.total} lines)` : ''}`;
  const out = [
    `Arche browse, in process — a folder of ${N.toLocaleString('en-GB')} messages, pages of ${LIMIT}; load ${result.load.join(' ')} on ${result.cpus} cores`,
    `${'call'.padEnd(46)} ${'median'.padStart(9)} ${'p95'.padStart(9)} ${'max'.padStart(9)} ${'runs'.padStart(6)}`,
    line('folders with counts', result.folders),
    line('INBOX: first page (with total)', result.folderFirst),
    line('INBOX: every further page, to the last', result.folderFurther),
    line('all folders: first page', result.allFirst),
    line('all folders: 200 further pages', result.allFurther),
    line('INBOX unread: first page', result.unreadFirst),
    line('INBOX unread: 50 further pages', result.unreadFurther),
    line(`${opt.folder} "${opt.word}": first page`, result.wordFirst),
    line(`${opt.folder} "${opt.word}": 50 further pages`, result.wordFurther),
    'goals: first page < 50 ms, each further page < 16 ms',
  ];
  process.stdout.write(`${out.join('\n')}\n`);
}
