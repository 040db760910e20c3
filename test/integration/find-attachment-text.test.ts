/**
 * The text inside attachments (issue 14), checked against an oracle built apart from Arche: Python writes real PDF,
 * DOCX, XLSX, PPTX, ODT, RTF and CSV files and reads back the words a reader sees in each (test/oracle/attachments.py).
 * Arche must read the same words, find each message by them (plain words, stems, and the attachment operator), and
 * say which attachment holds them. Hostile files (zip bombs, declared and lying, a 200 MB spreadsheet, an encrypted
 * PDF, a PDF whose page tree loops, one whose stream swells to 100 MB, random bytes) must end in bounded time, in a
 * worker whose heap is capped, and be counted, while the readable attachment beside them is still read.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openArchive, type Archive } from '../../main/engine/archive/archive.node.ts';
import { extractMeta } from '../../main/engine/archive/extract-meta.node.ts';
import { attachmentText } from '../../main/engine/archive/attachment-text.node.ts';
import type { AttachmentKind } from '../../main/engine/archive/attachment-kind.std.ts';
import { foldKey, words } from '../../main/engine/archive/fold.std.ts';
import { search } from '../../main/engine/find/search.node.ts';
import { mailWithAttachments, TYPE_OF } from '../helpers/attachment-mail.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');

interface Readable {
  file: string;
  kind: AttachmentKind;
  words: string[];
}
interface Hostile {
  file: string;
  kind: AttachmentKind;
  why: string;
}

let work: string;
let files: string;
let oracle: { readable: Readable[]; hostile: Hostile[] };
let archive: Archive;
const idOf = new Map<string, string>();
let inbox: number;
let uid = 1;

async function store(raw: Buffer): Promise<string> {
  archive.addMessages([{ folderId: inbox, uidvalidity: 1, uid: uid++, flags: [], internalDate: Date.UTC(2010, 2, 2), raw, meta: await extractMeta(raw) }]);
  return createHash('sha256').update(raw).digest('hex');
}

beforeAll(async () => {
  work = mkdtempSync(path.join(os.tmpdir(), 'arche-attach-'));
  files = path.join(work, 'files');
  execFileSync('mkdir', [files]);
  oracle = JSON.parse(execFileSync('python3', [path.join(ROOT, 'test/oracle/attachments.py'), files], { encoding: 'utf8' }));
  archive = openArchive(path.join(work, 'archive'));
  const acc = archive.ensureAccount('imaps://marie@mail.example:993');
  inbox = archive.upsertFolder(acc.id, { path: 'INBOX', delimiter: '/', specialUse: null }).id;
}, 180_000);

afterAll(() => {
  archive?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

const bytesOf = (f: string): Uint8Array => new Uint8Array(readFileSync(path.join(files, f)));

describe('the text inside attachments (Python oracle)', () => {
  it('reads every word the oracle sees in each kind of file', async () => {
    expect(new Set(oracle.readable.map((r) => r.kind))).toEqual(new Set(['pdf', 'docx', 'xlsx', 'pptx', 'odt', 'rtf', 'csv']));
    for (const r of oracle.readable) {
      const text = await attachmentText(r.kind, bytesOf(r.file));
      const seen = new Set(words(text).map(foldKey));
      const missing = r.words.flatMap(words).map(foldKey).filter((w) => !seen.has(w));
      expect(missing, r.file).toEqual([]);
      expect(r.words.length, r.file).toBeGreaterThan(4);
    }
  });

  it('stores messages, reads their attachments after, finds them by any word inside and names the attachment', async () => {
    for (const [i, r] of oracle.readable.entries()) {
      const raw = mailWithAttachments({ subject: `Envoi n°${i}`, body: 'Bonjour, voir le document joint.', id: `att${i}` }, [{ name: r.file, type: TYPE_OF[r.kind] ?? 'application/octet-stream', bytes: bytesOf(r.file) }]);
      idOf.set(r.file, await store(raw));
    }
    // stored and searchable by its own words at once; the attachments wait in the queue
    expect(archive.attachmentQueueCount()).toBe(oracle.readable.length);
    const unique = oracle.readable[0].words.find((w) => w.startsWith('q'))!;
    expect(search(archive.db, unique).total).toBe(0);

    const progress: number[] = [];
    const res = await archive.indexAttachments({ onProgress: (d) => progress.push(d) });
    expect(res).toEqual({ done: oracle.readable.length, unreadable: 0 });
    expect(progress.at(-1)).toBe(oracle.readable.length);
    expect(archive.attachmentQueueCount()).toBe(0);

    for (const r of oracle.readable) {
      for (const w of r.words.filter((x) => x.startsWith('q'))) {
        const hit = search(archive.db, w).results.find((h) => h.id === idOf.get(r.file));
        expect(hit, `${r.file}: ${w}`).toBeDefined();
        expect(hit!.attachment).toBe(r.file);
        expect(hit!.snippet, w).toContain(`<mark>${w}</mark>`);
        // the operator restricts to attachment text, in both languages
        expect(search(archive.db, `dans-pj:${w}`).results.map((h) => h.id), w).toEqual([idOf.get(r.file)]);
        expect(search(archive.db, `attachment-text:${w}`).results.map((h) => h.id), w).toEqual([idOf.get(r.file)]);
      }
    }
    // a word of the message's own text: found by a plain search, not by the attachment operator, and not named
    const body = search(archive.db, 'joint');
    expect(body.total).toBe(oracle.readable.length);
    expect(body.results.every((h) => h.attachment === undefined)).toBe(true);
    expect(search(archive.db, 'contenu-pj:joint').total).toBe(0);
    // accents and stems: « régates » finds the PDF's « régate », « tresorerie » the spreadsheet's « Trésorerie »
    const pdf = oracle.readable.find((r) => r.kind === 'pdf')!;
    expect(search(archive.db, 'régates').results.map((h) => h.attachment)).toContain(pdf.file);
    expect(search(archive.db, 'tresorerie').results.map((h) => h.attachment)).toEqual(['comptes.xlsx']);
    // an attachment's name was searchable before, and stays so
    expect(search(archive.db, 'pj:verbal').results.map((h) => h.id)).toEqual([idOf.get(pdf.file)]);
  }, 120_000);

  it('hostile files end in bounded time and are counted; the readable one beside them is still read', async () => {
    const readable = oracle.readable.find((r) => r.kind === 'docx')!;
    const raw = mailWithAttachments({ subject: 'Pièces piégées', body: 'Voici des fichiers abîmés.', id: 'hostile' }, [
      ...oracle.hostile.map((h) => ({ name: h.file, type: TYPE_OF[h.kind] ?? 'application/octet-stream', bytes: bytesOf(h.file) })),
      { name: 'lisible.docx', type: TYPE_OF.docx, bytes: bytesOf(readable.file) },
    ]);
    const id = await store(raw);
    const started = Date.now();
    // a short time cap and a small heap, so that the test stays short: the same code paths as the defaults
    const res = await archive.indexAttachments({ timeMs: 8_000, heapMb: 96 });
    const seconds = (Date.now() - started) / 1000;
    expect(res.done).toBe(1);
    expect(res.unreadable).toBe(oracle.hostile.length);
    expect(seconds).toBeLessThan(8 * oracle.hostile.length + 30);
    expect(archive.unreadableAttachments()).toBe(oracle.hostile.length);
    const reasons = Object.fromEntries(
      (archive.db.prepare('SELECT filename, reason FROM attachment_unreadable').all() as { filename: string; reason: string }[]).map((r) => [r.filename, r.reason]),
    );
    const expected: Record<string, string[]> = {
      'zip-bomb': ['zip-bomb'],
      'zip-bomb-lying': ['zip-bomb'],
      'too-large': ['zip-bomb'],
      encrypted: ['encrypted'],
      loop: ['malformed'],
      'huge-stream': ['timeout', 'memory'],
      malformed: ['malformed'],
    };
    for (const h of oracle.hostile) expect(expected[h.why], `${h.file}: ${reasons[h.file]}`).toContain(reasons[h.file]);
    // nothing hidden: the readable attachment of the same message is found and named
    const w = readable.words.find((x) => x.startsWith('q'))!;
    expect(search(archive.db, `dans-pj:${w}`).results.find((h) => h.id === id)?.attachment).toBe('lisible.docx');
    expect(archive.attachmentQueueCount()).toBe(0);
  }, 240_000);

  it('stops when asked and resumes where it stopped', async () => {
    const r = oracle.readable.find((x) => x.kind === 'odt')!;
    for (let i = 0; i < 3; i++) await store(mailWithAttachments({ subject: `Reprise ${i}`, body: 'Texte.', id: `resume${i}` }, [{ name: `cr-${i}.odt`, type: TYPE_OF.odt, bytes: bytesOf(r.file) }]));
    expect(archive.attachmentQueueCount()).toBe(3);
    const stop = new AbortController();
    const first = await archive.indexAttachments({ signal: stop.signal, onProgress: () => stop.abort() });
    expect(first.done).toBe(1);
    expect(archive.attachmentQueueCount()).toBe(2);
    const rest = await archive.indexAttachments();
    expect(rest.done).toBe(2);
    expect(archive.attachmentQueueCount()).toBe(0);
    const w = r.words.find((x) => x.startsWith('q'))!;
    expect(search(archive.db, `dans-pj:${w}`).total).toBe(4);
  }, 120_000);
});
