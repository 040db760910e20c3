/**
 * The lost provider: back up, the provider loses everything, back up again. The run exits 4 with the alarm in plain
 * words (French and English, with the restore command), the archive keeps every message, and `arche restore` brings
 * everything back. Run over server kinds: on Dovecot the account's files are wiped (a new UIDVALIDITY); on the others
 * every folder is deleted and the inbox emptied through IMAP (a loss without renumbering: the mass-loss alarm).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDovecot, type Dovecot } from '../helpers/dovecot.ts';
import { buildCorpus, loadCorpusTolerant, normaliseEol, testClient } from '../helpers/corpus.ts';
import { startServer, type ServerKind, type TestServer } from '../helpers/servers.ts';
import { isSelectable } from '../../main/engine/imap/attributes.std.ts';
import { openArchive } from '../../main/engine/archive/archive.node.ts';
import { arche, buildCli, readAccount, cleanUp, tempDir, backupArgs } from './keep-helpers.ts';

const stops: (() => void)[] = [];
beforeAll(() => buildCli());
afterAll(() => {
  for (const s of stops) s();
  cleanUp();
});

interface LosingServer {
  url(user: string): string;
  caFile: string;
  caPem: string;
  /** The provider loses everything of alice's. */
  lose(): Promise<void>;
}

async function losing(kind: ServerKind): Promise<LosingServer> {
  if (kind === 'dovecot') {
    const d: Dovecot = await startDovecot({ flavour: 'slash' });
    stops.push(() => d.stop());
    return { url: d.url, caFile: d.caFile, caPem: d.caPem, lose: async () => d.wipe('alice') };
  }
  const s: TestServer = await startServer(kind);
  stops.push(() => s.stop());
  return {
    url: s.url,
    caFile: s.caFile,
    caPem: s.caPem,
    async lose() {
      const c = await testClient(s.url('alice'), 'alice-pass', s.caPem);
      try {
        const folders = (await c.list()).filter((f) => f.path.toUpperCase() !== 'INBOX').map((f) => f.path);
        // Children before parents.
        for (const f of folders.sort((a, b) => b.length - a.length)) await c.mailboxDelete(f).catch(() => undefined);
        const lock = await c.getMailboxLock('INBOX');
        try {
          if (c.mailbox && c.mailbox.exists) await c.messageDelete('1:*');
        } finally {
          lock.release();
        }
        // What is left is only what the server will not delete (its own special folders), emptied.
        for (const f of (await c.list()).filter((x) => isSelectable(x.flags) && x.path.toUpperCase() !== 'INBOX')) {
          const l = await c.getMailboxLock(f.path);
          try {
            if (c.mailbox && c.mailbox.exists) await c.messageDelete('1:*');
          } finally {
            l.release();
          }
        }
      } finally {
        await c.logout();
      }
    },
  };
}

const KINDS: ServerKind[] = ['dovecot', 'cyrus'];

describe.each(KINDS)('keep: the lost provider, on %s', (kind) => {
  // Four backups and a restore of 60 messages: measured 35-90 s on the shared 2-core machine.
  it('raises the alarm (exit 4), keeps everything, and restore brings it all back', { timeout: 240_000 }, async () => {
    const d = await losing(kind);
    const c = await testClient(d.url('alice'), 'alice-pass', d.caPem);
    const { loaded } = await loadCorpusTolerant(c, buildCorpus({ seed: 'lost', extra: 25, large: kind === 'dovecot' }));
    const before = await readAccount(c);
    await c.logout();
    const archive = tempDir('lost');
    const args = backupArgs(d.url('alice'), archive, d.caFile);
    const first = await arche(args, { PW: 'alice-pass' });
    expect(first.code, first.stderr).toBe(0);

    await d.lose();
    const second = await arche(args, { PW: 'alice-pass' });
    expect(second.code, second.stderr).toBe(4);
    const j = JSON.parse(second.stdout);
    expect(j).toMatchObject({ messages: loaded.length, new: 0, server_missing: loaded.length });
    const inboxCount = loaded.filter((l) => l.path === 'INBOX').length;
    expect(second.stderr).toContain(`Votre fournisseur n'a plus ${inboxCount} messages du dossier INBOX. Vos copies sont en sécurité dans Arche. Pour les remettre : arche restore --to ${d.url('alice')} --password-env PW --archive ${archive}`);
    expect(second.stderr).toContain(`Your provider no longer has ${inboxCount} messages from the folder INBOX. Your copies are safe in Arche. To put them back: arche restore`);
    // The suggested command works as written: it keeps the certificate the backup needed.
    expect(second.stderr).toContain(`Pour les remettre : arche restore --to ${d.url('alice')} --password-env PW --archive ${archive} --ca-file ${d.caFile}`);
    const rd = loaded.find((l) => l.message.folder === 3)!.path; // Projets/R&D in the server's own layout
    expect(second.stderr).toContain(`Le dossier ${rd} n'existe plus chez votre fournisseur (2 messages)`);
    expect(second.stderr).toContain(`The folder ${rd} no longer exists at your provider (2 messages)`);

    const a = openArchive(archive);
    try {
      const account = a.listAccounts()[0];
      expect(account.lastBackupStatus).toBe('alarm');
      const all = [...a.placements({ accountId: account.id, includeGone: true })];
      expect(all.length).toBe(loaded.length);
      expect(all.every((p) => p.serverGoneAt !== null)).toBe(true);
      // Every archived message still has its exact bytes.
      for (const p of all) expect(normaliseEol(a.readRaw(p.contentId)).equals(normaliseEol(before.find((m) => m.folder === p.folderPath && m.uid === p.uid)!.raw))).toBe(true);
      // Wiped files renumber the inbox; emptied through IMAP, it keeps its numbering and loses its messages.
      expect(a.alarms(account.id).map((x) => x.kind)).toEqual(expect.arrayContaining([kind === 'dovecot' ? 'uidvalidity-changed' : 'mass-loss', 'folder-gone']));
    } finally {
      a.close();
    }

    const r = await arche(['restore', '--to', d.url('alice'), '--password-env', 'PW', '--archive', archive, '--ca-file', d.caFile, '--json'], { PW: 'alice-pass' });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ copied: loaded.length, skipped_existing: 0, failed: 0 });
    const c2 = await testClient(d.url('alice'), 'alice-pass', d.caPem);
    const after = await readAccount(c2);
    await c2.logout();
    expect(after.length).toBe(before.length);
    for (const m of before) {
      const back = after.filter((x) => x.folder === m.folder && normaliseEol(x.raw).equals(normaliseEol(m.raw)));
      expect(back.length, `${m.folder}/${m.uid}`).toBe(1);
      expect(back[0].flags).toEqual(m.flags);
      expect(back[0].internalDate).toBe(m.internalDate);
    }

    // The next backup sees the restored messages as the same contents: nothing stored twice, no new alarm.
    const third = await arche(args, { PW: 'alice-pass' });
    expect(third.code, third.stderr).toBe(0);
    expect(JSON.parse(third.stdout)).toMatchObject({ messages: loaded.length, bytes_new: 0, server_missing: 0 });
  });
});
