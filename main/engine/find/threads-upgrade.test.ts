/**
 * Migration 009 on an archive made by an earlier version (real SQLite, real blob files): every stored message waits
 * in the queue, conversations are empty meanwhile (each message alone), and the background pass reads the header
 * blocks, inline and blob-file messages alike, into conversations.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openArchive } from '../archive/archive.node.ts';
import { extractMeta } from '../archive/extract-meta.node.ts';
import { conversations } from './threads.node.ts';
import { SCHEMA_VERSION } from '../archive/migrations/index.node.ts';
import { createHash, randomBytes } from 'node:crypto';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function mail(id: string, refs: string, subject: string, date: string, body = 'Bonjour'): Buffer {
  return Buffer.from(`From: Marie <marie@example.fr>\r\nTo: paul@example.fr\r\nSubject: ${subject}\r\nDate: ${date}\r\nMessage-ID: <${id}>\r\n${refs ? `References: ${refs}\r\n` : ''}\r\n${body}\r\n`);
}
const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

describe('migration 009 (conversations) on an earlier archive', () => {
  it('queues every stored message and the background pass threads them from their headers', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'arche-009-'));
    dirs.push(dir);
    const msgs = [
      mail('a@x', '', 'Régate', 'Mon, 1 Jun 2026 10:00:00 +0200'),
      // a big one: stored as a blob file, its header read from a stream
      mail('b@x', '<a@x>', 'Re: Régate', 'Tue, 2 Jun 2026 10:00:00 +0200', randomBytes(450_000).toString('base64')),
      mail('c@x', '<a@x> <b@x>', 'Re: Régate', 'Wed, 3 Jun 2026 10:00:00 +0200'),
      mail('z@x', '', 'Autre chose', 'Thu, 4 Jun 2026 10:00:00 +0200'),
    ];
    {
      const a = openArchive(dir);
      const acc = a.ensureAccount('imaps://marie@mail.example:993');
      const inbox = a.upsertFolder(acc.id, { path: 'INBOX', delimiter: '/', specialUse: null }).id;
      let uid = 1;
      for (const raw of msgs) a.addMessages([{ folderId: inbox, uidvalidity: 1, uid: uid++, flags: [], internalDate: 0, raw, meta: await extractMeta(raw) }]);
      // what an archive of version 7 looked like: no attachment-text tables (008), no conversation tables (009), no
      // browse order (010)
      a.db.exec('DROP TRIGGER placements_sort_date; DROP TRIGGER meta_sort_date; DROP TRIGGER meta_sort_date_update;');
      a.db.exec('DROP INDEX placements_browse; DROP INDEX placements_folder_content; ALTER TABLE placements DROP COLUMN sort_date;');
      a.db.exec('DROP TABLE attachment_queue; DROP TABLE attachment_texts; DROP TABLE att_fts; DROP TABLE attachment_unreadable;');
      a.db.exec('DROP TABLE threads; DROP TABLE thread_ids; DROP TABLE thread_backfill;');
      a.db.pragma('user_version = 7');
      expect(a.db.prepare('SELECT count(*) FROM contents WHERE storage IN (2, 3, 5)').pluck().get()).toBe(1); // one blob file
      a.close();
    }
    const a = openArchive(dir);
    try {
      expect(a.db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
      expect(a.threadBackfillCount()).toBe(4);
      const conv = conversations(a.db);
      // meanwhile: each message is a conversation of its own, never an error, and the list says it is not done
      expect(conv.conversation(sha(msgs[2])).messages.map((m) => m.subject)).toEqual(['Re: Régate']);
      expect(conv.page({}).pending).toBe(4);
      let seen = 0;
      expect(await a.backfillThreads({ onLinked: (d) => (seen = d) })).toBe(4);
      expect(seen).toBe(4);
      expect(a.threadBackfillCount()).toBe(0);
      const thread = conv.conversation(sha(msgs[2]));
      expect(thread.messages.map((m) => m.subject)).toEqual(['Régate', 'Re: Régate', 'Re: Régate']);
      expect(thread.messages.map((m) => m.id)).toEqual([sha(msgs[0]), sha(msgs[1]), sha(msgs[2])]);
      const page = conv.page({});
      expect(page.pending).toBe(0);
      expect(page.conversations.map((c) => [c.subject, c.count])).toEqual([['Autre chose', 1], ['Régate', 3]]);
      // a new message after the migration is threaded as it is stored
      const inbox = a.listFolders(a.getAccount('imaps://marie@mail.example:993')!.id)[0].id;
      const late = mail('d@x', '<c@x>', 'Re: Régate', 'Fri, 5 Jun 2026 10:00:00 +0200');
      a.addMessages([{ folderId: inbox, uidvalidity: 1, uid: 9, flags: [], internalDate: 0, raw: late, meta: await extractMeta(late) }]);
      expect(conv.conversation(sha(msgs[0])).messages).toHaveLength(4);
      expect(conv.page({}).conversations[0]).toMatchObject({ subject: 'Régate', count: 4, id: sha(late) });
    } finally {
      a.close();
    }
  });

  it('pages conversations newest first along a folder, each once, none lost, undated messages last', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'arche-009p-'));
    dirs.push(dir);
    const a = openArchive(dir);
    try {
      const acc = a.ensureAccount('imaps://marie@mail.example:993');
      const inbox = a.upsertFolder(acc.id, { path: 'INBOX', delimiter: '/', specialUse: null }).id;
      const other = a.upsertFolder(acc.id, { path: 'Autre', delimiter: '/', specialUse: null }).id;
      // 12 conversations of 3, interleaved in time; conversation k's newest message in INBOX is on day 20 + k
      let uid = 1;
      const newest = new Map<string, number>();
      for (let step = 0; step < 3; step++) {
        for (let k = 0; k < 12; k++) {
          const day = step === 2 ? 20 + k : 1 + step * 12 + k;
          const raw = mail(`c${k}-${step}@x`, step ? `<c${k}-0@x>` : '', `Sujet ${k}`, new Date(Date.UTC(2026, 0, day)).toUTCString());
          // the last message of conversation 0 is elsewhere: in INBOX its newest is an older one
          const folder = k === 0 && step === 2 ? other : inbox;
          a.addMessages([{ folderId: folder, uidvalidity: 1, uid: uid++, flags: [], internalDate: 0, raw, meta: await extractMeta(raw) }]);
          if (folder === inbox) newest.set(`Sujet ${k}`, day);
        }
      }
      const undated = Buffer.from('From: x@example.fr\r\nSubject: Sans date\r\nMessage-ID: <nd@x>\r\n\r\nx\r\n');
      a.addMessages([{ folderId: inbox, uidvalidity: 1, uid: uid++, flags: [], internalDate: 0, raw: undated, meta: { messageId: '<nd@x>', date: null, from: 'x@example.fr', to: '', cc: '', subject: 'Sans date', attachments: [], text: 'x' } }]);
      a.db.prepare("UPDATE meta SET date = NULL WHERE subject = 'Sans date'").run();
      const conv = conversations(a.db);
      const seen: string[] = [];
      let after: { date: number | null; id: number } | undefined;
      for (let n = 0; n < 20; n++) {
        const p = conv.page({ account: 'imaps://marie@mail.example:993', folder: 'INBOX', limit: 5, ...(after ? { after } : {}) });
        seen.push(...p.conversations.map((c) => c.subject));
        if (!p.next) break;
        after = p.next;
      }
      const expected = [...newest.entries()].sort((x, y) => y[1] - x[1]).map(([s]) => s);
      expect(seen).toEqual([...expected, 'Sans date']);
    } finally {
      a.close();
    }
  });
});
