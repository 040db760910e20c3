/**
 * Worker thread of `arche check` (and of a mirror's check): decodes and hashes batches of contents handed over by
 * the thread that reads the database (inline rows arrive as transferred buffers: no copy), and runs SQLite's
 * integrity check on a connection of its own, so both go on at once on a machine with two cores or more.
 */
import { parentPort } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { checkItem, type ItemResult, type ScanItem } from './content-hash.node.ts';
import { integrityProblems } from './integrity.node.ts';

if (!parentPort) throw new Error('content-check.worker must run in a worker thread');
const port = parentPort;

export type CheckRequest = { seq: number; dir: string; items: ScanItem[] } | { seq: number; integrity: { file: string; quick: boolean } };
export type CheckReply = { seq: number; results: ItemResult[] } | { seq: number; problems: string[] } | { seq: number; failed: string };

// One request at a time, in order: a batch is read and hashed right here (synchronous reads: nothing else waits on
// this thread), and the next one waits in the port's queue.
let chain: Promise<void> = Promise.resolve();
port.on('message', (m: CheckRequest) => {
  chain = chain.then(async () => {
    if ('integrity' in m) {
      try {
        // Read-only, its own page cache: the scanning thread's connection is left alone.
        const db = new Database(m.integrity.file, { readonly: true, fileMustExist: true });
        try {
          port.postMessage({ seq: m.seq, problems: integrityProblems(db, m.integrity.quick) } satisfies CheckReply);
        } finally {
          db.close();
        }
      } catch (e) {
        // The scanning thread runs it itself, and reports what SQLite says there.
        port.postMessage({ seq: m.seq, failed: String(e) } satisfies CheckReply);
      }
      return;
    }
    const results: ItemResult[] = [];
    for (const item of m.items) results.push(await checkItem(item, m.dir, true));
    port.postMessage({ seq: m.seq, results } satisfies CheckReply);
  });
});
