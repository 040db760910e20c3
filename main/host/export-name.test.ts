import { describe, it, expect } from 'vitest';
import { exportFileName, ownerOf } from './export-name.std.ts';

describe('export file names', () => {
  const at = new Date(2026, 11, 2, 7, 30);
  it('reads like a person would name it, in each language', () => {
    expect(exportFileName('marie', at, 'fr', 'mbox')).toBe('Courrier de marie — 2 décembre 2026.mbox');
    expect(exportFileName('alice', at, 'fr', 'mbox')).toBe('Courrier d’alice — 2 décembre 2026.mbox');
    expect(exportFileName('marie', at, 'en', 'mbox')).toBe('marie’s mail — 2 December 2026.mbox');
    expect(exportFileName(null, at, 'fr', 'maildir')).toBe('Courrier — 2 décembre 2026');
    expect(exportFileName(null, at, 'en', 'eml')).toBe('Mail — 2 December 2026');
  });
  it('is safe on every file system', () => {
    const name = exportFileName('a/b:c*?"<>|\\x\u0001', at, 'fr', 'mbox');
    expect(name).not.toMatch(/[/\\:*?"<>|]/);
    expect([...name].filter((c) => c.charCodeAt(0) < 32)).toEqual([]);
    expect(name.endsWith('.mbox')).toBe(true);
    expect(exportFileName('x'.repeat(500), at, 'en', 'mbox').length).toBeLessThanOrEqual(200);
  });
  it('takes the owner from an address', () => {
    expect(ownerOf('marie@mailo.com')).toBe('marie');
    expect(ownerOf('marie')).toBe('marie');
  });
});
