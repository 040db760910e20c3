/**
 * One stored content read back, decoded and hashed against its address: the one rule of "is this copy intact",
 * used by the check's workers (content-check.worker.ts) and, where no worker can start, by the thread that scans.
 * Never throws: a content that cannot be read or decoded is damaged.
 */
import { createHash } from 'node:crypto';
import { closeSync, createReadStream, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { promisify } from 'node:util';
import { brotliDecompress, brotliDecompressSync, createBrotliDecompress, createInflateRaw, inflateRaw, inflateRawSync } from 'node:zlib';
import { blobPath, type Codec } from './blob-store.node.ts';

const READ_CHUNK = 1024 * 1024;
/** Blob files up to this size are read and decoded in one piece (fewer hand-offs); larger ones are streamed. */
const WHOLE_FILE = 8 * 1024 * 1024;

/** What the scan hands over for one content (plain data: it crosses to a worker thread). */
export interface ScanItem {
  id: number;
  /** The content address (SHA-256, hex). */
  sha256: string;
  codec: Codec;
  /** Decoded size (bytes). */
  size: number;
  inline: boolean;
  /** An inline row's stored bytes (null: the row is missing). */
  data?: Uint8Array | null;
}

export interface ItemResult {
  ok: boolean;
  /** 'missing': the blob file is not there; 'hash': the bytes read back are not the bytes stored. */
  why: 'missing' | 'hash';
  /** Stored bytes read (the archive's size on disk for this content). */
  stored: number;
}

/**
 * Decoded in one output piece of the content's known size: with zlib's default 16 KB pieces, gluing them back
 * together costs more than the decoding (measured: 2 to 3 times slower).
 */
function outputChunk(size: number): number {
  return Math.min(Math.max(size + 1, 1024), READ_CHUNK * 8);
}

function decodeSync(data: Uint8Array, codec: Codec, size: number): Uint8Array {
  if (codec === 'brotli') return brotliDecompressSync(data, { chunkSize: outputChunk(size) });
  if (codec === 'deflate') return inflateRawSync(data, { chunkSize: outputChunk(size) });
  return data;
}

const brotliDecompressAsync = promisify(brotliDecompress);
const inflateRawAsync = promisify(inflateRaw);
async function decodeAsync(data: Buffer, codec: Codec, size: number): Promise<Uint8Array> {
  if (codec === 'brotli') return brotliDecompressAsync(data, { chunkSize: outputChunk(size) });
  if (codec === 'deflate') return inflateRawAsync(data, { chunkSize: outputChunk(size) });
  return data;
}

const hex = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

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

/**
 * `sync`: read and decode on this thread (a worker, where nothing else waits); otherwise a blob file is read and
 * decoded on libuv's thread pool, so the thread that scans goes on meanwhile. Inline rows (a few KB) are always
 * decoded in place: for them the hand-offs cost more than the decoding (measured).
 */
export async function checkItem(item: ScanItem, dir: string, sync: boolean): Promise<ItemResult> {
  if (item.inline) {
    const data = item.data ?? null;
    const stored = data?.byteLength ?? 0;
    try {
      return { ok: data !== null && hex(decodeSync(data, item.codec, item.size)) === item.sha256, why: 'hash', stored };
    } catch {
      return { ok: false, why: 'hash', stored };
    }
  }
  const file = blobPath(dir, item.sha256);
  let stored: number;
  try {
    stored = sync ? statSync(file).size : (await stat(file)).size;
  } catch {
    return { ok: false, why: 'missing', stored: 0 };
  }
  try {
    if (stored <= WHOLE_FILE) {
      const bytes = sync ? decodeSync(readFileSync(file), item.codec, item.size) : await decodeAsync(await readFile(file), item.codec, item.size);
      return { ok: hex(bytes) === item.sha256, why: 'hash', stored };
    }
    const digest = item.codec === 'none' ? hashRawFile(file) : await hashCompressedFile(file, item.codec);
    return { ok: digest === item.sha256, why: 'hash', stored };
  } catch {
    return { ok: false, why: 'hash', stored };
  }
}
