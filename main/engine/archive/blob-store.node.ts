/**
 * Where raw bytes live. Small messages go inline in SQLite; large ones become content-addressed files
 * `blobs/ab/<sha256>`, always written under a temporary name first and renamed, so a reader never sees half a file.
 * Either way the bytes may be compressed (brotli, fast level) when that actually saves room.
 */
import { closeSync, copyFileSync, createReadStream, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, readSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, rename, unlink } from 'node:fs/promises';
import path from 'node:path';
import { PassThrough, type Readable } from 'node:stream';
import { brotliCompressSync, brotliDecompressSync, createBrotliCompress, createBrotliDecompress, createInflateRaw, inflateRawSync, constants as zc } from 'node:zlib';
import { processAlive } from '../base/lock-file.node.ts';

/**
 * How a content's bytes are kept. Brotli at quality 1 compresses as well as deflate level 1 on mail, about
 * 2.5 times faster (measured here: 194 vs 74 MB/s). The deflate codes are read for archives written before.
 */
export const STORAGE = { inlineRaw: 0, inlineDeflate: 1, fileRaw: 2, fileDeflate: 3, inlineBrotli: 4, fileBrotli: 5 } as const;
export type Storage = (typeof STORAGE)[keyof typeof STORAGE];
export type Codec = 'none' | 'deflate' | 'brotli';

export function isInline(storage: number): boolean {
  return storage === STORAGE.inlineRaw || storage === STORAGE.inlineDeflate || storage === STORAGE.inlineBrotli;
}
export function codecOf(storage: number): Codec {
  if (storage === STORAGE.inlineDeflate || storage === STORAGE.fileDeflate) return 'deflate';
  if (storage === STORAGE.inlineBrotli || storage === STORAGE.fileBrotli) return 'brotli';
  return 'none';
}
export function storageFor(inline: boolean, compressed: boolean): Storage {
  if (inline) return compressed ? STORAGE.inlineBrotli : STORAGE.inlineRaw;
  return compressed ? STORAGE.fileBrotli : STORAGE.fileRaw;
}

/**
 * Quality 0: a quarter less CPU than quality 1 for 1.5 points of size (2,000 messages of each bench corpus, one core:
 * corpus a 248 -> 327 MB/s, stored 60.1 -> 61.9 % of the raw size; corpus b 234 -> 303 MB/s, 63.5 -> 65.0 %).
 * Compression was the largest single cost left in the parse worker on corpus b. Any quality decodes the same way, so
 * contents written at quality 1 read as before; a content's address is the hash of its raw bytes, not of these.
 */
const BROTLI_FAST = { [zc.BROTLI_PARAM_QUALITY]: 0 };
export function brotliStream(sizeHint: number): ReturnType<typeof createBrotliCompress> {
  return createBrotliCompress({ params: { ...BROTLI_FAST, [zc.BROTLI_PARAM_SIZE_HINT]: sizeHint } });
}

/** Above this stored size a message goes to its own blob file rather than a SQLite row. */
export const INLINE_LIMIT = 256 * 1024;
/** Compression must save at least this share to be kept (base64 attachments barely compress). */
const WORTH_IT = 0.95;

export function blobsDir(archiveDir: string): string {
  return path.join(archiveDir, 'blobs');
}
export function tmpDir(archiveDir: string): string {
  return path.join(archiveDir, 'blobs', 'tmp');
}
export function blobPath(archiveDir: string, sha256: string): string {
  return path.join(archiveDir, 'blobs', sha256.slice(0, 2), sha256);
}

/** A temp name that says which process owns it, so that opening the archive removes only dead processes' leftovers. */
export function tmpName(archiveDir: string): string {
  return path.join(tmpDir(archiveDir), `${process.pid}-${randomBytes(6).toString('hex')}`);
}

/** Compress (brotli) when it helps. */
export function encodeSmall(raw: Buffer): { data: Buffer; compressed: boolean } {
  if (raw.length < 256) return { data: raw, compressed: false };
  const z = brotliCompressSync(raw, { params: { ...BROTLI_FAST, [zc.BROTLI_PARAM_SIZE_HINT]: raw.length } });
  return z.length < raw.length * WORTH_IT ? { data: z, compressed: true } : { data: raw, compressed: false };
}

/** A share of the original size that compression must beat. */
export function worthIt(compressedSize: number, size: number): boolean {
  return compressedSize < size * WORTH_IT;
}

/**
 * The stored bytes decoded. `size`, the raw size when known, lets brotli write them into one buffer of that size:
 * by default it writes 16 KB pieces and joins them (for a message of 80 KB, six buffers and a copy), which cost the
 * copy of a move about 15 % of its decompression time and more garbage. A wrong hint only means more pieces.
 */
export function decode(data: Buffer, codec: Codec, size?: number): Buffer {
  // One byte more than the size: a buffer filled exactly would make zlib ask for one more piece.
  if (codec === 'brotli') return size !== undefined && size > 0 ? brotliDecompressSync(data, { chunkSize: Math.max(64, size + 1) }) : brotliDecompressSync(data);
  if (codec === 'deflate') return inflateRawSync(data);
  return data;
}

/**
 * A directory's entries made durable: after a rename, the new name survives a power cut only once the directory
 * itself is fsynced. Platforms that cannot open a directory (Windows) skip it.
 */
export function fsyncDirSync(dir: string): void {
  let fd: number;
  try {
    fd = openSync(dir, 'r');
  } catch {
    return;
  }
  try {
    fsyncSync(fd);
  } catch {
    // EISDIR/EINVAL on some file systems: nothing more can be done
  } finally {
    closeSync(fd);
  }
}

