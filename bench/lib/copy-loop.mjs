#!/usr/bin/env node
/**
 * The Move baseline: a plain sequential fetch-then-APPEND loop with imapflow, one connection each side, no
 * verification, no resume. Run as its own process so that its time and peak RSS are measured like the others'.
 *
 *   BENCH_SRC_PASS=... BENCH_DST_PASS=... node copy-loop.mjs HOST PORT CAFILE SRCUSER DSTUSER
 * Prints {"messages": N, "bytes": N} on stdout.
 */
import { readFileSync } from 'node:fs';
import { ImapFlow } from 'imapflow';

const [host, portStr, caFile, srcUser, dstUser] = process.argv.slice(2);
const ca = [readFileSync(caFile, 'utf8')];
const mk = (user, pass) => new ImapFlow({ host, port: Number(portStr), secure: true, tls: { ca }, auth: { user, pass }, logger: false });
const src = mk(srcUser, process.env.BENCH_SRC_PASS);
const dst = mk(dstUser, process.env.BENCH_DST_PASS);
await src.connect();
await dst.connect();
const BATCH = 50; // bounded memory: at most 50 messages held at once
let messages = 0;
let bytes = 0;
try {
  const existing = new Set((await dst.list()).map((f) => f.path));
  for (const folder of await src.list()) {
    if (folder.flags.has('\\Noselect') || folder.flags.has('\\NonExistent')) continue;
    if (!existing.has(folder.path)) await dst.mailboxCreate(folder.path);
    const lock = await src.getMailboxLock(folder.path, { readOnly: true });
    try {
      const uids = src.mailbox.exists ? await src.search({ all: true }, { uid: true }) : [];
      for (let i = 0; i < uids.length; i += BATCH) {
        const batch = [];
        // collect first, then APPEND: no IMAP command while a FETCH is being read
        for await (const m of src.fetch(uids.slice(i, i + BATCH), { uid: true, flags: true, internalDate: true, source: true }, { uid: true })) {
          batch.push({ source: m.source, flags: [...m.flags].filter((f) => f !== '\\Recent'), date: m.internalDate });
        }
        for (const m of batch) {
          await dst.append(folder.path, m.source, m.flags, m.date);
          messages++;
          bytes += m.source.length;
        }
      }
    } finally {
      lock.release();
    }
  }
} finally {
  await src.logout().catch(() => {});
  await dst.logout().catch(() => {});
}
process.stdout.write(JSON.stringify({ messages, bytes }) + '\n');
