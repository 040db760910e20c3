import { describe, it, expect } from 'vitest';
import { compareFolder, type ExpectedMessage, type FoundMessage } from './compare.std.ts';

const e = (contentId: number, normHash: string, messageId: string | null = null, internalDate = contentId * 1000): ExpectedMessage => ({ contentId, normHash, messageId, internalDate });
const found = (uid: number, normHash: string, messageId: string | null = null, internalDate: number | null = null): FoundMessage => ({ uid, normHash, messageId, internalDate });

describe('compareFolder', () => {
  it('everything present by content', () => {
    const c = compareFolder([e(1, 'a'), e(2, 'b')], [found(10, 'b'), found(11, 'a')]);
    expect(c).toMatchObject({ expected: 2, present: 2, missing: [], changed: [], duplicatesCopiedOnce: 0, extra: 0 });
  });

  it('a count that matches is not enough: one missing, one there twice', () => {
    const c = compareFolder([e(1, 'a'), e(2, 'b')], [found(10, 'a'), found(11, 'a')]);
    expect(c.present).toBe(1);
    expect(c.missing.map((m) => m.contentId)).toEqual([2]);
  });

  it('identical source messages copied once are present, and said so', () => {
    const c = compareFolder([e(1, 'a'), e(1, 'a'), e(2, 'b')], [found(10, 'a'), found(11, 'b')]);
    expect(c).toMatchObject({ expected: 3, present: 3, duplicatesCopiedOnce: 2 });
    expect(c.missing).toEqual([]);
  });

  it('a modified message is "changed", paired by Message-ID, else by date', () => {
    const c = compareFolder(
      [e(1, 'a', '<x@y>'), e(2, 'b', null, 5000), e(3, 'c', '<z@y>')],
      [found(10, 'a2', '<x@y>'), found(11, 'b2', null, 5000), found(12, 'zz', '<other@y>')],
    );
    expect(c.present).toBe(0);
    expect(c.changed.map((x) => [x.expected.contentId, x.found.uid])).toEqual([[1, 10], [2, 11]]);
    expect(c.missing.map((m) => m.contentId)).toEqual([3]);
    expect(c.extra).toBe(1);
  });

  it('a destination message already matched by content is never claimed as a changed copy', () => {
    const c = compareFolder([e(1, 'a', '<x@y>'), e(2, 'b', '<x@y>')], [found(10, 'a', '<x@y>')]);
    expect(c.present).toBe(1);
    expect(c.changed).toEqual([]);
    expect(c.missing.map((m) => m.contentId)).toEqual([2]);
  });
});

describe('compareFolder: a server that adds its own header lines (issue 9)', () => {
  const rewrittenFound = (uid: number, messageId: string, neutralHash: string): FoundMessage => ({ uid, normHash: `stored-${uid}`, messageId, internalDate: null, neutralHash });
  it('the same message with only bookkeeping lines added is present (counted as rewritten), not changed', () => {
    const c = compareFolder([{ ...e(1, 'a', 'x@y'), neutralHash: 'a' }, { ...e(2, 'b', 'z@y'), neutralHash: 'b' }], [rewrittenFound(10, 'x@y', 'a'), rewrittenFound(11, 'z@y', 'b')]);
    expect(c).toMatchObject({ present: 2, rewritten: 2, missing: [], changed: [], extra: 0 });
  });
  it('a really changed message is still changed, even on such a server', () => {
    const c = compareFolder([{ ...e(1, 'a', 'x@y'), neutralHash: 'a' }], [rewrittenFound(10, 'x@y', 'a-edited')]);
    expect(c).toMatchObject({ present: 0, rewritten: 0 });
    expect(c.changed.map((x) => x.expected.contentId)).toEqual([1]);
  });
  it('without a Message-ID, the same date is needed besides the neutral hash', () => {
    const sameDate = compareFolder([{ ...e(1, 'a', null, 5000), neutralHash: 'a' }], [{ uid: 10, normHash: 's', messageId: null, internalDate: 5000, neutralHash: 'a' }]);
    expect(sameDate).toMatchObject({ present: 1, rewritten: 1, changed: [] });
    const otherDate = compareFolder([{ ...e(1, 'a', null, 5000), neutralHash: 'a' }], [{ uid: 10, normHash: 's', messageId: null, internalDate: 6000, neutralHash: 'a' }]);
    expect(otherDate.rewritten).toBe(0);
    expect(otherDate.missing).toHaveLength(1);
  });
});
