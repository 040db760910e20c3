/**
 * Browse the archive like a mailbox (issue 14), over a real archive (SQLite in a temp dir): folders with counts,
 * key-paged lists that give every message exactly once in date order, filters, and sent mail showing the recipient.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openArchive, type Archive } from '../../main/engine/archive/archive.node.ts';
import { extractMeta } from '../../main/engine/archive/extract-meta.node.ts';
import { browseFolders as folders, browseList as list, selectionCount, selectionIds, type BrowseOptions, type BrowseSelection } from '../../main/engine/find/browse.node.ts';
import { exportMessages } from '../../main/engine/find/export.node.ts';
import { detectRole } from '../../main/engine/imap/mapping.std.ts';
import type { BrowseRow } from '../../shared/api.std.ts';

// The login is the address: mail from marie@mail.example is hers, wherever it is filed.
const A = 'imaps://marie%40mail.example@mail.example:993';
const B = 'imaps://paul@other.example:993';
const DAY = 24 * 3600 * 1000;
const T0 = Date.UTC(2024, 0, 1);

let dir: string;
let archive: Archive;

function raw(n: number, o: { from?: string; to?: string; subject?: string; date: number; attachment?: boolean }): Buffer {
  const head = [
    `From: ${o.from ?? `Expéditeur ${n} <exp${n}@club.example>`}`,
    `To: ${o.to ?? 'Marie <marie@mail.example>'}`,
    `Subject: ${o.subject ?? `Message ${n}`}`,
    `Date: ${new Date(o.date).toUTCString()}`,
    `Message-ID: <m${n}@club.example>`,
    'MIME-Version: 1.0',
  ];
  if (!o.attachment) return Buffer.from([...head, 'Content-Type: text/plain; charset=utf-8', '', `Corps ${n}`, ''].join('\r\n'));
  return Buffer.from(
    [...head, 'Content-Type: multipart/mixed; boundary="b"', '', '--b', 'Content-Type: text/plain', '', `Corps ${n}`, '--b', 'Content-Type: application/pdf; name="pv.pdf"', 'Content-Disposition: attachment; filename="pv.pdf"', '', 'JVBERi0=', '--b--', ''].join(
      '\r\n',
    ),
  );
}

async function put(folderId: number, uid: number, n: number, flags: string[], o: Parameters<typeof raw>[1], uidvalidity = 1): Promise<void> {
  const bytes = raw(n, o);
  archive.addMessages([{ folderId, uidvalidity, uid, flags, internalDate: o.date, raw: bytes, meta: await extractMeta(bytes) }]);
}

let inbox: number;
beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'arche-browse-'));
  archive = openArchive(dir);
  const a = archive.ensureAccount(A);
  const b = archive.ensureAccount(B);
  inbox = archive.upsertFolder(a.id, { path: 'INBOX', delimiter: '/', specialUse: null }).id;
  const sent = archive.upsertFolder(a.id, { path: 'Envoyés', delimiter: '/', specialUse: '\\Sent' }).id;
  const club = archive.upsertFolder(a.id, { path: 'Club/Régates', delimiter: '/', specialUse: null }).id;
  const other = archive.upsertFolder(b.id, { path: 'INBOX', delimiter: '.', specialUse: null }).id;
  // 250 in INBOX, one a day; every 5th unread, every 7th flagged, every 10th with an attachment.
  for (let i = 0; i < 250; i++) {
    const flags = [...(i % 5 === 0 ? [] : ['\\Seen']), ...(i % 7 === 0 ? ['\\Flagged'] : [])];
    await put(inbox, i + 1, i, flags, { date: T0 + i * DAY, attachment: i % 10 === 0 });
  }
  // Mail Marie sent: in the Sent folder, and one she filed in her inbox.
  await put(sent, 1, 1000, ['\\Seen'], { from: 'Marie <marie@mail.example>', to: 'Jean <jean@club.example>', subject: 'Inscription', date: T0 + 10 * DAY });
  await put(inbox, 1001, 1001, ['\\Seen'], { from: 'Marie Martin <MARIE@mail.example>', to: 'Bureau <bureau@club.example>', subject: 'Copie pour moi', date: T0 + 300 * DAY });
  // The same message in two folders (and, renumbered, twice in one folder): one message each time.
  await put(club, 1, 5, ['\\Seen'], { date: T0 + 5 * DAY });
  await put(club, 1, 5, ['\\Seen'], { date: T0 + 5 * DAY }, 2);
  await put(other, 1, 2000, [], { from: 'Hélène <helene@voile.example>', subject: 'Régate de printemps', date: T0 + 400 * DAY });
});

afterAll(() => {
  archive?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Every line of a list, page after page, following `next` (and the total the first page announced). */
