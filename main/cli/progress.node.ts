/**
 * Progress of a long job on stderr: a bar that redraws itself on a terminal, plain lines otherwise (logs, scripts,
 * tests reading stderr). Notices (connection dropped and resumed, throttling...) are always printed in full, in
 * French then English. stdout stays free for --json.
 */
import { formatError } from '../../shared/errors.std.ts';
import type { JobKind, ProgressEvent } from '../../shared/events.std.ts';
import { frCount } from '../../shared/errors/keep.std.ts';
import { terminalText } from '../../shared/terminal-text.std.ts';

const PHASE_WORDS: Record<string, string> = {
  connect: 'connexion / connecting',
  list: 'dossiers / folders',
  plan: 'préparation / planning',
  fetch: 'sauvegarde / backing up',
  copy: 'copie / copying',
  verify: 'vérification / checking',
  index: 'indexation / indexing',
  done: 'terminé / done',
};

export interface ProgressReporter {
  onProgress: (e: ProgressEvent) => void;
  /** Ends the bar's line (call once at the end, success or not). */
  end: () => void;
}

export function formatProgressLine(job: JobKind, e: ProgressEvent): string {
  const folder = e.folder ? ` ${e.folder}` : '';
  const inFolder = e.folderTotal !== undefined ? ` ${frCount(e.folderDone ?? 0)}/${frCount(e.folderTotal)}` : '';
  const overall = ` (${frCount(e.done)}/${frCount(e.total)})`;
  const eta = e.etaSeconds !== undefined && e.phase !== 'done' ? ` ~${formatEta(e.etaSeconds)}` : '';
  // A check fetches only the messages it found damaged: not a backup.
  const words = job === 'check' && e.phase === 'fetch' ? 'réparation des messages abîmés / repairing damaged messages' : (PHASE_WORDS[e.phase] ?? e.phase);
  return `${job}: ${words}${folder}${inFolder}${overall}${eta}`;
}

function formatEta(s: number): string {
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.round(s / 60)} min`;
  return `${Math.floor(s / 3600)} h ${String(Math.round((s % 3600) / 60)).padStart(2, '0')}`;
}

function bar(done: number, total: number, width: number): string {
  const share = total > 0 ? Math.min(1, done / total) : 0;
  const full = Math.round(share * width);
  return `[${'#'.repeat(full)}${'-'.repeat(width - full)}] ${String(Math.round(share * 100)).padStart(3)}%`;
}

export function progressReporter(job: JobKind, stream: NodeJS.WriteStream = process.stderr): ProgressReporter {
  const tty = stream.isTTY === true;
  let lastAt = 0;
  let lastKey = '';
  let lastDone = 0;
  let drawn = false;
  const onProgress = (e: ProgressEvent): void => {
    if (e.notice) {
      if (drawn) stream.write('\n');
      drawn = false;
      stream.write(terminalText(`${formatError(e.notice, 'fr')}\n${formatError(e.notice, 'en')}\n`));
    }
    const now = Date.now();
    const key = `${e.phase}|${e.folder ?? ''}`;
    const finished = e.folderTotal !== undefined && e.folderDone === e.folderTotal;
    // Never skip a new folder, a new phase or the end of a folder. Otherwise a terminal redraws at most ten times a
    // second; plain output (logs) gets a line per 1 % of the work or per second, whichever comes first.
    const step = Math.max(1, Math.floor(e.total / 100));
    const quiet = tty ? now - lastAt < 100 : now - lastAt < 1000 && e.done - lastDone < step;
    if (quiet && key === lastKey && !finished) return;
    lastAt = now;
    lastKey = key;
    lastDone = e.done;
    // Folder names come from the server: no control character reaches the terminal.
    const line = terminalText(formatProgressLine(job, e));
    if (tty) {
      const cols = stream.columns ?? 80;
      const text = `${bar(e.done, e.total, 20)} ${line}`;
      stream.write(`\r${text.slice(0, cols - 1).padEnd(cols - 1)}`);
      drawn = true;
    } else {
      stream.write(`${line}\n`);
    }
  };
  return {
    onProgress,
    end: () => {
      if (drawn) stream.write('\n');
      drawn = false;
    },
  };
}
