/**
 * Content fingerprint that survives servers rewriting line endings: SHA-256 of the bytes with every line ending
 * (CRLF, bare LF, bare CR) written as CRLF. The archive stores the same "normHash" for each content, so a message
 * fetched back from the destination can be matched to the archived one without ever holding a folder in memory.
 */
import { createHash, type Hash } from 'node:crypto';

const CR = 0x0d;
const LF = 0x0a;
const CRLF = Buffer.from([CR, LF]);

/** Incremental: feed chunks as they arrive (a CR at the end of one chunk and an LF at the start of the next is one CRLF). */
export class NormHasher {
  private readonly hash: Hash = createHash('sha256');
  private pendingCr = false;

  update(chunk: Uint8Array): this {
    let start = 0;
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i];
      if (this.pendingCr) {
        this.pendingCr = false;
        if (b === LF) {
          // CR already written as CRLF: swallow this LF.
          start = i + 1;
          continue;
        }
      }
      if (b === CR) {
        if (i > start) this.hash.update(chunk.subarray(start, i));
        this.hash.update(CRLF);
        this.pendingCr = true;
        start = i + 1;
      } else if (b === LF) {
        if (i > start) this.hash.update(chunk.subarray(start, i));
        this.hash.update(CRLF);
        start = i + 1;
      }
    }
    if (start < chunk.length) this.hash.update(chunk.subarray(start));
    return this;
  }

  digest(): string {
    return this.hash.digest('hex');
  }
}

export function normHash(bytes: Uint8Array): string {
  return new NormHasher().update(bytes).digest();
}