function walk(o: BrowseOptions, limit: number): { rows: BrowseRow[]; total: number | null; pages: number } {
  const rows: BrowseRow[] = [];
  let after: string | undefined;
  let total: number | null = null;
  let pages = 0;
  for (;;) {
    const p = list(archive.db, detectRole, { ...o, limit, ...(after ? { after } : {}) });
    if (pages === 0) total = p.total;
    else expect(p.total).toBeNull();
    pages++;
    rows.push(...p.rows);
    if (!p.next) break;
    after = p.next;
    expect(pages).toBeLessThan(1000);
  }
  return { rows, total, pages };
}

const subjectsOf = (rows: BrowseRow[]) => rows.map((r) => r.subject);

describe('browse: folders', () => {
  it('lists each account with its folders, roles, and counts of messages and unread ones (a message held twice counts once)', () => {
    const all = folders(archive.db, detectRole);
    expect(all.map((a) => [a.url, a.label])).toEqual([
      [A, 'marie@mail.example'],
      [B, 'paul'],
    ]);
    const byPath = Object.fromEntries(all[0].folders.map((f) => [f.path, f]));
    expect(byPath.INBOX).toMatchObject({ role: 'inbox', messages: 251, unread: 50, delimiter: '/' });
    expect(byPath['Envoyés']).toMatchObject({ role: 'sent', messages: 1, unread: 0 });
    expect(byPath['Club/Régates']).toMatchObject({ role: null, messages: 1, unread: 0 });
    expect(all[1].folders).toEqual([{ path: 'INBOX', delimiter: '.', role: 'inbox', messages: 1, unread: 1 }]);
  });
  it("counts each account's \"all folders\": a message in two folders once", () => {
    const [a, b] = folders(archive.db, detectRole);
    // INBOX 251 + Envoyés 1; Club/Régates holds a message INBOX holds too
    expect([a.messages, a.unread]).toEqual([252, 50]);
    expect([b.messages, b.unread]).toEqual([1, 1]);
  });
});

describe('browse: a folder, page by page', () => {
  it('gives every message of the folder exactly once, newest first, across pages by key', () => {
    const { rows, total, pages } = walk({ account: A, folder: 'INBOX' }, 100);
    expect(total).toBe(251);
    expect(pages).toBe(3);
    expect(rows).toHaveLength(251);
    expect(new Set(rows.map((r) => r.id)).size).toBe(251);
    const dates = rows.map((r) => Date.parse(r.date!));
    expect(dates).toEqual([...dates].sort((x, y) => y - x));
    expect(rows[0].subject).toBe('Copie pour moi');
    expect(rows[250].subject).toBe('Message 0');
    expect(rows.every((r) => r.folder === 'INBOX' && r.account === A)).toBe(true);
  });
  it('marks unread, flagged and attachments per line', () => {
    const { rows } = walk({ account: A, folder: 'INBOX' }, 500);
    const m = (n: number) => rows.find((r) => r.subject === `Message ${n}`)!;
    expect(m(10)).toMatchObject({ unread: true, flagged: false, attachment: true });
    expect(m(14)).toMatchObject({ unread: false, flagged: true, attachment: false });
    expect(m(1)).toMatchObject({ unread: false, flagged: false, attachment: false });
  });
  it('never lists a message twice in a folder that was renumbered', () => {
    const { rows, total } = walk({ account: A, folder: 'Club/Régates' }, 10);
    expect(total).toBe(1);
    expect(subjectsOf(rows)).toEqual(['Message 5']);
  });
  it('walks the index in order: no sort of the folder, whatever the page', () => {
    const plan = (sql: string) => (archive.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(inbox, 1, 1, 10) as { detail: string }[]).map((r) => r.detail).join(' | ');
    const detail = plan(
      `SELECT p.id FROM placements p JOIN contents c ON c.id = p.content_id LEFT JOIN meta m ON m.content_id = p.content_id
       WHERE p.folder_id = ? AND (p.sort_date, p.id) < (?, ?) ORDER BY p.sort_date DESC, p.id DESC LIMIT ?`,
    );
    expect(detail).toContain('placements_browse');
    const count = (archive.db.prepare('EXPLAIN QUERY PLAN SELECT count(DISTINCT content_id) FROM placements WHERE folder_id = ?').all(inbox) as { detail: string }[]).map((r) => r.detail).join(' | ');
    expect(count).toContain('placements_folder_content');
    expect(count).not.toContain('TEMP B-TREE');
    expect(detail).not.toContain('TEMP B-TREE');
  });
  it('refuses an unknown folder with a code, not an empty list', () => {
    expect(() => list(archive.db, detectRole, { account: A, folder: 'Nulle part' })).toThrow(expect.objectContaining({ code: 'archive-folder-unknown' }));
  });
});

