/**
 * Bring mail into the archive from an mbox file or a Maildir folder (Thunderbird's local folders, an old export...).
 * Imported messages live under a local account (`local://import`) in the folder given, or the source's own name.
 * Deduplicated by content like everything else: a message already in the folder is skipped, a message already
 * elsewhere in the archive is linked, not stored again.
 */
import { closeSync, existsSync, openSync, readSync, readdirSync, readFileSync, statSync, unlinkSync } from 'node:fs';
import path from 'node:path';
import { ArcheError } from '../../../shared/errors.std.ts';
import type { JobControl } from '../../../shared/events.std.ts';
import type { Archive } from '../archive/archive.node.ts';
import type { IncomingMessage } from '../archive/archive.types.std.ts';
import { extractMeta } from '../archive/extract-meta.node.ts';
import { readMbox } from './mbox.node.ts';
import { createHash } from 'node:crypto';

export const IMPORT_ACCOUNT = 'local://import';
const BATCH = 200;
/** UIDVALIDITY of local folders: they never change numbering. */
const LOCAL_UIDVALIDITY = 1;

export interface ImportSummary {
  account: string;
  folder: string;
  imported: number;
  skipped_existing: number;
}

interface Source {
  raw: Buffer | { file: string; size: number; sha256: string };
  flags: string[];
  internalDate: number;
}

const MAILDIR_LETTERS: Record<string, string> = { D: '\\Draft', F: '\\Flagged', R: '\\Answered', S: '\\Seen', T: '\\Deleted' };

export function maildirFlags(name: string): string[] {
  const i = name.lastIndexOf(':2,');
  if (i < 0) return [];
  return [...name.slice(i + 3)].map((c) => MAILDIR_LETTERS[c]).filter((f): f is string => Boolean(f));
}

function headOf(raw: Source['raw']): Buffer {
  if (Buffer.isBuffer(raw)) return raw.subarray(0, 64 * 1024);
  const fd = openSync(raw.file, 'r');
  try {
    const b = Buffer.alloc(Math.min(raw.size, 64 * 1024));
    readSync(fd, b, 0, b.length, 0);
    return b;
  } finally {
    closeSync(fd);
  }
}

function mboxFlags(raw: Source['raw']): string[] {
  const start = headOf(raw);
  const headEnd = start.indexOf('\n\n');
  const head = start.subarray(0, headEnd < 0 ? start.length : headEnd).toString('latin1');
  const flags: string[] = [];
  const status = /^Status:[ \t]*(\S*)/im.exec(head)?.[1] ?? '';
  const xstatus = /^X-Status:[ \t]*(\S*)/im.exec(head)?.[1] ?? '';
  if (status.includes('R')) flags.push('\\Seen');
  if (xstatus.includes('A')) flags.push('\\Answered');
  if (xstatus.includes('F')) flags.push('\\Flagged');
  return flags;
}

async function* fromMbox(file: string, spillDir: string): AsyncGenerator<Source> {
  for await (const m of readMbox(file, spillDir)) {
    yield { raw: m.raw, flags: mboxFlags(m.raw), internalDate: Number.isFinite(m.fromDate) ? m.fromDate : Date.now() };
  }
}

async function* fromMaildir(dir: string): AsyncGenerator<Source> {
  for (const sub of ['cur', 'new']) {
    const d = path.join(dir, sub);
    const names = readdirSync(d).filter((n) => !n.startsWith('.')).sort();
    for (const name of names) {
      const file = path.join(d, name);
      const st = statSync(file);
      if (!st.isFile()) continue;
      yield { raw: readFileSync(file), flags: maildirFlags(name), internalDate: st.mtimeMs };
    }
  }
}

export async function importMessages(
  archive: Archive,
  opts: { format: 'mbox' | 'maildir'; source: string; folder?: string },
  control: JobControl = {},
): Promise<ImportSummary> {
  const source = path.resolve(opts.source);
  if (!existsSync(source)) throw new ArcheError('import-source-missing', { path: source });
  if (opts.format === 'maildir' && !(existsSync(path.join(source, 'cur')) && existsSync(path.join(source, 'new')))) {
    throw new ArcheError('import-not-maildir', { path: source });
  }
  const folderName = opts.folder || path.basename(source).replace(/\.(mbox|mbx)$/i, '') || 'Import';
  const account = archive.ensureAccount(IMPORT_ACCOUNT);
  const folder = archive.upsertFolder(account.id, { path: folderName, delimiter: '/', specialUse: null });
  const inFolder = archive.db.prepare(
    'SELECT 1 FROM placements p JOIN contents c ON c.id = p.content_id WHERE p.folder_id = ? AND c.sha256 = ?',
  ).pluck();
  let nextUid = ((archive.db.prepare('SELECT max(uid) FROM placements WHERE folder_id = ?').pluck().get(folder.id) as number | null) ?? 0) + 1;
  const summary: ImportSummary = { account: IMPORT_ACCOUNT, folder: folderName, imported: 0, skipped_existing: 0 };
  let batch: IncomingMessage[] = [];
  const seen = new Set<string>();
  let bytes = 0;
  const flush = (): void => {
    if (!batch.length) return;
    const r = archive.addMessages(batch, { folderId: folder.id, uidvalidity: LOCAL_UIDVALIDITY, uidnext: nextUid });
    summary.imported += r.placementsAdded;
    batch = [];
    control.onProgress?.({ job: 'import', phase: 'copy', folder: folderName, done: summary.imported + summary.skipped_existing, total: 0, bytesDone: bytes, bytesTotal: 0 });
  };
  // Large messages of an mbox are spilled next to the archive's own temp files (same disk: they are then moved, not copied).
  const spillDir = path.join(archive.dir, 'blobs', 'tmp');
  const messages = opts.format === 'mbox' ? fromMbox(source, spillDir) : fromMaildir(source);
  for await (const m of messages) {
    if (control.signal?.aborted) {
      if (!Buffer.isBuffer(m.raw)) unlinkSync(m.raw.file);
      break;
    }
    const key = Buffer.isBuffer(m.raw) ? createHash('sha256').update(m.raw).digest('hex') : m.raw.sha256;
    if (seen.has(key) || inFolder.get(folder.id, Buffer.from(key, 'hex')) !== undefined) {
      summary.skipped_existing++;
      if (!Buffer.isBuffer(m.raw)) unlinkSync(m.raw.file);
      continue;
    }
    seen.add(key);
    const size = Buffer.isBuffer(m.raw) ? m.raw.length : m.raw.size;
    bytes += size;
    // a large message is hashed, compressed and parsed by streaming (prepareLargeMessage), never held whole
    const raw = Buffer.isBuffer(m.raw) ? m.raw : await archive.prepareLargeMessage(m.raw.file);
    batch.push({
      folderId: folder.id,
      uidvalidity: LOCAL_UIDVALIDITY,
      uid: nextUid++,
      flags: m.flags,
      internalDate: Math.round(m.internalDate),
      raw,
      meta: Buffer.isBuffer(m.raw) ? await extractMeta(m.raw) : null,
    });
    if (batch.length >= BATCH || !Buffer.isBuffer(m.raw)) flush();
  }
  flush();
  return summary;
}
