/**
 * Copies that check themselves (`arche check`) and the second copy (`arche mirror`), through the real CLI against a
 * private Dovecot:
 * - a blob file whose bytes are changed on disk (same size: the backup's quick look cannot see it) and an inline row
 *   changed in SQLite are found and fetched again from the server, byte for byte; a damaged message the server no
 *   longer has is named in plain words (subject, folder); a damaged database is reported.
 * - a mirror is a whole archive (`arche search --archive COPY`, `arche restore --archive COPY` use it), and a second
 *   mirror copies only the new content.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, existsSync, openSync, readFileSync, readSync, statSync, writeSync } from 'node:fs';
import path from 'node:path';
import { startDovecot, type Dovecot } from '../helpers/dovecot.ts';
import { plainMessage, testClient } from '../helpers/corpus.ts';
import { openArchive } from '../../main/engine/archive/archive.node.ts';
import { blobPath } from '../../main/engine/archive/blob-store.node.ts';
import { arche, backupArgs, buildCli, cleanUp, readAccount, tempDir } from './keep-helpers.ts';

let d: Dovecot;
beforeAll(async () => {
  buildCli();
  d = await startDovecot({
    users: [
      { user: 'alice', password: 'alice-pass' },
      { user: 'bob', password: 'bob-pass' },
      { user: 'carol', password: 'carol-pass' },
      { user: 'dan', password: 'dan-pass' },
    ],
  });
}, 240_000);
afterAll(() => {
  d?.stop();
  cleanUp();
});

/** A message big enough to be kept as its own blob file (random base64 barely compresses). */
function bigMessage(subject: string, kb = 400): Buffer {
  return plainMessage({ subject, body: randomBytes(kb * 1024).toString('base64').replace(/.{76}/g, '$&\r\n'), date: new Date('2024-03-05T10:00:00Z') });
}

async function put(user: string, messages: Buffer[]): Promise<void> {
  const c = await testClient(d.url(user), `${user}-pass`, d.caPem);
  try {
    for (const m of messages) await c.append('INBOX', m, ['\\Seen'], new Date('2024-03-05T10:00:00Z'));
  } finally {
    await c.logout();
  }
}

async function expunge(user: string, subject: string): Promise<void> {
  const c = await testClient(d.url(user), `${user}-pass`, d.caPem);
  try {
    const lock = await c.getMailboxLock('INBOX');
    try {
      const uids = (await c.search({ subject }, { uid: true })) || [];
      expect(uids.length).toBe(1);
      await c.messageDelete(String(uids[0]), { uid: true });
    } finally {
      lock.release();
    }
  } finally {
    await c.logout();
  }
}

/** Flips bytes in the middle of a file, keeping its size. */
function flipMiddle(file: string): void {
  const size = statSync(file).size;
  const fd = openSync(file, 'r+');
  try {
    const at = Math.floor(size / 2);
    const b = Buffer.alloc(64);
    readSync(fd, b, 0, 64, at);
    for (let i = 0; i < b.length; i++) b[i] ^= 0xff;
    writeSync(fd, b, 0, 64, at);
  } finally {
    closeSync(fd);
  }
}

const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

describe('arche check', () => {
  it('repairs a damaged blob file and a damaged inline row from the server, names the one the server no longer has', async () => {
    const kept = bigMessage('Rapport annuel');
    const lost = bigMessage('Photos du club');
    const small = plainMessage({ subject: 'Petit mot', body: 'À demain au port. '.repeat(40), date: new Date('2024-03-06T10:00:00Z') });
    await put('alice', [kept, lost, small]);
    const archive = tempDir('check');
    const env = { PW: 'alice-pass' };
    const b = await arche(backupArgs(d.url('alice'), archive, d.caFile), env);
    expect(b.code, b.stderr).toBe(0);

    // An intact archive checks out.
    const clean = await arche(['check', '--archive', archive, '--json']);
    expect(clean.code, clean.stderr).toBe(0);
    expect(JSON.parse(clean.stdout)).toMatchObject({ integrity: [], contents: 3, damaged: 0, repaired: 0, named: [] });
    expect(clean.stderr).toContain('Vos copies sont intactes : 3 messages relus un par un');

    const keptFile = blobPath(archive, sha(kept));
    const lostFile = blobPath(archive, sha(lost));
    const keptSize = statSync(keptFile).size;
    flipMiddle(keptFile);
    flipMiddle(lostFile);
    expect(statSync(keptFile).size).toBe(keptSize);
    const a = openArchive(archive);
    try {
      const id = a.contentIdBySha(sha(small))!;
      // The row kept in SQLite: other bytes, as a bad sector would leave them.
      a.db.prepare('UPDATE contents_raw SET data = ? WHERE content_id = ?').run(Buffer.from('abîmé'), id);
    } finally {
      a.close();
    }
    await expunge('alice', 'Photos du club');

    const r = await arche(['check', '--archive', archive, '--account', d.url('alice'), '--password-env', 'PW', '--ca-file', d.caFile, '--json'], env);
    expect(r.code, r.stderr).toBe(1);
    const j = JSON.parse(r.stdout);
    expect(j).toMatchObject({ integrity: [], contents: 3, damaged: 3, repaired: 2, paused: false });
    expect(j.named).toEqual([{ account: d.url('alice'), folder: 'INBOX', subject: 'Photos du club', date: '2024-03-05T10:00:00.000Z', reason: 'not-on-server' }]);
    expect(r.stderr).toContain('2 messages de votre copie étaient abîmés : Arche les a repris chez votre fournisseur, à l’identique.');
    expect(r.stderr).toContain('Le message « Photos du club » du 05/03/2024 (dossier INBOX) est abîmé dans votre copie, et votre fournisseur ne l’a plus.');
    expect(r.stderr).toContain('The message "Photos du club" of 05/03/2024 (folder INBOX) is damaged in your copy, and your provider no longer has it.');

    const after = openArchive(archive);
    try {
      expect(after.readRaw(after.contentIdBySha(sha(small))!).equals(small)).toBe(true);
      const chunks: Buffer[] = [];
      for await (const c of after.openRaw(after.contentIdBySha(sha(kept))!)) chunks.push(c as Buffer);
      expect(Buffer.concat(chunks).equals(kept)).toBe(true);
    } finally {
      after.close();
    }
    // What could not be mended is still named by the next check, and only it.
    const again = await arche(['check', '--archive', archive, '--json']);
    expect(again.code).toBe(1);
    expect(JSON.parse(again.stdout)).toMatchObject({ damaged: 1, repaired: 0, named: [{ subject: 'Photos du club' }] });
  }, 240_000);

  it('reports a damaged database in plain words', async () => {
    await put('carol', [plainMessage({ subject: 'Assemblée générale', body: 'Ordre du jour.' })]);
    const archive = tempDir('integrity');
    const b = await arche(backupArgs(d.url('carol'), archive, d.caFile), { PW: 'carol-pass' });
    expect(b.code, b.stderr).toBe(0);
    // An index page overwritten on disk (the database closed, its journal merged): the rows are intact, the index not.
    const a = openArchive(archive);
    let page = 0;
    let pageSize = 0;
    try {
      page = a.db.prepare("SELECT rootpage FROM sqlite_master WHERE name = 'meta_date'").pluck().get() as number;
      pageSize = a.db.pragma('page_size', { simple: true }) as number;
    } finally {
      a.close();
    }
    expect(existsSync(path.join(archive, 'arche.sqlite-wal')) ? statSync(path.join(archive, 'arche.sqlite-wal')).size : 0).toBe(0);
    const fd = openSync(path.join(archive, 'arche.sqlite'), 'r+');
    try {
      writeSync(fd, Buffer.alloc(pageSize - 8, 0x5a), 0, pageSize - 8, (page - 1) * pageSize + 8);
    } finally {
      closeSync(fd);
    }
    const r = await arche(['check', '--archive', archive, '--json']);
    expect(r.code, r.stderr).toBe(1);
    expect(JSON.parse(r.stdout).integrity.length).toBeGreaterThan(0);
    expect(r.stderr).toContain('La base de données de votre copie est abîmée');
    expect(r.stderr).toContain('The database of your copy is damaged');
  }, 240_000);
});

