/**
 * What the last migration to a destination could not copy, and why: kept in the archive directory
 * (moves/<id>.json) so that `arche verify`, run later, explains every missing message with its reason.
 * Only URLs and message fingerprints: never a password.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { ArcheErrorData } from '../../../shared/errors.std.ts';

export interface CopyFailure {
  sourceFolder: string;
  destination: string;
  contentId: number;
  normHash: string;
  reason: ArcheErrorData;
}

export interface MoveState {
  source: string;
  destination: string;
  updatedAt: string;
  failures: CopyFailure[];
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
