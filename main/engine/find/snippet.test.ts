import { describe, expect, it } from 'vitest';
import { foldKey } from '../archive/fold.std.ts';
import { makeSnippet } from './snippet.std.ts';

const term = (w: string, prefix = false): { key: string; prefix: boolean } => ({ key: foldKey(w), prefix });

describe('makeSnippet', () => {
  it('marks every form of a word: case, accents, œ, prefix; escapes HTML', () => {
    const text = 'La RÉGATE <du> club et la Régate de Brest ; une œuvre ; assemblée générale';
    expect(makeSnippet(text, [term('regate'), term('oeuvre'), term('assembl', true)])).toBe(
      'La <mark>RÉGATE</mark> &lt;du&gt; club et la <mark>Régate</mark> de Brest ; une <mark>œuvre</mark> ; <mark>assemblée</mark> générale',
    );
  });

  it('opens a window around the first hit, cut at spaces, and stops looking past it', () => {
    const before = 'mot '.repeat(100);
    const after = 'suite '.repeat(100);
    const s = makeSnippet(`${before}facture ${after} facture`, [term('facture')], 80);
    expect(s.startsWith('… ')).toBe(true);
    expect(s.endsWith(' …')).toBe(true);
    expect(s.match(/<mark>/g)).toHaveLength(1);
    expect(s.length).toBeLessThan(140);
  });

  it('gives the same snippets with a cache shared by a page of results', () => {
    const cache = new Map<string, boolean>();
    const terms = [term('Merci')];
    const texts = ['Merci beaucoup', 'merci MERCI', 'rien ici', 'Mercier dit merci'];
    expect(texts.map((t) => makeSnippet(t, terms, 200, cache))).toEqual(texts.map((t) => makeSnippet(t, terms)));
    expect(makeSnippet('Mercier dit merci', terms, 200, cache)).toBe('Mercier dit <mark>merci</mark>');
  });

  it('without words to mark: the beginning of the text', () => {
    expect(makeSnippet('Bonjour à tous', [])).toBe('Bonjour à tous');
  });
});
