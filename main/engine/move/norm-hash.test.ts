import { describe, it, expect } from 'vitest';
import { createHash } from 'node:crypto';
import { NormHasher, normHash } from './norm-hash.node.ts';

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
});
