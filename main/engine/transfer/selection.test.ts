import { describe, it, expect } from 'vitest';
import { inferNamespace, lostContents, markBroughtAlong, plannedMessages } from './selection.node.ts';
import { mapFolders } from '../imap/mapping.std.ts';
import type { ArchiveApi, FolderRow, PlacementRow } from '../archive/archive.types.std.ts';
import { subjectOf } from './copy.node.ts';

describe('inferNamespace', () => {
  it('finds the INBOX. prefix of Courier-style servers', () => {
    expect(inferNamespace([
      { path: 'INBOX', delimiter: '.', specialUse: null },
      { path: 'INBOX.Brouillons', delimiter: '.', specialUse: '\\Drafts' },
      { path: 'INBOX.Travail.Clients', delimiter: '.', specialUse: null },
    ])).toEqual({ delimiter: '.', prefix: 'INBOX.' });
  });
  it('no prefix when folders sit beside INBOX', () => {
    expect(inferNamespace([
      { path: 'INBOX', delimiter: '/', specialUse: null },
      { path: 'Sent', delimiter: '/', specialUse: '\\Sent' },
      { path: 'INBOX/Sub', delimiter: '/', specialUse: null },
    ])).toEqual({ delimiter: '/', prefix: '' });
  });
});

describe('subjectOf', () => {
  it('decodes encoded words and unfolds', () => {
    const raw = Buffer.from('From: a@b\r\nSubject: =?UTF-8?B?w4l0w6k=?= =?ISO-8859-1?Q?_=E0_Paris?=\r\n  et ailleurs\r\n\r\nBody');
    expect(subjectOf(raw)).toBe('Été à Paris et ailleurs');
  });
  it('no subject: empty', () => {
    expect(subjectOf(Buffer.from('From: a@b\n\nBody'))).toBe('');
  });
});


describe('plannedMessages (Gmail as source)', () => {
  it('copies each message once per label folder, leaves the views out, and All Mail only for archived messages', () => {
    const folder = (id: number, path: string, specialUse: string | null): FolderRow =>
      ({ id, accountId: 1, path, delimiter: '/', specialUse, uidvalidity: 1, uidnext: 10, highestModseq: null, serverCount: null, goneAt: null });
    const folders = [folder(1, 'INBOX', null), folder(2, '[Gmail]/All Mail', '\\All'), folder(3, '[Gmail]/Starred', '\\Flagged'), folder(4, '[Gmail]/Important', '\\Important'), folder(5, 'Famille', null)];
    // content 10: INBOX + All Mail + Starred; content 11: Famille + All Mail + Important; content 12: only in All Mail (archived).
    const placed: [number, number][] = [[1, 10], [2, 10], [3, 10], [5, 11], [2, 11], [4, 11], [2, 12]];
    const placements = placed.map(([folderId, contentId], i) => ({ placementId: i + 1, contentId, folderId, normHash: `h${contentId}`, messageId: null, internalDate: 0, flags: [], size: 100, serverGoneAt: null }) as unknown as PlacementRow);
    const archive = {
      listFolders: () => folders,
      placements: (f: { folderId?: number }) => placements.filter((p) => f.folderId === undefined || p.folderId === f.folderId)[Symbol.iterator](),
    } as unknown as ArchiveApi;
    const dest = [{ path: 'INBOX', delimiter: '.', specialUse: null }, { path: 'INBOX.Archives', delimiter: '.', specialUse: '\\Archive' }];
    const mapping = mapFolders(folders, { delimiter: '/', prefix: '' }, dest, { delimiter: '.', prefix: 'INBOX.' });
    const plans = plannedMessages(archive, 1, mapping);
    const summary = Object.fromEntries([...plans.values()].map((p) => [p.destination, { contents: p.messages.map((m) => m.contentId), skipped: p.skippedAsElsewhere }]));
    expect(summary).toEqual({
      INBOX: { contents: [10], skipped: 0 },
      'INBOX.Famille': { contents: [11], skipped: 0 },
      'INBOX.Archives': { contents: [12], skipped: 2 },
    });
  });
});

describe('plannedMessages: the source as it is now (move) and what the server lost (restore)', () => {
  const folder = (id: number, path: string, specialUse: string | null = null, goneAt: number | null = null): FolderRow =>
    ({ id, accountId: 1, path, delimiter: '/', specialUse, uidvalidity: 1, uidnext: 10, highestModseq: null, serverCount: null, goneAt });
  const folders = [folder(1, 'INBOX'), folder(2, 'Work'), folder(3, 'Old', null, 5)];
  // content 1: live in INBOX; 2: moved INBOX → Work; 3: deleted from INBOX; 4: live in INBOX, also an old gone
  // placement there (renumbered); 5: in the folder "Old", deleted at the source with the folder.
  const placed: [number, number, boolean][] = [[1, 1, false], [1, 2, true], [2, 2, false], [1, 3, true], [1, 4, false], [1, 4, true], [3, 5, true]];
  const placements = placed.map(([folderId, contentId, gone], i) =>
    ({ placementId: i + 1, contentId, folderId, folderPath: folders[folderId - 1].path, normHash: `h${contentId}`, messageId: null, internalDate: 0, flags: [], size: 100, serverGoneAt: gone ? 5 : null }) as unknown as PlacementRow);
  const archive = {
    listFolders: () => folders,
    placements: (f: { folderId?: number }) => placements.filter((p) => f.folderId === undefined || p.folderId === f.folderId)[Symbol.iterator](),
  } as unknown as ArchiveApi;
  const mapping = mapFolders(folders, { delimiter: '/', prefix: '' }, [{ path: 'INBOX', delimiter: '/', specialUse: null }], { delimiter: '/', prefix: '' });
  const view = (plans: ReturnType<typeof plannedMessages>): Record<string, { contents: number[]; notCopied: unknown; gone: boolean }> =>
    Object.fromEntries([...plans.values()].map((p) => [p.destination, { contents: p.messages.map((m) => m.contentId).sort(), notCopied: p.notCopied, gone: p.sourceGone === true }]));

  it('a move copies what the server holds now, each in its current folder, and names the rest with a reason', () => {
    expect(view(plannedMessages(archive, 1, mapping))).toEqual({
      INBOX: { contents: [1, 4], notCopied: [{ reason: 'moved-at-source', count: 1 }, { reason: 'deleted-at-source', count: 1 }], gone: false },
      Work: { contents: [2], notCopied: [], gone: false },
      Old: { contents: [], notCopied: [{ reason: 'deleted-at-source', count: 1 }], gone: true },
    });
  });
  it('the lost messages, each once, for the separate folder; the lines then say "brought along"', () => {
    const plans = plannedMessages(archive, 1, mapping);
    expect(lostContents(archive, 1, plans, 'Retrouvés par Arche').messages.map((m) => m.contentId).sort()).toEqual([3, 5]);
    markBroughtAlong(plans);
    expect(plans.get('INBOX')!.notCopied).toEqual([{ reason: 'moved-at-source', count: 1 }, { reason: 'brought-along', count: 1 }]);
  });
  it('a restore puts back what the server lost, but not a message it still has in another folder', () => {
    expect(view(plannedMessages(archive, 1, mapping, undefined, 'restore'))).toEqual({
      INBOX: { contents: [1, 3, 4], notCopied: [{ reason: 'still-on-server', count: 1 }], gone: false },
      Work: { contents: [2], notCopied: [], gone: false },
      Old: { contents: [5], notCopied: [], gone: true },
    });
  });
});
