/**
 * The engine calls the host makes directly (quick ones: test a connection, plan a move, list accounts, search).
 * Long jobs go through the job runner instead (main/engine/jobs). Engine pieces not in this build answer
 * `not-available` here, in one place, so the handlers stay the same when they land.
 */
import { Readable } from 'node:stream';
import { ArcheError } from '../../shared/errors.std.ts';
import type { AccountSpec } from '../../shared/types.std.ts';
import type { AccountSummary, BrowseAccount, BrowsePage, ConversationCursor, ConversationPage, ConversationView, FolderSummary, MessageView, MigrationPlan, SearchResults } from '../../shared/api.std.ts';
import { testAccount } from '../engine/imap/folders.node.ts';
import { makePlan } from '../engine/move/migrate.node.ts';
import { readMoveState } from '../engine/transfer/move-state.node.ts';
import { mergeChoices, type UserChoice } from '../engine/move/user-mapping.std.ts';
import { canonicalAccountUrl } from '../engine/imap/account-url.std.ts';
import { openArchive, type Archive } from '../engine/archive/archive.node.ts';
import { search } from '../engine/find/search.node.ts';
import { browseFolders, browseList, selectionCount, type BrowseOptions, type BrowseSelection } from '../engine/find/browse.node.ts';
import { detectRole } from '../engine/imap/mapping.std.ts';
import { allAttachments, getMessage, openAttachment } from '../engine/find/message.node.ts';
import { exportMessages } from '../engine/find/export.node.ts';
import { conversations } from '../engine/find/threads.node.ts';
import { parseAccountUrl, providerName } from '../engine/imap/account-url.std.ts';
import { providerNameForHost } from '../engine/accounts/autoconfig.node.ts';
import { folderDisplayName } from './folder-names.std.ts';

export interface Attachment {
  filename: string;
  contentType: string;
  open(): NodeJS.ReadableStream;
}

export interface Engine {
  testAccount(spec: AccountSpec, locale: string): Promise<FolderSummary[]>;
  /** The move's plan, with the destinations the user chose for this move before (a re-run shows them again). */
  /** `choices`: the user's destinations from the Plan screen, each checked and marked on its line when refused. */
  plan(archiveDir: string, from: AccountSpec, to: AccountSpec, folders: string[] | undefined, choices?: UserChoice[]): Promise<MigrationPlan>;
  listAccounts(archiveDir: string): Promise<AccountSummary[]>;
  search(archiveDir: string, req: { query: string; limit?: number; offset?: number; sort?: 'relevance' | 'date' }): Promise<SearchResults>;
  message(archiveDir: string, id: string): Promise<MessageView>;
  /** Issue 14: the conversation of a message, and pages of conversations of a folder (or of the whole archive). */
  conversation(archiveDir: string, id: string): Promise<ConversationView>;
  conversations(archiveDir: string, req: { account?: string; folder?: string; after?: ConversationCursor; limit?: number }): Promise<ConversationPage>;
  /** Issue 14, browse: accounts and folders with counts, and a folder's list a page at a time. */
  folders(archiveDir: string): Promise<BrowseAccount[]>;
  list(archiveDir: string, opts: BrowseOptions): Promise<BrowsePage>;
  /** How many messages the reading view's selection holds (said before an export). */
  count(archiveDir: string, select: BrowseSelection): Promise<number>;
  attachment(archiveDir: string, id: string, index: number): Promise<Attachment>;
  /** Every attachment of a message ("Tout enregistrer"), names safe (not yet distinct). */
  attachments(archiveDir: string, id: string): Promise<Attachment[]>;
  /** Writes the messages matching `query` (or, with `select`, what the reading view shows) to `out` in `format`; returns how many. */
  exportTo(archiveDir: string, what: { query: string; select?: BrowseSelection }, format: 'mbox' | 'maildir' | 'eml', out: string): Promise<number>;
}

/**
 * One read connection per archive folder for the screens' quick reads (search, message view, attachments),
 * kept open: SQLite in WAL mode lets it read while a job worker writes.
 */
const readers = new Map<string, Archive>();
function reader(dir: string): Archive {
  let a = readers.get(dir);
  if (!a) {
    a = openArchive(dir);
    readers.set(dir, a);
  }
  return a;
}

/**
 * An archive made before conversations existed gets them in the background once the list is first asked for
 * (header blocks only, 200 messages per transaction, the host's loop free between them); a backup does the same.
 */
const completing = new Set<string>();
function completeThreads(archive: Archive): void {
  if (completing.has(archive.dir) || archive.threadBackfillCount() === 0) return;
  completing.add(archive.dir);
  void archive
    .backfillThreads()
    .catch(() => undefined) // a busy or damaged archive: the next request or backup tries again
    .finally(() => completing.delete(archive.dir));
}

