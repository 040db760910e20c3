/**
 * What the last migration to a destination did, kept in the archive directory (moves/<id>.json): the folder mapping
 * it used (so that `arche verify`, run later, checks exactly where the copy put things, the user's own choices
 * included), what it could not copy and why, and where each copied message went.
 * Only URLs, folder names and message fingerprints: never a password.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { CopyFailure, PlacedCopy } from './transfer.types.std.ts';
import type { MoveCounts, VerifyFolderLine } from '../../../shared/api.std.ts';

// The types below live here, at the bottom of Move's dependencies, so that verify (which writes and reads this
// state) imports from it and nothing here imports it back. The copy's own shapes live below, in engine/transfer.

/**
 * A folder's check, remembered with the folder's state at the time. IMAP never changes a message's content under
 * the same UID, every APPEND raises UIDNEXT and every EXPUNGE lowers the count: with the same UIDVALIDITY, UIDNEXT
 * and count, the folder holds exactly the same messages, so the same expected messages give the same result.
 */
export interface FolderCheck {
  uidValidity: number;
  uidNext: number;
  messages: number;
  /** Fingerprint of what was expected there (the archive may have grown since). */
  expectedKey: string;
  checkedAt: string;
  line: VerifyFolderLine;
}

export type { CopyFailure, PlacedCopy, MoveCounts };

export interface MoveState {
  source: string;
  destination: string;
  updatedAt: string;
  /** Destinations the user chose (wizard or --map), applied again by every later run of this move. */
  userMapping?: { source: string; destination: string }[];
  /** The mapping the copy used (source path → destination path). */
  mapping?: { source: string; destination: string; role: string | null }[];
  /** Messages the last run could not copy, with why. */
  failures: CopyFailure[];
  /** Where each copied message went (APPENDUID), accumulated over runs: "contentId destination" → uidvalidity/uid. */
  placed: Record<string, { uidValidity: number; uid: number }>;
  /** The last check of each destination folder, with the folder's state then (lets an unchanged folder be skipped). */
  verified?: Record<string, FolderCheck>;
  /** Where the user chose to bring what the old server no longer has (null or absent: left in the archive). */
  bringAlong?: string | null;
  /** "contentId destination" of messages the new mailbox held before the move (found by content, not copied by Arche). */
  preexisting?: string[];
}

function stateFile(archiveDir: string, source: string, destination: string): string {
  const id = createHash('sha256').update(`${source}\n${destination}`).digest('hex').slice(0, 16);
  return path.join(archiveDir, 'moves', `${id}.json`);
}

export function readMoveState(archiveDir: string, source: string, destination: string): MoveState | null {
  const file = stateFile(archiveDir, source, destination);
  if (!existsSync(file)) return null;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as MoveState;
  } catch {
    // A damaged state file only loses explanations; verification itself does not depend on it.
    return null;
  }
}

export function writeMoveState(archiveDir: string, state: MoveState): void {
  const file = stateFile(archiveDir, state.source, state.destination);
  mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, JSON.stringify(state, null, 2) + '\n');
  renameSync(tmp, file);
}

/** Before a copy: the mapping it is about to use (written first, so that even an interrupted run leaves it). */
export function recordMapping(archiveDir: string, source: string, destination: string, mapping: MoveState['mapping'], bringAlong: string | null = null): void {
  const before = readMoveState(archiveDir, source, destination);
  writeMoveState(archiveDir, { ...before, source, destination, updatedAt: new Date().toISOString(), failures: before?.failures ?? [], placed: before?.placed ?? {}, mapping, bringAlong });
}

/** Before a copy: the user's own destinations, so that a resumed or re-run move uses them again. */
export function recordUserMapping(archiveDir: string, source: string, destination: string, userMapping: { source: string; destination: string }[]): void {
  const before = readMoveState(archiveDir, source, destination);
  writeMoveState(archiveDir, { ...before, source, destination, updatedAt: new Date().toISOString(), failures: before?.failures ?? [], placed: before?.placed ?? {}, userMapping });
}

/** After a copy: the new failures replace the old ones; placements are added to those of earlier runs. */
export function recordCopy(archiveDir: string, source: string, destination: string, failures: CopyFailure[], placed: PlacedCopy[], preexisting?: string[]): void {
  const before = readMoveState(archiveDir, source, destination);
  const all = { ...(before?.placed ?? {}) };
  for (const p of placed) all[`${p.contentId} ${p.destination}`] = { uidValidity: p.uidValidity, uid: p.uid };
  writeMoveState(archiveDir, { ...before, source, destination, updatedAt: new Date().toISOString(), failures, placed: all, ...(preexisting ? { preexisting } : {}) });
}

/** After a verification: remember each folder checked by content, with its state. */
export function recordChecks(archiveDir: string, source: string, destination: string, checks: Record<string, FolderCheck>): void {
  const before = readMoveState(archiveDir, source, destination);
  writeMoveState(archiveDir, {
    ...before,
    source,
    destination,
    updatedAt: new Date().toISOString(),
    failures: before?.failures ?? [],
    placed: before?.placed ?? {},
    verified: { ...(before?.verified ?? {}), ...checks },
  });
}
