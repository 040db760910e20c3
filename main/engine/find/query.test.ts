import { describe, expect, it } from 'vitest';
import { parseQuery, parsePeriod, parseSize } from './query.std.ts';
import { isArcheError } from '../../../shared/errors.std.ts';

const text = (field: string, value: string, phrase = false, prefix = false) => ({ kind: 'text', field, value, phrase, prefix });

describe('parseQuery, one test per operator', () => {
  it('words are ANDed', () => {
    expect(parseQuery('régate brest')).toEqual({ kind: 'and', children: [text('any', 'régate'), text('any', 'brest')] });
  });
  it('"phrases"', () => {
    expect(parseQuery('"assemblée générale"')).toEqual(text('any', 'assemblée générale', true));
  });
  it('prefix*', () => {
    expect(parseQuery('assembl*')).toEqual(text('any', 'assembl', false, true));
  });
  it('from: and de:', () => {
    expect(parseQuery('from:dupont')).toEqual(text('from', 'dupont'));
    expect(parseQuery('de:dupont')).toEqual(text('from', 'dupont'));
  });
  it('to: and à:/a:', () => {
    expect(parseQuery('to:marie')).toEqual(text('to', 'marie'));
    expect(parseQuery('à:marie')).toEqual(text('to', 'marie'));
    expect(parseQuery('a:marie')).toEqual(text('to', 'marie'));
  });
  it('cc:', () => {
    expect(parseQuery('cc:luc')).toEqual(text('cc', 'luc'));
  });
  it('subject: and objet:', () => {
    expect(parseQuery('subject:"compte rendu"')).toEqual(text('subject', 'compte rendu', true));
    expect(parseQuery('objet:devis')).toEqual(text('subject', 'devis'));
  });
  it('folder: and dossier:', () => {
    expect(parseQuery('folder:INBOX')).toEqual({ kind: 'folder', value: 'INBOX' });
    expect(parseQuery('dossier:"Éléments envoyés"')).toEqual({ kind: 'folder', value: 'Éléments envoyés' });
  });
  it('account:', () => {
    expect(parseQuery('account:mailo.com')).toEqual({ kind: 'account', value: 'mailo.com' });
  });
  it('has:attachment and pj:', () => {
    expect(parseQuery('has:attachment')).toEqual({ kind: 'has-attachment' });
    expect(parseQuery('pj:')).toEqual({ kind: 'has-attachment' });
    expect(parseQuery('pj:facture')).toEqual(text('filename', 'facture'));
  });
  it('filename:', () => {
    expect(parseQuery('filename:rapport.pdf')).toEqual(text('filename', 'rapport.pdf'));
  });
  it('before: and avant: (day, month, year)', () => {
    expect(parseQuery('before:2023-03-15')).toEqual({ kind: 'date', op: 'before', start: Date.UTC(2023, 2, 15), end: Date.UTC(2023, 2, 16) });
    expect(parseQuery('avant:2023-03')).toEqual({ kind: 'date', op: 'before', start: Date.UTC(2023, 2, 1), end: Date.UTC(2023, 3, 1) });
  });
  it('after: and après:/apres:', () => {
    expect(parseQuery('after:2022')).toEqual({ kind: 'date', op: 'after', start: Date.UTC(2022, 0, 1), end: Date.UTC(2023, 0, 1) });
    expect(parseQuery('après:2022')).toEqual(parseQuery('after:2022'));
    expect(parseQuery('apres:2022')).toEqual(parseQuery('after:2022'));
  });
  it('on:', () => {
    expect(parseQuery('on:2023-12')).toEqual({ kind: 'date', op: 'on', start: Date.UTC(2023, 11, 1), end: Date.UTC(2024, 0, 1) });
  });
  it('larger: and smaller:', () => {
    expect(parseQuery('larger:2M')).toEqual({ kind: 'size', op: 'larger', bytes: 2 * 1024 * 1024 });
    expect(parseQuery('smaller:500k')).toEqual({ kind: 'size', op: 'smaller', bytes: 500 * 1024 });
    expect(parseSize('1,5Mo')).toBe(Math.round(1.5 * 1024 * 1024));
  });
  it('is:unread and is:flagged (and French values)', () => {
    expect(parseQuery('is:unread')).toEqual({ kind: 'flag', flag: 'unread' });
    expect(parseQuery('is:flagged')).toEqual({ kind: 'flag', flag: 'flagged' });
    expect(parseQuery('est:non-lu')).toEqual({ kind: 'flag', flag: 'unread' });
  });
  it('- negation (a word, an operator, a group)', () => {
    expect(parseQuery('-spam')).toEqual({ kind: 'not', child: text('any', 'spam') });
    expect(parseQuery('-from:x')).toEqual({ kind: 'not', child: text('from', 'x') });
    expect(parseQuery('-(a OR b)')).toEqual({ kind: 'not', child: { kind: 'or', children: [text('any', 'a'), text('any', 'b')] } });
  });
  it('OR binds tighter than the implicit AND', () => {
    expect(parseQuery('facture OR devis 2023')).toEqual({
      kind: 'and',
      children: [{ kind: 'or', children: [text('any', 'facture'), text('any', 'devis')] }, text('any', '2023')],
    });
  });
  it('explicit AND is the default; empty query matches all', () => {
    expect(parseQuery('a AND b')).toEqual(parseQuery('a b'));
    expect(parseQuery('   ')).toEqual({ kind: 'and', children: [] });
  });
  it('unknown prefixes stay words; bad dates and sizes are refused with a code', () => {
    expect(parseQuery('http://x.fr')).toEqual(text('any', 'http://x.fr'));
    for (const q of ['before:2023-02-30', 'after:hier', 'larger:beaucoup', 'is:bizarre']) {
      let err: unknown;
      try {
        parseQuery(q);
      } catch (e) {
        err = e;
      }
      expect(isArcheError(err) && (err as { code: string }).code).toBe('search-bad-query');
    }
    expect(parsePeriod('2024-02-29').end).toBe(Date.UTC(2024, 2, 1));
  });
  it('flags as operators of their own, French and English: non-lu: lu: suivi: non-suivi: unread: flagged:', () => {
    expect(parseQuery('non-lu:')).toEqual({ kind: 'flag', flag: 'unread' });
    expect(parseQuery('Non-Lu:')).toEqual({ kind: 'flag', flag: 'unread' });
    expect(parseQuery('unread:')).toEqual({ kind: 'flag', flag: 'unread' });
    expect(parseQuery('lu:')).toEqual({ kind: 'flag', flag: 'read' });
    expect(parseQuery('suivi:oui')).toEqual({ kind: 'flag', flag: 'flagged' });
    expect(parseQuery('flagged:')).toEqual({ kind: 'flag', flag: 'flagged' });
    expect(parseQuery('non-suivi:')).toEqual({ kind: 'flag', flag: 'unflagged' });
    expect(parseQuery('-suivi: régate')).toEqual({ kind: 'and', children: [{ kind: 'not', child: { kind: 'flag', flag: 'flagged' } }, text('any', 'régate')] });
    expect(() => parseQuery('suivi:peut-être')).toThrow();
  });
  it('folder: keeps the name as typed, spaces included (the display names are matched by search)', () => {
    expect(parseQuery('dossier:"Boîte de réception"')).toEqual({ kind: 'folder', value: 'Boîte de réception' });
  });
});
