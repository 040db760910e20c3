/**
 * Browse the archive like a mailbox (issue 14): the accounts and their folders with counts, and a folder's message
 * list newest first, a page at a time by key (never OFFSET: the 1,000th page costs what the first does).
 *
 * A folder is walked through the index placements_browse (folder, date, placement; migration 010) and "all folders"
 * through meta's date index, each message once. The search box and the filters narrow the walk; they never change
 * its order. Measured at 100,000 messages in bench/browse-inprocess.mjs.
 */
import type { Database } from 'better-sqlite3';
import type { BrowseAccount, BrowseFolder, BrowsePage, BrowseRow } from '../../../shared/api.std.ts';
import { ArcheError } from '../../../shared/errors.std.ts';
import { FLAGGED_CONDITION, UNREAD_CONDITION } from '../archive/migrations/005-flag-indexes.node.ts';
import type { FolderInfo } from '../archive/archive.types.std.ts';
import type { FolderRole } from '../../../shared/types.std.ts';
import { parsePeriod } from './query.std.ts';
import { placementExists, queryCondition } from './search.node.ts';
import { pageKeys, type PageKey } from './browse-keys.node.ts';

/**
 * How a folder's role is told (special-use flag, else a well-known name): the imap layer's rule (mapping.std.ts
 * detectRole), handed in by the host, since find sits below imap.
 */
export type RoleOf = (folder: FolderInfo) => FolderRole | null;

/** What the reading view shows (a place, the search box, the filters): the list, its count and its export. */
export interface BrowseSelection {
  account?: string;
  folder?: string;
  /** The search box, in the search language; empty means every message. */
  query?: string;
  /** First and last day (YYYY-MM-DD, UTC), both included. */
  since?: string;
  until?: string;
  attachment?: boolean;
  unread?: boolean;
  flagged?: boolean;
  /** "From this person": words of the sender's name or address. */
  sender?: string;
}

export interface BrowseOptions extends BrowseSelection {
  /** The previous page's `next`. */
  after?: string;
  limit?: number;
}

const DEFAULT_PAGE = 100;

/** The login of an account address, when it is an e-mail address (imaps://marie%40mailo.com@…): sent mail is hers. */
function ownAddress(url: string): string | null {
  const user = userOf(url)?.toLowerCase() ?? '';
  return user.includes('@') ? user : null;
}

/** The user name of an account address (percent-decoded), or null for an address that has none (local://…). */
function userOf(url: string): string | null {
  try {
    const u = decodeURIComponent(new URL(url).username);
    return u || null;
  } catch {
    return null;
  }
}

/** The bare address of a From text ("Marie <marie@mailo.com>" → marie@mailo.com). */
function addressOf(from: string): string {
  const m = /<([^<>\s]+@[^<>\s]+)>/.exec(from) ?? /([^\s<>,"]+@[^\s<>,"]+)/.exec(from);
  return (m ? m[1] : from).toLowerCase();
}

function labelOf(url: string): string {
  return userOf(url) ?? url;
}

