/**
 * The archive checking itself ("Vérifier mes copies", `arche check`): SQLite's own integrity check, then every
 * stored content read back, decoded and hashed against its address (the SHA-256 it is stored under). Unlike the
 * backup's quick look (a stat per blob file, blob-check.node.ts), this reads every byte: it finds a file of the right
 * size with wrong bytes (a flipped sector) and a damaged row kept inline in SQLite.
 * Streams: contents are taken by pages of ids, large files hashed as they are read, so memory stays flat; it can stop
 * at any content (pause) and start again from the id it reached.
 */
import { createHash } from 'node:crypto';
import { closeSync, createReadStream, openSync, readSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { promisify } from 'node:util';
import { brotliDecompress, brotliDecompressSync, createBrotliDecompress, createInflateRaw, inflateRaw, inflateRawSync } from 'node:zlib';
import type { Db } from './db.node.ts';
import { blobPath, codecOf, isInline, type Codec } from './blob-store.node.ts';

/** Rows per page: inline contents are at most 256 KB each, so a page holds at most ~16 MB. */
const PAGE = 64;
const READ_CHUNK = 1024 * 1024;

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
}

export interface ScanResult {
  damaged: ScannedDamage[];
  /** The last content id looked at (resume after it); equal to the largest id when the scan went to the end. */
  lastId: number;
  /** Whether the scan stopped before the end (aborted). */
  stopped: boolean;
}

/** 'ok', or the problems SQLite lists (a page, an index, a row). `quick`: quick_check (no index contents compared). */
export function integrityProblems(db: Db, quick = false): string[] {
  const rows = db.prepare(quick ? 'PRAGMA quick_check' : 'PRAGMA integrity_check').pluck().all() as string[];
  return rows.length === 1 && rows[0] === 'ok' ? [] : rows;
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
  data: Buffer | null;
}

/** SHA-256 of an uncompressed blob file, read in 1 MB pieces. */
function hashRawFile(file: string): string {
  const h = createHash('sha256');
  const fd = openSync(file, 'r');
  try {
    const buf = Buffer.allocUnsafe(READ_CHUNK);
    for (;;) {
      const n = readSync(fd, buf, 0, buf.length, null);
      if (n <= 0) break;
      h.update(buf.subarray(0, n));
    }
  } finally {
    closeSync(fd);
  }
  return h.digest('hex');
}

/** SHA-256 of a compressed blob file's decoded bytes, streamed; null when it does not decode. */
async function hashCompressedFile(file: string, codec: Codec): Promise<string | null> {
  const h = createHash('sha256');
  try {
    // 1 MB output chunks: with zlib's default 16 KB, the chunk hand-offs cost more than the decoding (measured 3x).
    const inflate = codec === 'brotli' ? createBrotliDecompress({ chunkSize: READ_CHUNK }) : createInflateRaw({ chunkSize: READ_CHUNK });
    const input = createReadStream(file, { highWaterMark: READ_CHUNK });
    input.on('error', (e) => inflate.destroy(e));
    input.pipe(inflate);
    for await (const chunk of inflate) h.update(chunk as Buffer);
  } catch {
    return null;
  }
  return h.digest('hex');
}

/** Contents checked at once: blob files are read while the previous ones are decoded and hashed. */
const IN_FLIGHT = 4;
/** Blob files up to this size are read and decoded in one piece (fewer hand-offs); larger ones are streamed. */
const WHOLE_FILE = 8 * 1024 * 1024;

/**
 * Decoded in one output piece of the content's known size: with zlib's default 16 KB pieces, gluing them back
 * together costs more than the decoding (measured: 2 to 3 times slower). Synchronous on purpose: for messages of a
 * few KB, the thread pool's hand-offs cost more than the decoding too (measured).
 */
