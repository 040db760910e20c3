/**
 * Where Move meets the Keep engine and the archive: connecting to an account, backing up the source, opening
 * the archive. Kept in one file so that Move's own code depends on Keep through a few small functions only.
 */
import type { ImapFlow } from 'imapflow';
import type { JobControl } from '../../../shared/events.std.ts';
import type { AccountSpec } from '../../../shared/types.std.ts';
import type { ArchiveApi } from '../archive/archive.types.std.ts';
import type { FullPlan } from './plan.node.ts';
import { mappingFromArchive, plannedMessages } from '../transfer/selection.node.ts';
import { listFolders, namespaceOf } from './listing.node.ts';
import { copyPlanned, type CopySummary } from '../transfer/copy.node.ts';
import { readMoveState, recordCopy, recordMapping } from './move-state.node.ts';
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

/** Step 3 of a migration: copy the archived source into the destination's mapped folders, note what could not go. */
export async function copyIntoDestination(
  archive: ArchiveApi,
  opts: { from: AccountSpec; to: AccountSpec; plan: FullPlan; folders?: string[] },
  control: JobControl = {},
): Promise<CopySummary> {
  const account = archive.getAccount(canonicalAccountUrl(opts.from.url));
  if (!account) throw new ArcheError('move-no-archive', { account: opts.from.url });
  const destinationUrl = canonicalAccountUrl(opts.to.url);
  const known = readMoveState(archive.dir, account.url, destinationUrl)?.placed;
  // The archived folders (a folder the old provider lost still moves), with the plan's destinations where it had one.
  const lister = await connectAccount(opts.to);
  let mapping;
  try {
    const destinationFolders = await listFolders(lister, false);
    mapping = mappingFromArchive(archive, account.id, destinationFolders, namespaceOf(lister, destinationFolders), new Map(opts.plan.mapping.map((m) => [m.source, m.destination])));
  } finally {
    await lister.logout().catch(() => lister.close());
  }
  recordMapping(archive.dir, account.url, destinationUrl, mapping.map((m) => ({ source: m.source, destination: m.destination, role: m.role })));
  const plans = plannedMessages(archive, account.id, mapping, opts.folders);
  const summary = await copyPlanned(
    { connect: () => connectAccount(opts.to), archive, plans, known, sizeLimit: opts.plan.sizeLimit?.limit ?? null, connections: COPY_CONNECTIONS },
    control,
  );
  recordCopy(archive.dir, account.url, destinationUrl, summary.failures, summary.placed);
  return summary;
}
