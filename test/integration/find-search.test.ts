/**
 * Search over a real archive (SQLite files in a temp dir) built from the mail fixtures: every operator,
 * accents and œ, distinct counting, snippets, the message API, and the `arche search --json` contract.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { openArchive, type Archive } from '../../main/engine/archive/archive.node.ts';
import { extractMeta } from '../../main/engine/archive/extract-meta.node.ts';
import { search } from '../../main/engine/find/search.node.ts';
import { getMessage, openAttachment, openRawMessage } from '../../main/engine/find/message.node.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const FIX = path.join(ROOT, 'test/fixtures/mail');
const A = 'imaps://marie@mail.example:993';
const B = 'imaps://marie@other.example:993';

let dir: string;
let archive: Archive;

async function put(folderId: number, uid: number, file: string, flags: string[]): Promise<void> {
  const raw = readFileSync(file);
  archive.addMessages([{ folderId, uidvalidity: 1, uid, flags, internalDate: Date.UTC(2023, 0, 1), raw, meta: await extractMeta(raw) }]);
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'arche-find-'));
  archive = openArchive(dir);
  const a = archive.ensureAccount(A);
  const b = archive.ensureAccount(B);
  const inbox = archive.upsertFolder(a.id, { path: 'INBOX', delimiter: '/', specialUse: null }).id;
  const sent = archive.upsertFolder(a.id, { path: 'Sent', delimiter: '/', specialUse: '\\Sent' }).id;
  const work = archive.upsertFolder(a.id, { path: 'Travail/Projets', delimiter: '/', specialUse: null }).id;
  const other = archive.upsertFolder(b.id, { path: 'INBOX', delimiter: '.', specialUse: null }).id;
  const f = (n: string): string => path.join(FIX, n);
  await put(inbox, 1, f('iso-8859-1.eml'), ['\\Seen']);
  await put(inbox, 2, f('windows-1252.eml'), []);
  await put(inbox, 3, f('utf-8.eml'), ['\\Seen', '\\Flagged']);
  await put(inbox, 4, f('rfc2047-q.eml'), ['\\Seen']);
  await put(inbox, 5, f('html-base64.eml'), ['\\Seen']);
  await put(inbox, 6, f('attachment.eml'), ['\\Seen']);
  await put(sent, 1, f('rfc2047-b.eml'), ['\\Seen']);
  await put(sent, 2, f('raw-8bit-headers.eml'), ['\\Seen']);
  await put(work, 1, f('attachment.eml'), ['\\Seen']); // same message in a second folder
  await put(other, 1, f('from-lines.eml'), ['\\Seen']);
  await put(other, 2, f('bare-lf.eml'), ['\\Seen']);
  let uid = 10;
  for (const n of readdirSync(path.join(FIX, 'malformed'))) await put(other, uid++, path.join(FIX, 'malformed', n), []);
});

afterAll(() => {
  archive?.close();
  rmSync(dir, { recursive: true, force: true });
});

const subjects = (q: string): string[] => search(archive.db, q, { limit: 100 }).results.map((r) => r.subject).sort();

describe('search', () => {
  it('ignores accents and case, and spells out œ', () => {
    expect(subjects('regate')).toEqual(['Compte rendu']);
    expect(subjects('RÉGATE')).toEqual(['Compte rendu']);
    expect(subjects('oeuvre')).toEqual(['Devis', 'Une œuvre d’art à Sète']);
    expect(subjects('œuvre')).toEqual(['Devis', 'Une œuvre d’art à Sète']);
    expect(subjects('strasse')).toEqual(['Voyage']);
    expect(subjects('zurich')).toEqual(['Voyage']);
  });
  it('finds words from every charset path: raw 8-bit headers, RFC 2047 Q and B, base64 HTML, windows-1252, ISO-8859-1', () => {
    expect(subjects('subject:orleans')).toEqual(['Réunion à Orléans']); // raw 8-bit header
    expect(subjects('from:helene')).toEqual(['Réunion à Orléans']);
    expect(subjects('subject:generale')).toEqual(['Assemblée générale annuelle']); // Q
    expect(subjects('subject:sete')).toEqual(['Une œuvre d’art à Sète']); // B
    expect(subjects('samedi')).toEqual(['Lettre']); // base64 HTML
    expect(subjects('choeur')).toEqual(['Devis']); // windows-1252 QP
    expect(subjects('aout')).toEqual(['Compte rendu']); // ISO-8859-1 8bit
    expect(subjects('cracovie OR krakow')).toEqual(['Voyage']); // UTF-8 base64
  });
  it('a plain word finds the other forms of its stem (French and English); a phrase stays exact', () => {
    expect(subjects('réunions')).toContain('Réunion à Orléans');
    expect(subjects('REUNIONS')).toContain('Réunion à Orléans');
    expect(subjects('"réunions"')).not.toContain('Réunion à Orléans');
    expect(subjects('oeuvres')).toContain('Une œuvre d’art à Sète');
  });
  it('prefix search', () => {
    expect(subjects('assembl*')).toEqual(['Assemblée générale annuelle']);
  });
  it('phrases', () => {
    expect(subjects('"marché de noël"')).toEqual(['Lettre']);
    expect(subjects('"noël de marché"')).toEqual([]);
  });
  it('from: (parts of addresses and names), de:', () => {
    expect(subjects('from:dupont')).toEqual(['Compte rendu']);
    expect(subjects('from:jean.dupont@example.fr')).toEqual(['Compte rendu']);
    expect(subjects('de:francois')).toEqual(['Assemblée générale annuelle']);
    expect(subjects('from:léger')).toEqual(['Assemblée générale annuelle']);
  });
  it('to:, cc:', () => {
    expect(subjects('cc:martin')).toEqual(['Le compte-rendu']);
    expect(search(archive.db, 'to:marie', { limit: 100 }).total).toBeGreaterThanOrEqual(10);
  });
  it('subject:, objet:', () => {
    expect(subjects('subject:devis')).toEqual(['Devis']);
    expect(subjects('objet:"assemblée générale"')).toEqual(['Assemblée générale annuelle']);
    expect(subjects('subject:brest')).toEqual([]); // only in the body
  });
  it('folder: (path, last segment, special-use role), dossier:', () => {
    expect(subjects('folder:sent')).toEqual(['Réunion à Orléans', 'Une œuvre d’art à Sète']);
    expect(subjects('dossier:envoyés')).toEqual(['Réunion à Orléans', 'Une œuvre d’art à Sète']);
    expect(subjects('folder:projets')).toEqual(['Le compte-rendu']);
    expect(subjects('folder:Travail/Projets')).toEqual(['Le compte-rendu']);
  });
  it('folder names as the app shows them, in French and English: dossier:"Boîte de réception", folder:"Sent items"', () => {
    const inbox = subjects('dossier:inbox -account:other');
    expect(inbox.length).toBeGreaterThan(0);
    expect(subjects('dossier:"Boîte de réception" -account:other')).toEqual(inbox);
    expect(subjects('dossier:"boite de reception" -account:other')).toEqual(inbox);
    expect(subjects('folder:"Sent items"')).toEqual(['Réunion à Orléans', 'Une œuvre d’art à Sète']);
    expect(subjects('dossier:"Messages envoyés"')).toEqual(['Réunion à Orléans', 'Une œuvre d’art à Sète']);
    expect(subjects('dossier:constructor')).toEqual([]); // a name, never a lookup on the table's prototype
  });
  it('account:', () => {
    expect(subjects('account:other.example citation')).toEqual(['Citation']);
    expect(subjects('account:mail.example citation')).toEqual([]);
  });
  it('has:attachment, pj:, filename:', () => {
    expect(subjects('has:attachment -account:other')).toEqual(['Le compte-rendu']);
    expect(subjects('pj: -account:other')).toEqual(['Le compte-rendu']);
    expect(subjects('filename:reunion')).toEqual(['Le compte-rendu']);
    expect(subjects('filename:pdf')).toEqual(['Le compte-rendu']);
  });
  it('before:, after:, on: (day, month, year), French aliases', () => {
    expect(subjects('on:2023-03-14')).toEqual(['Compte rendu']);
    expect(subjects('after:2023-03-20 before:2023-03-22')).toEqual(['Le compte-rendu', 'Lettre']);
    expect(subjects('après:2023-03-20 avant:2023-03-22')).toEqual(['Le compte-rendu', 'Lettre']);
    expect(search(archive.db, 'on:2023-03').total).toBe(10); // 11 fixtures, one of them in two folders
    expect(subjects('on:2022')).toEqual([]);
  });
  it('larger:, smaller:', () => {
    expect(subjects('larger:1k -account:other')).toEqual(['Le compte-rendu']);
    expect(subjects('smaller:250 -account:other')).toEqual(['Réunion à Orléans', 'Une œuvre d’art à Sète']);
  });
  it('is:unread, is:flagged', () => {
    expect(subjects('is:unread -account:other')).toEqual(['Devis']);
    expect(subjects('is:flagged')).toEqual(['Voyage']);
    // the flags as operators of their own, French first
    expect(subjects('non-lu: -account:other')).toEqual(['Devis']);
    expect(subjects('unread: -account:other')).toEqual(['Devis']);
    expect(subjects('suivi:')).toEqual(['Voyage']);
    expect(subjects('flagged:')).toEqual(['Voyage']);
    expect(subjects('lu: suivi:')).toEqual(['Voyage']);
  });
  it('negation and OR', () => {
    expect(subjects('devis OR voyage')).toEqual(['Devis', 'Voyage']);
    expect(subjects('oeuvre -devis')).toEqual(['Une œuvre d’art à Sète']);
    expect(subjects('(devis OR voyage) -zurich')).toEqual(['Devis']);
    expect(subjects('folder:sent OR is:flagged')).toEqual(['Réunion à Orléans', 'Une œuvre d’art à Sète', 'Voyage']);
  });
  it('counts distinct messages and lists every folder of one', () => {
    const r = search(archive.db, 'compte-rendu ci-joint');
    expect(r.total).toBe(1);
    expect(r.results[0].folders).toEqual(['INBOX', 'Travail/Projets']);
    expect(r.results[0].account).toBe(A);
    expect(r.results[0].id).toBe(createHash('sha256').update(readFileSync(path.join(FIX, 'attachment.eml'))).digest('hex'));
  });
  it('marks matched words in an HTML-escaped snippet', () => {
    const r = search(archive.db, 'marche');
    expect(r.results[0].snippet).toContain('<mark>marché</mark>');
    const s = search(archive.db, 'citation from').results[0].snippet;
    expect(s).toContain('&gt;<mark>From</mark>');
    expect(s.replace(/<\/?mark>/g, '')).not.toMatch(/[<>]/);
  });
  it('sorts by date or by relevance with a boost for recent mail', () => {
    const byDate = search(archive.db, 'to:marie', { sort: 'date', limit: 3 }).results.map((r) => r.date);
    expect(byDate).toEqual([...byDate].sort().reverse());
    expect(byDate[0]).toBe('2023-03-23T17:00:00.000Z');
    const rel = search(archive.db, 'oeuvre', { sort: 'relevance' }).results.map((r) => r.subject);
    expect(rel[0]).toBe('Une œuvre d’art à Sète'); // in the subject: weighs more
    // a very broad search lists its matches newest first instead of scoring them all
    const broad = search(archive.db, 'oeuvre', { relevanceMaxMatches: 1 });
    expect(broad.total).toBe(2);
    expect(broad.results.map((r) => r.subject)).toEqual(['Une œuvre d’art à Sète', 'Devis']);
    expect(search(archive.db, 'to:marie', { relevanceMaxMatches: 1, limit: 1 }).results[0].date).toBe('2023-03-23T17:00:00.000Z');
  });
  it('malformed messages were indexed', () => {
    expect(archive.pendingIndexCount()).toBe(0);
    expect(search(archive.db, 'account:other').total).toBe(2 + readdirSync(path.join(FIX, 'malformed')).length);
  });
  it('gives a message view, its attachment as a stream, and raw bytes', async () => {
    const raw = readFileSync(path.join(FIX, 'attachment.eml'));
    const id = createHash('sha256').update(raw).digest('hex');
    const v = await getMessage(archive, id);
    expect(v).toMatchObject({ id, account: A, folders: ['INBOX', 'Travail/Projets'], subject: 'Le compte-rendu', cc: 'Luc Martin <luc.martin@example.fr>', flags: ['\\Seen'] });
    expect(v.attachments).toEqual([{ index: 0, filename: 'compte-rendu-réunion.pdf', contentType: 'application/pdf', size: 960 }]);
    const att = await openAttachment(archive, id, 0);
    const chunks: Buffer[] = [];
    for await (const c of att.stream) chunks.push(c as Buffer);
    expect(Buffer.concat(chunks).toString()).toBe('%PDF-1.4 fake pdf bytes '.repeat(40));
    const rawChunks: Buffer[] = [];
    for await (const c of openRawMessage(archive, id)) rawChunks.push(c as Buffer);
    expect(Buffer.concat(rawChunks).equals(raw)).toBe(true);
    const html = await getMessage(archive, createHash('sha256').update(readFileSync(path.join(FIX, 'html-base64.eml'))).digest('hex'));
    expect(html.html).toContain('<b>marché</b>');
    await expect(getMessage(archive, '0'.repeat(64))).rejects.toMatchObject({ code: 'archive-message-unknown' });
  });
});

describe('arche search (CLI)', () => {
  beforeAll(() => {
    execFileSync(process.execPath, [path.join(ROOT, 'scripts/build-cli.mjs')], { cwd: ROOT });
  });
  const cli = (...args: string[]) => spawnSync(process.execPath, [path.join(ROOT, 'bin/arche.mjs'), 'search', '--archive', dir, ...args], { encoding: 'utf8' });

  it('prints exactly the JSON contract', () => {
    const r = cli('--json', '--limit', '5', 'oeuvre');
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(Object.keys(out)).toEqual(['total', 'results']);
    expect(out.total).toBe(2);
    for (const h of out.results) expect(Object.keys(h)).toEqual(['id', 'account', 'folders', 'date', 'from', 'subject', 'snippet']);
  });
  it('--sort date and --limit', () => {
    const r = cli('--json', '--sort', 'date', '--limit', '1', 'to:marie');
    const out = JSON.parse(r.stdout);
    expect(out.results).toHaveLength(1);
    expect(out.total).toBeGreaterThan(1);
    expect(out.results[0].subject).toBe('Fins de ligne');
  });
  it('a bad query fails in plain words (fr + en); a bad option is a usage error', () => {
    const r = cli('before:2023-13-45');
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("Arche n’a pas compris la recherche");
    expect(r.stderr).toContain('Arche did not understand the search');
    expect(cli('--sort', 'size', 'x').status).toBe(2);
  });
});
