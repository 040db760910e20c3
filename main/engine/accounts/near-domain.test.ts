import { describe, it, expect } from 'vitest';
import { nearKnownDomain } from './near-domain.std.ts';
import { autoconfigure, suggestDomain } from './autoconfig.node.ts';

describe('near-misses of known provider domains', () => {
  it('suggests the known domain a typo meant, presets and ISPDB alike', () => {
    expect(suggestDomain('marie@mailo.con')).toBe('mailo.com');
    expect(suggestDomain('marie@maillo.com')).toBe('mailo.com');
    expect(suggestDomain('paul@gmial.com')).toBe('gmail.com');
    expect(suggestDomain('paul@gmail.co')).toBe('gmail.com');
    expect(suggestDomain('lea@orange.fe')).toBe('orange.fr');
  });
  it('says nothing for a known domain, a far one, or two edits on a short one', () => {
    expect(suggestDomain('marie@mailo.com')).toBe(null);
    expect(suggestDomain('marie@ancien.example')).toBe(null);
    expect(suggestDomain('marie@association-des-regates.fr')).toBe(null);
    expect(nearKnownDomain('xz.me', ['pm.me'])).toBe(null);
    expect(nearKnownDomain('pn.me', ['pm.me'])).toBe('pm.me');
  });
  it('the first known domain wins a tie', () => {
    expect(nearKnownDomain('abcd.fr', ['abce.fr', 'abcf.fr'])).toBe('abce.fr');
  });
  it('autoconfig offers it when nothing is found', async () => {
    expect(await autoconfigure('marie@mailo.con', { network: false })).toEqual({ source: 'none', settings: null, suggestion: 'mailo.com' });
    expect((await autoconfigure('marie@mailo.com', { network: false })).suggestion).toBeUndefined();
  });
});
