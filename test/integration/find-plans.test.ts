/**
 * The search plans chosen for speed (index-driven word searches with filters, counts by primary-key lookups, the two
 * date-ordered plans, the partial flag indexes, the lean `arche search` start) must give exactly the answers a
 * plain reading of the messages gives. A generated archive whose every answer is known, in a temp dir.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openArchive, type Archive } from '../../main/engine/archive/archive.node.ts';
import type { MessageMeta } from '../../main/engine/archive/archive.types.std.ts';
import { search } from '../../main/engine/find/search.node.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const N = 1200;
const DAY = 864e5;
const START = Date.UTC(2015, 0, 1);

interface Gen {
  i: number;
  words: string[];
  folders: string[];
  unread: boolean;
  date: number;
  attachment: boolean;
  raw: Buffer;
}
function gen(i: number): Gen {
  const words = ['commun'];
  if (i % 2 === 0) words.push('alpha');
  if (i % 3 === 0) words.push('béta');
  if (i % 7 === 0) words.push('gamma');
  if (i % 500 === 0) words.push('rarissime');
  const folders = [i % 4 === 0 ? 'Travail' : 'INBOX', ...(i % 10 === 0 ? ['Archives'] : [])];
  const body = `${words.join(' ')} ${'x'.repeat((i % 13) * 100)}`;
  const raw = Buffer.from(`Subject: message ${i}\r\nFrom: a${i}@example.fr\r\nMessage-ID: <${i}@t>\r\n\r\n${body}\r\n`);
  return { i, words, folders, unread: i % 5 === 0, date: START + i * DAY, attachment: i % 6 === 0, raw };
}
const ALL = Array.from({ length: N }, (_, i) => gen(i + 1));

function meta(g: Gen): MessageMeta {
  return {
    messageId: `<${g.i}@t>`,
    date: g.date,
    from: `a${g.i}@example.fr`,
    to: 'marie@example.fr',
    cc: '',
    subject: `message ${g.i}`,
    attachments: g.attachment ? [{ filename: `piece-${g.i}.pdf`, contentType: 'application/pdf', size: 10 }] : [],
    text: g.words.join(' '),
  };
}

let dir: string;
let archive: Archive;

beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'arche-plans-'));
  archive = openArchive(dir);
  const acc = archive.ensureAccount('imaps://marie@mail.example:993');
  const ids = new Map(['INBOX', 'Travail', 'Archives'].map((p) => [p, archive.upsertFolder(acc.id, { path: p, delimiter: '/', specialUse: null }).id]));
  const uid = new Map<number, number>();
  const batch = ALL.flatMap((g) =>
    g.folders.map((f) => {
      const folderId = ids.get(f)!;
      uid.set(folderId, (uid.get(folderId) ?? 0) + 1);
      return { folderId, uidvalidity: 1, uid: uid.get(folderId)!, flags: g.unread ? [] : ['\\Seen'], internalDate: g.date, raw: g.raw, meta: meta(g) };
    }),
  );
  archive.addMessages(batch);
});
afterAll(() => {
  archive.close();
  rmSync(dir, { recursive: true, force: true });
});

const year = (g: Gen): number => new Date(g.date).getUTCFullYear();
const CASES: [string, (g: Gen) => boolean][] = [
  ['commun', () => true],
  ['alpha', (g) => g.words.includes('alpha')],
  ['rarissime', (g) => g.words.includes('rarissime')],
  ['alpha folder:travail', (g) => g.words.includes('alpha') && g.folders.includes('Travail')],
  ['alpha folder:archives', (g) => g.words.includes('alpha') && g.folders.includes('Archives')],
  ['beta on:2016', (g) => g.words.includes('béta') && year(g) === 2016],
  ['gamma is:unread', (g) => g.words.includes('gamma') && g.unread],
  ['is:unread', (g) => g.unread],
  ['is:unread on:2017', (g) => g.unread && year(g) === 2017],
  ['is:read -alpha', (g) => !g.unread && !g.words.includes('alpha')],
  ['has:attachment alpha', (g) => g.attachment && g.words.includes('alpha')],
  ['alpha larger:1k', (g) => g.words.includes('alpha') && g.raw.length > 1024],
  ['alpha -beta folder:inbox', (g) => g.words.includes('alpha') && !g.words.includes('béta') && g.folders.includes('INBOX')],
  ['(gamma OR rarissime) is:unread', (g) => (g.words.includes('gamma') || g.words.includes('rarissime')) && g.unread],
  ['folder:archives', (g) => g.folders.includes('Archives')],
  // more than one page of candidates (250): total is counted in the ranking pass; date conditions (with their
  // parameters) are answered by the date index apart from the others, which keep their order
  ['commun after:2015-03-01 folder:inbox before:2018-01-01', (g) => g.date >= Date.UTC(2015, 2, 1) && g.folders.includes('INBOX') && g.date < Date.UTC(2018, 0, 1)],
  ['commun -has:attachment after:2015-03', (g) => !g.attachment && g.date >= Date.UTC(2015, 2, 1)],
  ['commun before:2017 is:unread has:attachment', (g) => year(g) < 2017 && g.unread && g.attachment],
  ['alpha larger:1k after:2015-02 is:read', (g) => g.words.includes('alpha') && g.raw.length > 1024 && g.date >= Date.UTC(2015, 1, 1) && !g.unread],
  ['commun (on:2016 OR has:attachment)', (g) => year(g) === 2016 || g.attachment],
];

describe('search plans give exact answers', () => {
  it.each(CASES)('%s: exact distinct total, every result matching, in both orders', (q, pred) => {
    const expected = ALL.filter(pred);
    const want = new Set(expected.map((g) => `message ${g.i}`));
    for (const sort of ['relevance', 'date'] as const) {
      const r = search(archive.db, q, { sort, limit: 50 });
      expect(r.total).toBe(expected.length);
      expect(r.results).toHaveLength(Math.min(50, expected.length));
      for (const h of r.results) expect(want.has(h.subject)).toBe(true);
    }
    // date order: newest first, the same page whichever date plan runs
    const newest = expected.sort((a, b) => b.date - a.date).slice(0, 50).map((g) => `message ${g.i}`);
    const sorted = search(archive.db, q, { sort: 'date', limit: 50, sortMatchesMax: 1_000_000 }).results.map((h) => h.subject);
    const walked = search(archive.db, q, { sort: 'date', limit: 50, sortMatchesMax: 0 }).results.map((h) => h.subject);
    expect(sorted).toEqual(newest);
    expect(walked).toEqual(newest);
  });

  it('relevance with filters ranks by score, then recent mail first', () => {
    // 500 and 1000 have the same words: the recency boost puts the newer first
    const r = search(archive.db, 'rarissime folder:travail', { limit: 5, now: START + (N + 1) * DAY });
    expect(r.results.map((h) => h.subject)).toEqual(['message 1000', 'message 500']);
    // a shorter text with the word scores better than a longer one (bm25), whatever the filter
    const best = search(archive.db, 'gamma is:unread', { limit: 1 }).results[0].subject;
    const shortest = ALL.filter((g) => g.words.includes('gamma') && g.unread).sort((a, b) => a.words.length - b.words.length)[0].words.length;
    expect(ALL.find((g) => `message ${g.i}` === best)!.words.length).toBe(shortest);
  });

  it('a message kept in two folders counts once and lists both', () => {
    const r = search(archive.db, 'rarissime folder:archives');
    expect(r.total).toBe(2); // 500 and 1000, each in Travail and Archives
    expect(r.results.map((h) => h.folders)).toEqual([
      ['Archives', 'Travail'],
      ['Archives', 'Travail'],
    ]);
  });
});

describe('arche search (CLI, lean start)', () => {
  beforeAll(() => {
    execFileSync(process.execPath, [path.join(ROOT, 'scripts/build-cli.mjs')], { cwd: ROOT });
  });

  it('indexes messages stored without their search data first, then finds them', () => {
    const d = mkdtempSync(path.join(os.tmpdir(), 'arche-plans-pending-'));
    try {
      const a = openArchive(d);
      const acc = a.ensureAccount('imaps://marie@mail.example:993');
      const f = a.upsertFolder(acc.id, { path: 'INBOX', delimiter: '/', specialUse: null }).id;
      a.addMessages([{ folderId: f, uidvalidity: 1, uid: 1, flags: [], internalDate: START, raw: Buffer.from('Subject: Coquelicot\r\n\r\nUn champ de coquelicots.\r\n') }]);
      expect(a.pendingIndexCount()).toBe(1);
      a.close();
      const r = spawnSync(process.execPath, [path.join(ROOT, 'bin/arche.mjs'), 'search', '--json', '--archive', d, 'coquelicot*'], { encoding: 'utf8' });
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      const out = JSON.parse(r.stdout) as { total: number; results: { subject: string }[] };
      expect(out.total).toBe(1);
      expect(out.results[0].subject).toBe('Coquelicot');
    } finally {
      rmSync(d, { recursive: true, force: true });
    }
  });

  it('an archive folder that cannot be used fails in plain words (fr + en)', () => {
    const d = mkdtempSync(path.join(os.tmpdir(), 'arche-plans-bad-'));
    try {
      writeFileSync(path.join(d, 'file'), 'x');
      const r = spawnSync(process.execPath, [path.join(ROOT, 'bin/arche.mjs'), 'search', '--json', '--archive', path.join(d, 'file', 'sub'), 'x'], { encoding: 'utf8' });
      expect(r.status).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain('Arche n’arrive pas à ouvrir votre copie');
      expect(r.stderr).toContain('Arche cannot open your copy');
    } finally {
      rmSync(d, { recursive: true, force: true });
    }
  });
});
