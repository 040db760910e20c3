/**
 * Where Move meets the Keep engine and the archive: connecting to an account, backing up the source, opening
 * the archive. Kept in one file so that Move's own code depends on Keep through a few small functions only.
 */
import type { ImapFlow } from 'imapflow';
import type { JobControl } from '../../../shared/events.std.ts';
import type { AccountSpec } from '../../../shared/types.std.ts';
import type { ArchiveApi } from '../archive/archive.types.std.ts';
import type { FullPlan } from './plan.node.ts';
import { lostContents, markBroughtAlong, FOUND_FOLDER, mappingFromArchive, plannedMessages, type DestinationPlan } from '../transfer/selection.node.ts';
import { listFolders, namespaceOf } from './listing.node.ts';
import { copyPlanned, type CopySummary } from '../transfer/copy.node.ts';
import { readMoveState, recordCopy, recordMapping, type MoveCounts } from '../transfer/move-state.node.ts';
import { ArcheError } from '../../../shared/errors.std.ts';
import { connect } from '../imap/connect.node.ts';
import { openArchive, defaultArchiveDir } from '../archive/archive.node.ts';
import { backupInto, type BackupSummary } from '../keep/backup.node.ts';
import { canonicalAccountUrl } from '../imap/account-url.std.ts';

export type { CopySummary } from '../transfer/copy.node.ts';

/** A new authenticated connection (verified TLS, errors in plain words): Keep's connect. */
export async function connectAccount(spec: AccountSpec): Promise<ImapFlow> {
  return connect(spec);
}

/**
 * Step 2 of a migration: the source goes into the archive first, so that a copy always stays behind.
 * Its exact bytes, that is: the search data (parsing every message, the full-text index) are left for later, because
 * they were more than half of a migration's time (5,000 messages: 21.1 s with them, 12.8 s without) and the person
 * is waiting for the move. The app builds them right after the move; `arche search` and `arche backup` do it first
 * thing when some are missing.
 */
export async function backupAccount(archive: ArchiveApi, spec: AccountSpec, control: JobControl = {}, folders?: string[]): Promise<BackupSummary> {
  // Only the folders being moved: `migrate --folder X` has no reason to download the whole account first.
  return backupInto(archive, spec, { ...control, parseWorkers: 0, index: false, ...(folders ? { folders } : {}) });
}

/** The archive directory given with --archive, or the default one (the OS's app-data folder for Arche). */
export function openArchiveAt(dir: string | undefined): ArchiveApi {
  return openArchive(dir ?? defaultArchiveDir());
}

/** Connections used in parallel for the copy: enough to hide APPEND latency, well within providers' limits. */
const COPY_CONNECTIONS = 3;

/** What a move copied, with figures that add up (see MoveCounts). */
export interface MoveCopyResult extends CopySummary {
  counts: MoveCounts;
}

/**
 * Step 3 of a migration: copy the source as the backup just read it (each message the old server holds, once per
 * folder it is in) into the destination's mapped folders; note what could not go, and what was already there.
 * What the old server no longer has stays in the archive, or goes into a folder of its own on the user's choice.
 */
export async function copyIntoDestination(
  archive: ArchiveApi,
  opts: { from: AccountSpec; to: AccountSpec; plan: FullPlan; folders?: string[]; bringAlong?: boolean; onFolderDone?: (destination: string, copied: number) => void },
  control: JobControl = {},
): Promise<MoveCopyResult> {
  const account = archive.getAccount(canonicalAccountUrl(opts.from.url));
  if (!account) throw new ArcheError('move-no-archive', { account: opts.from.url });
  const destinationUrl = canonicalAccountUrl(opts.to.url);
  const before = readMoveState(archive.dir, account.url, destinationUrl);
  const known = before?.placed;
  // The archived folders (a folder the old provider lost still moves), with the plan's destinations where it had one.
  const lister = await connectAccount(opts.to);
  let mapping;
  let foundPath: string | null = null;
  try {
    const destinationFolders = await listFolders(lister, false);
    const ns = namespaceOf(lister, destinationFolders);
    // Where an earlier run of this move put each folder wins over a new computation (the folders that run created
    // can change what a name or role maps to now: never a second copy elsewhere); the user's own choices win over both.
    const decided = new Map(opts.plan.mapping.map((m) => [m.source, m.destination]));
    const chosenByUser = new Set(opts.plan.userMapping.map((c) => c.source));
    for (const m of before?.mapping ?? []) if (!chosenByUser.has(m.source)) decided.set(m.source, m.destination);
    mapping = mappingFromArchive(archive, account.id, destinationFolders, ns, decided);
    if (opts.bringAlong) foundPath = `${ns.prefix}${FOUND_FOLDER}`;
  } finally {
    await lister.logout().catch(() => lister.close());
  }
  recordMapping(archive.dir, account.url, destinationUrl, mapping.map((m) => ({ source: m.source, destination: m.destination, role: m.role })), foundPath);
  const plans = plannedMessages(archive, account.id, mapping, opts.folders, 'now');
  // What the archive holds that the old server no longer has: named, and copied only on the user's choice.
  const lost = lostContents(archive, account.id, plans, foundPath ?? FOUND_FOLDER);
  if (foundPath) markBroughtAlong(plans);
  const toCopy = new Map<string, DestinationPlan>([...plans].filter(([, p]) => !(p.sourceGone && p.messages.length === 0)));
  if (foundPath && lost.messages.length) toCopy.set(lost.destination, lost);
  const summary = await copyPlanned(
    { connect: () => connectAccount(opts.to), archive, plans: toCopy, known, sizeLimit: opts.plan.sizeLimit?.limit ?? null, connections: COPY_CONNECTIONS, ...(opts.onFolderDone ? { onFolderDone: opts.onFolderDone } : {}) },
    control,
  );
  // Found by content on a first look (not put there by an earlier run of this move): the user's own copies.
  const preexisting = new Set(before?.preexisting ?? []);
  for (const f of summary.foundByContent) if (!known?.[`${f.contentId} ${f.destination}`]) preexisting.add(`${f.contentId} ${f.destination}`);
  recordCopy(archive.dir, account.url, destinationUrl, summary.failures, summary.placed, [...preexisting]);
  return { ...summary, counts: moveCounts(plans, lost, foundPath !== null, summary, preexisting) };
}

/** The figures of a move, from what was selected and what the copy did: they add up by construction, and tests check it. */
export function moveCounts(plans: Map<string, DestinationPlan>, lost: DestinationPlan, chosen: boolean, summary: CopySummary, preexisting: Set<string>): MoveCounts {
  let source = 0;
  let alreadyThere = 0;
  for (const p of plans.values()) {
    source += p.messages.length;
    for (const m of p.messages) if (preexisting.has(`${m.contentId} ${p.destination}`)) alreadyThere++;
  }
  // The copy's figures cover the source and the brought-along folder together: the latter are taken out.
  const inFound = chosen ? lost.messages.length : 0;
  const copiedFound = chosen ? (summary.folders.find((f) => f.destination === lost.destination)?.copied ?? 0) : 0;
  const failedFound = chosen ? summary.failures.filter((f) => f.destination === lost.destination).length : 0;
  const skippedSource = summary.skippedExisting - (inFound - copiedFound - failedFound);
  return {
    source,
    copied: summary.copied - copiedFound,
    copiedBefore: skippedSource - alreadyThere,
    alreadyThere,
    notCopied: summary.failed - failedFound,
    archiveOnly: lost.messages.length,
    broughtAlong: inFound,
    leftInArchive: lost.messages.length - inFound,
  };
}
