/**
 * Which archived messages belong in which destination folder: the one rule shared by the plan, the copy and
 * the verification, so that the three always agree.
 *  - every placement of every mapped folder (messages the source has lost included: the archive keeps them);
 *  - Gmail's views (Important, Starred) are not folders: their messages are already in the real ones;
 *  - Gmail's All Mail only for messages that are in no other folder (the ones the user "archived").
 */
import type { ArchiveApi, FolderInfo } from '../archive/archive.types.std.ts';
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

export interface DestinationPlan {
  destination: string;
  sources: string[];
  messages: PlannedMessage[];
  /** All Mail messages left out because another folder already brings them. */
  skippedAsElsewhere: number;
}

/**
 * The placements each destination folder should receive, grouped by destination path.
 * `only` restricts to some source folders (the user's choice in the wizard).
 */
export function plannedMessages(archive: ArchiveApi, accountId: number, mapping: FolderMapping[], only?: string[]): Map<string, DestinationPlan> {
  const folders = new Map(archive.listFolders(accountId).map((f) => [f.path, f]));
  const chosen = mapping.filter((m) => !isGmailView(m) && folders.has(m.source) && (!only || only.includes(m.source)));
  const allMail = chosen.filter((m) => m.role === 'all');
  const regular = chosen.filter((m) => m.role !== 'all');

  const out = new Map<string, DestinationPlan>();
  const elsewhere = new Set<number>();
  const add = (m: FolderMapping, skipElsewhere: boolean): void => {
    const folder = folders.get(m.source)!;
    let plan = out.get(m.destination);
    if (!plan) out.set(m.destination, (plan = { destination: m.destination, sources: [], messages: [], skippedAsElsewhere: 0 }));
    plan.sources.push(m.source);
    for (const p of archive.placements({ accountId, folderId: folder.id, includeGone: true })) {
      if (skipElsewhere && elsewhere.has(p.contentId)) {
        plan.skippedAsElsewhere++;
        continue;
      }
      if (!skipElsewhere) elsewhere.add(p.contentId);
      plan.messages.push({
        placementId: p.placementId,
        contentId: p.contentId,
        normHash: p.normHash,
        messageId: p.messageId,
        internalDate: p.internalDate,
        sourceFolder: m.source,
        flags: p.flags,
        size: p.size,
        serverGone: p.serverGoneAt !== null,
      });
    }
  };
  for (const m of regular) add(m, false);
  for (const m of allMail) add(m, true);
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
