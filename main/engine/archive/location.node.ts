/**
 * Where the archive lives, and opening only its database. Kept apart from archive.node.ts (hashing, compression,
 * blob files, MIME parsing) so that a reader such as `arche search` loads SQLite and nothing else: process start
 * is part of what a command-line search costs.
 */
import os from 'node:os';
import path from 'node:path';
import { ArcheError } from '../../../shared/errors.std.ts';
import { openDatabase, type Db } from './db.node.ts';
import { ensureDir } from './ensure-dir.node.ts';

export const DB_FILE = 'arche.sqlite';

/** The OS's app-data folder for Arche. */
export function defaultArchiveDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform, home = os.homedir()): string {
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'Arche');
  if (platform === 'win32') return path.win32.join(env.APPDATA || path.win32.join(home, 'AppData', 'Roaming'), 'Arche');
  const base = env.XDG_DATA_HOME && path.isAbsolute(env.XDG_DATA_HOME) ? env.XDG_DATA_HOME : path.join(home, '.local', 'share');
  return path.join(base, 'arche');
}

/** Opening failures in plain words: a full disk, or a folder/database Arche cannot use. */
export function openError(dir: string, e: unknown): unknown {
  if (e instanceof ArcheError) return e;
  const code = (e as { code?: string })?.code ?? '';
  if (code === 'ENOSPC' || code === 'SQLITE_FULL') return new ArcheError('disk-full', { dir }, { cause: e });
  return new ArcheError('archive-unreadable', { dir }, { cause: e });
}

/** The archive's database alone (created and migrated like openArchive does), for reading. */
export function openArchiveDb(dir: string): Db {
  try {
    ensureDir(dir);
    return openDatabase(path.join(dir, DB_FILE), undefined, { profile: 'search' });
  } catch (e) {
    throw openError(dir, e);
  }
}

/** Contents stored without their search data yet (every meta row belongs to a content: the difference is the backlog). */
export function pendingIndexCount(db: Db): number {
  return db.prepare('SELECT (SELECT count(*) FROM contents) - (SELECT count(*) FROM meta)').pluck().get() as number;
}
