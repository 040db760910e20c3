import { describe, expect, it } from 'vitest';
import { htmlMayAddWords } from './html-words.std.ts';
import { foldedWords } from './text-merge.std.ts';
import { visibleOf } from './extract-meta.node.ts';

const known = foldedWords('La Régate aura lieu samedi, AT et T');

describe('htmlMayAddWords (is converting the HTML worth it?)', () => {
  it('says no when the HTML shows only words the plain version has, accents and case aside', () => {
    expect(htmlMayAddWords('<html><head><style>.c{color:red}</style></head><body><p>la <b>regate</b> aura&nbsp;lieu</p><td>\n<span>SAMEDI</span></td></body></html>', known)).toBe(false);
  });
  it('says yes for a word the plain version lacks, also one made of two pieces joined by an inline tag', () => {
    expect(htmlMayAddWords('<body>la régate aura lieu dimanche</body>', known)).toBe(true);
    expect(htmlMayAddWords('<body>sa<b>medi</b>lieu</body>', known)).toBe(true);
    expect(htmlMayAddWords('<body>caf&eacute;</body>', known)).toBe(true);
    expect(htmlMayAddWords('<body>AT&amp;T</body>', known)).toBe(true);
  });
  it('is unsure (yes) for a tag it does not know between two letters, and for numbered lists', () => {
    expect(htmlMayAddWords('<body>lieu<td>samedi</body>', foldedWords('lieu samedi lieusamedi'))).toBe(true);
    expect(htmlMayAddWords('<body><ol><li>lieu</li></ol></body>', known)).toBe(true);
  });
  it('keeps every visible word: the merged text is the same with or without the check', () => {
    const plain = 'Voir ce message dans votre navigateur';
    const html = '<body><p>Voir ce message dans votre navigateur</p><p>La régate aura lieu samedi</p></body>';
    expect(visibleOf(plain, html)).toBe('Voir ce message dans votre navigateur\n\nLa régate aura lieu samedi');
    expect(visibleOf('La régate aura lieu samedi', '<body><div>la <i>régate</i> aura lieu samedi</div></body>')).toBe('La régate aura lieu samedi');
  });
});