/** The SHA-256 of a file's bytes, read in pieces (memory stays flat). */
export function fileSha256Sync(file: string): string {
  const sha = createHash('sha256');
  const fd = openSync(file, 'r');
  try {
    const buf = Buffer.allocUnsafe(1024 * 1024);
    for (;;) {
      const n = readSync(fd, buf, 0, buf.length, null);
      if (n <= 0) break;
      sha.update(buf.subarray(0, n));
    }
  } finally {
    closeSync(fd);
  }
  return sha.digest('hex');
}

function fileSize(file: string): number | null {
  try {
    return statSync(file).size;
  } catch {
    return null;
  }
}

/**
 * Write bytes to their final content-addressed place: temp file, fsync, rename, fsync of the directory — all before
 * the transaction that points at the file commits, so a power cut never leaves a committed message pointing at a
 * truncated file. A file already there (an earlier run that died before committing) is trusted only if it holds
 * exactly these bytes (size, then hash); otherwise it is replaced. Returns the file's size.
 */
export function writeBlobSync(archiveDir: string, sha256: string, data: Buffer, opts: { replace?: boolean } = {}): number {
  const final = blobPath(archiveDir, sha256);
  if (!opts.replace && fileSize(final) === data.length && fileSha256Sync(final) === createHash('sha256').update(data).digest('hex')) return data.length;
  mkdirSync(path.dirname(final), { recursive: true });
  const tmp = tmpName(archiveDir);
  const fd = openSync(tmp, 'w');
  try {
    let off = 0;
    while (off < data.length) off += writeSync(fd, data, off, data.length - off);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, final);
  fsyncDirSync(path.dirname(final));
  return data.length;
}

/**
 * writeBlobSync off the calling thread (libuv's pool: several at once), for a blob file written before the
 * transaction that will point at it; the file and its directory fsynced, as there. Returns the stored size, or null
 * when a file is already in place: writeBlobSync checks that one (size and hash) in the transaction.
 */
export async function writeBlobAsync(archiveDir: string, sha256: string, data: Buffer): Promise<number | null> {
  const final = blobPath(archiveDir, sha256);
  if (fileSize(final) !== null) return null;
  await mkdir(path.dirname(final), { recursive: true });
  await mkdir(tmpDir(archiveDir), { recursive: true });
  const tmp = tmpName(archiveDir);
  try {
    const fh = await open(tmp, 'w');
    try {
      await fh.writeFile(data);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, final);
  } catch (e) {
    await unlink(tmp).catch(() => undefined);
    throw e;
  }
  await fsyncDirAsync(path.dirname(final));
  return data.length;
}

async function fsyncDirAsync(dir: string): Promise<void> {
  let fh;
  try {
    fh = await open(dir, 'r');
  } catch {
    return; // as fsyncDirSync: a platform that cannot open a directory
  }
  try {
    await fh.sync();
  } catch {
    // as fsyncDirSync
  } finally {
    await fh.close();
  }
}

function fsyncFileSync(file: string): void {
  const fd = openSync(file, 'r+');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Move an already-prepared temp file into its content-addressed place (fsynced, then its directory). A file already
 * there is kept only when it has the same size and hash as the prepared one. Returns the file's size.
 */
export function adoptBlobSync(archiveDir: string, sha256: string, tmpFile: string, opts: { replace?: boolean } = {}): number {
  const final = blobPath(archiveDir, sha256);
  const size = statSync(tmpFile).size;
  if (!opts.replace && fileSize(final) === size && fileSha256Sync(final) === fileSha256Sync(tmpFile)) {
    try {
      unlinkSync(tmpFile);
    } catch {
      // already gone (a retried batch)
    }
    return size;
  }
  mkdirSync(path.dirname(final), { recursive: true });
  fsyncFileSync(tmpFile);
  try {
    renameSync(tmpFile, final);
  } catch (e) {
    // a caller's file on another disk: copy through a temp name, then drop the original
    if ((e as NodeJS.ErrnoException).code !== 'EXDEV') throw e;
    const tmp = tmpName(archiveDir);
    copyFileSync(tmpFile, tmp);
    fsyncFileSync(tmp);
    renameSync(tmp, final);
    unlinkSync(tmpFile);
  }
  fsyncDirSync(path.dirname(final));
  return size;
}

export function readBlobSync(archiveDir: string, sha256: string, codec: Codec, size?: number): Buffer {
  return decode(readFileSync(blobPath(archiveDir, sha256)), codec, size);
}

export function openBlobStream(archiveDir: string, sha256: string, codec: Codec): Readable {
  const file = createReadStream(blobPath(archiveDir, sha256), { highWaterMark: 256 * 1024 });
  if (codec === 'none') return file;
  const out = new PassThrough();
  const inflate = codec === 'brotli' ? createBrotliDecompress() : createInflateRaw();
  file.on('error', (e) => out.destroy(e));
  inflate.on('error', (e) => out.destroy(e));
  return file.pipe(inflate).pipe(out);
}

/** Remove temp files left by processes that died (kill -9 during a large message); returns how many. */
export function cleanOrphanTemps(archiveDir: string): number {
  const dir = tmpDir(archiveDir);
  mkdirSync(dir, { recursive: true });
  let removed = 0;
  for (const name of readdirSync(dir)) {
    const pid = Number(name.split('-')[0]);
    if (Number.isInteger(pid) && pid > 0 && processAlive(pid)) continue;
    try {
      unlinkSync(path.join(dir, name));
      removed++;
    } catch {
      // another process cleaned it first
    }
  }
  return removed;
}
