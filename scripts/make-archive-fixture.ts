/**
 * Makes a small archive as this release leaves it, for the upgrade test (test/integration/archive-upgrade.test.ts):
 *   npx tsx scripts/make-archive-fixture.ts
 * writes test/fixtures/archives/schema-<N>/ (N = this release's schema version): the archive folder itself
 * (arche.sqlite, checkpointed, and blobs/) and expect.json, what this release answers about it (contents and their
 * hashes, placements, searches, message views). Run it once per release that changes the schema, and keep the older
 * folders: each later version must open, migrate and search every one of them with the same answers.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { openArchive } from '../main/engine/archive/archive.node.ts';
import { extractMeta } from '../main/engine/archive/extract-meta.node.ts';
import { SCHEMA_VERSION } from '../main/engine/archive/migrations/index.node.ts';
import { search } from '../main/engine/find/search.node.ts';
import { getMessage } from '../main/engine/find/message.node.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const MAIL = path.join(ROOT, 'test', 'fixtures', 'mail');
/** Searches whose answers must survive an upgrade: words, accents and œ folded, operators, negation, OR, dates. */
const FIXTURE_QUERIES = ['reunion', 'orleans', 'oeuvre', 'from:helene', 'subject:compte', 'has:attachment', 'is:flagged', 'folder:Sent', 'before:2023-01-05', 'voyage OR devis', '-reunion', 'enorme', 'photo'];
const NOW = Date.UTC(2026, 11, 1);

const outDir = path.join(ROOT, 'test', 'fixtures', 'archives', `schema-${SCHEMA_VERSION}`);
if (existsSync(outDir)) rmSync(outDir, { recursive: true });
const work = mkdtempSync(path.join(os.tmpdir(), 'arche-fixture-'));
const archive = openArchive(work);

const acc = archive.ensureAccount('imaps://marie%40exemple.fr@imap.exemple.fr:993');
const inbox = archive.upsertFolder(acc.id, { path: 'INBOX', delimiter: '/', specialUse: null }).id;
const sent = archive.upsertFolder(acc.id, { path: 'Sent', delimiter: '/', specialUse: '\\Sent' }).id;
const old = archive.upsertFolder(acc.id, { path: 'Archives/2019 été', delimiter: '/', specialUse: '\\Archive' }).id;
const files = ['iso-8859-1.eml', 'windows-1252.eml', 'utf-8.eml', 'rfc2047-q.eml', 'html-base64.eml', 'attachment.eml', 'rfc2047-b.eml', 'raw-8bit-headers.eml', 'from-lines.eml', 'bare-lf.eml'];
let uid = 1;
for (const [i, name] of files.entries()) {
  const raw = readFileSync(path.join(MAIL, name));
  const flags = i % 3 === 0 ? ['\\Seen', '\\Flagged'] : i % 3 === 1 ? ['\\Seen', '$Label1'] : [];
  const folderId = i % 2 ? sent : inbox;
  archive.addMessages([{ folderId, uidvalidity: 7, uid: uid++, flags, internalDate: Date.UTC(2023, 0, 1 + i), raw, meta: await extractMeta(raw) }], { folderId, uidvalidity: 7, uidnext: uid, serverCount: i + 1 });
}
// The same message in a second folder: one content, two placements.
const again = readFileSync(path.join(MAIL, 'utf-8.eml'));
archive.addMessages([{ folderId: old, uidvalidity: 3, uid: 1, flags: ['\\Seen'], internalDate: Date.UTC(2019, 6, 14), raw: again, meta: await extractMeta(again) }], { folderId: old, uidvalidity: 3, uidnext: 2 });
// A large message whose attachment does not compress (seeded, so the fixture is the same every time): it goes to
// blobs/, not inline.
let seed = 15;
const random = (): number => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const photo = Buffer.from(Array.from({ length: 280_000 }, () => Math.floor(random() * 256))).toString('base64').replace(/.{76}/g, '$&\r\n');
const big = Buffer.from(
  'From: Paul <paul@exemple.fr>\r\nTo: marie@exemple.fr\r\nSubject: Pièce énorme\r\nDate: Tue, 3 Jan 2023 10:00:00 +0100\r\n' +
    'Message-ID: <big@exemple.fr>\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="b1"\r\n\r\n' +
    '--b1\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\nLa photo énorme de l’été.\r\n' +
    '--b1\r\nContent-Type: image/jpeg; name="photo.jpg"\r\nContent-Disposition: attachment; filename="photo.jpg"\r\nContent-Transfer-Encoding: base64\r\n\r\n' +
    `${photo}\r\n--b1--\r\n`,
);
archive.addMessages([{ folderId: inbox, uidvalidity: 7, uid: uid++, flags: [], internalDate: Date.UTC(2023, 0, 3), raw: big, meta: await extractMeta(big) }]);
// One message the server lost (kept, marked), one that is stored but waits for the search index, the backup's status.
archive.markGone(sent, 7, [2], NOW);
const pending = Buffer.from('From: Luc <luc@exemple.fr>\r\nSubject: En attente\r\nDate: Wed, 4 Jan 2023 09:00:00 +0100\r\n\r\nPas encore dans l’index.\r\n');
archive.addMessages([{ folderId: inbox, uidvalidity: 7, uid: uid++, flags: [], internalDate: Date.UTC(2023, 0, 4), raw: pending }]);
archive.setBackupStatus(acc.id, 'alarm', NOW);
archive.addAlarm({ accountId: acc.id, folderPath: 'Sent', kind: 'mass-loss', missing: 1, createdAt: NOW });

