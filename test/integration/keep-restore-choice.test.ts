/**
 * Restore from an archive that holds several accounts: without --from-account Arche asks which one (in plain words),
 * with it only that account's messages are put back, into another account on the same server.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDovecot, type Dovecot } from '../helpers/dovecot.ts';
import { loadCorpus, simpleMessages, testClient } from '../helpers/corpus.ts';
import { arche, buildCli, readAccount, cleanUp, tempDir, backupArgs } from './keep-helpers.ts';

let d: Dovecot;
beforeAll(async () => {
  buildCli();
  d = await startDovecot({ flavour: 'slash', users: [{ user: 'alice', password: 'pa' }, { user: 'bob', password: 'pb' }, { user: 'carol@example.org', password: 'pc' }] });
});
afterAll(() => {
  d?.stop();
  cleanUp();
});

describe('keep: restore from one of several accounts', () => {
  it('asks which account, then restores only that one', async () => {
    const archive = tempDir('choice');
    for (const [user, pw, n] of [['alice', 'pa', 3], ['bob', 'pb', 5]] as const) {
      const c = await testClient(d.url(user), pw, d.caPem);
      await loadCorpus(c, simpleMessages(n, user));
      await c.logout();
      const b = await arche(backupArgs(d.url(user), archive, d.caFile), { PW: pw });
      expect(b.code, b.stderr).toBe(0);
    }
    const to = d.url('carol@example.org');
    expect(to).toContain('carol%40example.org@');
    const ask = await arche(['restore', '--to', to, '--password-env', 'PW', '--archive', archive, '--ca-file', d.caFile, '--json'], { PW: 'pc' });
    expect(ask.code).toBe(1);
    expect(ask.stderr).toContain(`Votre copie dans Arche contient plusieurs comptes : ${d.url('alice')}, ${d.url('bob')}. Choisissez celui à remettre avec --from-account ADRESSE.`);
    expect(ask.stderr).toContain(`Your copy in Arche holds several accounts: ${d.url('alice')}, ${d.url('bob')}. Choose the one to put back with --from-account ADDRESS.`);

    const r = await arche(['restore', '--to', to, '--password-env', 'PW', '--archive', archive, '--from-account', d.url('bob'), '--ca-file', d.caFile, '--json'], { PW: 'pc' });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ copied: 5, skipped_existing: 0, failed: 0, folders: expect.arrayContaining([{ source: 'INBOX', destination: 'INBOX', copied: 5 }]) });
    const c = await testClient(to, 'pc', d.caPem);
    const got = await readAccount(c);
    await c.logout();
    expect(got.length).toBe(5);
    expect(got.every((m) => m.raw.toString().includes('Nouveau bob'))).toBe(true);
  });
});
