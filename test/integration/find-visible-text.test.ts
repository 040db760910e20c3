/**
 * Every word a reader can see is found (issue 14), checked against an oracle built apart from Arche: Python's email
 * package writes the messages and names the words of each part (test/oracle/visible_text.py). Arche indexes them as a
 * backup does (extractMeta, then the archive), and `search` (in process, and `arche search` as the user runs it)
 * must find each word's message; snippets must come from the part that holds the word (the HTML version, not the
 * plain stub; the forwarded message's text).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openArchive, type Archive } from '../../main/engine/archive/archive.node.ts';
import { extractMeta } from '../../main/engine/archive/extract-meta.node.ts';
import { search } from '../../main/engine/find/search.node.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');

interface Check {
  word: string;
  part: 'html-only' | 'forwarded-from' | 'forwarded-subject' | 'forwarded-body' | 'from' | 'cc' | 'bcc' | 'subject' | 'filename';
  context?: string;
}
interface Case {
  file: string;
  checks: Check[];
}

let work: string;
let archive: Archive;
let cases: Case[];
const idOf = new Map<string, string>();

beforeAll(async () => {
  work = mkdtempSync(path.join(os.tmpdir(), 'arche-oracle-'));
  const mail = path.join(work, 'mail');
  mkdirSync(mail);
  cases = JSON.parse(execFileSync('python3', [path.join(ROOT, 'test/oracle/visible_text.py'), mail], { encoding: 'utf8' })) as Case[];
  archive = openArchive(path.join(work, 'archive'));
  const acc = archive.ensureAccount('imaps://marie@mail.example:993');
  const inbox = archive.upsertFolder(acc.id, { path: 'INBOX', delimiter: '/', specialUse: null }).id;
  let uid = 1;
  for (const c of cases) {
    const raw = readFileSync(path.join(mail, c.file));
    idOf.set(c.file, createHash('sha256').update(raw).digest('hex'));
    archive.addMessages([{ folderId: inbox, uidvalidity: 1, uid: uid++, flags: [], internalDate: Date.UTC(2022, 2, 1), raw, meta: await extractMeta(raw) }]);
  }
}, 60_000);

afterAll(() => {
  archive?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('every word a reader can see is found (Python email oracle)', () => {
  it('the oracle covers each kind of part', () => {
    const kinds = new Set(cases.flatMap((c) => c.checks.map((k) => k.part)));
    for (const k of ['html-only', 'forwarded-from', 'forwarded-subject', 'forwarded-body', 'from', 'cc', 'bcc', 'subject', 'filename']) expect(kinds, k).toContain(k);
    expect(cases.flatMap((c) => c.checks).length).toBeGreaterThan(100);
  });

  it('finds the message by each of its words, whatever part holds it', () => {
    const missed: string[] = [];
    for (const c of cases) {
      for (const k of c.checks) {
        const ids = search(archive.db, k.word, { limit: 1000 }).results.map((r) => r.id);
        if (!ids.includes(idOf.get(c.file)!)) missed.push(`${c.file}: ${k.part} « ${k.word} »`);
      }
    }
    expect(missed).toEqual([]);
  });

  it('shows the snippet from the part that holds the word (the HTML version, the forwarded text)', () => {
    for (const c of cases) {
      for (const k of c.checks.filter((x) => x.part === 'html-only' || x.part === 'forwarded-body')) {
        if (!k.word.startsWith('q')) continue; // the oracle's own unique words
        const hit = search(archive.db, k.word, { limit: 5 }).results.find((r) => r.id === idOf.get(c.file));
        expect(hit?.snippet, `${c.file} ${k.word}`).toContain(`<mark>${k.word}</mark>`);
        if (k.part === 'forwarded-body') expect(hit?.snippet, k.word).toContain('transféré');
        else expect(hit?.snippet, k.word).toMatch(/Bonjour|<mark>/);
      }
    }
  });

  it('`arche search` (as the user runs it) finds one word of each kind', () => {
    const byKind = new Map<string, { file: string; word: string }>();
    for (const c of cases) for (const k of c.checks) if (k.word.startsWith('q') && !byKind.has(k.part)) byKind.set(k.part, { file: c.file, word: k.word });
    expect(byKind.size).toBeGreaterThanOrEqual(7);
    for (const [kind, { file, word }] of byKind) {
      const r = spawnSync(path.join(ROOT, 'bin', 'arche'), ['search', '--archive', path.join(work, 'archive'), '--json', word], {
        encoding: 'utf8',
        env: { ...process.env, ARCHE_NODE: process.execPath },
      });
      expect(r.status, `${kind}: ${r.stderr}`).toBe(0);
      const out = JSON.parse(r.stdout) as { results: { id: string }[] };
      expect(out.results.map((h) => h.id), `${kind} « ${word} »`).toContain(idOf.get(file));
    }
  }, 120_000);
});