/** Every account and its folders, with the messages each holds (each once) and the unread ones. */
export function browseFolders(db: Database, roleOf: RoleOf): BrowseAccount[] {
  const accounts = db.prepare('SELECT id, url FROM accounts ORDER BY id').all() as { id: number; url: string }[];
  const folders = db.prepare('SELECT id, account_id, path, delimiter, special_use, gone_at FROM folders ORDER BY path').all() as {
    id: number;
    account_id: number;
    path: string;
    delimiter: string | null;
    special_use: string | null;
    gone_at: number | null;
  }[];
  // Counted from the browse index (no table row read); a message held twice in one folder (a renumbered folder keeps
  // its old placements) is one message, as the list shows it.
  const counts = new Map(
    (db.prepare('SELECT folder_id AS f, count(DISTINCT content_id) AS n FROM placements GROUP BY folder_id').all() as { f: number; n: number }[]).map((r) => [r.f, r.n]),
  );
  const unread = new Map(
    (
      db.prepare(`SELECT folder_id AS f, count(DISTINCT content_id) AS n FROM placements WHERE ${UNREAD_CONDITION} GROUP BY folder_id`).all() as {
        f: number;
        n: number;
      }[]
    ).map((r) => [r.f, r.n]),
  );
  // "All folders" of each account: its messages, each once however many folders hold it; counted as the folders are
  // (placements, not the search data): 43 ms at 100,000 messages, where a check against meta made it 135.
  const perAccount = (cond: string) =>
    new Map(
      (
        db
          .prepare(`SELECT f.account_id AS a, count(DISTINCT p.content_id) AS n FROM placements p JOIN folders f ON f.id = p.folder_id ${cond} GROUP BY f.account_id`)
          .all() as { a: number; n: number }[]
      ).map((r) => [r.a, r.n]),
    );
  const accountMessages = perAccount('');
  const accountUnread = perAccount(`WHERE p.${UNREAD_CONDITION}`);
  return accounts.map((a) => ({
    url: a.url,
    label: labelOf(a.url),
    messages: accountMessages.get(a.id) ?? 0,
    unread: accountUnread.get(a.id) ?? 0,
    folders: folders
      .filter((f) => f.account_id === a.id && (f.gone_at === null || (counts.get(f.id) ?? 0) > 0))
      .map(
        (f): BrowseFolder => ({
          path: f.path,
          delimiter: f.delimiter,
          role: roleOf({ path: f.path, delimiter: f.delimiter, specialUse: f.special_use }),
          messages: counts.get(f.id) ?? 0,
          unread: unread.get(f.id) ?? 0,
        }),
      ),
  }));
}

interface Cursor {
  date: number | null;
  id: number;
}

/** The next page's key: the last line's date and id ("n" for the messages without a date, listed last). */
function encodeCursor(c: Cursor): string {
  return c.date === null ? `n:${c.id}` : `d:${c.date}:${c.id}`;
}

function decodeCursor(s: string | undefined): Cursor | null {
  if (!s) return null;
  const m = /^(?:d:(-?\d{1,16})|n):(\d{1,16})$/.exec(s);
  if (!m) throw new ArcheError('bad-request', { detail: 'after' });
  return { date: m[1] !== undefined ? Number(m[1]) : null, id: Number(m[2]) };
}

/** The conditions every view shares (on c and m): the search box, "from this person", "with an attachment". */
function sharedConditions(o: BrowseOptions): { sql: string[]; params: unknown[] } {
  const sql: string[] = [];
  const params: unknown[] = [];
  const words = [o.query?.trim() ?? ''];
  // "From this person" in the search language itself: one rule for what from: matches (words of name or address).
  if (o.sender?.trim()) words.push(`from:"${o.sender.replace(/"/g, ' ').trim()}"`);
  const q = words.filter(Boolean).join(' ');
  if (q) {
    const c = queryCondition(q);
    sql.push(c.sql);
    params.push(...c.params);
  }
  if (o.attachment) sql.push('m.has_attachment = 1');
  return { sql, params };
}

function dayRange(o: BrowseOptions): { start: number | null; end: number | null } {
  return { start: o.since ? parsePeriod(o.since).start : null, end: o.until ? parsePeriod(o.until).end : null };
}

interface ListRow {
  key: number;
  sd: number | null;
  content_id: number;
  sha256: Buffer;
  size: number;
  date: number | null;
  from_text: string | null;
  to_text: string | null;
  subject: string | null;
  has_attachment: number | null;
}

const COLUMNS = 'c.id AS content_id, c.sha256, c.size, m.date, m.from_text, m.to_text, m.subject, m.has_attachment';

/** A page of a folder's (or every folder's) messages, newest first. */
export function browseList(db: Database, roleOf: RoleOf, o: BrowseOptions = {}): BrowsePage {
  const limit = Math.max(1, Math.min(o.limit ?? DEFAULT_PAGE, 500));
  return o.folder !== undefined ? folderPage(db, roleOf, o, limit) : allPage(db, roleOf, o, limit);
}

