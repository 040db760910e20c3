import { describe, expect, it } from 'vitest';
import { stemKeys, stemText } from './stem.std.ts';

const same = (a: string, b: string): boolean => stemKeys(a).some((s) => stemKeys(b).includes(s));

describe('stems (French and English)', () => {
  it('meet singular and plural, and common inflections, accents or not', () => {
    for (const [a, b] of [
      ['régate', 'régates'], ['regate', 'Régates'], ['assemblée', 'assemblées'], ['générale', 'général'], ['cheval', 'chevaux'],
      ['envoyé', 'envoyées'], ['envoyees', 'envoyées'], ['arrivee', 'arrivées'], ['meeting', 'meetings'], ['running', 'run'], ['invoice', 'invoices'], ['œuvre', 'oeuvres'],
    ]) expect(same(a, b), `${a} ~ ${b}`).toBe(true);
  });
  it('keep different words apart', () => {
    for (const [a, b] of [['régate', 'régime'], ['facture', 'fracture'], ['meeting', 'melting']]) expect(same(a, b), `${a} ≁ ${b}`).toBe(false);
  });
  it('leave short words and words with digits alone', () => {
    expect(stemKeys('le')).toEqual([]);
    expect(stemKeys('2023')).toEqual([]);
    expect(stemKeys('x2b')).toEqual([]);
  });
  it('list the distinct stems of a text once each', () => {
    const s = stemText('Régates et régate', 'REGATES').split(' ');
    expect(s).toContain('regat');
    expect(new Set(s).size).toBe(s.length);
  });
});
