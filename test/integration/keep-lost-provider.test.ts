/**
 * The lost provider: back up, the provider loses everything (the account is wiped), back up again. The run exits 4
 * with the alarm in plain words (French and English, with the restore command), the archive keeps every message,
 * and `arche restore` brings everything back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDovecot, type Dovecot } from '../helpers/dovecot.ts';
import { buildCorpus, loadCorpus, normaliseEol, testClient } from '../helpers/corpus.ts';
import { openArchive } from '../../main/engine/archive/archive.node.ts';
import { arche, buildCli, readAccount, cleanUp, tempDir, backupArgs } from './keep-helpers.ts';

let d: Dovecot;
beforeAll(async () => {
  buildCli();
  d = await startDovecot({ flavour: 'slash' });
});
afterAll(() => {
  d?.stop();
  cleanUp();
});

describe('keep: the lost provider', () => {
  it('raises the alarm (exit 4), keeps everything, and restore brings it all back', async () => {
    const c = await testClient(d.url('alice'), 'alice-pass', d.caPem);
    const loaded = await loadCorpus(c, buildCorpus({ seed: 'lost', extra: 25 }));
    const before = await readAccount(c);
    await c.logout();
    const archive = tempDir('lost');
    const args = backupArgs(d.url('alice'), archive, d.caFile);
    const first = await arche(args, { PW: 'alice-pass' });
    expect(first.code, first.stderr).toBe(0);

    d.wipe('alice');
    const second = await arche(args, { PW: 'alice-pass' });
    expect(second.code, second.stderr).toBe(4);
    const j = JSON.parse(second.stdout);
    expect(j).toMatchObject({ messages: loaded.length, new: 0, server_missing: loaded.length });
    const inboxCount = loaded.filter((l) => l.path === 'INBOX').length;
    expect(second.stderr).toContain(`Votre fournisseur n'a plus ${inboxCount} messages du dossier INBOX. Vos copies sont en sécurité dans Arche. Pour les remettre : arche restore --to ${d.url('alice')} --password-env PW --archive ${archive}`);
    expect(second.stderr).toContain(`Your provider no longer has ${inboxCount} messages from the folder INBOX. Your copies are safe in Arche. To put them back: arche restore`);
    // The suggested command works as written: it keeps the certificate the backup needed.
    expect(second.stderr).toContain(`Pour les remettre : arche restore --to ${d.url('alice')} --password-env PW --archive ${archive} --ca-file ${d.caFile}`);
    expect(second.stderr).toContain("Le dossier Projets/R&D n'existe plus chez votre fournisseur (2 messages)");
    expect(second.stderr).toContain('The folder Projets/R&D no longer exists at your provider (2 messages)');

    const a = openArchive(archive);
    try {
      const account = a.listAccounts()[0];
      expect(account.lastBackupStatus).toBe('alarm');
      const all = [...a.placements({ accountId: account.id, includeGone: true })];
      expect(all.length).toBe(loaded.length);
      expect(all.every((p) => p.serverGoneAt !== null)).toBe(true);
      // Every archived message still has its exact bytes.
      for (const p of all) expect(normaliseEol(a.readRaw(p.contentId)).equals(normaliseEol(before.find((m) => m.folder === p.folderPath && m.uid === p.uid)!.raw))).toBe(true);
      expect(a.alarms(account.id).map((x) => x.kind)).toEqual(expect.arrayContaining(['uidvalidity-changed', 'folder-gone']));
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
