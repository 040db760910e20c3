import { describe, it, expect } from 'vitest';
import { parseUidSet } from './multi-append.node.ts';

describe('parseUidSet (APPENDUID of a MULTIAPPEND)', () => {
  it('lists the UIDs in the order the server wrote them', () => {
    expect(parseUidSet('7')).toEqual([7]);
    expect(parseUidSet('501:504')).toEqual([501, 502, 503, 504]);
    expect(parseUidSet('3,5:6,9')).toEqual([3, 5, 6, 9]);
    expect(parseUidSet('6:4')).toEqual([6, 5, 4]);
  });
  it('refuses what is not a uid-set', () => {
    expect(parseUidSet('')).toBeNull();
    expect(parseUidSet('1:*')).toBeNull();
    expect(parseUidSet('a')).toBeNull();
  });
});
