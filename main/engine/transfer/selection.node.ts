/**
 * Which archived messages belong in which destination folder: the one rule shared by the copy, the verification
 * and restore, so that they always agree. A move copies the old mailbox as it is now (per the backup that starts
 * it); a restore puts back what the server lost, but never a second copy of what it still has elsewhere.
 */
import type { ArchiveApi, FolderInfo, PlacementRow } from '../archive/archive.types.std.ts';
import { mapFolders, type FolderMapping, type ServerNamespace } from '../imap/mapping.std.ts';
import type { ExpectedMessage } from './compare.std.ts';

/** Namespace of an archived account, from its folders: the commonest delimiter, "INBOX." when everything is under INBOX. */
export function inferNamespace(folders: FolderInfo[]): ServerNamespace {
  const counts = new Map<string, number>();
  for (const f of folders) if (f.delimiter) counts.set(f.delimiter, (counts.get(f.delimiter) ?? 0) + 1);
  const delimiter = [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? '/';
  const others = folders.filter((f) => f.path.toUpperCase() !== 'INBOX');
  const inboxPrefix = `INBOX${delimiter}`;
  const prefix = others.length > 0 && others.every((f) => f.path.startsWith(inboxPrefix)) ? inboxPrefix : '';
  return { delimiter, prefix };
}

export function isGmailView(m: Pick<FolderMapping, 'role'>): boolean {
  return m.role === 'important' || m.role === 'flagged';
}

export interface PlannedMessage extends ExpectedMessage {
  placementId: number;
  sourceFolder: string;
  flags: string[];
  size: number;
  serverGone: boolean;
}

/**
 * Why an archived message of a folder is not copied into that folder's destination:
 *  - 'moved-at-source': the old server no longer has it in this folder, but still has it in another (copied there);
 *  - 'deleted-at-source': the old server no longer has it anywhere (the archive keeps it);
 *  - 'brought-along': not in the old server either, but the user chose to bring such messages into their own folder;
 *  - 'still-on-server' (restore): the server still has it in another folder, so it is not put back here too.
 */
export type NotCopiedReason = 'moved-at-source' | 'deleted-at-source' | 'brought-along' | 'still-on-server';

export interface DestinationPlan {
  destination: string;
  sources: string[];
  messages: PlannedMessage[];
  /** All Mail messages left out because another folder already brings them. */
  skippedAsElsewhere: number;
  /** Archived messages of these source folders that are not copied, by reason (each content once per folder). */
  notCopied?: { reason: NotCopiedReason; count: number }[];
  /** The source folder is gone from the old server: nothing to create, the line only explains what is not copied. */
  sourceGone?: boolean;
}

/**
 * What a copy takes from the archive:
 *  - 'now' (a move and its check): the source as the backup that starts each move just read it, that is each message
 *    the old server holds, once per folder it is in there. What the server no longer has is named, not copied.
 *  - 'restore': what the server lost is put back, but a message the server still has in another folder is not put
 *    back into its old folder too (it was moved, not lost).
 */
export type SelectionMode = 'now' | 'restore';

/** Folder where a move brings, on the user's choice, what the old server no longer has. */
export const FOUND_FOLDER = 'Retrouvés par Arche';

interface AccountIndex {
  byFolder: Map<number, PlacementRow[]>;
  /** Contents the server still holds, in at least one folder (views left out). */
  liveAnywhere: Set<number>;
}

function indexAccount(archive: ArchiveApi, accountId: number, views: Set<number>): AccountIndex {
  const byFolder = new Map<number, PlacementRow[]>();
  const liveAnywhere = new Set<number>();
  for (const p of archive.placements({ accountId, includeGone: true })) {
    let list = byFolder.get(p.folderId);
    if (!list) byFolder.set(p.folderId, (list = []));
    list.push(p);
    if (p.serverGoneAt === null && !views.has(p.folderId)) liveAnywhere.add(p.contentId);
  }
  return { byFolder, liveAnywhere };
}

function planned(p: PlacementRow, sourceFolder: string): PlannedMessage {
  return {
    placementId: p.placementId,
    contentId: p.contentId,
    normHash: p.normHash,
    messageId: p.messageId,
    internalDate: p.internalDate,
    sourceFolder,
    flags: p.flags,
    size: p.size,
    serverGone: p.serverGoneAt !== null,
  };
}

/**
 * The placements each destination folder should receive, grouped by destination path, and what is left out, why.
 * `only` restricts to some source folders (the user's choice in the wizard).
 *  - Gmail's views (Important, Starred) are not folders: their messages are already in the real ones;
 *  - Gmail's All Mail only for messages that are in no other folder (the ones the user "archived").
 */
export function plannedMessages(
  archive: ArchiveApi,
  accountId: number,
  mapping: FolderMapping[],
  only?: string[],
  mode: SelectionMode = 'now',
): Map<string, DestinationPlan> {
  const folderList = archive.listFolders(accountId);
  const folders = new Map(folderList.map((f) => [f.path, f]));
  const views = new Set(mapping.filter((m) => isGmailView(m) && folders.has(m.source)).map((m) => folders.get(m.source)!.id));
  const index = indexAccount(archive, accountId, views);
  const chosen = mapping.filter((m) => !isGmailView(m) && folders.has(m.source) && (!only || only.includes(m.source)));
  const allMail = chosen.filter((m) => m.role === 'all');
  const regular = chosen.filter((m) => m.role !== 'all');

  const out = new Map<string, DestinationPlan>();
  // Contents a regular (label) folder brings: live ones for a move; for a restore, any the archive has there.
  const elsewhere = new Set<number>();
  for (const m of regular) {
    for (const p of index.byFolder.get(folders.get(m.source)!.id) ?? []) if (mode === 'restore' || p.serverGoneAt === null) elsewhere.add(p.contentId);
  }
  const add = (m: FolderMapping, isAllMail: boolean): void => {
    const folder = folders.get(m.source)!;
    let plan = out.get(m.destination);
    if (!plan) out.set(m.destination, (plan = { destination: m.destination, sources: [], messages: [], skippedAsElsewhere: 0, notCopied: [] }));
    plan.sources.push(m.source);
    plan.sourceGone = (plan.sources.length === 1 || plan.sourceGone) && folder.goneAt !== null;
    const rows = index.byFolder.get(folder.id) ?? [];
    // Contents the server holds in this very folder (a renumbered folder has gone and live placements of the same).
    const liveHere = new Set(rows.filter((p) => p.serverGoneAt === null).map((p) => p.contentId));
    const counted = new Map<NotCopiedReason, Set<number>>();
    const notCopied = (reason: NotCopiedReason, contentId: number): void => {
      if (!counted.has(reason)) counted.set(reason, new Set());
      counted.get(reason)!.add(contentId);
    };
    // A restore puts back as many copies of a lost message as the server held in this folder (two identical
    // messages are two), counted within one numbering: a renumbered folder holds old and new placements of the same.
    const goneCopies = new Map<number, number>();
    if (mode === 'restore') {
      const perNumbering = new Map<string, number>();
      for (const p of rows) {
        if (p.serverGoneAt === null) continue;
        const key = `${p.contentId} ${p.uidvalidity}`;
        const n = (perNumbering.get(key) ?? 0) + 1;
        perNumbering.set(key, n);
        goneCopies.set(p.contentId, Math.max(goneCopies.get(p.contentId) ?? 0, n));
      }
    }
    const takenGone = new Map<number, number>();
    for (const p of rows) {
      if (isAllMail && elsewhere.has(p.contentId)) {
        if (mode === 'restore' || p.serverGoneAt === null) plan.skippedAsElsewhere++;
        continue;
      }
      if (p.serverGoneAt === null) {
        plan.messages.push(planned(p, m.source));
        continue;
      }
      if (liveHere.has(p.contentId)) continue; // still in this folder under another UID
      if (index.liveAnywhere.has(p.contentId)) {
        notCopied(mode === 'restore' ? 'still-on-server' : 'moved-at-source', p.contentId);
        continue;
      }
      if (mode === 'restore') {
        // Lost by the server: put back, as many times as the server had it in this folder.
        const taken = takenGone.get(p.contentId) ?? 0;
        if (taken < (goneCopies.get(p.contentId) ?? 1)) plan.messages.push(planned(p, m.source));
        takenGone.set(p.contentId, taken + 1);
        continue;
      }
      notCopied('deleted-at-source', p.contentId);
    }
    for (const [reason, set] of counted) {
      const line = plan.notCopied!.find((x) => x.reason === reason);
      if (line) line.count += set.size;
      else plan.notCopied!.push({ reason, count: set.size });
    }
  };
  for (const m of regular) add(m, false);
  for (const m of allMail) add(m, true);
  return out;
}

/**
 * What the archive holds, from these plans' source folders, that the old server no longer has anywhere: each content
 * once, as the plan of the one folder of their own they go to when the user chooses to bring them along (never mixed
 * into INBOX).
 */
export function lostContents(archive: ArchiveApi, accountId: number, plans: Map<string, DestinationPlan>, destination: string): DestinationPlan {
  const plan: DestinationPlan = { destination, sources: [], messages: [], skippedAsElsewhere: 0, notCopied: [] };
  const folders = new Map(archive.listFolders(accountId).map((f) => [f.path, f.id]));
  const wanted = new Set<number>();
  for (const p of plans.values()) for (const s of p.sources) if (folders.has(s)) wanted.add(folders.get(s)!);
  const live = new Set<number>();
  const gone = new Map<number, PlannedMessage>();
  for (const p of archive.placements({ accountId, includeGone: true })) {
    if (p.serverGoneAt === null) live.add(p.contentId);
    else if (wanted.has(p.folderId) && !gone.has(p.contentId)) gone.set(p.contentId, planned(p, p.folderPath));
  }
  for (const [contentId, m] of gone) if (!live.has(contentId)) plan.messages.push(m);
  plan.sources.push(...new Set(plan.messages.map((m) => m.sourceFolder)));
  return plan;
}

/** On the user's choice to bring them along, the source folders' lines say so instead of "deleted at the source". */
export function markBroughtAlong(plans: Map<string, DestinationPlan>): void {
  for (const p of plans.values()) for (const line of p.notCopied ?? []) if (line.reason === 'deleted-at-source') line.reason = 'brought-along';
}

/** Messages a move leaves out, by reason, over all folders (each content once per folder). */
export function notCopiedTotals(plans: Iterable<DestinationPlan>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const p of plans) for (const l of p.notCopied ?? []) out[l.reason] = (out[l.reason] ?? 0) + l.count;
  return out;
}

/**
 * The mapping of the ARCHIVED folders (the copy reads from the archive: a folder the old provider lost is still
 * moved), onto the destination as listed now. Destinations already decided (the plan shown to the user, the user's
 * own choices, or what the last migration used) win for their folders.
 * Folders kept: those with archived messages, and those that still exist at the source (even empty).
 */
export function mappingFromArchive(
  archive: ArchiveApi,
  accountId: number,
  destinationFolders: FolderInfo[],
  destinationNs: ServerNamespace,
  decided: Map<string, string> = new Map(),
): FolderMapping[] {
  const folders = archive.listFolders(accountId);
  const wanted = folders.filter((f) => f.goneAt === null || !archive.placements({ accountId, folderId: f.id, includeGone: true }).next().done);
  const computed = mapFolders(
    wanted.map((f) => ({ path: f.path, delimiter: f.delimiter, specialUse: f.specialUse })),
    inferNamespace(folders),
    destinationFolders,
    destinationNs,
  );
  return computed.map((m) => (decided.has(m.source) && decided.get(m.source) !== m.destination ? { ...m, destination: decided.get(m.source)!, note: undefined } : m));
}
