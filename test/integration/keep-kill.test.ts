/**
 * kill -9 at random points: the backup is killed on a random progress line, several times in a row on the same
 * archive, then run to the end. Nothing is lost, nothing is duplicated, the database is intact, and a further run
 * finds nothing new.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDovecot, type Dovecot } from '../helpers/dovecot.ts';
import { buildCorpus, loadCorpus, normaliseEol, testClient } from '../helpers/corpus.ts';
import { openArchive } from '../../main/engine/archive/archive.node.ts';
import { arche, buildCli, readAccount, cleanUp, startArche, tempDir, backupArgs } from './keep-helpers.ts';

let d: Dovecot;
beforeAll(async () => {
  buildCli();
  d = await startDovecot({ flavour: 'dot' });
});
afterAll(() => {
  d?.stop();
  cleanUp();
});

describe('keep: kill -9 at random points', () => {
  it('loses nothing and duplicates nothing over several killed runs', async () => {
    const c = await testClient(d.url('alice'), 'alice-pass', d.caPem);
    const loaded = await loadCorpus(c, buildCorpus({ seed: 'kill', extra: 300 }));
    const onServer = await readAccount(c);
    await c.logout();
    const archive = tempDir('kill');
    const args = backupArgs(d.url('alice'), archive, d.caFile);
    const env = { PW: 'alice-pass', ARCHE_BACKUP_BATCH: '7' };

    const trials = 6;
    let killed = 0;
    for (let t = 0; t < trials; t++) {
      const target = 2 + Math.floor(Math.random() * 12);
      const run = startArche(args, env);
      let lines = 0;
      run.onStderrLine((line) => {
        if (!line.startsWith('backup:')) return;
        if (++lines === target) run.child.kill('SIGKILL');
      });
      const res = await run.done;
      if (res.signal === 'SIGKILL') killed++;
      else expect(res.code, res.stderr).toBe(0); // finished before its kill point: fine, later trials find less to do
    }
    expect(killed).toBeGreaterThan(0);

    const final = await arche(args, env);
    expect(final.code, final.stderr).toBe(0);
    expect(JSON.parse(final.stdout)).toMatchObject({ messages: loaded.length, server_missing: 0 });
    const again = await arche(args, env);
    expect(JSON.parse(again.stdout)).toMatchObject({ new: 0, messages: loaded.length });

    const a = openArchive(archive);
    try {
      expect(a.db.prepare('PRAGMA integrity_check').pluck().get()).toBe('ok');
      const all = [...a.placements({ includeGone: true })];
      expect(all.length).toBe(onServer.length);
      expect(new Set(all.map((p) => `${p.folderPath}/${p.uidvalidity}/${p.uid}`)).size).toBe(all.length);
      for (const m of onServer) {
        const p = all.find((x) => x.folderPath === m.folder && x.uid === m.uid);
        expect(p, `${m.folder}/${m.uid}`).toBeDefined();
        expect(normaliseEol(a.readRaw(p!.contentId)).equals(normaliseEol(m.raw))).toBe(true);
        expect(p!.flags.sort()).toEqual(m.flags);
      }
      // Every content indexed for search in the end.
      expect(a.pendingIndexCount()).toBe(0);
    } finally {
      a.close();
    }
  });
});
