/**
 * Restore over a connection that is cut in the middle of an APPEND: Arche reconnects, looks whether the server kept
 * the message before the cut, and carries on. In the end every message is there exactly once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDovecot, type Dovecot } from '../helpers/dovecot.ts';
import { startCuttingProxy, type CuttingProxy } from '../helpers/cutting-proxy.ts';
import { buildCorpus, loadCorpus, normaliseEol, testClient } from '../helpers/corpus.ts';
import { arche, buildCli, readAccount, cleanUp, tempDir, backupArgs } from './keep-helpers.ts';

let src: Dovecot;
let dst: Dovecot;
let proxy: CuttingProxy | undefined;
beforeAll(async () => {
  buildCli();
  src = await startDovecot({ flavour: 'slash' });
  dst = await startDovecot({ flavour: 'dot' });
});
afterAll(async () => {
  await proxy?.close();
  src?.stop();
  dst?.stop();
  cleanUp();
});

describe('keep: restore over a cut connection', () => {
  it('resumes after the socket is cut mid-APPEND, with no duplicate and nothing missing', async () => {
    const c = await testClient(src.url('alice'), 'alice-pass', src.caPem);
    const loaded = await loadCorpus(c, buildCorpus({ seed: 'rcut', extra: 40 }));
    const before = await readAccount(c);
    await c.logout();
    const archive = tempDir('rcut');
    const b = await arche(backupArgs(src.url('alice'), archive, src.caFile), { PW: 'alice-pass' });
    expect(b.code, b.stderr).toBe(0);

    // Inside the 2.8 MB message's APPEND literal, and again later.
    proxy = await startCuttingProxy({ targetHost: '127.0.0.1', targetPort: dst.port, cutAfterBytes: 1_500_000, direction: 'up', cuts: 2 });
    const r = await arche(['restore', '--to', `imaps://bob@127.0.0.1:${proxy.port}`, '--password-env', 'PW', '--archive', archive, '--ca-file', dst.caFile, '--json'], { PW: 'bob-pass' });
    expect(proxy.cutsDone).toBe(2);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('a été coupée');
    expect(r.stderr).toContain('dropped');
    const j = JSON.parse(r.stdout);
    expect(j.copied + j.skipped_existing).toBe(loaded.length);
    expect(j.failed).toBe(0);

    const d = await testClient(dst.url('bob'), 'bob-pass', dst.caPem);
    const after = await readAccount(d);
    await d.logout();
    expect(after.length).toBe(before.length);
    for (const m of before) {
      expect(after.filter((x) => normaliseEol(x.raw).equals(normaliseEol(m.raw))).length, `${m.folder}/${m.uid}`).toBeGreaterThanOrEqual(1);
    }
    const keys = after.map((x) => `${x.folder}|${normaliseEol(x.raw).toString('base64')}`);
    expect(new Set(keys).size).toBe(keys.length);
  });
});
