/**
 * Round trip: a varied set loaded into one server, backed up with `arche backup`, restored with `arche restore` into
 * another account on a server of the other flavour. Every message comes back byte-identical (line endings aside), in
 * the right folder, with its flags, keywords and INTERNALDATE; a second restore copies nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDovecot, type Dovecot, type Flavour } from '../helpers/dovecot.ts';
import { buildCorpus, folderPath, loadCorpus, normaliseEol, serverShape, testClient } from '../helpers/corpus.ts';
import { arche, buildCli, readAccount, cleanUp, tempDir, backupArgs } from './keep-helpers.ts';

const servers: Dovecot[] = [];
beforeAll(() => buildCli());
afterAll(() => {
  for (const d of servers) d.stop();
  cleanUp();
});

async function roundTrip(from: Flavour, to: Flavour): Promise<void> {
  const src = await startDovecot({ flavour: from });
  const dst = await startDovecot({ flavour: to });
  servers.push(src, dst);
  const corpus = buildCorpus({ seed: `${from}-${to}` });
  const c = await testClient(src.url('alice'), 'alice-pass', src.caPem);
  const loaded = await loadCorpus(c, corpus);
  // What the source server holds is the reference: Dovecot (maildir) gives a future INTERNALDATE (2031) the time of
  // the APPEND, so the date to keep is the server's, and past dates are checked against the corpus as well.
  const source = await readAccount(c);
  const sourceShape = await serverShape(c);
  await c.logout();
  expect(loaded.length).toBeGreaterThanOrEqual(corpus.messages.length - 1);

  const archive = tempDir(`rt-${from}-${to}`);
  const b = await arche(backupArgs(src.url('alice'), archive, src.caFile, 'SRC_PW'), { SRC_PW: 'alice-pass' });
  expect(b.stderr).not.toContain('alice-pass');
  expect(b.code, b.stderr).toBe(0);
  const bj = JSON.parse(b.stdout);
  expect(bj).toMatchObject({ account: src.url('alice'), messages: loaded.length, new: loaded.length, server_missing: 0 });
  expect(Object.keys(bj).sort()).toEqual(['account', 'bytes_new', 'folders', 'messages', 'new', 'server_missing']);
  expect(bj.bytes_new).toBeGreaterThan(2 * 1024 * 1024);

  const r = await arche(['restore', '--to', dst.url('bob'), '--password-env', 'DST_PW', '--archive', archive, '--ca-file', dst.caFile, '--json'], { DST_PW: 'bob-pass' });
  expect(r.code, r.stderr).toBe(0);
  const rj = JSON.parse(r.stdout);
  expect(rj).toMatchObject({ copied: loaded.length, skipped_existing: 0, failed: 0 });
  expect(Object.keys(rj).sort()).toEqual(['copied', 'failed', 'folders', 'skipped_existing', 'still_on_server']);

  // Every loaded message, in the folder the mapping promises, with the same bytes, flags and date.
  const dc = await testClient(dst.url('bob'), 'bob-pass', dst.caPem);
  const shape = await serverShape(dc);
  const onServer = await readAccount(dc);
  const folders = (await dc.list()).map((f) => f.path);
  await dc.logout();
  const sub = shape.delimiter === '.' ? '_' : '-';
  for (const { message } of loaded) {
    const expectedFolder = folderPath(corpus.folders[message.folder], shape, sub)!;
    const found = onServer.filter((m) => m.folder === expectedFolder && normaliseEol(m.raw).equals(normaliseEol(message.raw)));
    expect(found.length, `${message.name} in ${expectedFolder}`).toBe(1);
    expect(found[0].flags, message.name).toEqual([...message.flags].sort());
    const original = source.filter((m) => normaliseEol(m.raw).equals(normaliseEol(message.raw)) && m.flags.join() === found[0].flags.join());
    expect(original.length, message.name).toBeGreaterThan(0);
    expect(original.map((m) => m.internalDate), message.name).toContain(found[0].internalDate);
    if (message.internalDate.getTime() < Date.now()) expect(found[0].internalDate, message.name).toBe(message.internalDate.getTime());
  }
  expect(onServer.length).toBe(loaded.length);
  // Empty folder and every level of the deep hierarchy were created.
  for (const f of corpus.folders) {
    if (!folderPath(f, sourceShape)) continue; // never existed on the source server
    const p = folderPath(f, shape, sub)!;
    expect(folders, p).toContain(p);
  }
  expect(folders).toContain(folderPath({ segments: ['Niveau 1', 'Niveau 2'] }, shape));

  // Second run: nothing copied again.
  const r2 = await arche(['restore', '--to', dst.url('bob'), '--password-env', 'DST_PW', '--archive', archive, '--ca-file', dst.caFile, '--json'], { DST_PW: 'bob-pass' });
  expect(r2.code, r2.stderr).toBe(0);
  expect(JSON.parse(r2.stdout)).toMatchObject({ copied: 0, skipped_existing: loaded.length, failed: 0 });
}

describe('keep: round trip', () => {
  it('slash → dot: byte-identical, right folders (Sent → Éléments envoyés, "." substituted), flags, keywords, dates', async () => {
    await roundTrip('slash', 'dot');
  });
  it('dot → slash', async () => {
    await roundTrip('dot', 'slash');
  });
});
