import { describe, expect, it } from 'vitest';
import { whenWords } from './dashboard.std.ts';

const at = (d: number, h: number, m: number): number => new Date(2026, 11, d, h, m).getTime();

describe('dashboard words', () => {
  it('says a moment the way people say it, in French and English', () => {
    const now = at(2, 16, 0);
    expect(whenWords(at(1, 13, 2), now, 'fr')).toBe('hier à 13\u00a0h\u00a002');
    expect(whenWords(at(2, 9, 5), now, 'fr')).toBe('aujourd’hui à 9\u00a0h\u00a005');
    expect(whenWords(at(3, 13, 0), now, 'fr')).toBe('demain à 13\u00a0h\u00a000');
    expect(whenWords(at(1, 13, 2), now, 'en')).toBe('yesterday at 13:02');
    expect(whenWords(at(7, 8, 30), now, 'en')).toBe('Monday at 08:30');
    expect(whenWords(at(-10, 8, 30), now, 'fr')).toMatch(/^le \d\d\/\d\d\/2026 à 8\u00a0h\u00a030$/);
  });
});
