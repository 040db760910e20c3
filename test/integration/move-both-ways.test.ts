/**
 * Move, both directions between the two real-world layouts: '/' without prefix (English special-use names) and
 * '.' with an "INBOX." prefix (French special-use names). Every message must arrive byte-identical (line endings
 * aside) in the mapped folder, with its flags and INTERNALDATE; the report says so in French and English.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, readFileSync, existsSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { startDovecot, type Dovecot } from '../helpers/dovecot.ts';
import { runEngineJob } from '../../main/engine/jobs/engine-jobs.node.ts';
import { openArchive } from '../../main/engine/archive/archive.node.ts';
import type { ProgressEvent } from '../../shared/events.std.ts';
import { buildCli, removeCliSnapshot, runCli, seed, seedMessage, snapshot, contentsOf, makeMessage, type SeedMessage } from './move-helpers.ts';

let slash: Dovecot;
let dot: Dovecot;
const env = { SRC_PW: 'alice-pass', DST_PW: 'bob-pass', ALICE_PW: 'alice-pass', BOB_PW: 'bob-pass' };

/** A varied set: special-use folders, a deep hierarchy, a name with '.', accents, an empty folder, a duplicate. */
function slashCorpus(): Record<string, SeedMessage[]> {
  const m = (n: number, folder: string, opts = {}): SeedMessage => seedMessage(n, folder, opts);
  const dup = m(500, 'Dup');
  return {
    INBOX: [m(1, 'INBOX'), m(2, 'INBOX', { bareLf: true }), m(3, 'INBOX', { messageId: null }), m(4, 'INBOX', { bodyBytes: 200_000 }), dup, dup],
    Sent: [m(10, 'Sent'), m(11, 'Sent')],
    Drafts: [m(20, 'Drafts')],
    Trash: [m(30, 'Trash')],
    Junk: [m(40, 'Junk')],
    Archive: [m(50, 'Archive')],
    'Travail': [m(60, 'Travail')],
    'Travail/Clients': [m(61, 'Travail/Clients')],
    'Travail/Clients/Été 2024': [m(62, 'Travail/Clients/Été 2024'), m(63, 'Travail/Clients/Été 2024')],
    'Factures 2020.2021': [m(70, 'Factures')],
    'R&D': [m(80, 'R&D')],
    'Vide': [],
  };
}

beforeAll(async () => {
  buildCli();
  const users = ['alice', 'bob', 'carol'].map((user) => ({ user, password: `${user}-pass` }));
  [slash, dot] = await Promise.all([startDovecot({ flavour: 'slash', users }), startDovecot({ flavour: 'dot', users })]);
});
afterAll(() => {
  slash?.stop();
  dot?.stop();
  removeCliSnapshot();
});