describe('browse: all folders', () => {
  it('lists every message once, whatever folders and accounts hold it, newest first', () => {
    const { rows, total } = walk({}, 64);
    expect(total).toBe(253);
    expect(rows).toHaveLength(253);
    expect(new Set(rows.map((r) => r.id)).size).toBe(253);
    expect(rows[0].subject).toBe('Régate de printemps');
    expect(rows.every((r) => r.folder === null)).toBe(true);
  });
  it('keeps to one account when asked', () => {
    const { rows } = walk({ account: B }, 10);
    expect(subjectsOf(rows)).toEqual(['Régate de printemps']);
  });
  it("an account's all folders: each of its messages once, newest first, with the count the side list gives", () => {
    const { rows, total } = walk({ account: A }, 100);
    expect(total).toBeNull(); // counted by the side list, not by the first page (its 50 ms goal)
    expect(rows).toHaveLength(folders(archive.db, detectRole)[0].messages);
    expect(rows).toHaveLength(252);
    expect(new Set(rows.map((r) => r.id)).size).toBe(252);
    const dates = rows.map((r) => Date.parse(r.date!));
    expect(dates).toEqual([...dates].sort((x, y) => y - x));
    expect(rows.some((r) => r.subject === 'Régate de printemps')).toBe(false);
    expect(walk({ account: A, unread: true }, 100).rows).toHaveLength(folders(archive.db, detectRole)[0].unread);
  });
});

describe('browse: filters', () => {
  it('date range (both days included), attachment, unread, flagged, from this person, and the search box, combined', () => {
    const inInbox = (o: BrowseOptions) => walk({ account: A, folder: 'INBOX', ...o }, 7);
    expect(subjectsOf(inInbox({ since: '2024-01-03', until: '2024-01-05' }).rows)).toEqual(['Message 4', 'Message 3', 'Message 2']);
    expect(inInbox({ attachment: true }).rows).toHaveLength(25);
    expect(inInbox({ attachment: true }).total).toBeNull(); // a filtered list is not counted before it is read
    expect(inInbox({ unread: true }).rows).toHaveLength(50);
    expect(inInbox({ flagged: true }).rows).toHaveLength(36);
    expect(inInbox({ unread: true, flagged: true, attachment: true }).rows.map((r) => r.subject)).toEqual(['Message 210', 'Message 140', 'Message 70', 'Message 0']);
    expect(subjectsOf(inInbox({ sender: 'exp42@club.example' }).rows)).toEqual(['Message 42']);
    expect(subjectsOf(inInbox({ query: 'corps', sender: 'Expéditeur 7' }).rows)).toEqual(['Message 7']);
    expect(subjectsOf(inInbox({ query: 'copie' }).rows)).toEqual(['Copie pour moi']);
    const paged = inInbox({ unread: true });
    expect(paged.rows).toHaveLength(50);
    expect(paged.pages).toBe(8);
  });
  it('an empty search box means every message, newest first (never a silent nothing)', () => {
    expect(walk({ query: '   ' }, 300).rows).toHaveLength(253);
  });
  it('in all folders too: unread and flagged count a message once', () => {
    expect(walk({ unread: true }, 100).rows).toHaveLength(51);
    expect(walk({ flagged: true, since: '2024-01-01', until: '2024-01-31' }, 100).rows.map((r) => r.subject)).toEqual(['Message 28', 'Message 21', 'Message 14', 'Message 7', 'Message 0']);
  });
});

describe('browse: sent mail shows who it went to', () => {
  it('marks as sent what is in the Sent folder, and what the account owner sent wherever it is filed', () => {
    const sent = walk({ account: A, folder: 'Envoyés' }, 10).rows;
    expect(sent).toEqual([expect.objectContaining({ subject: 'Inscription', sent: true, to: 'Jean <jean@club.example>' })]);
    const inboxRows = walk({ account: A, folder: 'INBOX' }, 500).rows;
    expect(inboxRows.find((r) => r.subject === 'Copie pour moi')).toMatchObject({ sent: true, to: 'Bureau <bureau@club.example>' });
    expect(inboxRows.filter((r) => r.sent)).toHaveLength(1);
    const all = walk({}, 500).rows;
    expect(all.filter((r) => r.sent).map((r) => r.subject).sort()).toEqual(['Copie pour moi', 'Inscription']);
  });
});