// What this release answers about it.
const placements = [...archive.placements({ includeGone: true })].map((p) => ({ folder: p.folderPath, uidvalidity: p.uidvalidity, uid: p.uid, flags: p.flags, internalDate: p.internalDate, sha256: p.sha256, gone: p.serverGoneAt !== null }));
const contents = [...new Set(placements.map((p) => p.sha256))].sort().map((sha256) => {
  const raw = archive.readRaw(archive.contentIdBySha(sha256)!);
  return { sha256, size: raw.length, check: createHash('sha256').update(raw).digest('hex') };
});
const searches = Object.fromEntries(
  FIXTURE_QUERIES.map((q) => {
    const r = search(archive.db, q, { limit: 100, now: NOW });
    return [q, { total: r.total, ids: r.results.map((h) => h.id).sort() }];
  }),
);
const views: Record<string, { subject: string; from: string; folders: string[]; attachments: string[] }> = {};
for (const { sha256 } of contents) {
  const v = await getMessage(archive, sha256);
  views[sha256] = { subject: v.subject, from: v.from, folders: v.folders, attachments: v.attachments.map((a) => a.filename) };
}
const expect = {
  schemaVersion: SCHEMA_VERSION,
  madeBy: JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version,
  account: acc.url,
  pendingIndex: archive.pendingIndexCount(),
  counts: archive.accountCounts(acc.id),
  alarms: archive.alarms(acc.id).map((a) => ({ folderPath: a.folderPath, kind: a.kind, missing: a.missing })),
  placements,
  contents,
  searches,
  views,
};
// Everything in the main database file (no -wal beside it), as a closed archive is.
archive.db.pragma('wal_checkpoint(TRUNCATE)');
archive.close();
mkdirSync(outDir, { recursive: true });
cpSync(work, path.join(outDir, 'archive'), { recursive: true, filter: (src) => !/-(wal|shm)$/.test(src) });
writeFileSync(path.join(outDir, 'expect.json'), JSON.stringify(expect, null, 1) + '\n');
rmSync(work, { recursive: true, force: true });
console.log(`${path.relative(ROOT, outDir)}: schema ${SCHEMA_VERSION}, ${contents.length} contents, ${placements.length} placements`);
