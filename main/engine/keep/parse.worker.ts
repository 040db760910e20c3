/**
 * Worker-thread entry that prepares messages while the backup goes on fetching: parses them for search
 * (extractMeta), hashes and compresses them (prepareBytes). These are the CPU-heavy parts of a backup; doing them
 * here keeps them off the thread that fetches and commits (and off any thread that serves a window).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { extractMeta } from '../archive/extract-meta.node.ts';
import { prepareBytes } from '../archive/prepare-bytes.node.ts';
import type { MessageMeta, PreparedBytes } from '../archive/archive.types.std.ts';
import { stemText } from '../archive/stem.std.ts';
import { PREPARE_BY_WORKER } from './parse-pool.node.ts';

if (!parentPort) throw new Error('parse.worker must run in a worker thread');
const port = parentPort;
/** Who hashes and compresses each message (parse-pool.node.ts): absent, this worker always does. */
const claims = (workerData as { claims?: SharedArrayBuffer } | null)?.claims;
const slots = claims ? new Int32Array(claims) : null;

/** The message's hash and brotli encoding, unless the storing thread has taken them (then null: it makes them). */
function prepare(id: number, raw: Buffer): PreparedBytes | null {
  if (slots && Atomics.compareExchange(slots, id % slots.length, 0, PREPARE_BY_WORKER) !== 0) return null;
  try {
    return prepareBytes(raw);
  } catch {
    return null; // the archive hashes and compresses it itself
  }
}

port.on('message', (m: { id: number; raw: Uint8Array }) => {
  const raw = Buffer.from(m.raw.buffer, m.raw.byteOffset, m.raw.byteLength);
  const reply = (meta: MessageMeta | null): void => {
    // After the parse, not before: the longer the storing thread has to take this work, the more of it it can take.
    const prepared = prepare(m.id, raw);
    // The compressed bytes go back transferred, in a buffer of their own (no copy, nothing else shared).
    let compressed: Uint8Array<ArrayBuffer> | undefined;
    if (prepared?.compressed) {
      compressed = new Uint8Array(prepared.compressed.byteLength);
      compressed.set(prepared.compressed);
    }
    const p = prepared ? { sha256: prepared.sha256, normHash: prepared.normHash, size: prepared.size, compressed } : null;
    port.postMessage({ id: m.id, meta, prepared: p }, compressed ? [compressed.buffer] : []);
  };
  // The stems too: after the parse was made cheaper, stemming was the largest cost left on the committing thread
  // (profiled, docs/benchmarks.md); here it runs beside the commits.
  extractMeta(raw).then(
    (meta) => reply({ ...meta, stems: stemText(meta.subject, meta.text) }),
    () => reply(null),
  );
});
