/**
 * What storing an in-memory message costs besides writing it: its SHA-256 (its address), its normalised hash (for
 * matching by content) and its brotli encoding. One implementation, used by the archive when it stores a message
 * and by the backup's parse workers, which do it off the thread that fetches and commits (profiled: compression and
 * hashing were the largest CPU costs left on that thread; see docs/benchmarks.md).
 */
import { createHash } from 'node:crypto';
import type { PreparedBytes } from './archive.types.std.ts';
import { encodeSmall } from './blob-store.node.ts';
import { normHashGivenSha } from './norm-hash.node.ts';

export function prepareBytes(raw: Buffer): PreparedBytes {
  const sha256 = createHash('sha256').update(raw).digest('hex');
  const enc = encodeSmall(raw);
  return { sha256, normHash: normHashGivenSha(raw, sha256), size: raw.length, ...(enc.compressed ? { compressed: enc.data } : {}) };
}
