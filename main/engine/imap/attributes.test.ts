import { describe, expect, it } from 'vitest';
import { hasAttribute, isSelectable } from './attributes.std.ts';

describe('IMAP attributes', () => {
  it('are compared without regard to case (imap4d sends \\NoSelect, Dovecot \\Noselect)', () => {
    expect(isSelectable(new Set(['\\NoSelect']))).toBe(false);
    expect(isSelectable(new Set(['\\NOSELECT', '\\HasChildren']))).toBe(false);
    expect(isSelectable(new Set(['\\nonexistent']))).toBe(false);
    expect(isSelectable(new Set(['\\HasNoChildren']))).toBe(true);
    expect(hasAttribute(['\\SEEN'], '\\Seen')).toBe(true);
    expect(hasAttribute(['\\Seen'], '\\Deleted')).toBe(false);
  });
});