interface FolderRow {
  id: number;
  path: string;
  delimiter: string | null;
  special_use: string | null;
  url: string;
}

/** The folder a list or a selection names (in the named account, else the first account that has it). */
function folderOf(db: Database, path: string, account: string | undefined): FolderRow {
  const folder = db
    .prepare('SELECT f.id, f.path, f.delimiter, f.special_use, a.url FROM folders f JOIN accounts a ON a.id = f.account_id WHERE f.path = ? AND (? IS NULL OR a.url = ?) ORDER BY a.id LIMIT 1')
    .get(path, account ?? null, account ?? null) as FolderRow | undefined;
  if (!folder) throw new ArcheError('archive-folder-unknown', { folder: path });
  return folder;
}

/** An account's id in the archive, by its URL: listing or exporting an account the archive does not hold is an error. */
function accountIdOf(db: Database, url: string): number {
  const id = db.prepare('SELECT id FROM accounts WHERE url = ?').pluck().get(url) as number | undefined;
  if (id === undefined) throw new ArcheError('archive-folder-unknown', { folder: url });
  return id;
}

/** A message placed in some folder of one account (the account's id as its parameter). */
const IN_ACCOUNT = 'c.id IN (SELECT p.content_id FROM placements p JOIN folders f ON f.id = p.folder_id WHERE f.account_id = ?)';

/**
 * The date range and the unread / flagged filters, read one of two ways. In a folder they are the placement's own
 * (`p.sort_date`, its flags). Across folders they are the message's: its Date header, and unread / flagged in any of
 * its placements (served by the partial indexes of migration 005, the conditions read exactly as there; `+c.id` keeps
 * the planner walking the date order rather than the id list).
 */
function filterConditions(o: BrowseOptions, reading: 'placement' | 'message'): { sql: string[]; params: unknown[] } {
  const sql: string[] = [];
  const params: unknown[] = [];
  const date = reading === 'placement' ? 'p.sort_date' : 'm.date';
  const flag = (condition: string) => (reading === 'placement' ? `p.${condition}` : placementExists(`p.${condition}`));
  const { start, end } = dayRange(o);
  if (start !== null) {
    sql.push(`${date} >= ?`);
    params.push(start);
  }
  if (end !== null) {
    sql.push(`${date} < ?`);
    params.push(end);
  }
  if (o.unread) sql.push(flag(UNREAD_CONDITION));
  if (o.flagged) sql.push(flag(FLAGGED_CONDITION));
  return { sql, params };
}

