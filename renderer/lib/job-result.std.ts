/**
 * JobState.result is typed `unknown` in the contract (its shape depends on the kind of job).
 * These readers pull out what the screens show, defensively: a missing field shows nothing rather than breaking.
 */
import type { MoveCounts, VerifySummary } from '../../shared/api.std.ts';

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null;
}

function num(x: unknown): number | null {
  return typeof x === 'number' && Number.isFinite(x) ? x : null;
}

/** A verification summary, either the result itself (verify job) or its `verify` member (migrate job). */
export function readVerify(result: unknown): VerifySummary | null {
  const v = isObject(result) && isObject(result.verify) ? result.verify : result;
  if (!isObject(v)) return null;
  if (num(v.expected) === null || num(v.missing) === null) return null;
  return {
    expected: num(v.expected) ?? 0,
    present: num(v.present) ?? 0,
    missing: num(v.missing) ?? 0,
    changed: num(v.changed) ?? 0,
    folders: Array.isArray(v.folders) ? (v.folders as VerifySummary['folders']) : [],
    report: typeof v.report === 'string' ? v.report : '',
  };
}

export interface CopySummary {
  /** Messages newly kept (backup) or copied (restore/migrate) */
  copied: number | null;
  /** Messages that were already there */
  skipped: number | null;
  failed: number | null;
  /** Lost-mail alarm raised by this backup */
  alarm: boolean;
}

export function readCopy(result: unknown): CopySummary {
  if (!isObject(result)) return { copied: null, skipped: null, failed: null, alarm: false };
  const copied = num(result.copied) ?? num(result.new) ?? num(result.added) ?? num(result.messages);
  const skipped = num(result.skipped_existing) ?? num(result.skippedExisting) ?? num(result.unchanged);
  const failed = num(result.failed);
  const alarm = result.alarm === true || (isObject(result.alarm) && Object.keys(result.alarm).length > 0) || (Array.isArray(result.alarms) && result.alarms.length > 0);
  return { copied, skipped, failed, alarm };
}

/** A move's figures as the Verify screen shows them (`copy.counts` of a migrate result; see MoveCounts). */
export type MoveCountsView = Omit<MoveCounts, 'leftInArchive'>;

export function readCounts(result: unknown): MoveCountsView | null {
  const c = isObject(result) && isObject(result.copy) && isObject(result.copy.counts) ? result.copy.counts : null;
  if (!c) return null;
  const keys = ['source', 'copied', 'copiedBefore', 'alreadyThere', 'notCopied', 'archiveOnly', 'broughtAlong'] as const;
  const out = {} as MoveCountsView;
  for (const k of keys) {
    const v = num(c[k]);
    if (v === null) return null;
    out[k] = v;
  }
  return out;
}
