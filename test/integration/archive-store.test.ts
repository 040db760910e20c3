/**
 * The archive against real SQLite files and blob files in temp dirs: idempotence, dedup, exact bytes,
 * large messages streamed, append-only marks, orphan clean-up.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import v8 from 'node:v8';
import vm from 'node:vm';
import { openArchive, defaultArchiveDir, type Archive } from '../../main/engine/archive/archive.node.ts';
import { extractMeta } from '../../main/engine/archive/extract-meta.node.ts';
import type { IncomingMessage } from '../../main/engine/archive/archive.types.std.ts';
import { normHash } from '../../main/engine/archive/norm-hash.node.ts';
import { prepareBytes } from '../../main/engine/archive/prepare-bytes.node.ts';

const dirs: string[] = [];
const opened: Archive[] = [];
function tmp(): string {
  const d = mkdtempSync(path.join(os.tmpdir(), 'arche-archive-'));
  dirs.push(d);
  return d;
}
function open(dir = tmp()): Archive {
  const a = openArchive(dir);
  opened.push(a);
  return a;
}
afterEach(() => {
  for (const a of opened.splice(0)) {
    try {
      a.close();
    } catch {
      // already closed by the test
    }
  }
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function msg(n: number, body = `Body ${n}`): Buffer {
  return Buffer.from(`From: a@example.org\r\nTo: b@example.org\r\nSubject: Message ${n}\r\nMessage-ID: <m${n}@example.org>\r\n\r\n${body}\r\n`);
}
function incoming(folderId: number, uid: number, raw: IncomingMessage['raw'], extra: Partial<IncomingMessage> = {}): IncomingMessage {
  return { folderId, uidvalidity: 7, uid, flags: ['\\Seen'], internalDate: Date.UTC(2020, 0, uid), raw, ...extra };
}
const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

async function readStream(s: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of s) chunks.push(Buffer.from(c as Buffer));
  return Buffer.concat(chunks);
}

describe('archive store', () => {
  it('accountCounts: messages as the server held them (identical copies in one folder count each), and the copies it no longer has', () => {
    const a = open();
    const acc = a.ensureAccount('imaps://alice@mail.example:993');
    const other = a.ensureAccount('imaps://bob@mail.example:993');
    const inbox = a.upsertFolder(acc.id, { path: 'INBOX', delimiter: '/', specialUse: null });
    const sent = a.upsertFolder(acc.id, { path: 'Sent', delimiter: '/', specialUse: null });
    const bobs = a.upsertFolder(other.id, { path: 'INBOX', delimiter: '/', specialUse: null });
    a.addMessages([
      incoming(inbox.id, 1, msg(1)),
      incoming(inbox.id, 2, msg(1)), // the same message twice in INBOX: two messages, as the server has them
      incoming(inbox.id, 5, msg(5)),
      incoming(inbox.id, 6, msg(5)), // twice, both gone below: two messages missing
      incoming(inbox.id, 3, msg(2)),
      incoming(inbox.id, 4, msg(3)),
      incoming(sent.id, 1, msg(1)), // the same message in another folder: another pair
      incoming(bobs.id, 1, msg(4)),
    ]);
    // msg(1) gone under one of its two INBOX UIDs: as when a restored message came back under a new UID beside its
    // gone one, counted once, not missing; msg(3) gone from INBOX altogether; msg(5) both copies gone.
    const at = Date.UTC(2026, 2, 12);
    a.markGone(inbox.id, 7, [1, 4, 5, 6], at);
    // missingSince: when the first of the missing ones was seen gone.
    expect(a.accountCounts(acc.id)).toEqual({ messages: 6, missing: 3, missingSince: at });
    expect(a.accountCounts(other.id)).toEqual({ messages: 1, missing: 0, missingSince: null });
    expect(a.accountCounts(999)).toEqual({ messages: 0, missing: 0, missingSince: null });
  });

  it('the line-ending-normalised hash is the one NormHasher gives, whatever the line endings (one pass when CRLF)', () => {
    const samples = [
      msg(1),
      Buffer.from('Subject: bare LF\nX: y\n\nbody\n'),
      Buffer.from('Subject: bare CR\rX: y\r\n\r\nbody\r'),
      Buffer.from('Subject: CR CR LF\r\r\n\r\nbody'),
      Buffer.from('Subject: LF first\n\r\nbody'),
      Buffer.from(''),
      Buffer.from('no line end at all'),
      Buffer.concat([msg(2, 'x'.repeat(5000)), randomBytes(300_000)]),
    ];
    const a = open();
    const f = a.upsertFolder(a.ensureAccount('imaps://alice@mail.example:993').id, { path: 'INBOX', delimiter: '/', specialUse: null });
    a.addMessages(samples.map((raw, k) => incoming(f.id, k + 1, raw)));
    const rows = a.db.prepare('SELECT id, lower(hex(norm_hash)) AS norm FROM contents ORDER BY id').all() as { id: number; norm: string }[];
    expect(rows.map((r) => sha(a.readRaw(r.id)))).toEqual(samples.map(sha));
    expect(rows.map((r) => r.norm)).toEqual(samples.map((b) => normHash(b)));
  });

  it('addMessages is idempotent and advances the cursor in the same call', () => {
    const a = open();
    const acc = a.ensureAccount('imaps://alice@mail.example:993');
    const f = a.upsertFolder(acc.id, { path: 'INBOX', delimiter: '/', specialUse: null });
    const batch = [1, 2, 3].map((u) => incoming(f.id, u, msg(u)));
    const r1 = a.addMessages(batch, { folderId: f.id, uidvalidity: 7, uidnext: 4, highestModseq: '12345678901234567', serverCount: 3 });
    expect(r1).toEqual({ placementsAdded: 3, contentsAdded: 3, bytesAdded: batch.reduce((s, m) => s + (m.raw as Buffer).length, 0), alreadyPresent: 0 });
    const r2 = a.addMessages(batch, { folderId: f.id, uidnext: 4 });
    expect(r2).toEqual({ placementsAdded: 0, contentsAdded: 0, bytesAdded: 0, alreadyPresent: 3 });
    const folder = a.listFolders(acc.id)[0];
    expect(folder).toMatchObject({ uidvalidity: 7, uidnext: 4, highestModseq: '12345678901234567', serverCount: 3 });
    expect([...a.placements()]).toHaveLength(3);
    expect(a.knownUids(f.id, 7)).toEqual([1, 2, 3]);
  });

  it('a failing batch writes nothing, not even its cursor', () => {
    const a = open();
    const acc = a.ensureAccount('imaps://alice@mail.example:993');
    const f = a.upsertFolder(acc.id, { path: 'INBOX', delimiter: '/', specialUse: null });
    expect(() => a.addMessages([incoming(f.id, 1, msg(1)), incoming(9999, 2, msg(2))], { folderId: f.id, uidnext: 3 })).toThrow();
    expect([...a.placements()]).toHaveLength(0);
    expect(a.listFolders(acc.id)[0].uidnext).toBeNull();
    expect(a.hasContent(sha(msg(1)))).toBe(false);
  });

  it('stores a message seen in two folders and two accounts once, linked to each place', () => {
    const a = open();
    const acc1 = a.ensureAccount('imaps://alice@one.example:993');
    const acc2 = a.ensureAccount('imaps://alice@two.example:993');
    const f1 = a.upsertFolder(acc1.id, { path: 'INBOX', delimiter: '/', specialUse: null });
    const f2 = a.upsertFolder(acc1.id, { path: 'Archive/2020', delimiter: '/', specialUse: '\\Archive' });
    const f3 = a.upsertFolder(acc2.id, { path: 'INBOX', delimiter: '.', specialUse: null });
    const raw = msg(42);
    expect(a.addMessages([incoming(f1.id, 1, raw)]).contentsAdded).toBe(1);
    expect(a.addMessages([incoming(f2.id, 10, raw)])).toMatchObject({ placementsAdded: 1, contentsAdded: 0 });
    expect(a.addMessages([incoming(f3.id, 5, raw)])).toMatchObject({ placementsAdded: 1, contentsAdded: 0 });
    const rows = [...a.placements()];
    expect(rows).toHaveLength(3);
    expect(new Set(rows.map((r) => r.contentId)).size).toBe(1);
    expect(a.db.prepare('SELECT count(*) FROM contents').pluck().get()).toBe(1);
    expect(rows.map((r) => `${r.accountUrl} ${r.folderPath}`)).toEqual([
      'imaps://alice@one.example:993 Archive/2020',
      'imaps://alice@one.example:993 INBOX',
      'imaps://alice@two.example:993 INBOX',
    ]);
    expect(rows[0].sha256).toBe(sha(raw));
  });

  it('gives back the exact bytes: a 100 KB line, bare LF, 8-bit bytes, a 400 KB blob file', async () => {
    const a = open();
    const acc = a.ensureAccount('imaps://alice@mail.example:993');
    const f = a.upsertFolder(acc.id, { path: 'INBOX', delimiter: '/', specialUse: null });
    const longLine = Buffer.from(`Subject: long\r\n\r\n${'x'.repeat(100 * 1024)}\r\n`);
    const bareLf = Buffer.from('Subject: lf\n\nline one\nline two\n');
    const eightBit = Buffer.concat([Buffer.from('Subject: caf'), Buffer.from([0xe9]), Buffer.from('\r\n\r\n'), Buffer.from([0x00, 0xff, 0x80, 0x0d, 0x0a])]);
    const incompressible = Buffer.concat([Buffer.from('Subject: big\r\n\r\n'), randomBytes(400 * 1024)]);
    const raws = [longLine, bareLf, eightBit, incompressible];
    a.addMessages(raws.map((r, i) => incoming(f.id, i + 1, r)));
    const rows = [...a.placements()];
    for (const [i, r] of raws.entries()) {
      const row = rows.find((p) => p.uid === i + 1)!;
      expect(a.readRaw(row.contentId).equals(r)).toBe(true);
      expect((await readStream(a.openRaw(row.contentId))).equals(r)).toBe(true);
      expect(row.sha256).toBe(sha(r));
    }
    // the 400 KB random message went to a content-addressed blob file, the others stayed in SQLite
    const s = sha(incompressible);
    expect(existsSync(path.join(a.dir, 'blobs', s.slice(0, 2), s))).toBe(true);
    // bare LF and its CRLF twin share a normHash
    const crlf = Buffer.from('Subject: lf\r\n\r\nline one\r\nline two\r\n');
    const normOfLf = rows.find((p) => p.uid === 2)!.normHash;
    a.addMessages([incoming(f.id, 9, crlf)]);
    const found = a.findByNormHash([normOfLf]);
    expect(found.get(normOfLf)).toHaveLength(2);
  });

  it('stageBlobs writes a batch\'s blob files before addMessages, which stores the same archive with them', async () => {
    const a = open();
    const acc = a.ensureAccount('imaps://alice@mail.example:993');
    const f = a.upsertFolder(acc.id, { path: 'INBOX', delimiter: '/', specialUse: null });
    const big = (n: number): Buffer => Buffer.concat([Buffer.from(`Subject: big ${n}\r\n\r\n`), randomBytes(300 * 1024)]);
    const b3 = big(3);
    const raws = [big(1), msg(2), b3, b3]; // a small one stays in SQLite; the same content twice, stored once
    const batch = raws.map((r, i) => incoming(f.id, i + 1, r, { prepared: prepareBytes(r) }));
    const file = (r: Buffer): string => path.join(a.dir, 'blobs', sha(r).slice(0, 2), sha(r));
    await a.stageBlobs(batch);
    expect(existsSync(file(raws[0])) && existsSync(file(raws[2]))).toBe(true);
    expect(existsSync(file(raws[1]))).toBe(false);
    expect(a.addMessages(batch)).toMatchObject({ placementsAdded: 4, contentsAdded: 3 });
    for (const p of a.placements()) expect(a.readRaw(p.contentId).equals(raws[p.uid - 1])).toBe(true);
    // a content already stored is not written again by the next stage
    const again = [incoming(f.id, 5, raws[0], { prepared: prepareBytes(raws[0]) })];
    rmSync(file(raws[0]));
    await a.stageBlobs(again);
    expect(existsSync(file(raws[0]))).toBe(false);
  });

  it('streams a 25 MB message through prepareLargeMessage without holding it in memory', async () => {
    const dir = tmp();
    const a = open(dir);
    const acc = a.ensureAccount('imaps://alice@mail.example:993');
    const f = a.upsertFolder(acc.id, { path: 'INBOX', delimiter: '/', specialUse: null });
    const src = path.join(dir, 'incoming.eml');
    const hash = createHash('sha256');
    const out = createWriteStream(src);
    const head = Buffer.from(
      'From: Big Sender <big@example.org>\r\nSubject: Gros fichier\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="b1"\r\n\r\n--b1\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nVoici le plan de la régate.\r\n--b1\r\nContent-Type: application/octet-stream\r\nContent-Disposition: attachment; filename="plan-regate.bin"\r\nContent-Transfer-Encoding: base64\r\n\r\n',
    );
    out.write(head);
    hash.update(head);
    let size = head.length;
    // ~25 MB of base64, written chunk by chunk (different lines so compression cannot shrink it to nothing)
    for (let i = 0; size < 25 * 1024 * 1024; i++) {
      const chunk = Buffer.from(randomBytes(57 * 64).toString('base64').replace(/(.{76})/g, '$1\r\n') + '\r\n');
      if (!out.write(chunk)) await once(out, 'drain');
      hash.update(chunk);
      size += chunk.length;
    }
    const tail = Buffer.from('--b1--\r\n');
    out.end(tail);
    hash.update(tail);
    size += tail.length;
    await once(out, 'finish');
    const expected = hash.digest('hex');

    // Retained memory (heap + buffers after a full GC), sampled while the message streams through:
    // RSS alone would count garbage chunks not yet collected.
    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('gc') as () => void;
    const retained = (): number => {
      gc();
      const m = process.memoryUsage();
      return m.heapUsed + m.arrayBuffers;
    };
    const before = retained();
    let peak = before;
    const timer = setInterval(() => {
      peak = Math.max(peak, retained());
    }, 20);
    const prepared = await a.prepareLargeMessage(src);
    clearInterval(timer);
    expect(prepared.size).toBe(size);
    expect(existsSync(src)).toBe(false); // the archive took ownership of the file
    const res = a.addMessages([incoming(f.id, 1, prepared)]);
    expect(res).toMatchObject({ contentsAdded: 1, bytesAdded: size });
    // memory did not grow by the message size (loose bound: well under 25 MB)
    expect(peak - before).toBeLessThan(12 * 1024 * 1024);
    const row = [...a.placements()][0];
    expect(row.sha256).toBe(expected);
    const h2 = createHash('sha256');
    for await (const c of a.openRaw(row.contentId)) h2.update(c as Buffer);
    expect(h2.digest('hex')).toBe(expected);
    // it was indexed in the same call, attachment name included
    const meta = a.db.prepare('SELECT subject, attachments FROM meta WHERE content_id = ?').get(row.contentId) as { subject: string; attachments: string };
    expect(meta.subject).toBe('Gros fichier');
    const att = JSON.parse(meta.attachments) as { filename: string; size: number }[];
    expect(att[0].filename).toBe('plan-regate.bin');
    expect(att[0].size).toBeGreaterThan(17 * 1024 * 1024);
    expect(readdirSync(path.join(dir, 'blobs', 'tmp'))).toEqual([]);
  });

  it('never deletes: markGone and markFolderGone only mark', () => {
    const a = open();
    const acc = a.ensureAccount('imaps://alice@mail.example:993');
    const f = a.upsertFolder(acc.id, { path: 'INBOX', delimiter: '/', specialUse: null });
    a.addMessages([1, 2, 3].map((u) => incoming(f.id, u, msg(u))));
    expect(a.markGone(f.id, 7, [1, 3], 5000)).toBe(2);
    expect(a.markGone(f.id, 7, [1], 6000)).toBe(0);
    expect(a.knownUids(f.id, 7)).toEqual([2]);
    expect([...a.placements()]).toHaveLength(1);
    const all = [...a.placements({ includeGone: true })];
    expect(all.map((r) => r.serverGoneAt)).toEqual([5000, null, 5000]);
    for (const r of all) expect(a.readRaw(r.contentId).length).toBeGreaterThan(0);
    a.markFolderGone(f.id, 7000);
    expect(a.listFolders(acc.id)[0].goneAt).toBe(7000);
    expect(a.upsertFolder(acc.id, { path: 'INBOX', delimiter: '/', specialUse: '\\Inbox' }).goneAt).toBeNull();
  });

  it('lists gone UIDs and clears the mark when the server has them again (same UIDVALIDITY)', () => {
    const a = open();
    const acc = a.ensureAccount('imaps://alice@mail.example:993');
    const f = a.upsertFolder(acc.id, { path: 'INBOX', delimiter: '/', specialUse: null });
    a.addMessages([1, 2, 3].map((u) => incoming(f.id, u, msg(u))));
    a.markGone(f.id, 7, [1, 2, 3], 5000);
    expect(a.goneUids(f.id, 7)).toEqual([1, 2, 3]);
    expect(a.goneUids(f.id, 8)).toEqual([]);
    expect(a.markPresent(f.id, 7, [1, 3, 99])).toBe(2);
    expect(a.goneUids(f.id, 7)).toEqual([2]);
    expect(a.knownUids(f.id, 7)).toEqual([1, 3]);
  });

  it('updates flags with the cursor, keeps alarms and backup status', () => {
    const a = open();
    const acc = a.ensureAccount('imaps://alice@mail.example:993');
    const f = a.upsertFolder(acc.id, { path: 'INBOX', delimiter: '/', specialUse: null });
    a.addMessages([incoming(f.id, 1, msg(1), { flags: [] })]);
    expect(a.updateFlags(f.id, 7, [{ uid: 1, flags: ['\\Seen', '\\Flagged', '$Travail'], modseq: '99' }], { folderId: f.id, highestModseq: '99' })).toBe(1);
    expect([...a.placements()][0].flags).toEqual(['\\Seen', '\\Flagged', '$Travail']);
    expect(a.listFolders(acc.id)[0].highestModseq).toBe('99');
    a.addAlarm({ accountId: acc.id, folderPath: 'INBOX', kind: 'mass-loss', missing: 25, createdAt: 1 });
    expect(a.alarms(acc.id)).toEqual([{ id: 1, accountId: acc.id, folderPath: 'INBOX', kind: 'mass-loss', missing: 25, createdAt: 1 }]);
    a.setBackupStatus(acc.id, 'alarm', 123);
    expect(a.getAccount(acc.url)).toMatchObject({ lastBackupStatus: 'alarm', lastBackupAt: 123 });
    expect(a.listAccounts()).toHaveLength(1);
  });

  it('pages through many placements while other queries run between rows', () => {
    const a = open();
    const acc = a.ensureAccount('imaps://alice@mail.example:993');
    const f = a.upsertFolder(acc.id, { path: 'INBOX', delimiter: '/', specialUse: null });
    a.addMessages(Array.from({ length: 1203 }, (_, i) => incoming(f.id, i + 1, msg(i + 1))));
    let n = 0;
    let lastUid = 0;
    for (const p of a.placements({ folderId: f.id })) {
      expect(p.uid).toBeGreaterThan(lastUid);
      lastUid = p.uid;
      expect(a.readRaw(p.contentId).length).toBeGreaterThan(0);
      n++;
    }
    expect(n).toBe(1203);
  });

  it('indexes later what was added without metadata', async () => {
    const a = open();
    const acc = a.ensureAccount('imaps://alice@mail.example:993');
    const f = a.upsertFolder(acc.id, { path: 'INBOX', delimiter: '/', specialUse: null });
    a.addMessages([incoming(f.id, 1, msg(1, 'le vélo bleu')), incoming(f.id, 2, msg(2), { meta: await extractMeta(msg(2)) })]);
    expect(a.pendingIndexCount()).toBe(1);
    expect(await a.indexPending()).toBe(1);
    expect(a.pendingIndexCount()).toBe(0);
    expect(a.db.prepare("SELECT rowid FROM fts WHERE fts MATCH 'velo'").pluck().all()).toHaveLength(1);
  });

  it('removes temp files of dead processes on open, keeps live ones', () => {
    const dir = tmp();
    open(dir).close();
    const t = path.join(dir, 'blobs', 'tmp');
    mkdirSync(t, { recursive: true });
    writeFileSync(path.join(t, '999999999-deadbeef'), 'half a message');
    writeFileSync(path.join(t, `${process.pid}-alive`), 'being written');
    open(dir);
    expect(readdirSync(t)).toEqual([`${process.pid}-alive`]);
  });

  it('has a default folder per OS', () => {
    expect(defaultArchiveDir({ XDG_DATA_HOME: '/x/data' }, 'linux', '/home/u')).toBe('/x/data/arche');
    expect(defaultArchiveDir({}, 'linux', '/home/u')).toBe('/home/u/.local/share/arche');
    expect(defaultArchiveDir({}, 'darwin', '/Users/u')).toBe('/Users/u/Library/Application Support/Arche');
    expect(defaultArchiveDir({ APPDATA: 'C:\\Users\\u\\AppData\\Roaming' }, 'win32', 'C:\\Users\\u')).toBe('C:\\Users\\u\\AppData\\Roaming\\Arche');
  });
});

describe('archive open failures', () => {
  it('a file that is not an archive database is refused in plain words', () => {
    const dir = tmp();
    writeFileSync(path.join(dir, 'arche.sqlite'), 'this is not a database, just some text that is long enough to be read as a header');
    let err: unknown;
    try {
      openArchive(dir);
    } catch (e) {
      err = e;
    }
    expect((err as { code?: string }).code).toBe('archive-unreadable');
  });
});

describe('whole-archive export order', () => {
  it('covers contents still waiting for their search data', async () => {
    const { matchingContentIds } = await import('../../main/engine/find/search.node.ts');
    const a = open();
    const acc = a.ensureAccount('imaps://alice@mail.example:993');
    const f = a.upsertFolder(acc.id, { path: 'INBOX', delimiter: '/', specialUse: null });
    a.addMessages([incoming(f.id, 1, msg(1)), incoming(f.id, 2, msg(2))]);
    expect(a.pendingIndexCount()).toBe(2);
    expect([...matchingContentIds(a.db, '')]).toHaveLength(2);
    expect([...matchingContentIds(a.db, 'message')]).toHaveLength(0); // not searchable before indexing
  });
});
