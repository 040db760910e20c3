import { describe, it, expect } from 'vitest';
import { fr } from './fr.std.ts';
import { en } from './en.std.ts';
import { pickLanguage } from './pick-language.std.ts';

function leaves(o: object, prefix = ''): [string, string][] {
  return Object.entries(o).flatMap(([k, v]) => (typeof v === 'string' ? [[prefix + k, v] as [string, string]] : leaves(v, `${prefix}${k}.`)));
}

describe('screen words', () => {
  it('has the same keys and placeholders in French and English', () => {
    const f = new Map(leaves(fr));
    const e = new Map(leaves(en));
    expect([...e.keys()].sort()).toEqual([...f.keys()].sort());
    const placeholders = (s: string) => [...s.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();
    for (const [k, v] of f) expect(placeholders(e.get(k) ?? ''), k).toEqual(placeholders(v));
  });
  it('never shows technical words outside the technical details', () => {
    for (const [k, v] of [...leaves(fr), ...leaves(en)]) {
      if (k.startsWith('account.tech') || k.startsWith('account.source') || k.startsWith('account.notFound')) continue;
      expect(v, k).not.toMatch(/\b(IMAP|UID|TLS|SSL|UIDVALIDITY|OAuth)\b/);
    }
  });
  it('picks French for French systems, English otherwise, and respects the user choice', () => {
    expect(pickLanguage(null, 'fr-FR', [])).toBe('fr');
    expect(pickLanguage(null, undefined, ['fr-CA', 'en'])).toBe('fr');
    expect(pickLanguage(null, 'de-DE', ['fr'])).toBe('en');
    expect(pickLanguage('en', 'fr-FR', [])).toBe('en');
  });

  it('a system locale that names no language (C, POSIX, C.UTF-8) leaves the choice to the browser', () => {
    for (const none of ['C', 'POSIX', 'C.UTF-8', 'C.utf8', '']) expect(pickLanguage(null, none, ['fr-FR', 'en']), none).toBe('fr');
    expect(pickLanguage(null, 'en_US.UTF-8', ['fr-FR'])).toBe('en');
  });
});