describe('migrate between the two layouts', () => {
  it("'/' without prefix → '.' with INBOX. and French names: byte-identical, flags and dates kept, report saved", async () => {
    const corpus = slashCorpus();
    await seed(slash, 'alice', corpus);
    const archive = mkdtempSync(path.join(os.tmpdir(), 'arche-move-'));
    const dry = await runCli(['migrate', '--from', slash.url('alice'), '--from-password-env', 'SRC_PW', '--to', dot.url('bob'), '--to-password-env', 'DST_PW', '--archive', archive, '--ca-file', slash.caFile, '--ca-file', dot.caFile, '--dry-run', '--json'], env);
    expect(dry.stderr).not.toContain('alice-pass');
    expect(dry.code).toBe(0);
    const planOnly = JSON.parse(dry.stdout);
    expect(Object.keys(planOnly)).toEqual(['plan']);
    expect(planOnly.plan.quota_ok).toBe(true);
    const line = (src: string): { destination: string; messages: number; bytes: number } => planOnly.plan.folders.find((f: { source: string }) => f.source === src);
    expect(line('Sent')).toMatchObject({ destination: 'INBOX.Éléments envoyés', messages: 2 });
    expect(line('Drafts').destination).toBe('INBOX.Brouillons');
    expect(line('Trash').destination).toBe('INBOX.Corbeille');
    expect(line('Junk').destination).toBe('INBOX.Courrier indésirable');
    expect(line('Travail/Clients/Été 2024')).toMatchObject({ destination: 'INBOX.Travail.Clients.Été 2024', messages: 2 });
    expect(line('Factures 2020.2021').destination).toBe('INBOX.Factures 2020_2021');
    expect(line('INBOX').messages).toBe(6);
    expect(line('INBOX').bytes).toBeGreaterThan(200_000);
    // The dry run copied nothing.
    expect(Object.values(await snapshot(dot, 'bob')).every((l) => l.length === 0)).toBe(true);

    const run = await runCli(['migrate', '--from', slash.url('alice'), '--from-password-env', 'SRC_PW', '--to', dot.url('bob'), '--to-password-env', 'DST_PW', '--archive', archive, '--ca-file', slash.caFile, '--ca-file', dot.caFile, '--json'], env);
    expect(run.code, run.stderr).toBe(0);
    const out = JSON.parse(run.stdout);
    const total = Object.values(corpus).reduce((n, l) => n + l.length, 0);
    // The duplicate in INBOX is one content: copied once, and counted present.
    expect(out.copied).toBe(total - 1);
    expect(out.failed).toBe(0);
    expect(out.verify).toMatchObject({ expected: total, present: total, missing: 0, changed: 0 });

    const src = await snapshot(slash, 'alice');
    const dst = await snapshot(dot, 'bob');
    const map: Record<string, string> = {
      INBOX: 'INBOX', Sent: 'INBOX.Éléments envoyés', Drafts: 'INBOX.Brouillons', Trash: 'INBOX.Corbeille', Junk: 'INBOX.Courrier indésirable',
      Archive: 'INBOX.Archive', Travail: 'INBOX.Travail', 'Travail/Clients': 'INBOX.Travail.Clients', 'Travail/Clients/Été 2024': 'INBOX.Travail.Clients.Été 2024',
      'Factures 2020.2021': 'INBOX.Factures 2020_2021', 'R&D': 'INBOX.R&D', Vide: 'INBOX.Vide',
    };
    for (const [s, d] of Object.entries(map)) {
      const expected = [...new Set(contentsOf(src[s]))];
      expect(dst[d], d).toBeDefined();
      expect([...new Set(contentsOf(dst[d]))], `${s} → ${d}`).toEqual(expected);
    }

    // The report: HTML and JSON, in French and English, self-contained.
    const report = out.verify.report as string;
    expect(report.startsWith(archive)).toBe(true);
    const html = readFileSync(report, 'utf8');
    expect(html).toMatch(/Tout est arrivé : \d+ messages dans 12 dossiers, vérifiés un par un le \d\d\/\d\d\/\d{4} à \d{1,2}\u00a0h\u00a0\d\d/);
    expect(html).toContain('Everything arrived');
    expect(html).toContain('copiés une seule fois');
    expect(html).not.toMatch(/<script|https?:\/\//);
    const json = JSON.parse(readFileSync(report.replace(/\.html$/, '.json'), 'utf8'));
    expect(json).toMatchObject({ expected: total, present: total, missing: 0, changed: 0 });
    expect(json.summary.fr).toContain('Tout est arrivé');

    // Where each message went (UIDPLUS APPENDUID) is recorded beside the archive.
    const [stateFile] = readdirSync(path.join(archive, 'moves'));
    const state = JSON.parse(readFileSync(path.join(archive, 'moves', stateFile), 'utf8'));
    expect(Object.keys(state.placed)).toHaveLength(total - 1);
    expect(Object.values(state.placed).every((p) => (p as { uid: number }).uid > 0)).toBe(true);
    // Each record names the message really there: the copy sends many messages per APPEND (MULTIAPPEND) and reads
    // their UIDs, in order, from the server's answer.
    const db = new Database(path.join(archive, 'arche.sqlite'), { readonly: true });
    const normOf = new Map((db.prepare('SELECT id, lower(hex(norm_hash)) AS h FROM contents').all() as { id: number; h: string }[]).map((r) => [r.id, r.h]));
    db.close();
    for (const [key, p] of Object.entries(state.placed as Record<string, { uid: number }>)) {
      const [id, ...folder] = key.split(' ');
      expect(dst[folder.join(' ')].find((x) => x.uid === p.uid)?.hash, key).toBe(normOf.get(Number(id)));
    }

    // The move leaves the search data for after, and says so; the next search builds them first.
    expect(run.stderr).toContain('recherche hors ligne');
    const found = await runCli(['search', '--archive', archive, '--json', 'subject:"message 61"'], env);
    expect(found.code, found.stderr).toBe(0);
    expect(JSON.parse(found.stdout)).toMatchObject({ total: 1, results: [{ subject: 'Message 61 (Travail/Clients) — été' }] });

    // A second run copies nothing.
    const again = await runCli(['migrate', '--from', slash.url('alice'), '--from-password-env', 'SRC_PW', '--to', dot.url('bob'), '--to-password-env', 'DST_PW', '--archive', archive, '--ca-file', slash.caFile, '--ca-file', dot.caFile, '--json'], env);
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ copied: 0, skipped_existing: total, failed: 0 });
    expect(existsSync(report)).toBe(true);
    // Nothing changed at the destination since the last check: the folders are not downloaded again, and the new
    // report says its results are carried over from the check message by message.
    const again2 = JSON.parse(readFileSync(JSON.parse(again.stdout).verify.report.replace(/\.html$/, '.json'), 'utf8'));
    expect(again2.folders.every((f: { notes: { code: string }[] }) => f.notes.some((n) => n.code === 'verify-unchanged-since'))).toBe(true);
  });

  it("'.' with INBOX. → '/' without prefix: French folders land in the English special-use ones", async () => {
    const m = (n: number, folder: string): SeedMessage => seedMessage(n, folder);
    await seed(dot, 'alice', {
      INBOX: [m(101, 'INBOX'), { raw: makeMessage(102, { bareLf: true }), flags: ['\\Seen', '$Perso'], date: new Date(Date.UTC(2031, 11, 31, 23, 59, 59)) }],
      'INBOX.Éléments envoyés': [m(110, 'Sent')],
      'INBOX.Brouillons': [m(120, 'Drafts')],
      'INBOX.Corbeille': [m(130, 'Trash')],
      'INBOX.Courrier indésirable': [m(140, 'Junk')],
      'INBOX.Voyages': [m(150, 'Voyages')],
      'INBOX.Voyages.Grèce': [m(151, 'Grèce')],
      'INBOX.R&D': [m(160, 'R&D')],
    });
    const archive = mkdtempSync(path.join(os.tmpdir(), 'arche-move-'));
    const run = await runCli(['migrate', '--from', dot.url('alice'), '--from-password-env', 'ALICE_PW', '--to', slash.url('bob'), '--to-password-env', 'BOB_PW', '--archive', archive, '--ca-file', dot.caFile, '--ca-file', slash.caFile, '--json'], env);
    expect(run.code, run.stderr).toBe(0);
    const out = JSON.parse(run.stdout);
    expect(out).toMatchObject({ copied: 9, failed: 0, verify: { expected: 9, present: 9, missing: 0, changed: 0 } });
    const src = await snapshot(dot, 'alice');
    const dst = await snapshot(slash, 'bob');
    const map: Record<string, string> = {
      INBOX: 'INBOX', 'INBOX.Éléments envoyés': 'Sent', 'INBOX.Brouillons': 'Drafts', 'INBOX.Corbeille': 'Trash',
      'INBOX.Courrier indésirable': 'Junk', 'INBOX.Voyages': 'Voyages', 'INBOX.Voyages.Grèce': 'Voyages/Grèce', 'INBOX.R&D': 'R&D',
    };
    for (const [s, d] of Object.entries(map)) expect(contentsOf(dst[d]), `${s} → ${d}`).toEqual(contentsOf(src[s]));
  });
});

