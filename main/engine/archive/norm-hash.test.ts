import { describe, it, expect } from 'vitest';
import { createHash } from 'node:crypto';
import { NormHasher, normHash, normHashGivenSha } from './norm-hash.node.ts';

const sha = (s: string): string => createHash('sha256').update(s).digest('hex');

describe('normHash', () => {
  it('bare LF, CRLF and bare CR give the same fingerprint as CRLF', () => {
    const crlf = 'Subject: a\r\n\r\nline1\r\nline2\r\n';
    expect(normHash(Buffer.from(crlf))).toBe(sha(crlf));
    expect(normHash(Buffer.from('Subject: a\n\nline1\nline2\n'))).toBe(sha(crlf));
    expect(normHash(Buffer.from('Subject: a\r\rline1\r\nline2\n'))).toBe(sha(crlf));
  });
  it('different content gives a different fingerprint', () => {
    expect(normHash(Buffer.from('a\r\n'))).not.toBe(normHash(Buffer.from('b\r\n')));
  });
  it('is the same whatever the chunking, CR and LF split across chunks included', () => {
    const text = Buffer.from('x\r\ny\nz\r\r\nend');
    const whole = normHash(text);
    for (let cut = 0; cut <= text.length; cut++) {
      const h = new NormHasher().update(text.subarray(0, cut)).update(text.subarray(cut)).digest();
      expect(h).toBe(whole);
    }
  });
  it('matches a plain CR/LF rewrite on random bytes cut anywhere, empty chunks included', () => {
    // Deterministic pseudo-random mixes of CR, LF and letters: every bare/paired combination shows up.
    let seed = 7;
    const next = (m: number): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % m;
    };
    const alphabet = [0x0d, 0x0a, 0x41, 0x42];
    for (let t = 0; t < 3000; t++) {
      const bytes = Buffer.from(Array.from({ length: next(40) }, () => alphabet[next(4)]));
      const expected = sha(bytes.toString('latin1').replace(/\r\n|\r|\n/g, '\r\n'));
      const [a, b] = [next(bytes.length + 1), next(bytes.length + 1)].sort((x, y) => x - y);
      const h = new NormHasher().update(bytes.subarray(0, a)).update(bytes.subarray(a, b)).update(bytes.subarray(b)).digest();
      expect(h).toBe(expected);
    }
  });
});

describe('normHashGivenSha', () => {
  it('is normHash for every kind of line ending, reusing the plain hash only for CRLF bytes', () => {
    const plain = (b: Buffer): string => createHash('sha256').update(b).digest('hex');
    for (const text of ['a\r\nb\r\n\r\nc', 'a\nb', 'a\rb', 'a\r\r\nb', '\na', 'a\r', '', 'no line end']) {
      const b = Buffer.from(text);
      expect(normHashGivenSha(b, plain(b)), JSON.stringify(text)).toBe(normHash(b));
    }
    // The known hash is trusted as given for CRLF bytes: that is the pass it saves.
    expect(normHashGivenSha(Buffer.from('a\r\nb'), 'given')).toBe('given');
    expect(normHashGivenSha(Buffer.from('a\nb'), 'given')).toBe(normHash(Buffer.from('a\nb')));
  });
});
