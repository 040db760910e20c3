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

/** Overall fraction 0..1; by bytes when known (a big attachment is slow), else by messages. */
export function overallFraction(e: ProgressEvent | null): number {
  if (!e) return 0;
  if (e.phase === 'done') return 1;
  if (e.bytesTotal > 0) return Math.min(1, e.bytesDone / e.bytesTotal);
  if (e.total > 0) return Math.min(1, e.done / e.total);
  return 0;
}
