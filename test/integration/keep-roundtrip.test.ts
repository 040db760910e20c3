/**
 * Round trip: a varied set loaded into one server, backed up with `arche backup`, restored with `arche restore` into
 * another account on a server of another kind. Every message the source held comes back byte-identical (line
 * endings aside), in the right folder, with its flags, keywords and INTERNALDATE; a second restore copies nothing.
 *
 * Run over server kinds (test/helpers/servers.ts): Dovecot in its two layouts, Cyrus, Courier and imap4d as
 * sources, and Courier and imap4d as destinations (imap4d's own X-UID/Status lines aside, and its mbox folders,
 * which cannot hold folders: the messages of such a folder are named once, not put back). Each source holds what it
 * accepts of the set (Cyrus refuses bare LF, imap4d keeps no keywords and an mbox folder cannot have subfolders beside
 * messages): the reference is what the source server gives back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCorpus, folderPath, loadCorpusTolerant, normaliseEol, serverShape, testClient } from '../helpers/corpus.ts';
import { startServer, type ServerKind, type TestServer } from '../helpers/servers.ts';
import { arche, buildCli, readAccount, cleanUp, tempDir, backupArgs } from './keep-helpers.ts';

const servers: TestServer[] = [];
beforeAll(() => buildCli());
afterAll(() => {
  for (const d of servers) d.stop();
  cleanUp();
});

async function roundTrip(from: ServerKind, to: ServerKind): Promise<void> {
  const [src, dst] = await Promise.all([startServer(from), startServer(to)]);
  servers.push(src, dst);
  const corpus = buildCorpus({ seed: `${from}-${to}` });
  const c = await testClient(src.url('alice'), 'alice-pass', src.caPem);
  const { loaded, refused } = await loadCorpusTolerant(c, corpus);
  // What the source server holds is the reference: Dovecot (maildir) gives a future INTERNALDATE (2031) the time of
  // the APPEND, imap4d adds headers of its own: the bytes, flags and dates to keep are the server's.
  const source = await readAccount(c);
  const sourceShape = await serverShape(c);
  await c.logout();
  // Only Cyrus refuses messages outright (bare LF, "invalid header"); the others hold (nearly) all of the set.
  expect(loaded.length, `refused: ${refused.join(', ')}`).toBeGreaterThanOrEqual(corpus.messages.length - (from === 'cyrus' ? 3 : 2));
  expect(source.length).toBe(loaded.length);

  const archive = tempDir(`rt-${from}-${to}`);
  const b = await arche(backupArgs(src.url('alice'), archive, src.caFile, 'SRC_PW'), { SRC_PW: 'alice-pass' });
  expect(b.stderr).not.toContain('alice-pass');
  expect(b.code, b.stderr).toBe(0);
  const bj = JSON.parse(b.stdout);
  expect(bj).toMatchObject({ account: src.url('alice'), messages: source.length, new: source.length, server_missing: 0 });
  expect(Object.keys(bj).sort()).toEqual(['account', 'attachments_unreadable', 'bytes_new', 'folders', 'messages', 'new', 'repaired', 'server_missing', 'server_missing_since', 'unreadable']);
  expect(bj.bytes_new).toBeGreaterThan(2 * 1024 * 1024);

  // An mbox server (imap4d) stores a folder as one file, which cannot hold folders: a folder under one that holds
  // messages (Projets/R&D under Projets) cannot be made there. Those messages are named once, with the server's
  // words; every other one comes back.
  const refusedHere = to === 'imap4d' ? source.filter((m) => source.some((p) => m.folder.startsWith(p.folder + sourceShape.delimiter))) : [];
  const comesBack = source.filter((m) => !refusedHere.includes(m));
  if (to === 'imap4d') expect(refusedHere.length).toBeGreaterThan(0);
  const r = await arche(['restore', '--to', dst.url('bob'), '--password-env', 'DST_PW', '--archive', archive, '--ca-file', dst.caFile, '--json'], { DST_PW: 'bob-pass' });
  expect(r.code, r.stderr).toBe(refusedHere.length ? 1 : 0);
  const rj = JSON.parse(r.stdout);
  expect(rj).toMatchObject({ copied: comesBack.length, skipped_existing: 0, failed: refusedHere.length });
  expect(Object.keys(rj).sort()).toEqual(['copied', 'failed', 'folders', 'rewritten', 'skipped_existing', 'still_on_server']);

  // Every source message, in the folder the mapping promises, with the same bytes, flags and date.
  const dc = await testClient(dst.url('bob'), 'bob-pass', dst.caPem);
  const shape = await serverShape(dc);
  const onServer = await readAccount(dc);
  const folders = (await dc.list()).map((f) => f.path);
  await dc.logout();
  const sub = shape.delimiter === '.' ? '_' : '-';
  const destinationOf = new Map<string, string>();
  for (const f of corpus.folders) {
    const p = folderPath(f, sourceShape);
    if (p) destinationOf.set(p, folderPath(f, shape, sub)!);
  }
  // Said once per folder, with the folder's name on the destination.
  for (const f of new Set(refusedHere.map((m) => destinationOf.get(m.folder)!))) {
    expect(r.stderr.split(`refuse de créer le dossier « ${f} »`).length, f).toBe(2);
    // The name to use instead goes beside the parent (the parent cannot hold folders): "Projets - R&D".
    const parts = f.split(shape.delimiter);
    expect(r.stderr, f).toContain(`par exemple « ${shape.prefix}${parts.at(-2)} - ${parts.at(-1)} »`);
  }
  for (const m of comesBack) {
    const expectedFolder = destinationOf.get(m.folder);
    expect(expectedFolder, `source folder ${m.folder}`).toBeDefined();
    const found = onServer.filter((x) => x.folder === expectedFolder && sameBytes(to, x.raw, m.raw));
    expect(found.length, `${m.folder}/${m.uid} in ${expectedFolder}`).toBe(1);
    // imap4d keeps no keywords (no \* in PERMANENTFLAGS): the system flags only, the keywords named in the report.
    expect(found[0].flags, `${m.folder}/${m.uid}`).toEqual(to === 'imap4d' ? m.flags.filter((f) => f.startsWith('\\')) : m.flags);
    // A date in the future (2031) is replaced by the time of the APPEND on Dovecot (maildir): any other is kept.
    if (m.internalDate <= Date.now()) expect(found[0].internalDate, `${m.folder}/${m.uid}`).toBe(m.internalDate);
    else if (to.startsWith('dovecot')) expect(found[0].internalDate, `${m.folder}/${m.uid}`).toBeLessThanOrEqual(Date.now());
    else expect(found[0].internalDate, `${m.folder}/${m.uid}`).toBe(m.internalDate);
  }
  for (const { message, path, flags } of loaded) {
    // Past dates as the corpus gave them (a server may replace a future one by the time of the APPEND).
    const back = source.filter((x) => x.folder === path && x.flags.join() === [...flags].sort().join() && x.internalDate === message.internalDate.getTime());
    if (message.internalDate.getTime() < Date.now()) expect(back.length, message.name).toBeGreaterThan(0);
  }
  expect(onServer.length).toBe(comesBack.length);
  // The empty folder and every level of the deep hierarchy were created (those the source had).
  const sourceFolders = await folderList(src);
  for (const f of corpus.folders) {
    const p = folderPath(f, sourceShape);
    if (p && sourceFolders.includes(p) && !refusedHere.some((m) => m.folder === p)) expect(folders, p).toContain(folderPath(f, shape, sub)!);
  }

  // Second run: nothing copied again.
  const r2 = await arche(['restore', '--to', dst.url('bob'), '--password-env', 'DST_PW', '--archive', archive, '--ca-file', dst.caFile, '--json'], { DST_PW: 'bob-pass' });
  expect(r2.code, r2.stderr).toBe(refusedHere.length ? 1 : 0);
  expect(JSON.parse(r2.stdout)).toMatchObject({ copied: 0, skipped_existing: comesBack.length, failed: refusedHere.length });
}

/** Header fields an mbox server (imap4d) adds to every message it stores: its bookkeeping, not the message. */
const MBOX_BOOKKEEPING = /^(x-uid|status|x-status|x-keywords|x-imapbase)[ \t]*:.*\r?\n/gim;