describe('arche mirror', () => {
  it('makes a second copy that search and restore use, and copies only new content the second time', async () => {
    await put('bob', [bigMessage('Comptes du trésorier'), bigMessage('Plan de la régate'), plainMessage({ subject: 'Convocation', body: 'Rendez-vous samedi.' })]);
    const archive = tempDir('mirror-src');
    const copy = path.join(tempDir('mirror-usb'), 'Arche');
    const env = { PW: 'bob-pass' };
    const b1 = await arche(backupArgs(d.url('bob'), archive, d.caFile), env);
    expect(b1.code, b1.stderr).toBe(0);

    const m1 = await arche(['mirror', '--archive', archive, '--to', copy, '--json']);
    expect(m1.code, m1.stderr).toBe(0);
    expect(JSON.parse(m1.stdout)).toMatchObject({ contents: 3, blobs_copied: 2, damaged: 0, integrity: [] });
    expect(m1.stderr).toContain('Seconde copie faite dans');

    const found = await arche(['search', '--archive', copy, '--json', 'régate']);
    expect(found.code, found.stderr).toBe(0);
    expect(found.stdout).toContain('Plan de la régate');

    // Restore from the copy into another mailbox: every message arrives, byte for byte.
    const restored = await arche(['restore', '--archive', copy, '--to', d.url('dan'), '--password-env', 'PW2', '--ca-file', d.caFile, '--json'], { PW2: 'dan-pass' });
    expect(restored.code, restored.stderr).toBe(0);
    expect(JSON.parse(restored.stdout)).toMatchObject({ copied: 3, failed: 0 });
    const c = await testClient(d.url('dan'), 'dan-pass', d.caPem);
    try {
      const bobC = await testClient(d.url('bob'), 'bob-pass', d.caPem);
      const want = (await readAccount(bobC)).map((m) => sha(m.raw)).sort();
      await bobC.logout();
      expect((await readAccount(c)).map((m) => sha(m.raw)).sort()).toEqual(want);
    } finally {
      await c.logout();
    }

    // One new big message: the second mirror copies its file only.
    await put('bob', [bigMessage('Photos de la fête')]);
    const b2 = await arche(backupArgs(d.url('bob'), archive, d.caFile), env);
    expect(b2.code, b2.stderr).toBe(0);
    const m2 = await arche(['mirror', '--archive', archive, '--to', copy, '--json']);
    expect(m2.code, m2.stderr).toBe(0);
    expect(JSON.parse(m2.stdout)).toMatchObject({ contents: 4, blobs_copied: 1, damaged: 0 });
    const record = JSON.parse(readFileSync(path.join(archive, 'copies.json'), 'utf8'));
    expect(record.lastMirror).toMatchObject({ to: copy, ok: true, blobsCopied: 1 });
    const again = await arche(['search', '--archive', copy, '--json', 'fête']);
    expect(again.stdout).toContain('Photos de la fête');

    // A folder that holds something else is refused in plain words.
    const other = tempDir('mirror-other');
    await import('node:fs').then((fs) => fs.writeFileSync(path.join(other, 'notes.txt'), 'à moi'));
    const refused = await arche(['mirror', '--archive', archive, '--to', other]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('contient déjà autre chose qu’une copie Arche');
  }, 300_000);
});