describe('the app\'s move job', () => {
  it('builds the search data right after the move, as its last step', async () => {
    await seed(slash, 'carol', { INBOX: [seedMessage(900, 'INBOX'), seedMessage(901, 'INBOX')], Travail: [seedMessage(902, 'Travail')] });
    const archiveDir = mkdtempSync(path.join(os.tmpdir(), 'arche-move-job-'));
    const events: ProgressEvent[] = [];
    const from = { url: slash.url('carol'), ca: [slash.caPem] };
    const to = { url: dot.url('carol'), ca: [dot.caPem] };
    const result = (await runEngineJob({ kind: 'migrate', from, to }, { [from.url]: 'carol-pass', [to.url]: 'carol-pass' }, archiveDir, { onProgress: (e) => events.push(e) })) as { verify: { present: number }; searchPending: number };
    expect(result.verify.present).toBe(3);
    // Pending when the move itself ended; built by the job before it finished.
    expect(result.searchPending).toBe(3);
    const phases = events.map((e) => e.phase);
    expect(phases.lastIndexOf('index')).toBeGreaterThan(phases.lastIndexOf('verify'));
    expect(events.filter((e) => e.phase === 'index').at(-1)).toMatchObject({ done: 3, total: 3 });
    const archive = openArchive(archiveDir);
    try {
      expect(archive.pendingIndexCount()).toBe(0);
    } finally {
      archive.close();
    }
  });
});
