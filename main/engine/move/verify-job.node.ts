/**
 * `verify` as a job: pick the archived account, connect to the destination, work out what each destination
 * folder should hold (the same rule as the copy), check it message by message and save the report.
 */
import { ArcheError } from '../../../shared/errors.std.ts';
import type { JobControl } from '../../../shared/events.std.ts';
import type { AccountSpec } from '../../../shared/types.std.ts';
import type { AccountRow, ArchiveApi } from '../archive/archive.types.std.ts';
import { connectAccount } from './keep-adapter.node.ts';
import { canonicalAccountUrl } from '../imap/account-url.std.ts';
import { listFolders, namespaceOf } from './listing.node.ts';
import { lostContents, mappingFromArchive, markBroughtAlong, plannedMessages } from '../transfer/selection.node.ts';
import { verifyDestination, type FolderCheck } from './verify.node.ts';
import type { VerifyResult } from './report.node.ts';
import { readMoveState, recordChecks } from '../transfer/move-state.node.ts';
import type { EarlyFolder } from '../transfer/early-hashes.node.ts';

/** The archived account to check: the one named, or the only one that is not the destination itself. */
export function pickAccount(archive: ArchiveApi, fromAccount: string | undefined, destinationUrl: string): AccountRow {
  if (fromAccount) {
    const a = archive.getAccount(fromAccount);
    if (!a) throw new ArcheError('move-no-archive', { account: fromAccount });
    return a;
  }
  const candidates = archive.listAccounts().filter((a) => a.url !== destinationUrl);
  if (candidates.length === 0) throw new ArcheError('move-no-archive', {});
  if (candidates.length > 1) throw new ArcheError('move-which-account', { accounts: candidates.map((a) => a.url).join(', ') });
  return candidates[0];
}

export interface VerifyJobOptions {
  archive: ArchiveApi;
  fromAccount?: string;
  against: AccountSpec;
  folders?: string[];
  /** Destination folders already downloaded and hashed right after their copy (a migration; early-hashes.node.ts). */
  early?: Map<string, EarlyFolder>;
}

export async function verifyAccount(opts: VerifyJobOptions, control: JobControl = {}): Promise<VerifyResult> {
  const { archive } = opts;
  const destinationUrl = canonicalAccountUrl(opts.against.url);
  const account = pickAccount(archive, opts.fromAccount ? canonicalAccountUrl(opts.fromAccount) : undefined, destinationUrl);
  const client = await connectAccount(opts.against);
  try {
    const destinationFolders = await listFolders(client, false);
    // Where the last migration actually put each folder wins (the user may have chosen destinations in the wizard);
    // folders it did not cover fall back to the computed mapping.
    const state = readMoveState(archive.dir, account.url, destinationUrl);
    const recorded = new Map((state?.mapping ?? []).map((m) => [m.source, m.destination]));
    const mapping = mappingFromArchive(archive, account.id, destinationFolders, namespaceOf(client, destinationFolders), recorded);
    // What the destination should hold: the old mailbox as the last backup read it (the one that starts each move),
    // and, if the user chose so, what the old mailbox no longer has, in its own folder.
    const plans = plannedMessages(archive, account.id, mapping, opts.folders, 'now');
    const foundFolder = state?.bringAlong ?? null;
    if (foundFolder) {
      const lost = lostContents(archive, account.id, plans, foundFolder);
      markBroughtAlong(plans);
      if (lost.messages.length) plans.set(foundFolder, lost);
    }
    // An empty container the copy never had to create ("[Gmail]", a \Noselect parent) is not a folder to check;
    // a folder gone from the source stays as a line when it explains what was not copied.
    const existing = new Set(destinationFolders.map((f) => f.path));
    for (const [path, plan] of plans) if (plan.messages.length === 0 && !existing.has(path) && !plan.notCopied?.length) plans.delete(path);
    const checks: Record<string, FolderCheck> = {};
    const result = await verifyDestination(
      client,
      { archive, sourceUrl: account.url, destinationUrl, plans, failures: state?.failures, foundFolder, preexisting: new Set(state?.preexisting ?? []), previous: state?.verified, onChecked: (d, c) => (checks[d] = c), connect: () => connectAccount(opts.against), ...(opts.early ? { early: opts.early } : {}) },
      control,
    );
    recordChecks(archive.dir, account.url, destinationUrl, checks);
    return result;
  } finally {
    await client.logout().catch(() => client.close());
  }
}