/** Closes the read connections (host shutting down). */
export function closeReaders(): void {
  for (const a of readers.values()) a.close();
  readers.clear();
}

export const engine: Engine = {
  async testAccount(spec, locale) {
    const { folders } = await testAccount(spec);
    return folders
      .filter((f) => f.selectable)
      .map((f) => ({ path: f.path, displayName: folderDisplayName(f.path, f.role, f.delimiter, locale), role: f.role, messages: f.messages, bytes: f.bytes }));
  },
  async plan(archiveDir, from, to, folders, choices) {
    const recorded = readMoveState(archiveDir, canonicalAccountUrl(from.url), canonicalAccountUrl(to.url))?.userMapping;
    // The archive (when there is one) says what it holds that the old server no longer has: shown apart.
    // The choices made on the screen now win over those recorded by an earlier run, as they will for the move.
    const full = await makePlan(from, to, folders, {}, mergeChoices(recorded, choices), reader(archiveDir), true);
    // The renderer gets the contract's shape only (the full plan also carries engine-internal details).
    return { folders: full.folders, quotaOk: full.quotaOk, quota: full.quota, wontGo: full.wontGo, notes: full.notes, archiveOnly: full.archiveOnly ?? 0, ...(full.namespaces ? { namespaces: full.namespaces } : {}) };
  },
  async listAccounts(archiveDir) {
    const archive = openArchive(archiveDir);
    try {
      const out: AccountSummary[] = [];
      for (const a of archive.listAccounts()) {
        // Mail imported from files (local://…) is searchable but is not an account to back up.
        if (!/^imaps?:\/\//i.test(a.url)) continue;
        let label = a.url;
        let provider = '';
        try {
          const p = parseAccountUrl(a.url);
          label = p.user;
          provider = providerName(p.host) ?? providerNameForHost(p.host) ?? p.host;
        } catch {
          /* keep the raw address as its own label */
        }
        const status = (a.lastBackupStatus as AccountSummary['lastBackupStatus']) ?? null;
        let alarm: AccountSummary['alarm'] = null;
        if (status === 'alarm') {
          // The alarms of the last run share its time stamp.
          const alarms = archive.alarms(a.id);
          const at = Math.max(...alarms.map((x) => x.createdAt));
          const last = alarms.filter((x) => x.createdAt === at);
          if (last.length) alarm = { missing: last.reduce((n, x) => n + x.missing, 0), folders: [...new Set(last.map((x) => x.folderPath ?? ''))].filter(Boolean), at };
        }
        const counts = archive.accountCounts(a.id);
        const serverMissing = counts.missing > 0 ? { count: counts.missing, since: counts.missingSince } : null;
        const unreadable = archive.unreadable({ accountId: a.id }).map((u) => ({ folder: u.folderPath, subject: u.subject, date: u.date, tries: u.tries }));
        out.push({ url: a.url, label, provider, lastBackupAt: a.lastBackupAt, lastBackupStatus: status, messages: counts.messages, alarm, serverMissing, unreadable });
      }
      return out;
    } finally {
      archive.close();
    }
  },
  async search(archiveDir, req) {
    const opts: { limit?: number; offset?: number; sort?: 'relevance' | 'date' } = {};
    if (req.limit !== undefined) opts.limit = req.limit;
    if (req.offset !== undefined) opts.offset = req.offset;
    if (req.sort) opts.sort = req.sort;
    return search(reader(archiveDir).db, req.query, opts);
  },
  message: (archiveDir, id) => getMessage(reader(archiveDir), id),
  conversation: async (archiveDir, id) => conversations(reader(archiveDir).db).conversation(id),
  async conversations(archiveDir, req) {
    const archive = reader(archiveDir);
    completeThreads(archive);
    return conversations(archive.db).page(req);
  },
  folders: async (archiveDir) => browseFolders(reader(archiveDir).db, detectRole),
  list: async (archiveDir, opts) => browseList(reader(archiveDir).db, detectRole, opts),
  count: async (archiveDir, select) => selectionCount(reader(archiveDir).db, select),
  async attachment(archiveDir, id, index) {
    const a = await openAttachment(reader(archiveDir), id, index);
    let first: NodeJS.ReadableStream | null = a.stream;
    // The stream is already open: hand it out once, then open again if asked twice.
    return {
      filename: a.filename,
      contentType: a.contentType,
      open: () => {
        if (first) {
          const s = first;
          first = null;
          return s;
        }
        throw new ArcheError('not-available', { feature: 'attachment' });
      },
    };
  },
  async attachments(archiveDir, id) {
    return (await allAttachments(reader(archiveDir), id)).map((a) => ({ filename: a.filename, contentType: a.contentType, open: () => Readable.from([a.bytes]) }));
  },
  async exportTo(archiveDir, { query, select }, format, out) {
    return exportMessages(reader(archiveDir), { format, out, query, ...(select ? { select } : {}) }).exported;
  },
};