function folderPage(db: Database, roleOf: RoleOf, o: BrowseOptions, limit: number): BrowsePage {
  const folder = folderOf(db, o.folder ?? '', o.account);
  const shared = sharedConditions(o);
  const placed = filterConditions(o, 'placement');
  const where = ['p.folder_id = ?', ...shared.sql, ...placed.sql];
  const params: unknown[] = [folder.id, ...shared.params, ...placed.params];
  const filtered = where.length > 1;
  // Each message once: of two placements of the same message in the folder, the newer stands for both.
  where.push('NOT EXISTS (SELECT 1 FROM placements q WHERE q.content_id = p.content_id AND q.folder_id = p.folder_id AND q.id > p.id)');
  const cursor = decodeCursor(o.after);
  // The total only when it is cheap (the folder's own count, in index order): with a filter, counting would mean
  // reading the whole folder before the first line shows; the list then grows as it is read.
  const total = cursor || filtered ? null : (db.prepare('SELECT count(DISTINCT content_id) FROM placements WHERE folder_id = ?').pluck().get(folder.id) as number);
  const from = 'FROM placements p JOIN contents c ON c.id = p.content_id LEFT JOIN meta m ON m.content_id = p.content_id';
  const order = 'ORDER BY p.sort_date DESC, p.id DESC';
  let rows: (ListRow & { flags: string })[];
  if (shared.sql.length) {
    // words (or a person) in the search box: the keys of the next pages are read at once and kept (browse-keys)
    const keysAfter = (after: PageKey | null, n: number): PageKey[] =>
      db
        .prepare(`SELECT p.id, p.sort_date AS sd ${from} WHERE ${[...where, ...(after ? ['(p.sort_date, p.id) < (?, ?)'] : [])].join(' AND ')} ${order} LIMIT ?`)
        .all(...params, ...(after ? [after.sd ?? 0, after.id] : []), n) as PageKey[];
    const keys = pageKeys(db, JSON.stringify([where, params]), cursor ? { id: cursor.id, sd: cursor.date } : null, limit, keysAfter);
    const byKey = new Map(
      (keys.length
        ? (db.prepare(`SELECT p.id AS key, p.sort_date AS sd, p.flags, ${COLUMNS} ${from} WHERE p.id IN (${keys.map(() => '?').join(', ')})`).all(...keys.map((k) => k.id)) as (ListRow & { flags: string })[])
        : []
      ).map((r) => [r.key, r]),
    );
    rows = keys.map((k) => byKey.get(k.id)).filter((r) => r !== undefined);
  } else {
    const keyset = cursor ? ['(p.sort_date, p.id) < (?, ?)'] : [];
    rows = db
      .prepare(`SELECT p.id AS key, p.sort_date AS sd, p.flags, ${COLUMNS} ${from} WHERE ${[...where, ...keyset].join(' AND ')} ${order} LIMIT ?`)
      .all(...params, ...(cursor ? [cursor.date ?? 0, cursor.id] : []), limit) as (ListRow & { flags: string })[];
  }
  const own = ownAddress(folder.url);
  const sentFolder = roleOf({ path: folder.path, delimiter: folder.delimiter, specialUse: folder.special_use }) === 'sent';
  const out = rows.map((r) => rowOf(r, folder.url, folder.path, [r.flags], sentFolder || (own !== null && addressOf(r.from_text ?? '') === own)));
  const last = rows[rows.length - 1];
  return { rows: out, next: rows.length === limit ? encodeCursor({ date: last.sd, id: last.key }) : null, total };
}

function rowOf(r: ListRow, account: string, folder: string | null, flags: string[], sent: boolean): BrowseRow {
  return {
    id: r.sha256.toString('hex'),
    account,
    folder,
    date: r.date !== null ? new Date(r.date).toISOString() : null,
    from: r.from_text ?? '',
    to: r.to_text ?? '',
    subject: r.subject ?? '',
    size: r.size,
    unread: flags.some((f) => !f.includes(' \\Seen ')),
    flagged: flags.some((f) => f.includes(' \\Flagged ')),
    attachment: r.has_attachment === 1,
    sent,
  };
}

/**
 * Every folder (of one account, or all), each message once: meta's date index walked newest first. Messages with
 * no date at all come last, after the dated ones (a second walk), so none is left out.
 */
