/**
 * The folders the user ticked: a backup of one folder out of three fetches only that one, and never judges the
 * others (a folder left out is not "gone", whatever the server did to it); a restore of one folder puts back only
 * that folder. Real Dovecot, real CLI (`--folder`), real archive.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDovecot, type Dovecot } from '../helpers/dovecot.ts';
import { arche, buildCli, cleanUp, tempDir, backupArgs } from './keep-helpers.ts';
import { client, contentsOf, seed, seedMessage, snapshot } from './move-helpers.ts';
import { openArchive } from '../../main/engine/archive/archive.node.ts';

let d: Dovecot;
beforeAll(async () => {
  buildCli();
  d = await startDovecot({ flavour: 'slash', users: [{ user: 'lea', password: 'pl' }, { user: 'neuf', password: 'pn' }] });
});
afterAll(() => {
  d?.stop();
  cleanUp();
});

function backupFolders(archive: string, folders: string[]): string[] {
  return [...backupArgs(d.url('lea'), archive, d.caFile), ...folders.flatMap((f) => ['--folder', f])];
}

/** Folder path → archived placements (those the server no longer has counted apart), read through the archive. */
function archived(dir: string): Record<string, { live: number; gone: number; folderGone: boolean }> {
  const archive = openArchive(dir);
  try {
    const account = archive.getAccount(d.url('lea'))!;
    const out: Record<string, { live: number; gone: number; folderGone: boolean }> = {};
    for (const f of archive.listFolders(account.id)) out[f.path] = { live: 0, gone: 0, folderGone: f.goneAt !== null };
    for (const p of archive.placements({ accountId: account.id, includeGone: true })) {
      if (p.serverGoneAt === null) out[p.folderPath].live++;
      else out[p.folderPath].gone++;
    }
    return out;
  } finally {
    archive.close();
  }
}

describe('keep: only the folders the user chose', () => {
  it('backs up one folder out of three, never judges the others, and restores one folder', async () => {
    await seed(d, 'lea', {
      INBOX: Array.from({ length: 5 }, (_, i) => seedMessage(i, 'INBOX')),
      Factures: Array.from({ length: 30 }, (_, i) => seedMessage(100 + i, 'Factures')),
      'Club/Régates': Array.from({ length: 4 }, (_, i) => seedMessage(200 + i, 'Club/Régates')),
    });
    const archive = tempDir('folders');
    // What the server made of the seeded messages (it moves INTERNALDATEs too far in the future to now).
    const seeded = await snapshot(d, 'lea');

    // 1. One folder out of three: only its messages are fetched.
    const one = await arche(backupFolders(archive, ['Factures']), { PW: 'pl' });
    expect(one.code, one.stderr).toBe(0);
    expect(JSON.parse(one.stdout)).toMatchObject({ folders: 1, messages: 30, new: 30, server_missing: 0 });
    expect(Object.keys(archived(archive))).toEqual(['Factures']);

    // 2. Everything, then the server loses a whole folder and most of another.
    const all = await arche(backupFolders(archive, []), { PW: 'pl' });
    expect(all.code, all.stderr).toBe(0);
    // (the server also has its own empty Sent, Drafts, Trash... folders)
    expect(JSON.parse(all.stdout)).toMatchObject({ messages: 39, new: 9, server_missing: 0 });
    const allFolders = JSON.parse(all.stdout).folders as number;
    expect(allFolders).toBeGreaterThan(3);
    const c = await client(d, 'lea');
    try {
      await c.mailboxDelete('Club/Régates');
      const lock = await c.getMailboxLock('Factures');
      try {
        await c.messageDelete('1:25');
      } finally {
        lock.release();
      }
    } finally {
      await c.logout();
    }

    // 3. A backup of INBOX only says nothing about the other two: no alarm, nothing marked gone.
    const inboxOnly = await arche(backupFolders(archive, ['INBOX']), { PW: 'pl' });
    expect(inboxOnly.code, inboxOnly.stderr).toBe(0);
    expect(JSON.parse(inboxOnly.stdout)).toMatchObject({ folders: 1, messages: 39, new: 0, server_missing: 0 });
    expect(inboxOnly.stderr).not.toMatch(/Vos copies sont en sécurité/);
    expect(archived(archive)).toMatchObject({
      Factures: { live: 30, gone: 0, folderGone: false },
      INBOX: { live: 5, gone: 0, folderGone: false },
      'Club/Régates': { live: 4, gone: 0, folderGone: false },
    });
    expect(Object.values(archived(archive)).some((f) => f.gone > 0 || f.folderGone)).toBe(false);

    // 4. The folders looked at are judged: Factures lost 25 of 30 (alarm, exit 4), the others are untouched.
    const factures = await arche(backupFolders(archive, ['Factures']), { PW: 'pl' });
    expect(factures.code, factures.stderr).toBe(4);
    expect(JSON.parse(factures.stdout)).toMatchObject({ folders: 1, messages: 39, new: 0, server_missing: 25 });
    expect(factures.stderr).toContain('Factures');
    expect(archived(archive)).toMatchObject({ Factures: { live: 5, gone: 25, folderGone: false }, 'Club/Régates': { live: 4, gone: 0, folderGone: false } });

    // 5. A backup of everything now judges Club/Régates too: the folder is gone, its 4 messages kept.
    const everything = await arche(backupFolders(archive, []), { PW: 'pl' });
    expect(everything.code, everything.stderr).toBe(4);
    expect(JSON.parse(everything.stdout)).toMatchObject({ messages: 39, new: 0, server_missing: 29 });
    expect(archived(archive)['Club/Régates']).toEqual({ live: 0, gone: 4, folderGone: true });

    // 6. Restore one folder only into a new account: Factures' 30 messages (those the server lost included), nothing else.
    const r = await arche(['restore', '--to', d.url('neuf'), '--password-env', 'PW', '--archive', archive, '--from-account', d.url('lea'), '--ca-file', d.caFile, '--folder', 'Factures', '--json'], { PW: 'pn' });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ copied: 30, skipped_existing: 0, failed: 0, rewritten: 0, still_on_server: 0, folders: [{ source: 'Factures', destination: 'Factures', copied: 30 }] });
    const after = await snapshot(d, 'neuf');
    expect(after.INBOX).toEqual([]);
    expect(Object.keys(after).some((f) => f.startsWith('Club'))).toBe(false);
    expect(contentsOf(after.Factures)).toEqual(contentsOf(seeded.Factures));
  });
});
