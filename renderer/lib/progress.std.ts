/**
 * Progress events name only the folder being worked on; the screen shows one line per folder.
 * This folds the event stream into those lines (pure, so it is unit-tested).
 */
import type { ProgressEvent } from '../../shared/events.std.ts';

export interface FolderLine {
  folder: string;
  done: number;
  total: number;
  finished: boolean;
}

export interface ProgressView {
  last: ProgressEvent | null;
  folders: FolderLine[];
}

export const emptyProgress: ProgressView = { last: null, folders: [] };

/** The phases that go through the folders one by one: each gets its own list (a move fetches, copies, then verifies). */
const FOLDER_PHASES = new Set(['fetch', 'copy', 'verify']);

export function foldProgress(view: ProgressView, e: ProgressEvent): ProgressView {
  // One list: when a move goes from fetching to copying (where folders may carry the new provider's names), the
  // lines start again instead of listing each folder twice.
  const newPhase = view.last && FOLDER_PHASES.has(e.phase) && FOLDER_PHASES.has(view.last.phase) && view.last.phase !== e.phase;
  let folders = newPhase ? [] : view.folders;
  if (e.folder) {
    const i = folders.findIndex((f) => f.folder === e.folder);
    const line: FolderLine = {
      folder: e.folder,
      done: e.folderDone ?? (i >= 0 ? folders[i].done : 0),
      total: e.folderTotal ?? (i >= 0 ? folders[i].total : 0),
      finished: false,
    };
    line.finished = line.total > 0 && line.done >= line.total;
    // When the job moves on to another folder, the previous ones are finished.
    folders = folders.map((f) => (f.folder === e.folder ? f : { ...f, finished: f.finished || (f.total > 0 && f.done >= f.total) }));
    folders = i >= 0 ? folders.map((f, j) => (j === i ? line : f)) : [...folders, line];
  }
  if (e.phase === 'done') folders = folders.map((f) => ({ ...f, finished: true, done: Math.max(f.done, f.total) }));
  return { last: e, folders };
}

/**
 * Overall fraction 0..1, from the same numbers the screen writes ("2 267 sur 2 267"): messages done over messages
 * expected. Bytes only while no message count is known yet (a byte total may cover only what was seen so far).
 */
export function overallFraction(e: ProgressEvent | null): number {
  if (!e) return 0;
  if (e.phase === 'done') return 1;
  if (e.total > 0) return Math.min(1, e.done / e.total);
  return e.bytesTotal > 0 ? Math.min(1, e.bytesDone / e.bytesTotal) : 0;
}
