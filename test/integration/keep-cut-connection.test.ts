/**
 * A cut connection: a proxy between Arche and the server cuts the socket in the middle of a FETCH (twice). The backup
 * says so in plain words, reconnects, carries on from its committed cursor and completes: every message once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDovecot, type Dovecot } from '../helpers/dovecot.ts';
import { startCuttingProxy, type CuttingProxy } from '../helpers/cutting-proxy.ts';
import { buildCorpus, loadCorpus, normaliseEol, testClient } from '../helpers/corpus.ts';
import { openArchive } from '../../main/engine/archive/archive.node.ts';
import { arche, buildCli, readAccount, cleanUp, tempDir, backupArgs } from './keep-helpers.ts';

let d: Dovecot;
let proxy: CuttingProxy | undefined;
beforeAll(async () => {
  buildCli();
  d = await startDovecot({ flavour: 'slash' });
});
afterAll(async () => {
  await proxy?.close();
  d?.stop();
  cleanUp();
});

describe('keep: a cut connection', () => {
  it('resumes after the socket is cut mid-FETCH and completes with every message once', async () => {
    const c = await testClient(d.url('alice'), 'alice-pass', d.caPem);
    const loaded = await loadCorpus(c, buildCorpus({ seed: 'cut', extra: 150 }));
    const onServer = await readAccount(c);
    await c.logout();
    // Past the login and the folder list (a few KB), well inside the first folder's FETCH of sources.
    proxy = await startCuttingProxy({ targetHost: '127.0.0.1', targetPort: d.port, cutAfterBytes: 60_000, cuts: 2 });
    const url = `imaps://alice@127.0.0.1:${proxy.port}`;
    const archive = tempDir('cut');
    const args = backupArgs(url, archive, d.caFile);
    const r = await arche(args, { PW: 'alice-pass', ARCHE_BACKUP_BATCH: '25' });
    expect(proxy.cutsDone).toBe(2);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('La connexion avec votre fournisseur (127.0.0.1) a été coupée (essai 1). Arche reprend tout seul, là où il en était.');
    expect(r.stderr).toContain('The connection to your mail provider (127.0.0.1) dropped (attempt 1). Arche carries on by itself, where it stopped.');
    expect(JSON.parse(r.stdout)).toMatchObject({ messages: loaded.length, new: loaded.length, server_missing: 0 });

    const again = await arche(args, { PW: 'alice-pass' });
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ new: 0, messages: loaded.length });

    const a = openArchive(archive);
    try {
      const all = [...a.placements({ includeGone: true })];
      expect(all.length).toBe(onServer.length);
      expect(new Set(all.map((p) => `${p.folderPath}/${p.uidvalidity}/${p.uid}`)).size).toBe(all.length);
      for (const m of onServer) {
        const p = all.find((x) => x.folderPath === m.folder && x.uid === m.uid)!;
        expect(p, `${m.folder}/${m.uid}`).toBeDefined();
        expect(normaliseEol(a.readRaw(p.contentId)).equals(normaliseEol(m.raw))).toBe(true);
      }
      expect(a.db.prepare('PRAGMA integrity_check').pluck().get()).toBe('ok');
    } finally {
      a.close();
    }
  });
});
