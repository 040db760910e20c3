/**
 * `restore`: puts archived messages back into an account (the same one or another), INCLUDING those the server
 * lost — that is the point. Folders are mapped through mapFolders (special-use roles to the destination's own,
 * separators and prefixes converted, stated substitutes for impossible names), missing folders are created, and
 * messages already present (by content) are skipped, so a second run copies nothing.
 */
import { ArcheError, type ArcheErrorData } from '../../../shared/errors.std.ts';
import type { AccountSpec } from '../../../shared/types.std.ts';
import type { ArchiveApi, PlacementRow } from '../archive/archive.types.std.ts';
import { openArchive } from '../archive/archive.node.ts';
import { canonicalAccountUrl, providerName } from '../imap/account-url.std.ts';
import type { JobControl } from '../../../shared/events.std.ts';
import { connect, errorContext, type ConnectOptions } from '../imap/connect.node.ts';
import { listServerFolders, serverNamespace } from '../imap/folders.node.ts';
import { toArcheError } from '../imap/imap-errors.node.ts';
import { mapFolders, type FolderMapping } from '../imap/mapping.std.ts';
import { copyPlanned, type PlacedCopy } from '../move/copy.node.ts';
import { readMoveState, recordCopy, type CopyFailure } from '../move/move-state.node.ts';
import { hashDestinationFolder } from '../move/verify.node.ts';
import { inferNamespace, type DestinationPlan, type PlannedMessage } from '../move/selection.node.ts';

/** A message restore could not put back: where it was going, why, and its subject to name it. */
export interface RestoreFailure extends CopyFailure {
  subject: string;
}

export interface RestoreSummary {
  copied: number;
  skippedExisting: number;
  failed: number;
  folders: { source: string; destination: string; copied: number }[];
  /** Every message not copied, with its reason. */
  failures: RestoreFailure[];
  /** Folder-name changes to tell the user (substitutes, role folders under another name). */
  notes: ArcheErrorData[];
  /** Source account restored from. */
  source: string;
  /**
   * Messages this run copied that the destination stores with other bytes (Cyrus rewrites some 8-bit headers,
   * imap4d adds X-UID/Status): accepted and remembered as done, told once (a note), never sent again.
   */
  rewritten: number;
}

export interface RestoreOptions extends JobControl {
  /** Picks one account when the archive holds several. */
  fromAccount?: string;
  connectOptions?: ConnectOptions;
  /** Only these archived folders (source paths, as backed up; the user's choice). Default: every folder. */
  folders?: string[];
}

/**
 * The copy engine words its refusals for a move ("the NEW provider..."); a restore may go back into the same account,
 * so its reasons name the provider by its address instead (Keep's words: quota-full, server-refused).
 */
function restoreReason(reason: ArcheErrorData, spec: AccountSpec): ArcheErrorData {
  const { host, port } = errorContext(spec);
  const provider = providerName(host);
  const where = { host, port, ...(provider ? { provider } : {}) };
  switch (reason.code) {
    case 'move-quota-full':
      return { code: 'quota-full', fields: where };
    case 'move-append-refused':
      return { code: 'server-refused', fields: { ...where, ...(reason.fields.detail ? { detail: reason.fields.detail } : {}) } };
    default:
      return reason;
  }
}

/** Connections used in parallel for the copy: as for a migration, well within providers' limits. */
const COPY_CONNECTIONS = 3;

export async function restore(spec: AccountSpec, opts: RestoreOptions & { archiveDir: string }): Promise<RestoreSummary> {
  const archive = openArchive(opts.archiveDir);
  try {
    return await restoreFrom(archive, spec, opts);
  } finally {
    archive.close();
  }
}

/** The archive's account to restore: the one named, the only one, or the destination itself. */
export function pickSourceAccount(archive: ArchiveApi, destinationUrl: string, fromAccount?: string): { id: number; url: string } {
  const accounts = archive.listAccounts();
  const list = accounts.map((a) => a.url).join(', ');
  if (fromAccount) {
    const wanted = canonicalAccountUrl(fromAccount);
    const a = accounts.find((x) => x.url === wanted || x.url === fromAccount);
    if (!a) throw new ArcheError('restore-unknown-account', { account: fromAccount, accounts: list });
    return a;
  }
  if (!accounts.length) throw new ArcheError('restore-empty', { dir: archive.dir });
  if (accounts.length === 1) return accounts[0];
  const same = accounts.find((a) => a.url === canonicalAccountUrl(destinationUrl));
  if (same) return same;
  throw new ArcheError('restore-which-account', { accounts: list });
}

/**
 * Each archived folder's messages, as many times as the server held them: two identical copies in one folder come
 * back as two. A renumbered folder has old and new placements of the same messages: copies are counted within one
 * UIDVALIDITY, the numbering that still has them on the server when there is one (for its flags), else the fullest.
 */
function itemsByFolder(archive: ArchiveApi, accountId: number): Map<number, PlannedMessage[]> {
  // folder → content → uidvalidity → placements
  const byFolder = new Map<number, Map<number, Map<number, PlacementRow[]>>>();
  for (const p of archive.placements({ accountId, includeGone: true })) {
    let contents = byFolder.get(p.folderId);
    if (!contents) byFolder.set(p.folderId, (contents = new Map()));
    let generations = contents.get(p.contentId);
    if (!generations) contents.set(p.contentId, (generations = new Map()));
    generations.set(p.uidvalidity, [...(generations.get(p.uidvalidity) ?? []), p]);
  }
  const out = new Map<number, PlannedMessage[]>();
  for (const [folderId, contents] of byFolder) {
    const list: PlannedMessage[] = [];
    for (const generations of contents.values()) {
      const live = (g: PlacementRow[]): number => g.filter((p) => p.serverGoneAt === null).length;
      const best = [...generations.values()].sort((a, b) => live(b) - live(a) || b.length - a.length)[0];
      // What the server showed last first (a live placement), for flags.
      for (const p of [...best].sort((a, b) => Number(a.serverGoneAt !== null) - Number(b.serverGoneAt !== null) || a.uid - b.uid)) {
        list.push({
          placementId: p.placementId,
          contentId: p.contentId,
          size: p.size,
          normHash: p.normHash,
          messageId: p.messageId,
          flags: p.flags,
          internalDate: p.internalDate,
          sourceFolder: p.folderPath,
          serverGone: p.serverGoneAt !== null,
        });
      }
    }
    out.set(folderId, list);
  }
  return out;
}

