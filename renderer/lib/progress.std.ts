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

export function foldProgress(view: ProgressView, e: ProgressEvent): ProgressView {
  let folders = view.folders;
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
 * Overall fraction 0..1. By messages: the engine knows how many are expected once folders are listed, while the
 * byte total may only cover what it has seen so far (a bar stuck at 100 % would be a lie). By bytes only when no
 * message count is known yet; and never more than the smaller of the two when both are known.
 */
export function overallFraction(e: ProgressEvent | null): number {
  if (!e) return 0;
  if (e.phase === 'done') return 1;
  const byMessages = e.total > 0 ? Math.min(1, e.done / e.total) : null;
  const byBytes = e.bytesTotal > 0 ? Math.min(1, e.bytesDone / e.bytesTotal) : null;
  if (byMessages !== null && byBytes !== null) return Math.min(byMessages, byBytes);
  return byMessages ?? byBytes ?? 0;
}
