/**
 * Take mail out of the archive in standard formats: mboxrd (one file), Maildir (cur/new/tmp, read by mutt and
 * notmuch) or EML (one file per message). Whole archive, a query's results (account:/folder: cover an account or
 * a folder), or what the reading view shows (`select`: a folder or an account's folders, the search box, the
 * filters; browse.node.ts, the same rule as the list). Each distinct message is written once, with its exact raw bytes.
 */
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, renameSync, writeSync } from 'node:fs';
import path from 'node:path';
import { ArcheError } from '../../../shared/errors.std.ts';
import type { JobControl } from '../../../shared/events.std.ts';
import type { Archive } from '../archive/archive.node.ts';
import { matchingContentIds } from './search.node.ts';
import { selectionIds, type BrowseSelection } from './browse.node.ts';
import { mboxEntry } from './mbox.node.ts';

export type ExportFormat = 'mbox' | 'maildir' | 'eml';

export interface ExportSummary {
  format: ExportFormat;
  path: string;
  exported: number;
  bytes: number;
}

interface ContentInfo {
  id: number;
  sha256: Buffer;
  size: number;
  date: number | null;
  from_text: string | null;
  flags: string | null;
  internal_date: number | null;
}

/** System flags → Maildir info letters (must be written in ASCII order). */
const MAILDIR_FLAGS: Record<string, string> = { '\\Draft': 'D', '\\Flagged': 'F', '\\Answered': 'R', '\\Seen': 'S', '\\Deleted': 'T' };

export function maildirInfo(flags: string[]): string {
  return [...new Set(flags.map((f) => MAILDIR_FLAGS[f]).filter(Boolean))].sort().join('');
}

function writeAll(fd: number, data: Buffer): void {
  let off = 0;
  while (off < data.length) off += writeSync(fd, data, off, data.length - off);
}

/** Write a file atomically (tmp name, then rename), as Maildir requires. */
function writeFileAtomic(tmp: string, final: string, data: Buffer): void {
  const fd = openSync(tmp, 'w');
  try {
    writeAll(fd, data);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, final);
}

function wrapIo<T>(target: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof ArcheError) throw e;
    throw new ArcheError('export-failed', { path: target }, { cause: e });
  }
}

export interface ExportOptions {
  format: ExportFormat;
  out: string;
  /** A search (the results screen, `arche export QUERY`); without `select`, an empty one is the whole archive. */
  query?: string;
  /** What the reading view shows; its own `query` is the search box. */
  select?: BrowseSelection;
}

export function exportMessages(archive: Archive, opts: ExportOptions, control: JobControl = {}): ExportSummary {
  const ids = opts.select ? selectionIds(archive.db, opts.select) : [...matchingContentIds(archive.db, opts.query ?? '')];
  const info = archive.db.prepare(
    `SELECT c.id, c.sha256, c.size, m.date, m.from_text,
       (SELECT p.flags FROM placements p WHERE p.content_id = c.id ORDER BY p.id LIMIT 1) AS flags,
       (SELECT min(p.internal_date) FROM placements p WHERE p.content_id = c.id) AS internal_date
     FROM contents c LEFT JOIN meta m ON m.content_id = c.id WHERE c.id = ?`,
  );
  const total = ids.length;
  const bytesTotal = 0;
  let done = 0;
  let bytes = 0;
  const out = path.resolve(opts.out);
  const progress = (): void => control.onProgress?.({ job: 'export', phase: 'copy', done, total, bytesDone: bytes, bytesTotal });

  if (opts.format === 'mbox') {
    if (existsSync(out)) throw new ArcheError('export-out-exists', { path: out });
    wrapIo(out, () => {
      mkdirSync(path.dirname(out), { recursive: true });
      const tmp = `${out}.part`;
      const fd = openSync(tmp, 'w');
      try {
        for (const id of ids) {
          if (control.signal?.aborted) break;
          const c = info.get(id) as ContentInfo;
          writeAll(fd, mboxEntry(c.from_text ?? '', c.internal_date ?? c.date ?? 0, archive.readRaw(id)));
          done++;
          bytes += c.size;
          progress();
        }
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      renameSync(tmp, out);
    });
    return { format: 'mbox', path: out, exported: done, bytes };
  }

  wrapIo(out, () => {
    if (opts.format === 'maildir') for (const d of ['cur', 'new', 'tmp']) mkdirSync(path.join(out, d), { recursive: true });
    else mkdirSync(out, { recursive: true });
  });
  for (const id of ids) {
    if (control.signal?.aborted) break;
    const c = info.get(id) as ContentInfo;
    const sha = c.sha256.toString('hex');
    const raw = archive.readRaw(id);
    wrapIo(out, () => {
      if (opts.format === 'maildir') {
        const when = Math.floor((c.internal_date ?? c.date ?? 0) / 1000);
        const flags = maildirInfo((c.flags ?? '').split(' ').filter(Boolean));
        // unique and stable: the same message exported twice lands on the same name
        const base = `${when}.${sha.slice(0, 24)}.arche`;
        const final = path.join(out, 'cur', `${base}:2,${flags}`);
        if (!existsSync(final)) writeFileAtomic(path.join(out, 'tmp', base), final, raw);
      } else {
        const day = c.date ?? c.internal_date;
        const prefix = day ? new Date(day).toISOString().slice(0, 10) : 'sans-date';
        const final = path.join(out, `${prefix}_${sha.slice(0, 16)}.eml`);
        if (!existsSync(final)) writeFileAtomic(`${final}.part`, final, raw);
      }
    });
    done++;
    bytes += c.size;
    progress();
  }
  return { format: opts.format, path: out, exported: done, bytes };
}
