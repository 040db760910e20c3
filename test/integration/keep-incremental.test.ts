/**
 * Incremental backup: a second run downloads nothing; 10 new messages are exactly 10 new; a flag or keyword change on
 * an archived message is picked up (CONDSTORE where the server has it, else every flag again); a deleted message
 * stays in the archive, marked gone. Run over server kinds (Dovecot, Cyrus, Courier, imap4d).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCorpus, loadCorpus, loadCorpusTolerant, simpleMessages, testClient } from '../helpers/corpus.ts';
import { startServer, type ServerKind, type TestServer } from '../helpers/servers.ts';
import { openArchive } from '../../main/engine/archive/archive.node.ts';
import { arche, buildCli, cleanUp, tempDir, backupArgs } from './keep-helpers.ts';

const servers: TestServer[] = [];
beforeAll(() => buildCli());
afterAll(() => {
  for (const s of servers) s.stop();
  cleanUp();
});

const KINDS: ServerKind[] = ['dovecot-dot', 'cyrus', 'courier', 'imap4d'];

describe.each(KINDS)('keep: incremental backup on %s', (kind) => {
  it('downloads nothing twice, exactly the new ones, and picks up flag changes', async () => {
    const d = await startServer(kind);
    servers.push(d);
    const c = await testClient(d.url('alice'), 'alice-pass', d.caPem);
    // The 2.5 MB message (streamed to a file) once, on Dovecot: the other kinds cost CI time for the same path.
    const { loaded } = await loadCorpusTolerant(c, buildCorpus({ seed: 'inc', extra: 30, large: kind === 'dovecot-dot' }));
    const archive = tempDir('inc');
    const args = backupArgs(d.url('alice'), archive, d.caFile);
    const env = { PW: 'alice-pass' };

    const first = await arche(args, env);
    expect(first.code, first.stderr).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({ messages: loaded.length, new: loaded.length, server_missing: 0 });

    const second = await arche(args, env);
    expect(second.code, second.stderr).toBe(0);
    expect(JSON.parse(second.stdout)).toMatchObject({ messages: loaded.length, new: 0, bytes_new: 0, server_missing: 0 });

    await loadCorpus(c, simpleMessages(10, 'ten'));
    const third = await arche(args, env);
    expect(third.code, third.stderr).toBe(0);
    expect(JSON.parse(third.stdout)).toMatchObject({ messages: loaded.length + 10, new: 10, server_missing: 0 });

    // Flag and keyword changes on an already archived message.
    let changedUid = 0;
    let keywords: string[] = [];
    const lock = await c.getMailboxLock('INBOX');
    try {
      const uids = (await c.search({ subject: 'Nouveau ten 3' }, { uid: true })) || [];
      expect(uids.length).toBe(1);
      changedUid = uids[0];
      // A keyword where the server keeps keywords (imap4d has no \\* in PERMANENTFLAGS).
      keywords = c.mailbox && c.mailbox.permanentFlags?.has('\\*') ? ['$Travail'] : [];
      expect(await c.messageFlagsAdd(String(changedUid), ['\\Flagged', ...keywords], { uid: true })).toBe(true);
      // One deleted message: kept in the archive, marked gone, no alarm for a single message.
      const gone = (await c.search({ subject: 'Nouveau ten 4' }, { uid: true })) || [];
      await c.messageDelete(String(gone[0]), { uid: true });
    } finally {
      lock.release();
    }
    const fourth = await arche(args, env);
    expect(fourth.code, fourth.stderr).toBe(0);
    expect(JSON.parse(fourth.stdout)).toMatchObject({ messages: loaded.length + 10, new: 0, server_missing: 1 });
    await c.logout();

    const a = openArchive(archive);
    try {
      const account = a.listAccounts()[0];
      const inbox = a.listFolders(account.id).find((f) => f.path === 'INBOX')!;
      const p = [...a.placements({ folderId: inbox.id, includeGone: true })].find((x) => x.uid === changedUid)!;
      expect(p.flags).toEqual(expect.arrayContaining(['\\Flagged', ...keywords]));
      const goneOnes = [...a.placements({ folderId: inbox.id, includeGone: true })].filter((x) => x.serverGoneAt !== null);
      expect(goneOnes.length).toBe(1);
      expect(a.alarms(account.id)).toEqual([]);
      const integrity = a.db.prepare('PRAGMA integrity_check').pluck().get();
      expect(integrity).toBe('ok');
    } finally {
      a.close();
    }
  });
});
