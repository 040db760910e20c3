/** Builds a real archive (temp dir) from test/fixtures/mail, for the find tests. */
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openArchive, type Archive } from '../../main/engine/archive/archive.node.ts';
import { extractMeta } from '../../main/engine/archive/extract-meta.node.ts';

export const ROOT = path.resolve(import.meta.dirname, '../..');
export const FIX = path.join(ROOT, 'test/fixtures/mail');

export const WELL_FORMED = [
  'iso-8859-1.eml', 'windows-1252.eml', 'utf-8.eml', 'rfc2047-q.eml', 'html-base64.eml',
  'attachment.eml', 'rfc2047-b.eml', 'raw-8bit-headers.eml', 'from-lines.eml', 'bare-lf.eml',
];

export function fixtureFiles(withMalformed: boolean): string[] {
  const files = WELL_FORMED.map((n) => path.join(FIX, n));
  if (withMalformed) for (const n of readdirSync(path.join(FIX, 'malformed')).sort()) files.push(path.join(FIX, 'malformed', n));
  return files;
}

export async function fixtureArchive(opts: { withMalformed?: boolean } = {}): Promise<{ dir: string; archive: Archive; files: string[] }> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'arche-find-'));
  const archive = openArchive(dir);
  const acc = archive.ensureAccount('imaps://marie@mail.example:993');
  const inbox = archive.upsertFolder(acc.id, { path: 'INBOX', delimiter: '/', specialUse: null }).id;
  const sent = archive.upsertFolder(acc.id, { path: 'Sent', delimiter: '/', specialUse: '\\Sent' }).id;
  const files = fixtureFiles(opts.withMalformed ?? false);
  let uid = 1;
  for (const [i, file] of files.entries()) {
    const raw = readFileSync(file);
    const flags = i % 3 === 0 ? ['\\Seen', '\\Flagged'] : i % 3 === 1 ? ['\\Seen'] : [];
    archive.addMessages([{ folderId: i % 2 ? sent : inbox, uidvalidity: 1, uid: uid++, flags, internalDate: Date.UTC(2023, 0, 1 + i), raw, meta: await extractMeta(raw) }]);
  }
  return { dir, archive, files };
}
