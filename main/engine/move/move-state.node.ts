/**
 * What the last migration to a destination did, kept in the archive directory (moves/<id>.json): the folder mapping
 * it used (so that `arche verify`, run later, checks exactly where the copy put things, the user's own choices
 * included), what it could not copy and why, and where each copied message went.
 * Only URLs, folder names and message fingerprints: never a password.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { CopyFailure } from '../transfer/transfer.types.std.ts';
import type { PlacedCopy } from '../transfer/copy.node.ts';
import type { FolderCheck } from './verify.node.ts';

export type { CopyFailure };

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
export function recordMapping(archiveDir: string, source: string, destination: string, mapping: MoveState['mapping']): void {
  const before = readMoveState(archiveDir, source, destination);
  writeMoveState(archiveDir, { ...before, source, destination, updatedAt: new Date().toISOString(), failures: before?.failures ?? [], placed: before?.placed ?? {}, mapping });
}

/** Before a copy: the user's own destinations, so that a resumed or re-run move uses them again. */
export function recordUserMapping(archiveDir: string, source: string, destination: string, userMapping: { source: string; destination: string }[]): void {
  const before = readMoveState(archiveDir, source, destination);
  writeMoveState(archiveDir, { ...before, source, destination, updatedAt: new Date().toISOString(), failures: before?.failures ?? [], placed: before?.placed ?? {}, userMapping });
}

/** After a copy: the new failures replace the old ones; placements are added to those of earlier runs. */
export function recordCopy(archiveDir: string, source: string, destination: string, failures: CopyFailure[], placed: PlacedCopy[]): void {
  const before = readMoveState(archiveDir, source, destination);
  const all = { ...(before?.placed ?? {}) };
  for (const p of placed) all[`${p.contentId} ${p.destination}`] = { uidValidity: p.uidValidity, uid: p.uid };
  writeMoveState(archiveDir, { ...before, source, destination, updatedAt: new Date().toISOString(), failures, placed: all });
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
