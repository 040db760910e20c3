import { describe, it, expect } from 'vitest';
import { foldProgress, emptyProgress, overallFraction } from './progress.std.ts';
import { readVerify, readCopy } from './job-result.std.ts';
import type { ProgressEvent } from '../../shared/events.std.ts';

const ev = (p: Partial<ProgressEvent>): ProgressEvent => ({ job: 'backup', phase: 'fetch', done: 0, total: 10, bytesDone: 0, bytesTotal: 0, ...p });

describe('foldProgress', () => {
  it('keeps one line per folder and finishes them', () => {
    let v = foldProgress(emptyProgress, ev({ folder: 'INBOX', folderDone: 2, folderTotal: 5 }));
    v = foldProgress(v, ev({ folder: 'INBOX', folderDone: 5, folderTotal: 5 }));
    v = foldProgress(v, ev({ folder: 'Sent', folderDone: 1, folderTotal: 5 }));
    expect(v.folders.map((f) => [f.folder, f.done, f.finished])).toEqual([
      ['INBOX', 5, true],
      ['Sent', 1, false],
    ]);
    v = foldProgress(v, ev({ phase: 'done', done: 10 }));
    expect(v.folders.every((f) => f.finished)).toBe(true);
    expect(overallFraction(v.last)).toBe(1);
  });
  it('lists each folder once when a move goes from fetching to copying', () => {
    let v = foldProgress(emptyProgress, ev({ job: 'migrate', phase: 'fetch', folder: 'Sent', folderDone: 3, folderTotal: 3 }));
    v = foldProgress(v, ev({ job: 'migrate', phase: 'copy', folder: 'INBOX.Éléments envoyés', folderDone: 1, folderTotal: 3 }));
    expect(v.folders.map((f) => f.folder)).toEqual(['INBOX.Éléments envoyés']);
  });
  it('fills the bar from the same numbers the screen writes (messages), bytes only while no count is known', () => {
    // "9 sur 10" beside the bar: 90 %, whatever the bytes say (it was 25 %, a half-empty bar beside a full count).
    expect(overallFraction(ev({ bytesDone: 25, bytesTotal: 100, done: 9 }))).toBe(0.9);
    expect(overallFraction(ev({ bytesDone: 50, bytesTotal: 100, done: 10 }))).toBe(1);
    // A byte total that only covers what was seen so far must not fill the bar.
    expect(overallFraction(ev({ bytesDone: 100, bytesTotal: 100, done: 2 }))).toBe(0.2);
    expect(overallFraction(ev({ done: 5 }))).toBe(0.5);
    expect(overallFraction(ev({ done: 0, total: 0, bytesDone: 5, bytesTotal: 10 }))).toBe(0.5);
    expect(overallFraction(null)).toBe(0);
  });
});

describe('job results', () => {
  it('finds the verification inside a migrate result or alone', () => {
    const verify = { expected: 3, present: 3, missing: 0, changed: 0, folders: [], report: '/r.html' };
    expect(readVerify({ copied: 3, verify })?.report).toBe('/r.html');
    expect(readVerify(verify)?.expected).toBe(3);
    expect(readVerify({ copied: 3 })).toBeNull();
  });
  it('reads copy counts under their several names', () => {
    expect(readCopy({ copied: 4, skipped_existing: 1, failed: 0 })).toEqual({ copied: 4, skipped: 1, failed: 0, alarm: false });
    expect(readCopy({ new: 7, alarm: { missing: 3 } }).alarm).toBe(true);
    expect(readCopy(null).copied).toBeNull();
  });
});
