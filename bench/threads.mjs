#!/usr/bin/env node
/**
 * Conversations (issue 14): how long a 50-message conversation takes to assemble, and a folder's first page of
 * conversations, in process, in an archive of 100,000 messages (goal: the conversation under 50 ms).
 *
 * The archive is generated through the archive API (addMessages with the search metadata given, as a backup does:
 * threading happens as messages are stored): conversations of 1 to 8 messages, replies naming their parent in
 * In-Reply-To and the whole chain in References, one conversation of exactly 50. Cached under
 * bench/work/threads-archive-<messages>-v<GEN_VERSION>.
 *
 *   node bench/threads.mjs [--messages 100000] [--reps 30] [--json]
 * Loads the TypeScript sources through tsx: it measures the engine as it is in the working tree.
 */
import { register } from 'tsx/esm/api';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createHash } from 'node:crypto';
import { makeRng } from './lib/prng.mjs';
import { cachedArchive } from './lib/cached-archive.mjs';

register();
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const WORK = path.join(ROOT, 'bench', 'work');
const GEN_VERSION = 1;
const { values: opt } = parseArgs({ options: { messages: { type: 'string', default: '100000' }, reps: { type: 'string', default: '30' }, json: { type: 'boolean', default: false } } });
const N = Number(opt.messages);
const REPS = Number(opt.reps);
const LONG = 50;
// which conversation is the long one: the 1,000th, or earlier in a small archive (it must exist)
const LONG_AT = Math.min(1000, Math.floor(N / 20));
const log = (s) => process.stderr.write(`[threads-bench ${new Date().toISOString().slice(11, 19)}] ${s}\n`);

const { openArchive } = await import('../main/engine/archive/archive.node.ts');
const { conversations } = await import('../main/engine/find/threads.node.ts');

function message(i, convId, parents, date) {
  const id = `m${i}@bench.example`;
  const refs = parents.map((p) => `<${p}>`).join(' ');
  const head = [
    `From: Personne ${convId % 500} <p${convId % 500}@bench.example>`,
    'To: Alice <alice@bench.example>',
    `Subject: ${parents.length ? 'Re: ' : ''}Sujet ${convId}`,
    `Date: ${new Date(date).toUTCString()}`,
    `Message-ID: <${id}>`,
    ...(parents.length ? [`In-Reply-To: <${parents[parents.length - 1]}>`, `References: ${refs}`] : []),
  ];
  const raw = Buffer.from(`${head.join('\r\n')}\r\n\r\nMessage ${i} de la conversation ${convId}.\r\n`);
  const meta = { messageId: `<${id}>`, date, from: `Personne ${convId % 500} <p${convId % 500}@bench.example>`, to: 'alice@bench.example', cc: '', subject: `Sujet ${convId}`, attachments: [], text: `Message ${i} de la conversation ${convId}.` };
  return { id, raw, meta };
}

function build(tmp) {
  const archive = openArchive(tmp);
  const acc = archive.ensureAccount('imaps://alice@bench.example:993');
  const inbox = archive.upsertFolder(acc.id, { path: 'INBOX', delimiter: '/', specialUse: '\\Inbox' }).id;
  const sent = archive.upsertFolder(acc.id, { path: 'Sent', delimiter: '/', specialUse: '\\Sent' }).id;
  const rng = makeRng(7).next;
  const t0 = Date.UTC(2015, 0, 1);
  let i = 0;
  let conv = 0;
  let longFirst = null;
  let batch = [];
  const flush = () => {
    archive.addMessages(batch);
    batch = [];
  };
  // conversations are interleaved in time: each one's messages spread over days among the others
  while (i < N) {
    const size = conv === LONG_AT ? LONG : 1 + Math.floor(rng() * 8);
    const chain = [];
    const start = t0 + i * 60_000;
    for (let k = 0; k < size && i < N; k++, i++) {
      const m = message(i, conv, chain.slice(-20), start + k * 3_600_000);
      if (conv === LONG_AT && k === 0) longFirst = createHash('sha256').update(m.raw).digest('hex');
      chain.push(m.id);
      batch.push({ folderId: k % 2 ? sent : inbox, uidvalidity: 1, uid: i + 1, flags: rng() < 0.8 ? ['\\Seen'] : [], internalDate: start + k * 3_600_000, raw: m.raw, meta: m.meta });
      if (batch.length >= 2000) flush();
    }
    conv++;
    if (i % 20000 < 8) log(`  ${i}/${N}`);
  }
  if (batch.length) flush();
  archive.close();
  return { messages: N, longFirst };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const p95 = (xs) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * 0.95))];

const { dir, built } = await cachedArchive(path.join(WORK, `threads-archive-${N}-v${GEN_VERSION}`), (tmp) => {
  log(`generating ${N} messages in conversations`);
  return build(tmp);
});
if (built) log(`  built in ${built.seconds.toFixed(1)} s`);
const archive = openArchive(dir);
try {
  const db = archive.db;
  const long = db.prepare('SELECT conv FROM threads GROUP BY conv HAVING count(*) = ? LIMIT 1').pluck().get(LONG);
  const anyId = db.prepare('SELECT lower(hex(c.sha256)) FROM threads t JOIN contents c ON c.id = t.content_id WHERE t.conv = ? ORDER BY c.id DESC LIMIT 1').pluck().get(long);
  const conv = conversations(db);
  const assemble = [];
  let count = 0;
  for (let r = 0; r < REPS + 3; r++) {
    const t = process.hrtime.bigint();
    count = conv.conversation(anyId).messages.length;
    if (r >= 3) assemble.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  const page = [];
  for (let r = 0; r < Math.max(5, Math.floor(REPS / 3)) + 1; r++) {
    const t = process.hrtime.bigint();
    conv.page({ account: 'imaps://alice@bench.example:993', folder: 'INBOX', limit: 50 });
    if (r >= 1) page.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  const out = {
    messages: db.prepare('SELECT count(*) FROM contents').pluck().get(),
    conversations: db.prepare('SELECT count(DISTINCT conv) FROM threads').pluck().get(),
    conversationMessages: count,
    assembleMedianMs: median(assemble),
    assembleP95Ms: p95(assemble),
    folderPageMedianMs: median(page),
    load: os.loadavg()[0],
  };
  log(`conversation of ${count}: median ${out.assembleMedianMs.toFixed(2)} ms, p95 ${out.assembleP95Ms.toFixed(2)} ms; INBOX first page of conversations: median ${out.folderPageMedianMs.toFixed(0)} ms (load ${out.load.toFixed(2)})`);
  if (opt.json) process.stdout.write(JSON.stringify(out) + '\n');
} finally {
  archive.close();
}
