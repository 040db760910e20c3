/**
 * Verification: for every archived message of the chosen folders, does the destination hold it in the mapped
 * folder, with the same content? The destination's messages are fetched in batches of UIDs and hashed as they
 * arrive (line endings normalised), so a folder is never held in memory: only one hash per message is kept.
 */
import type { ImapFlow } from 'imapflow';
import { createHash } from 'node:crypto';
import PostalMime from 'postal-mime';
import { ArcheError, type ArcheErrorData } from '../../../shared/errors.std.ts';
import { SOURCE_REASON_NOTES } from '../../../shared/verify-groups.std.ts';
import type { JobControl } from '../../../shared/events.std.ts';
import type { VerifyFolderLine } from '../../../shared/api.std.ts';
import type { ArchiveApi } from '../archive/archive.types.std.ts';
import { compareFolder, type ExpectedMessage } from '../transfer/compare.std.ts';
import type { DestinationPlan } from '../transfer/selection.node.ts';
import { formatWhen, saveVerifyReport, type VerifyResult } from './report.node.ts';
import type { CopyFailure } from '../transfer/transfer.types.std.ts';
import type { FolderCheck } from '../transfer/move-state.node.ts';
import { neutralHash } from '../transfer/neutral-hash.node.ts';
import { folderUids, headerMessageId, normMessageId } from '../transfer/destination.node.ts';
import { hashFolders } from '../transfer/hash-lanes.node.ts';
import type { EarlyFolder } from '../transfer/early-hashes.node.ts';

/** The first bytes of an archived message, up to the end of its header (at most 64 KB). */
async function archivedHead(archive: ArchiveApi, contentId: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  const stream = archive.openRaw(contentId);
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    chunks.push(Buffer.from(chunk));
    size += chunk.length;
    const sofar = Buffer.concat(chunks);
    if (sofar.includes('\r\n\r\n') || sofar.includes('\n\n') || size > 65536) break;
  }
  (stream as unknown as { destroy?: () => void }).destroy?.();
  return Buffer.concat(chunks);
}

async function archivedMessageId(archive: ArchiveApi, contentId: number): Promise<string | null> {
  return headerMessageId(await archivedHead(archive, contentId));
}

/** Subject, sender and date of an archived message, to name it in the report. Reads only its first bytes. */
async function describeContent(archive: ArchiveApi, contentId: number): Promise<{ subject: string; from: string; date: string }> {
  const raw = await archivedHead(archive, contentId);
  let end = raw.indexOf('\r\n\r\n');
  if (end < 0) end = raw.indexOf('\n\n');
  const head = end < 0 ? raw.subarray(0, 65536) : raw.subarray(0, end);
  try {
    const parsed = await PostalMime.parse(Buffer.concat([head, Buffer.from('\r\n\r\n')]));
    const from = parsed.from ? (parsed.from.name ? `${parsed.from.name} <${parsed.from.address ?? ''}>` : (parsed.from.address ?? '')) : '';
    const date = parsed.date ? new Intl.DateTimeFormat('fr-FR', { day: '2-digit', month: '2-digit', year: 'numeric' }).format(new Date(parsed.date)) : '';
    return { subject: parsed.subject ?? '', from, date };
  } catch {
    return { subject: '', from: '', date: '' };
  }
}

function checkAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new ArcheError('aborted', {});
}

export interface VerifyInput {
  archive: ArchiveApi;
  /** Source account as archived, and destination account, for the report (URLs only). */
  sourceUrl: string;
  destinationUrl: string;
  /** What each destination folder should hold (from plannedMessages). */
  plans: Map<string, DestinationPlan>;
  /** The separate folder for what the old server no longer has, when the user chose to bring it along. */
  foundFolder?: string | null;
  /** Messages the copy could not put there, with why (from the last migration to this destination). */
  failures?: CopyFailure[];
  /** "contentId destination" of messages the new mailbox held before the move (counted apart, not an error). */
  preexisting?: Set<string>;
  /** Folders checked by an earlier verification, with the folder's state then (see FolderCheck). */
  previous?: Record<string, FolderCheck>;
  /** Told about each folder checked by content now (to be remembered for the next time). */
  onChecked?: (destination: string, check: FolderCheck) => void;
  now?: () => Date;
  /** Opens one more connection to the destination, to download several folders' messages at once. */
  connect?: () => Promise<ImapFlow>;
  /** Connections used to download the destination's messages, the one given included (default VERIFY_LANES). */
  lanes?: number;
  /**
   * Destination folders downloaded and hashed right after the copy finished them (early-hashes.node.ts): used as they
   * are, not downloaded a second time. Nothing else writes into a folder the copy has finished.
   */
  early?: Map<string, EarlyFolder>;
}

