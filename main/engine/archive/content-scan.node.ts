/**
 * The archive checking itself ("Vérifier mes copies", `arche check`): SQLite's own integrity check, then every
 * stored content read back, decoded and hashed against its address (the SHA-256 it is stored under). Unlike the
 * backup's quick look (a stat per blob file, blob-check.node.ts), this reads every byte: it finds a file of the right
 * size with wrong bytes (a flipped sector) and a damaged row kept inline in SQLite.
 * Streams: one statement walks the contents in id order (inline rows joined by their rowid), handing batches of about
 * a megabyte to worker threads that decode and hash them (check-pool.node.ts); only a few batches wait at once, so
 * memory stays flat. Profiled on 4,000 messages of bench corpus a: decoding and hashing on the one thread that read
 * SQLite was a third of the time, the integrity check another third; both now run beside the reading.
 * It can stop at any content (pause) and start again from the id it reached.
 */
import type { Db } from './db.node.ts';
import { codecOf, isInline } from './blob-store.node.ts';
import type { ItemResult, ScanItem } from './content-hash.node.ts';
import { inThreadChecker, PoolLost, workerChecker, type Checker } from './check-pool.node.ts';

export { integrityProblems } from './integrity.node.ts';

/**
 * A batch closes at this many bytes of inline rows (read here, so held in memory until a worker takes them), this
 * many bytes of blob files (read by the worker itself), or this many rows. Large batches: every hand-off waits for a
 * thread to be woken, which on a busy machine costs more than the hashing (measured with 1 MB batches: slower than
 * one thread under load); a few batches in flight keep memory flat all the same (4 × 4 MB).
 */
const BATCH_INLINE_BYTES = 4 * 1024 * 1024;
const BATCH_FILE_BYTES = 16 * 1024 * 1024;
const BATCH_ROWS = 2048;

export interface ScannedDamage {
  contentId: number;
  sha256: string;
  /** 'missing': the blob file is not there; 'hash': the bytes read back are not the bytes stored. */
  why: 'missing' | 'hash';
}

export interface ScanControl {
  /** Start after this content id (a paused check resumes there). */
  afterId?: number;
  /** Stop after this content id (a single content re-checked). */
  untilId?: number;
  signal?: AbortSignal;
  /** After each content: its id and the stored bytes just read. */
  onContent?: (id: number, storedBytes: number) => void;
  /** Worker threads (default: yes; a single content re-checked is done in place). */
  threads?: boolean;
}

export interface ScanResult {
  damaged: ScannedDamage[];
  /** The last content id looked at (resume after it); equal to the largest id when the scan went to the end. */
  lastId: number;
  /** Whether the scan stopped before the end (aborted). */
  stopped: boolean;
}

/** Every content's stored bytes (inline row or blob file) and their count, for a progress total. */
export function storedTotals(db: Db): { contents: number; bytes: number } {
  const r = db.prepare('SELECT count(*) AS n, coalesce(sum(coalesce(stored_size, size)), 0) AS b FROM contents').get() as { n: number; b: number };
  return { contents: r.n, bytes: r.b };
}

interface Row {
  id: number;
  sha256: Buffer;
  storage: number;
  /** Decoded size (bytes). */
  size: number;
  /** A blob file's size when recorded (the batch's weight before it is read). */
  stored_size: number | null;
  data: Buffer | null;
}

interface Pass {
  end: 'done' | 'stopped' | 'lost';
  lastId: number;
}

export async function scanContents(db: Db, dir: string, control: ScanControl = {}): Promise<ScanResult> {
  const walk = db.prepare(
    `SELECT c.id, c.sha256, c.storage, c.size, c.stored_size, r.data FROM contents c LEFT JOIN contents_raw r ON r.content_id = c.id
     WHERE c.id > ? AND c.id <= ? ORDER BY c.id`,
  );
  const damaged: ScannedDamage[] = [];
  let lastId = control.afterId ?? 0;
  let checker: Checker = (control.threads !== false && workerChecker(dir)) || inThreadChecker(dir);
  try {
    for (;;) {
      const pass = await scanPass(walk.iterate(lastId, control.untilId ?? Number.MAX_SAFE_INTEGER) as IterableIterator<Row>, checker, lastId, control, damaged);
      lastId = pass.lastId;
      if (pass.end !== 'lost') return { damaged, lastId, stopped: pass.end === 'stopped' };
      // A worker died (out of memory, killed): the rest is checked here, from the last content counted.
      await checker.close();
      checker = inThreadChecker(dir);
    }
  } finally {
    await checker.close();
  }
}

/** One walk of the statement: batches handed to the checker, their results taken in id order. */
async function scanPass(rows: IterableIterator<Row>, checker: Checker, from: number, control: ScanControl, damaged: ScannedDamage[]): Promise<Pass> {
  const waiting: { rows: Row[]; results: Promise<ItemResult[]> }[] = [];
  let exhausted = false;
  let lastId = from;
  const nextBatch = (): Row[] => {
    const batch: Row[] = [];
    let inline = 0;
    let files = 0;
    while (batch.length < BATCH_ROWS && inline < BATCH_INLINE_BYTES && files < BATCH_FILE_BYTES) {
      const n = rows.next();
      if (n.done) {
        exhausted = true;
        break;
      }
      batch.push(n.value);
      if (n.value.data) inline += n.value.data.length;
      else files += n.value.stored_size ?? n.value.size;
    }
    return batch;
  };
  const fill = (): void => {
    while (!exhausted && waiting.length < checker.window && !control.signal?.aborted) {
      const batch = nextBatch();
      if (!batch.length) break;
      const items: ScanItem[] = batch.map((r) => ({ id: r.id, sha256: r.sha256.toString('hex'), codec: codecOf(r.storage), size: r.size, inline: isInline(r.storage), data: r.data }));
      // The rows keep their ids and addresses only: the bytes now belong to the worker.
      for (const r of batch) r.data = null;
      const results = checker.run(items);
      // Batches left waiting when a worker dies are never awaited: their failure must not go unhandled.
      results.catch(() => undefined);
      waiting.push({ rows: batch, results });
    }
  };
  try {
    fill();
    for (;;) {
      const next = waiting.shift();
      if (!next) return { end: exhausted || !control.signal?.aborted ? 'done' : 'stopped', lastId };
      let results: ItemResult[];
      try {
        results = await next.results;
      } catch (e) {
        if (e instanceof PoolLost) return { end: 'lost', lastId };
        throw e;
      }
      for (let i = 0; i < next.rows.length; i++) {
        const r = next.rows[i]!;
        const c = results[i]!;
        if (!c.ok) damaged.push({ contentId: r.id, sha256: r.sha256.toString('hex'), why: c.why });
        // Results are taken in id order, so `lastId` always means "every id up to here was checked" and a pause
        // resumes exactly after it; what the workers did beyond it is done again then.
        lastId = r.id;
        control.onContent?.(r.id, c.stored);
        if (control.signal?.aborted && (i < next.rows.length - 1 || waiting.length || !exhausted)) return { end: 'stopped', lastId };
      }
      fill();
    }
  } finally {
    rows.return?.();
  }
}
