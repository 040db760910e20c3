/**
 * `migrate`: one resumable job in four steps — plan, backup of the source (a copy always stays behind),
 * restore into the destination (mapped folders), verify. Every step is incremental, so running it again after
 * a pause, a crash or a kill -9 carries on without copying anything twice.
 */
import { ArcheError } from '../../../shared/errors.std.ts';
import type { JobControl } from '../../../shared/events.std.ts';
import type { AccountSpec } from '../../../shared/types.std.ts';
import type { VerifyResult } from './report.node.ts';
import type { ArchiveApi } from '../archive/archive.types.std.ts';
import { planMigration, type FullPlan } from './plan.node.ts';
import { connectAccount, backupAccount, copyIntoDestination, type MoveCopyResult } from './keep-adapter.node.ts';
import { verifyAccount } from './verify-job.node.ts';
import { canonicalAccountUrl } from '../imap/account-url.std.ts';
import { mergeChoices, type UserChoice } from './user-mapping.std.ts';
import { readMoveState, recordUserMapping } from '../transfer/move-state.node.ts';
import { archiveOnlyCount } from './archive-only.node.ts';
import { listFolders } from './listing.node.ts';
import { earlyHashes, type EarlyFolder } from '../transfer/early-hashes.node.ts';

export interface MigrateOptions {
  archive: ArchiveApi;
  from: AccountSpec;
  to: AccountSpec;
  /** Only these source folders (default: all). */
  folders?: string[];
  /**
   * Destinations the user chose (wizard or --map; full destination paths), overriding the computed mapping for those
   * folders. Checked against the destination (move-mapping-invalid) and recorded for the next runs.
   */
  mapping?: { source: string; destination: string }[];
  dryRun?: boolean;
  /**
   * Also bring what the archive holds and the old server no longer has, into a folder of its own ("Retrouvés par
   * Arche"), never mixed into INBOX. Default: what an earlier run of this move chose, else left in the archive
   * (named in the report).
   */
  bringAlong?: boolean;
}

export interface MigrateResult {
  plan: FullPlan;
  /** 'wont-fit': stopped after the plan, nothing copied (exit 5). 'dry-run': plan only. */
  stopped: 'wont-fit' | 'dry-run' | null;
  copy: MoveCopyResult | null;
  verify: VerifyResult | null;
  /** What the source server no longer had, per folder (the archive keeps it; it is copied only on the user's choice). */
  sourceLost: { folder: string; missing: number }[];
  /** Archived messages whose search data are still to be built (the migration leaves that for after the move). */
  searchPending: number;
}

function hostOf(url: string): string {
  return new URL(url).hostname;
}

export async function makePlan(
  from: AccountSpec,
  to: AccountSpec,
  folders: string[] | undefined,
  control: JobControl,
  userChoices?: UserChoice[],
  archive?: ArchiveApi,
  /** The Plan screen's check: refused names marked on their lines instead of stopping the plan. */
  markInvalid = false,
): Promise<FullPlan> {
  const source = await connectAccount(from);
  try {
    const destination = await connectAccount(to);
    try {
      const plan = await planMigration(source, destination, { destinationHost: hostOf(to.url), sourceHost: hostOf(from.url), folders, ...(userChoices?.length ? { userChoices } : {}), markInvalid }, control);
      if (!archive) return plan;
      // What the archive holds and the old server no longer has: told apart, before anything is copied.
      const selectable = (await listFolders(source, false)).filter((f) => f.selectable).map((f) => f.path);
      const archiveOnly = await archiveOnlyCount(source, archive, canonicalAccountUrl(from.url), selectable);
      if (archiveOnly) plan.notes.push({ code: 'move-archive-only', fields: { count: archiveOnly } });
      return { ...plan, archiveOnly };
    } finally {
      await destination.logout().catch(() => destination.close());
    }
  } finally {
    await source.logout().catch(() => source.close());
  }
}

export async function migrate(opts: MigrateOptions, control: JobControl = {}): Promise<MigrateResult> {
  if (canonicalAccountUrl(opts.from.url) === canonicalAccountUrl(opts.to.url)) throw new ArcheError('move-same-account', { account: opts.to.url });
  // The user's destinations: those recorded by an earlier run of this move ("Refaire le déménagement", a re-run of
  // the CLI without --map), then the ones given now, which win for their folders.
  const sourceUrl = canonicalAccountUrl(opts.from.url);
  const destinationUrl = canonicalAccountUrl(opts.to.url);
  const state = readMoveState(opts.archive.dir, sourceUrl, destinationUrl);
  const recorded = state?.userMapping;
  // The choice to bring along what the old server no longer has is remembered, like the user's destinations.
  const bringAlong = opts.bringAlong ?? Boolean(state?.bringAlong);
  const plan = await makePlan(opts.from, opts.to, opts.folders, control, mergeChoices(recorded, opts.mapping), opts.archive);
  if (!plan.quotaOk) return { plan, stopped: 'wont-fit', copy: null, verify: null, sourceLost: [], searchPending: 0 };
  if (opts.dryRun) return { plan, stopped: 'dry-run', copy: null, verify: null, sourceLost: [], searchPending: 0 };
  if (control.signal?.aborted) throw new ArcheError('aborted', {});
  // Recorded before any copy, so that a paused, killed or re-run move puts every folder where the user said.
  // Only the folders of this run's plan are replaced: choices for folders left out this time are kept.
  const planned = new Set(plan.mapping.map((m) => m.source));
  recordUserMapping(opts.archive.dir, sourceUrl, destinationUrl, [...(recorded ?? []).filter((c) => !planned.has(c.source)), ...plan.userMapping]);

  // 2. A copy always stays behind: the archive gets everything first, and the copy reads from the archive.
  const backup = await backupAccount(opts.archive, opts.from, control, opts.folders);
  if (control.signal?.aborted) throw new ArcheError('aborted', {});

  // 3. Copy the source as the backup just read it into the destination's mapped folders (skips what is already
  // there, by content). Each folder the copy finishes is downloaded for the check at once, beside the copy of the
  // next ones (early-hashes.node.ts); a folder the copy put nothing into is left to the check (often unchanged since
  // the last one, then not downloaded at all).
  const early = earlyHashes(() => connectAccount(opts.to), control.signal);
  let copy: MoveCopyResult;
  let downloaded: Map<string, EarlyFolder>;
  try {
    copy = await copyIntoDestination(opts.archive, { from: opts.from, to: opts.to, plan, folders: opts.folders, bringAlong, onFolderDone: (d, copied) => copied > 0 && early.folderDone(d) }, control);
    if (control.signal?.aborted) throw new ArcheError('aborted', {});
    downloaded = await early.finish();
  } catch (e) {
    await early.stop();
    throw e;
  }

  // 4. Check every message, by content, against the old mailbox as the backup just read it.
  const verify = await verifyAccount({ archive: opts.archive, fromAccount: opts.from.url, against: opts.to, folders: opts.folders, early: downloaded }, control);
  const n = verify.expected;
  control.onProgress?.({ job: 'migrate', phase: 'done', done: n, total: n, bytesDone: 0, bytesTotal: 0 });
  const sourceLost = backup.alarms.filter((a) => a.missing > 0).map((a) => ({ folder: a.folder, missing: a.missing }));
  return { plan, stopped: null, copy, verify, sourceLost, searchPending: opts.archive.pendingIndexCount() };
}