export async function restoreFrom(archive: ArchiveApi, spec: AccountSpec, opts: RestoreOptions = {}): Promise<RestoreSummary> {
  const source = pickSourceAccount(archive, spec.url, opts.fromAccount);
  const ctx = errorContext(spec);
  const folders = archive.listFolders(source.id);
  const items = itemsByFolder(archive, source.id);
  // Folders to put back: those with messages, and those that still exist on the source server (even empty).
  const chosen = opts.folders ? new Set(opts.folders) : null;
  const wanted = folders.filter((f) => ((items.get(f.id)?.length ?? 0) > 0 || f.goneAt === null) && (!chosen || chosen.has(f.path)));

  opts.onProgress?.({ job: 'restore', phase: 'connect', done: 0, total: 0, bytesDone: 0, bytesTotal: 0 });
  let mapping: FolderMapping[];
  const client = await connect(spec, opts.connectOptions);
  try {
    const destFolders = await listServerFolders(client);
    mapping = mapFolders(
      wanted.map((f) => ({ path: f.path, delimiter: f.delimiter, specialUse: f.specialUse })),
      inferNamespace(folders),
      destFolders,
      serverNamespace(client, destFolders),
    );
  } catch (e) {
    throw toArcheError(e, ctx);
  } finally {
    await client.logout().catch(() => client.close());
  }

  // One plan per destination folder (two source folders may meet in one); the copy creates parents before children.
  const plans = new Map<string, DestinationPlan>();
  const notes: ArcheErrorData[] = [];
  for (const m of mapping) {
    if (m.note) notes.push(m.note);
    const folder = wanted.find((f) => f.path === m.source)!;
    const plan = plans.get(m.destination) ?? { destination: m.destination, sources: [], messages: [], skippedAsElsewhere: 0 };
    plan.sources.push(m.source);
    plan.messages.push(...(items.get(folder.id) ?? []));
    plans.set(m.destination, plan);
  }
  // Move's copy engine: never twice (by content), throttling, several connections, re-check after a cut.
  // Where earlier restores to this account put each message (APPENDUID) is remembered as a migration remembers it:
  // a copy the server accepted is done, even when the server stored it with other bytes.
  const destination = canonicalAccountUrl(spec.url);
  const known = readMoveState(archive.dir, source.url, destination)?.placed;
  const result = await copyPlanned(
    { connect: () => connect(spec, opts.connectOptions), archive, plans, connections: COPY_CONNECTIONS, job: 'restore', ...(known ? { known } : {}) },
    { signal: opts.signal, onProgress: opts.onProgress },
  );
  recordCopy(archive.dir, source.url, destination, result.failures, result.placed);
  const rewritten = await countRewritten(spec, opts, plans, result.placed);
  if (rewritten) {
    const { host, port } = errorContext(spec);
    const provider = providerName(host);
    notes.push({ code: 'restore-rewritten', fields: { count: rewritten, host, port, ...(provider ? { provider } : {}) } });
  }
  const failures = result.failures.map((f) => ({ ...f, subject: String(f.reason.fields.subject ?? ''), reason: restoreReason(f.reason, spec) }));
  const n = result.copied + result.skippedExisting + result.failed;
  opts.onProgress?.({ job: 'restore', phase: 'done', done: n, total: n, bytesDone: 0, bytesTotal: 0 });
  return { copied: result.copied, skippedExisting: result.skippedExisting, failed: result.failed, folders: result.folders, failures, notes: [...notes, ...result.notes], source: source.url, rewritten };
}

/**
 * How many of the messages this run placed the destination keeps with other content (normalised hash) than the
 * archive's: fetched back once, right after the copy. Proof against the server, and the reason the next run will
 * not take them for missing (they are known by their UID, not by their bytes).
 */
async function countRewritten(spec: AccountSpec, opts: RestoreOptions, plans: Map<string, DestinationPlan>, placed: PlacedCopy[]): Promise<number> {
  if (!placed.length) return 0;
  const expected = new Map<string, string>();
  for (const plan of plans.values()) for (const m of plan.messages) expected.set(`${m.contentId} ${plan.destination}`, m.normHash);
  const byFolder = new Map<string, PlacedCopy[]>();
  for (const p of placed) byFolder.set(p.destination, [...(byFolder.get(p.destination) ?? []), p]);
  const client = await connect(spec, opts.connectOptions);
  let rewritten = 0;
  try {
    for (const [folder, list] of byFolder) {
      const found = new Map((await hashDestinationFolder(client, folder, opts.signal, undefined, list.map((p) => p.uid))).map((f) => [f.uid, f.normHash]));
      for (const p of list) {
        const there = found.get(p.uid);
        if (there !== undefined && there !== expected.get(`${p.contentId} ${folder}`)) rewritten++;
      }
    }
  } catch (e) {
    throw toArcheError(e, errorContext(spec));
  } finally {
    await client.logout().catch(() => client.close());
  }
  return rewritten;
}
