import { describe, expect, it } from 'vitest';
import { hasBookkeeping, neutralHash } from './neutral-hash.node.ts';
import { normHash } from '../archive/norm-hash.node.ts';

describe('neutralHash', () => {
  const original = Buffer.from('Subject: Bonjour\r\nMessage-ID: <a@b>\r\n\r\nCorps\r\nStatus: RO\r\n');
  it('is the normHash for a message without bookkeeping fields (a Status line in the body is text)', () => {
    expect(hasBookkeeping(original)).toBe(false);
    expect(neutralHash(original)).toBe(normHash(original));
  });
  it('matches the original once X-UID and Status are left out (header only, bare LF too)', () => {
    const stored = Buffer.from('Subject: Bonjour\nMessage-ID: <a@b>\nX-UID: 12\nStatus: RO\nX-Keywords:\n  $Label1\n\nCorps\nStatus: RO\n');
    const withOwn = Buffer.from('Subject: Bonjour\r\nX-UID: 1\r\nMessage-ID: <a@b>\r\n\r\nCorps\r\nStatus: RO\r\n');
    expect(hasBookkeeping(stored)).toBe(true);
    expect(neutralHash(stored)).toBe(neutralHash(original));
    expect(neutralHash(withOwn)).toBe(neutralHash(original));
    // The body's own text is never touched.
    expect(neutralHash(Buffer.from('Subject: Bonjour\nMessage-ID: <a@b>\nX-UID: 12\n\nAutre\n'))).not.toBe(neutralHash(stored));
  });
});
