/**
 * Bring mail into the archive from an mbox file or a Maildir folder (Thunderbird's local folders, an old export...).
 * Imported messages live under a local account (`local://import`) in the folder given, or the source's own name.
 * Deduplicated by content like everything else: a message already in the folder is skipped, a message already
 * elsewhere in the archive is linked, not stored again.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
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
  raw: Buffer;
  flags: string[];
  internalDate: number;
}

const MAILDIR_LETTERS: Record<string, string> = { D: '\\Draft', F: '\\Flagged', R: '\\Answered', S: '\\Seen', T: '\\Deleted' };

export function maildirFlags(name: string): string[] {
  const i = name.lastIndexOf(':2,');
  if (i < 0) return [];
  return [...name.slice(i + 3)].map((c) => MAILDIR_LETTERS[c]).filter((f): f is string => Boolean(f));
}

function mboxFlags(raw: Buffer): string[] {
  const headEnd = raw.indexOf('\n\n');
  const head = raw.subarray(0, headEnd < 0 ? Math.min(raw.length, 64 * 1024) : headEnd).toString('latin1');
  const flags: string[] = [];
  const status = /^Status:[ \t]*(\S*)/im.exec(head)?.[1] ?? '';
  const xstatus = /^X-Status:[ \t]*(\S*)/im.exec(head)?.[1] ?? '';
  if (status.includes('R')) flags.push('\\Seen');
  if (xstatus.includes('A')) flags.push('\\Answered');
  if (xstatus.includes('F')) flags.push('\\Flagged');
  return flags;
}

async function* fromMbox(file: string): AsyncGenerator<Source> {
  for await (const m of readMbox(file)) {
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
  const messages = opts.format === 'mbox' ? fromMbox(source) : fromMaildir(source);
  for await (const m of messages) {
    if (control.signal?.aborted) break;
    const sha = createHash('sha256').update(m.raw).digest();
    const key = sha.toString('hex');
    if (seen.has(key) || inFolder.get(folder.id, sha) !== undefined) {
      summary.skipped_existing++;
      continue;
    }
    seen.add(key);
    bytes += m.raw.length;
    batch.push({
      folderId: folder.id,
      uidvalidity: LOCAL_UIDVALIDITY,
      uid: nextUid++,
      flags: m.flags,
      internalDate: Math.round(m.internalDate),
      raw: m.raw,
      meta: await extractMeta(m.raw),
    });
    if (batch.length >= BATCH) flush();
  }
  flush();
  return summary;
}
