/**
 * Worker-thread entry that parses messages for search (extractMeta) while the backup goes on fetching: parsing is
 * the CPU-heavy part of a backup, and doing it here keeps it off the thread that fetches and commits (and off any
 * thread that serves a window).
 */
import { parentPort } from 'node:worker_threads';
import { extractMeta } from '../archive/extract-meta.node.ts';

if (!parentPort) throw new Error('parse.worker must run in a worker thread');
const port = parentPort;

port.on('message', (m: { id: number; raw: Uint8Array }) => {
  const raw = Buffer.from(m.raw.buffer, m.raw.byteOffset, m.raw.byteLength);
  extractMeta(raw).then(
    (meta) => port.postMessage({ id: m.id, meta }),
    () => port.postMessage({ id: m.id, meta: null }),
  );
});