/**
 * Connections that download the destination's messages at once: the server reads each on its own process, so two
 * or three keep it busy where one left it waiting on Arche and Arche on it; as many as the copy uses.
 */
const VERIFY_LANES = 3;

export type { FolderCheck } from '../transfer/move-state.node.ts';

function expectedKeyOf(plan: DestinationPlan): string {
  const h = createHash('sha256');
  for (const x of plan.messages.map((m) => m.normHash).sort()) h.update(x);
  h.update(String(plan.skippedAsElsewhere));
  h.update(JSON.stringify(plan.notCopied ?? []));
  return h.digest('hex');
}

export async function verifyDestination(client: ImapFlow, input: VerifyInput, control: JobControl = {}): Promise<VerifyResult> {
  const { archive, plans } = input;
  const failuresByHash = new Map<string, CopyFailure>();
  for (const f of input.failures ?? []) failuresByHash.set(`${f.destination}\n${f.normHash}`, f);
  const total = [...plans.values()].reduce((n, p) => n + p.messages.length, 0);
  const bytesTotal = [...plans.values()].reduce((n, p) => n + p.messages.reduce((b, m) => b + m.size, 0), 0);
  let done = 0;
  let bytesDone = 0;
  const lines: VerifyFolderLine[] = [];

  // First what each folder holds (UIDs only, cheap), so that the downloads can start on every folder at once; the
  // folders unchanged since their last check by content are taken as they were.
  const toHash: { plan: DestinationPlan; state: Awaited<ReturnType<typeof folderUids>>; expectedKey: string }[] = [];
  const settled = new Map<DestinationPlan, VerifyFolderLine>();
  const early = new Map<DestinationPlan, EarlyFolder>();
  for (const plan of plans.values()) {
    checkAborted(control.signal);
    const expectedKey = expectedKeyOf(plan);
    const downloaded = input.early?.get(plan.destination);
    if (downloaded) {
      early.set(plan, downloaded);
      toHash.push({ plan, state: downloaded.state, expectedKey });
      continue;
    }
    const state = await folderUids(client, plan.destination);
    const before = input.previous?.[plan.destination];
    if (state && before && before.expectedKey === expectedKey && before.uidValidity === state.uidValidity && before.uidNext === state.uidNext && before.messages === state.uids.length) {
      // Unchanged since it was checked message by message: same messages, same result; said so in the report.
      const when = new Date(before.checkedAt);
      const notes: ArcheErrorData[] = [...before.line.notes.filter((n) => n.code !== 'verify-unchanged-since'), { code: 'verify-unchanged-since', fields: { dateFr: formatWhen(when, 'fr'), dateEn: formatWhen(when, 'en') } }];
      settled.set(plan, { ...before.line, alreadyThere: before.line.alreadyThere ?? 0, notCopied: before.line.notCopied ?? [], notes });
    } else toHash.push({ plan, state, expectedKey });
  }
  // Every message of the other folders is downloaded and hashed, over a few connections at once (hash-lanes.node.ts).
  const hashing = hashFolders(
    client,
    toHash.map(({ plan, state }) => ({ path: plan.destination, uids: early.has(plan) ? [] : (state?.uids ?? []) })),
    { connect: input.connect, lanes: input.connect ? (input.lanes ?? VERIFY_LANES) : 1, signal: control.signal },
  );
  const hashedAt = new Map(toHash.map((h, i) => [h.plan, i]));

  try {
    for (const plan of plans.values()) {
      checkAborted(control.signal);
      control.onProgress?.({ job: 'verify', phase: 'verify', folder: plan.destination, folderDone: 0, folderTotal: plan.messages.length, done, total, bytesDone, bytesTotal });
      const kept = settled.get(plan);
      if (kept) {
        lines.push(kept);
        done += plan.messages.length;
        bytesDone += plan.messages.reduce((b, m) => b + m.size, 0);
        continue;
      }
      const at = hashedAt.get(plan)!;
      const { state, expectedKey } = toHash[at];
      const found = early.get(plan)?.found ?? (state ? await hashing.results[at] : []);
      const expected: ExpectedMessage[] = plan.messages.map((m) => ({ ...m, messageId: normMessageId(m.messageId) }));
      let c = compareFolder(expected, found);
      // A message whose search data are not built yet (a migration leaves them for after) has no Message-ID in the
      // archive's index: read it from its archived header, so that a changed message is still told from a missing one.
      const unknownIds = c.missing.filter((e) => e.messageId === null);
      if (unknownIds.length) {
        for (const e of unknownIds) e.messageId = await archivedMessageId(archive, e.contentId);
        c = compareFolder(expected, found);
      }
      // A server that adds its own header lines (mbox servers: X-UID, Status...): the archived message's hash without
      // them tells a copy it only added lines to (there) from one really changed (compare.std.ts, one rule).
      const paired = c.changed.filter((ch) => ch.found.neutralHash);
      if (paired.length) {
        for (const ch of paired) {
          const raw = archive.readRaw(ch.expected.contentId);
          // Paired by date when the archive's index has no Message-ID yet (a migration builds it later): read it.
          ch.expected.messageId ??= headerMessageId(raw);
          ch.expected.neutralHash = neutralHash(raw);
        }
        c = compareFolder(expected, found);
      }
      const notes: ArcheErrorData[] = [];
      if (c.rewritten) notes.push({ code: 'verify-rewritten', fields: { count: c.rewritten } });
      if (c.duplicatesCopiedOnce) notes.push({ code: 'verify-duplicates-once', fields: { count: c.duplicatesCopiedOnce } });
      if (plan.skippedAsElsewhere) notes.push({ code: 'move-gmail-all-mail', fields: { folder: plan.sources.join(', '), skipped: plan.skippedAsElsewhere, copied: plan.messages.length } });
      // What the old server no longer has here, and what the new one refused: each group with its reason.
      const notCopied: VerifyFolderLine['notCopied'] = (plan.notCopied ?? []).map((l) => ({ ...l }));
      for (const l of notCopied) {
        const code = SOURCE_REASON_NOTES[l.reason as keyof typeof SOURCE_REASON_NOTES];
        if (code) notes.push({ code, fields: { count: l.count, ...(l.reason === 'brought-along' ? { folder: input.foundFolder ?? '' } : {}) } });
      }
      for (const m of c.missing) {
        const failure = failuresByHash.get(`${plan.destination}\n${m.normHash}`);
        if (failure) {
          notes.push(failure.reason);
          const line = notCopied.find((l) => l.reason === failure.reason.code);
          if (line) line.count++;
          else notCopied.push({ reason: failure.reason.code, count: 1 });
        } else notes.push({ code: 'verify-missing-message', fields: await describeContent(archive, m.contentId) });
      }
      const alreadyThere = input.preexisting ? plan.messages.filter((m) => input.preexisting!.has(`${m.contentId} ${plan.destination}`)).length : 0;
      if (alreadyThere) notes.push({ code: 'verify-already-there', fields: { count: alreadyThere } });
      for (const ch of c.changed) notes.push({ code: 'verify-changed-message', fields: await describeContent(archive, ch.expected.contentId) });
      const line: VerifyFolderLine = {
        source: plan.sources.join(', '),
        destination: plan.destination,
        expected: c.expected,
        present: c.present,
        missing: c.missing.length,
        changed: c.changed.length,
        alreadyThere,
        notCopied,
        notes,
      };
      lines.push(line);
      if (state) input.onChecked?.(plan.destination, { uidValidity: state.uidValidity, uidNext: state.uidNext, messages: state.uids.length, expectedKey, checkedAt: new Date().toISOString(), line });
      done += plan.messages.length;
      bytesDone += plan.messages.reduce((b, m) => b + m.size, 0);
      control.onProgress?.({ job: 'verify', phase: 'verify', folder: plan.destination, folderDone: plan.messages.length, folderTotal: plan.messages.length, done, total, bytesDone, bytesTotal });
    }
  } finally {
    hashing.stop();
    await hashing.closed;
  }

  const sum = (k: 'expected' | 'present' | 'missing' | 'changed'): number => lines.reduce((n, l) => n + l[k], 0);
  return saveVerifyReport(archive.dir, {
    source: input.sourceUrl,
    destination: input.destinationUrl,
    checkedAt: (input.now ?? (() => new Date()))(),
    expected: sum('expected'),
    present: sum('present'),
    missing: sum('missing'),
    changed: sum('changed'),
    folders: lines,
  });
}