function decodeSized(data: Buffer, codec: Codec, size: number): Buffer {
  const chunkSize = Math.min(Math.max(size + 1, 1024), READ_CHUNK * 8);
  if (codec === 'brotli') return brotliDecompressSync(data, { chunkSize });
  if (codec === 'deflate') return inflateRawSync(data, { chunkSize });
  return data;
}

const brotliDecompressAsync = promisify(brotliDecompress);
const inflateRawAsync = promisify(inflateRaw);

/** A blob file (hundreds of KB and more): decoded on libuv's thread pool, so the next contents go on meanwhile. */
async function decodeSizedAsync(data: Buffer, codec: Codec, size: number): Promise<Buffer> {
  const chunkSize = Math.min(Math.max(size + 1, 1024), READ_CHUNK * 8);
  if (codec === 'brotli') return brotliDecompressAsync(data, { chunkSize });
  if (codec === 'deflate') return inflateRawAsync(data, { chunkSize });
  return data;
}

interface Checked {
  ok: boolean;
  why: ScannedDamage['why'];
  stored: number;
}

/** One content read back and hashed against its address. Never throws: an unreadable content is damaged. */
async function checkOne(r: Row, dir: string): Promise<Checked> {
  const sha = r.sha256.toString('hex');
  const codec = codecOf(r.storage);
  if (isInline(r.storage)) {
    const stored = r.data?.length ?? 0;
    try {
      return { ok: r.data !== null && createHash('sha256').update(decodeSized(r.data, codec, r.size)).digest('hex') === sha, why: 'hash', stored };
    } catch {
      return { ok: false, why: 'hash', stored };
    }
  }
  const file = blobPath(dir, sha);
  let stored: number;
  try {
    stored = (await stat(file)).size;
  } catch {
    return { ok: false, why: 'missing', stored: 0 };
  }
  try {
    if (stored <= WHOLE_FILE) {
      const bytes = await decodeSizedAsync(await readFile(file), codec, r.size);
      return { ok: createHash('sha256').update(bytes).digest('hex') === sha, why: 'hash', stored };
    }
    const hex = codec === 'none' ? hashRawFile(file) : await hashCompressedFile(file, codec);
    return { ok: hex === sha, why: 'hash', stored };
  } catch {
    return { ok: false, why: 'hash', stored };
  }
}

export async function scanContents(db: Db, dir: string, control: ScanControl = {}): Promise<ScanResult> {
  const page = db.prepare(
    `SELECT c.id, c.sha256, c.storage, c.size, r.data FROM contents c LEFT JOIN contents_raw r ON r.content_id = c.id
     WHERE c.id > ? ORDER BY c.id LIMIT ${PAGE}`,
  );
  const damaged: ScannedDamage[] = [];
  let lastId = control.afterId ?? 0;
  for (;;) {
    const rows = (page.all(lastId) as Row[]).filter((r) => control.untilId === undefined || r.id <= control.untilId);
    if (!rows.length) return { damaged, lastId, stopped: false };
    // A few contents at once; their results are taken in id order, so `lastId` always means "every id up to here
    // was checked" and a pause resumes exactly after it.
    const results: (Promise<Checked> | undefined)[] = new Array(rows.length);
    let started = 0;
    let taken = 0;
    let stopped = false;
    const launch = (): void => {
      while (!stopped && started < rows.length && started < taken + IN_FLIGHT) {
        if (control.signal?.aborted) {
          stopped = true;
          break;
        }
        results[started] = checkOne(rows[started]!, dir);
        started++;
      }
    };
    launch();
    for (; taken < started; ) {
      const r = rows[taken]!;
      const c = await results[taken]!;
      taken++;
      launch();
      if (!c.ok) damaged.push({ contentId: r.id, sha256: r.sha256.toString('hex'), why: c.why });
      lastId = r.id;
      control.onContent?.(r.id, c.stored);
    }
    if (stopped) return { damaged, lastId, stopped: true };
    if (control.untilId !== undefined && lastId >= control.untilId) return { damaged, lastId, stopped: false };
    // Lets an abort (pause) and progress events through between pages.
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}