describe('export what is shown', () => {
  const selections: [string, BrowseSelection][] = [
    ['a folder', { account: A, folder: 'INBOX' }],
    ['a folder, filtered', { account: A, folder: 'INBOX', since: '2024-01-01', until: '2024-03-31', unread: true }],
    ['a folder, searched', { account: A, folder: 'INBOX', query: 'copie' }],
    ['a folder, from this person', { account: A, folder: 'INBOX', sender: 'exp42@club.example' }],
    ["an account's all folders", { account: A }],
    ["an account's all folders, flagged with an attachment", { account: A, flagged: true, attachment: true }],
    ['every account', {}],
    ['every account, searched', { query: 'régate' }],
  ];
  it.each(selections)('%s: the count and the exported messages are the list, each once', (_name, sel) => {
    const shown = walk(sel, 500).rows;
    expect(shown.length).toBeGreaterThan(0);
    expect(selectionCount(archive.db, sel)).toBe(shown.length);
    const hashes = (selectionIds(archive.db, sel).map((id) => (archive.db.prepare('SELECT sha256 FROM contents WHERE id = ?').pluck().get(id) as Buffer).toString('hex')));
    expect(hashes.sort()).toEqual(shown.map((r) => r.id).sort());
  });
  it('writes exactly the shown messages, byte for byte, into the mbox', () => {
    const sel: BrowseSelection = { account: A, folder: 'INBOX', since: '2024-01-01', until: '2024-01-31', attachment: true };
    const shown = walk(sel, 500).rows;
    expect(subjectsOf(shown)).toEqual(['Message 30', 'Message 20', 'Message 10', 'Message 0']);
    const out = path.join(dir, 'inbox-january.mbox');
    const res = exportMessages(archive, { format: 'mbox', out, select: sel });
    expect(res.exported).toBe(4);
    const text = readFileSync(out, 'utf8');
    expect(text.match(/^From /gm)).toHaveLength(4);
    expect([...text.matchAll(/^Subject: (.*)\r?$/gm)].map((m) => m[1]).sort()).toEqual(['Message 0', 'Message 10', 'Message 20', 'Message 30']);
    // Without a selection the same call is still the search's (here: the whole archive)
    const whole = exportMessages(archive, { format: 'eml', out: path.join(dir, 'all-eml'), query: '' });
    expect(whole.exported).toBe(253);
  });
  it('refuses an unknown folder or account with a code, not an empty file', () => {
    expect(() => selectionIds(archive.db, { account: A, folder: 'Nulle part' })).toThrow(expect.objectContaining({ code: 'archive-folder-unknown' }));
    expect(() => selectionCount(archive.db, { account: 'imaps://x@nowhere.example:993' })).toThrow(expect.objectContaining({ code: 'archive-folder-unknown' }));
  });
});

describe('browse: a list with words read ahead (browse-keys)', () => {
  it('gives the same lines as the whole folder filtered by hand, once each, in order, however the pages fall', () => {
    const every = walk({ account: A, folder: 'INBOX' }, 500).rows;
    for (const limit of [1, 7, 64]) {
      const words = walk({ account: A, folder: 'INBOX', query: 'corps' }, limit);
      expect(subjectsOf(words.rows)).toEqual(subjectsOf(every));
      expect(words.pages).toBe(Math.floor(every.length / limit) + 1);
    }
  });
  it('sees a message stored after the list was read: what is kept never outlives a change to the archive', async () => {
    const a = archive.ensureAccount(A);
    const f = archive.upsertFolder(a.id, { path: 'Club/Lus', delimiter: '/', specialUse: null }).id;
    for (let i = 0; i < 3; i++) await put(f, i + 1, 3000 + i, ['\\Seen'], { subject: `Lu ${i}`, date: T0 + i * DAY });
    const o = { account: A, folder: 'Club/Lus', query: 'corps' };
    const first = list(archive.db, detectRole, { ...o, limit: 2 });
    expect(subjectsOf(first.rows)).toEqual(['Lu 2', 'Lu 1']);
    await put(f, 4, 3003, ['\\Seen'], { subject: 'Lu 3', date: T0 + 3 * DAY });
    expect(subjectsOf(list(archive.db, detectRole, { ...o, limit: 2 }).rows)).toEqual(['Lu 3', 'Lu 2']);
    // a page key given out before the change still leads to the lines after it
    expect(subjectsOf(list(archive.db, detectRole, { ...o, limit: 2, after: first.next! }).rows)).toEqual(['Lu 0']);
  });
});