function allPage(db: Database, roleOf: RoleOf, o: BrowseOptions, limit: number): BrowsePage {
  const shared = sharedConditions(o);
  const where = [...shared.sql];
  const params: unknown[] = [...shared.params];
  let accountId: number | null = null;
  if (o.account !== undefined) {
    accountId = accountIdOf(db, o.account);
    // `+c.id`: the planner keeps walking the date order rather than the account's id list.
    where.push(`+${IN_ACCOUNT}`);
    params.push(accountId);
  }
  const own = filterConditions(o, 'message');
  where.push(...own.sql);
  params.push(...own.params);
  const base = `FROM meta m JOIN contents c ON c.id = m.content_id`;
  const cond = (extra: string[]) => {
    const all = [...where, ...extra];
    return all.length ? `WHERE ${all.join(' AND ')}` : '';
  };
  const cursor = decodeCursor(o.after);
  // As for a folder: the total only when cheap, i.e. every indexed message. One account's is not (100 ms at 100,000
  // messages, over the first page's 50 ms goal): the side list already says it (browseFolders), the list grows as read.
  const total = cursor || where.length ? null : (db.prepare('SELECT count(*) FROM meta').pluck().get() as number);
  let rows: ListRow[] = [];
  if (!cursor || cursor.date !== null) {
    const keyset = cursor ? ['(m.date, m.content_id) < (?, ?)'] : [];
    rows = db
      .prepare(`SELECT m.content_id AS key, m.date AS sd, ${COLUMNS} ${base} ${cond(['m.date IS NOT NULL', ...keyset])} ORDER BY m.date DESC, m.content_id DESC LIMIT ?`)
      .all(...params, ...(cursor ? [cursor.date, cursor.id] : []), limit) as ListRow[];
  }
  if (rows.length < limit) {
    const keyset = cursor && cursor.date === null ? ['m.content_id < ?'] : [];
    rows.push(
      ...(db
        .prepare(`SELECT m.content_id AS key, NULL AS sd, ${COLUMNS} ${base} ${cond(['m.date IS NULL', ...keyset])} ORDER BY m.content_id DESC LIMIT ?`)
        .all(...params, ...(keyset.length ? [cursor!.id] : []), limit - rows.length) as ListRow[]),
    );
  }
  const places = db.prepare(
    `SELECT a.url, f.path, f.delimiter, f.special_use, p.flags FROM placements p JOIN folders f ON f.id = p.folder_id JOIN accounts a ON a.id = f.account_id
     WHERE p.content_id = ? AND (? IS NULL OR a.id = ?) ORDER BY a.id, p.server_gone_at IS NOT NULL, f.path`,
  );
  const out = rows.map((r) => {
    const pl = places.all(r.content_id, accountId, accountId) as { url: string; path: string; delimiter: string | null; special_use: string | null; flags: string }[];
    const account = pl[0]?.url ?? '';
    const own = ownAddress(account);
    const sent = pl.some((p) => roleOf({ path: p.path, delimiter: p.delimiter, specialUse: p.special_use }) === 'sent') || (own !== null && addressOf(r.from_text ?? '') === own);
    return rowOf(r, account, null, pl.map((p) => p.flags), sent);
  });
  const last = rows[rows.length - 1];
  return { rows: out, next: rows.length === limit ? encodeCursor({ date: last.sd, id: last.key }) : null, total };
}

/**
 * The messages a selection holds (what the list shows, each once), as one SQL statement over c (contents), m (meta)
 * and, for a folder, p: the list's own conditions without its order and pages. For the export ("export what is
 * shown") and its count said on screen before it starts.
 */
function selectionSql(db: Database, o: BrowseSelection, column: string): { sql: string; params: unknown[] } {
  const shared = sharedConditions(o);
  const where = [...shared.sql];
  const params: unknown[] = [...shared.params];
  if (o.folder !== undefined) {
    const folder = folderOf(db, o.folder, o.account);
    // The folder's placements, as the list reads them (dates, unread and flagged are the placement's own)
    const placed = filterConditions(o, 'placement');
    where.unshift(`c.id IN (SELECT p.content_id FROM placements p WHERE ${['p.folder_id = ?', ...placed.sql].join(' AND ')})`);
    params.unshift(folder.id, ...placed.params);
  } else {
    if (o.account !== undefined) {
      where.unshift(IN_ACCOUNT);
      params.unshift(accountIdOf(db, o.account));
    }
    const own = filterConditions(o, 'message');
    where.push(...own.sql);
    params.push(...own.params);
  }
  // Only messages with their search data, as the list: the same count on screen and in the exported file.
  return { sql: `SELECT ${column} FROM meta m JOIN contents c ON c.id = m.content_id ${where.length ? `WHERE ${where.join(' AND ')}` : ''}`, params };
}

/** The content ids of a selection, each once, in archive order (the export writes them in that order). */
export function selectionIds(db: Database, o: BrowseSelection): number[] {
  const q = selectionSql(db, o, 'c.id');
  return db.prepare(`${q.sql} ORDER BY c.id`).pluck().all(...q.params) as number[];
}

/** How many messages a selection holds: "Exporter les 1 284 messages de « Newsletters »". */
export function selectionCount(db: Database, o: BrowseSelection): number {
  const q = selectionSql(db, o, 'count(*)');
  return db.prepare(q.sql).pluck().get(...q.params) as number;
}
