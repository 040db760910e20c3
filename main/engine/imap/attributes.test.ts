import { describe, expect, it } from 'vitest';
import { canonicalFlag, hasAttribute, isSelectable } from './attributes.std.ts';

describe('IMAP attributes', () => {
  it('are compared without regard to case (imap4d sends \\NoSelect, Dovecot \\Noselect)', () => {
    expect(isSelectable(new Set(['\\NoSelect']))).toBe(false);
    expect(isSelectable(new Set(['\\NOSELECT', '\\HasChildren']))).toBe(false);
    expect(isSelectable(new Set(['\\nonexistent']))).toBe(false);
    expect(isSelectable(new Set(['\\HasNoChildren']))).toBe(true);
    expect(hasAttribute(['\\SEEN'], '\\Seen')).toBe(true);
    expect(hasAttribute(['\\Seen'], '\\Deleted')).toBe(false);
  });

  it('system flags get their usual spelling; keywords are left as the server gave them', () => {
    expect(['\\SEEN', '\\seen', '\\Flagged', '\\DRAFT', '$Label1', 'NonJunk'].map(canonicalFlag)).toEqual(['\\Seen', '\\Seen', '\\Flagged', '\\Draft', '$Label1', 'NonJunk']);
  });
});
