/**
 * Worker-thread entry that prepares messages while the backup goes on fetching: parses them for search
 * (extractMeta), hashes and compresses them (prepareBytes). These are the CPU-heavy parts of a backup; doing them
 * here keeps them off the thread that fetches and commits (and off any thread that serves a window).
 */
import { parentPort } from 'node:worker_threads';
import { extractMeta } from '../archive/extract-meta.node.ts';
import { prepareBytes } from '../archive/prepare-bytes.node.ts';
import type { MessageMeta, PreparedBytes } from '../archive/archive.types.std.ts';
import { stemText } from '../archive/stem.std.ts';

if (!parentPort) throw new Error('parse.worker must run in a worker thread');
const port = parentPort;

port.on('message', (m: { id: number; raw: Uint8Array }) => {
  const raw = Buffer.from(m.raw.buffer, m.raw.byteOffset, m.raw.byteLength);
  let prepared: PreparedBytes | null = null;
  try {
    prepared = prepareBytes(raw);
  } catch {
    // the archive hashes and compresses it itself
  }
  // The compressed bytes go back transferred, in a buffer of their own (no copy, nothing else shared).
  let compressed: Uint8Array<ArrayBuffer> | undefined;
  if (prepared?.compressed) {
    compressed = new Uint8Array(prepared.compressed.byteLength);
    compressed.set(prepared.compressed);
  }
  const reply = (meta: MessageMeta | null): void => {
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
