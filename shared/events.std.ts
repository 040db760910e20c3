/**
 * Progress of long jobs (backup, restore, migrate, verify, import, export), as events.
 * The engine emits them through an `onProgress` callback; the CLI draws a bar or lines,
 * the bridge forwards them to the renderer. Counters are per folder and overall; ETA comes from the measured rate.
 */
import type { ArcheErrorData } from './errors.std.ts';

export type JobKind = 'backup' | 'restore' | 'migrate' | 'verify' | 'import' | 'export' | 'check' | 'mirror';
export type JobPhase = 'connect' | 'plan' | 'list' | 'fetch' | 'copy' | 'verify' | 'index' | 'done';

export interface ProgressEvent {
  job: JobKind;
  phase: JobPhase;
  /** Folder being worked on (display path), if any. */
  folder?: string;
  folderDone?: number;
  folderTotal?: number;
  /** Overall messages done / expected (expected may grow while folders are being listed). */
  done: number;
  total: number;
  bytesDone: number;
  bytesTotal: number;
  /** Measured rate, messages per second, and the estimate it gives. */
  ratePerSec?: number;
  etaSeconds?: number;
  /**
   * Something the user should be told while the job goes on (connection dropped and resumed,
   * provider throttling with the time of the next try...). Words come from shared/errors.
   */
  notice?: ArcheErrorData;
}

/**
 * Options every long engine job accepts. Pause = abort at a message boundary (everything done so far is committed);
 * Resume = run the same job again: jobs are incremental and resumable by design.
 */
export interface JobControl {
  signal?: AbortSignal;
  onProgress?: (e: ProgressEvent) => void;
}
