import { describe, it, expect } from 'vitest';
import { readCounts } from './job-result.std.ts';

describe('readCounts', () => {
  it("reads a migration's figures, which add up", () => {
    const counts = { source: 9, copied: 6, copiedBefore: 1, alreadyThere: 1, notCopied: 1, archiveOnly: 2, broughtAlong: 0, leftInArchive: 2 };
    const c = readCounts({ copy: { counts }, verify: {} })!;
    expect(c.source).toBe(c.copied + c.copiedBefore + c.alreadyThere + c.notCopied);
    expect(c).toMatchObject({ source: 9, archiveOnly: 2 });
  });
  it('nothing for a result without figures (a check on its own, an older job)', () => {
    expect(readCounts({ expected: 3 })).toBeNull();
    expect(readCounts({ copy: { counts: { source: 1 } } })).toBeNull();
  });
});