/** Same bytes, line endings aside, and, on imap4d, its own header lines aside (what that server is known to add). */
function sameBytes(to: ServerKind, stored: Buffer, original: Buffer): boolean {
  const a = normaliseEol(stored);
  const b = normaliseEol(original);
  if (to !== 'imap4d') return a.equals(b);
  const strip = (x: Buffer): string => {
    const s = x.toString('latin1');
    const end = s.indexOf('\r\n\r\n');
    return end < 0 ? s : s.slice(0, end + 2).replace(MBOX_BOOKKEEPING, '') + s.slice(end + 2);
  };
  return strip(a) === strip(b);
}

async function folderList(s: TestServer): Promise<string[]> {
  const c = await testClient(s.url('alice'), 'alice-pass', s.caPem);
  try {
    return (await c.list()).map((f) => f.path);
  } finally {
    await c.logout();
  }
}

const CASES: [ServerKind, ServerKind][] = [
  ['dovecot', 'dovecot-dot'],
  ['dovecot-dot', 'dovecot'],
  ['cyrus', 'dovecot'],
  ['courier', 'dovecot'],
  ['imap4d', 'dovecot-dot'],
  // Courier and imap4d as destinations (issue 9: APPEND after EXAMINE, keywords, parents, no UIDPLUS, rewriting).
  ['dovecot', 'courier'],
  ['cyrus', 'imap4d'],
];

describe('keep: round trip', () => {
  it.each(CASES)('%s → %s: byte-identical, right folders (roles, separators substituted), flags, keywords, dates', async (from, to) => {
    await roundTrip(from, to);
  });
});
