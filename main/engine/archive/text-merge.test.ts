import { describe, expect, it } from 'vitest';
import { mergeTexts } from './text-merge.std.ts';

describe('mergeTexts (plain and HTML versions)', () => {
  it('adds only the lines of the other version that hold a new word', () => {
    const out = mergeTexts('Voir ce message dans votre navigateur', 'Voir ce message dans votre navigateur\nLa régate aura lieu samedi\n');
    expect(out).toBe('Voir ce message dans votre navigateur\n\nLa régate aura lieu samedi');
  });
  it('adds nothing when the versions say the same (words not counted twice), accents and case aside', () => {
    expect(mergeTexts('La Régate aura lieu', 'la regate AURA lieu')).toBe('La Régate aura lieu');
  });
  it('takes the other version whole when one is empty', () => {
    expect(mergeTexts('', 'seulement en HTML')).toBe('seulement en HTML');
    expect(mergeTexts('seulement en texte', '  ')).toBe('seulement en texte');
  });
});
