/**
 * Content fingerprint that survives servers rewriting line endings: SHA-256 of the bytes with every line ending
 * (CRLF, bare LF, bare CR) written as CRLF. The archive stores the same "normHash" for each content, so a message
 * fetched back from the destination can be matched to the archived one without ever holding a folder in memory.
 */
import { createHash, type Hash } from 'node:crypto';

const CR = 0x0d;
const LF = 0x0a;
const CRLF = Buffer.from([CR, LF]);
const LF_ONLY = Buffer.from([LF]);

/**
 * Incremental: feed chunks as they arrive (a CR at the end of one chunk and an LF at the start of the next is one
 * CRLF). Streaming normaliser: bytes already in CRLF form (what IMAP servers send) are hashed in spans as long as the
 * chunk; only a bare CR or bare LF cuts a span. Hashing line by line cost two native calls per line.
 */
export class NormHasher {
  private readonly hash: Hash = createHash('sha256');
  /** The previous chunk ended with a CR, already hashed as CRLF: an LF starting this chunk belongs to it. */
  private pendingCr = false;

  update(chunk: Uint8Array): this {
    const n = chunk.length;
    let i = 0;
    if (n === 0) return this;
    if (this.pendingCr) {
      this.pendingCr = false;
      if (chunk[0] === LF) i = 1;
    }
    let start = i;
    for (; i < n; i++) {
      const b = chunk[i];
      if (b === CR) {
        if (i + 1 < n) {
          // CRLF as it should be: stays inside the span.
          if (chunk[i + 1] === LF) {
            i++;
            continue;
          }
          // Bare CR: hash up to and including it, then the LF it lacks.
          this.hash.update(chunk.subarray(start, i + 1));
          this.hash.update(LF_ONLY);
          start = i + 1;
        } else {
          // CR ending the chunk: hashed as CRLF now; an LF opening the next chunk is swallowed.
          this.hash.update(chunk.subarray(start, n));
          this.hash.update(LF_ONLY);
          this.pendingCr = true;
          return this;
        }
      } else if (b === LF) {
        // Bare LF (an LF after a CR was stepped over above).
        if (i > start) this.hash.update(chunk.subarray(start, i));
        this.hash.update(CRLF);
        start = i + 1;
      }
    }
    if (start < n) this.hash.update(chunk.subarray(start, n));
    return this;
  }

  digest(): string {
    return this.hash.digest('hex');
  }
}

export function normHash(bytes: Uint8Array): string {
  return new NormHasher().update(bytes).digest();
}
