/**
 * Move against real servers (issue 9, part B): what other servers broke as destinations, and the smaller fixes.
 * Dovecot cases here; the Cyrus, Courier and imap4d cases run against those servers' private instances.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startDovecot, type Dovecot } from '../helpers/dovecot.ts';
import { startServer, type TestServer } from '../helpers/servers.ts';
import { testClient } from '../helpers/corpus.ts';
import { startFaultProxy } from '../helpers/imap-fault-proxy.ts';
import { openArchive } from '../../main/engine/archive/archive.node.ts';
import { buildCli, removeCliSnapshot, runCli, seed, seedMessage, makeMessage, type SeedMessage } from './move-helpers.ts';

const env = { SRC_PW: 'alice-pass', DST_PW: 'bob-pass' };
const servers: { stop(): void }[] = [];
async function server(opts: Parameters<typeof startDovecot>[0]): Promise<Dovecot> {
  const d = await startDovecot(opts);
  servers.push(d);
  return d;
}
const tmpArchive = (): string => mkdtempSync(path.join(os.tmpdir(), 'arche-move-servers-'));

type Account = { url(user: string): string; caFile: string };
function migrateArgs(from: Account, to: Account, archive: string, extra: string[] = []): string[] {
  return ['migrate', '--from', from.url('alice'), '--from-password-env', 'SRC_PW', '--to', to.url('bob'), '--to-password-env', 'DST_PW', '--archive', archive, '--ca-file', from.caFile, '--ca-file', to.caFile, '--json', ...extra];
}

beforeAll(() => buildCli());
afterAll(() => {
  for (const d of servers) d.stop();
  removeCliSnapshot();
});

describe('migrate --folder', () => {
  it('backs up only the folder being moved, not the whole account first', async () => {
    const from = await server({ flavour: 'slash' });
    const to = await server({ flavour: 'slash' });
    await seed(from, 'alice', {
      INBOX: [1, 2, 3, 4].map((n) => seedMessage(n, 'INBOX')),
      Travail: [5, 6].map((n) => seedMessage(n, 'Travail')),
    });
    const archive = tmpArchive();
    const run = await runCli(migrateArgs(from, to, archive, ['--folder', 'Travail']), env);
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ copied: 2, failed: 0, verify: { expected: 2, present: 2, missing: 0 } });
    const a = openArchive(archive);
    try {
      const account = a.listAccounts()[0];
      const folders = [...a.placements({ accountId: account.id })].map((p) => p.folderPath);
      expect(folders).toEqual(['Travail', 'Travail']);
    } finally {
      a.close();
    }
  });
});

async function other(kind: Parameters<typeof startServer>[0], opts: Parameters<typeof startServer>[1] = {}): Promise<TestServer> {
  const s = await startServer(kind, opts);
  servers.push(s);
  return s;
}

/** Every folder of the destination and the Subject lines of its messages (what is really there, from the server). */
async function subjectsAt(s: { url(user: string): string; caPem: string }, user: string, password: string): Promise<Record<string, string[]>> {
  const c = await testClient(s.url(user), password, s.caPem);
  const out: Record<string, string[]> = {};
  try {
    for (const f of await c.list()) {
      if ([...f.flags].some((x) => x.toLowerCase() === '\\noselect')) continue;
      const lock = await c.getMailboxLock(f.path, { readOnly: true });
      try {
        const list: string[] = [];
        const exists = c.mailbox && typeof c.mailbox === 'object' ? c.mailbox.exists : 0;
        if (exists) for await (const m of c.fetch('1:*', { envelope: true })) list.push(m.envelope?.subject ?? '');
        out[f.path] = list.sort();
      } finally {
        lock.release();
      }
    }
  } finally {
    await c.logout();
  }
  return out;
}

const range = (from: number, n: number): number[] => Array.from({ length: n }, (_, i) => from + i);
const seeded = (folder: string, ns: number[], opts: Parameters<typeof makeMessage>[1] = {}): SeedMessage[] => ns.map((n) => seedMessage(n, folder, opts));

describe('Courier as the destination', () => {
  it('copies into folders the copy looked at read-only first, and says once that it refuses a folder name', async () => {
    const from = await server({ flavour: 'slash' });
    const to = await other('courier');
    await seed(from, 'alice', { INBOX: seeded('INBOX', range(1, 6)), 'Projets~2024': seeded('Projets~2024', range(10, 2)) });
    const archive = tmpArchive();
    const run = await runCli(migrateArgs(from, to, archive), env);
    const out = JSON.parse(run.stdout);
    // Item 4: before, every APPEND into INBOX was refused ("Current box is selected READ-ONLY").
    expect(out).toMatchObject({ copied: 6, failed: 2 });
    expect((await subjectsAt(to, 'bob', 'bob-pass')).INBOX).toHaveLength(6);
    // Item 7: the folder once, with Courier's words and a name to try; not eight confusing per-message reasons.
    const refused = out.notes.filter((n: { code: string }) => n.code === 'move-folder-refused');
    expect(refused).toHaveLength(1);
    expect(refused[0].fr).toContain('« INBOX.Projets~2024 »');
    expect(refused[0].fr).toContain('« INBOX.Projets-2024 »');
    expect(refused[0].en).toContain('2 messages could not be copied into it');
    expect(run.stderr).toContain('Le nouveau fournisseur refuse de créer le dossier « INBOX.Projets~2024 »');
    expect(run.stderr).not.toContain('Mailbox does not exist');
  });
});

/** The note codes of a verification report (its JSON beside the HTML page). */
function verifyNotes(reportHtml: string): string[] {
  const json = JSON.parse(readFileSync(reportHtml.replace(/\.html$/, '.json'), 'utf8')) as { folders: { notes: { code: string }[] }[] };
  return json.folders.flatMap((f) => f.notes.map((n) => n.code));
}

describe('migrate into Courier, verified', () => {
  it('the whole mailbox (subfolders, keywords) arrives and the verification finds the new mailbox equal to the old one', async () => {
    const from = await server({ flavour: 'slash' });
    const to = await other('courier');
    await seed(from, 'alice', { INBOX: seeded('INBOX', range(1, 8)), Projets: seeded('Projets', range(20, 3)), 'Projets/2024': seeded('Projets/2024', range(30, 2)) });
    const archive = tmpArchive();
    const run = await runCli(migrateArgs(from, to, archive), env);
    const out = JSON.parse(run.stdout);
    expect(out, run.stderr).toMatchObject({ copied: 13, failed: 0, verify: { expected: 13, present: 13, missing: 0, changed: 0 } });
    expect(run.code, run.stderr).toBe(0);
    const there = await subjectsAt(to, 'bob', 'bob-pass');
    expect(there.INBOX).toHaveLength(8);
    expect(there['INBOX.Projets']).toHaveLength(3);
    expect(there['INBOX.Projets.2024']).toHaveLength(2);
    const again = await runCli(migrateArgs(from, to, archive), env);
    expect(JSON.parse(again.stdout), again.stderr).toMatchObject({ copied: 0, skipped_existing: 13, failed: 0, verify: { present: 13, missing: 0, changed: 0 } });
  });
});

describe('a real server that loses APPENDs made in parallel', () => {
  it('is noticed after the parallel pass and the folder is done again on one connection: every message once', async () => {
    const from = await server({ flavour: 'slash' });
    const d = await server({ flavour: 'slash' });
    // A real Dovecot (UIDPLUS, so the copy goes on two connections) behind a proxy that answers the second APPEND
    // command OK itself and never forwards it: a server that said yes and kept nothing, as imap4d did.
    const proxy = await startFaultProxy(d, (a) => (a.index === 2 ? 'OK APPEND completed' : null));
    servers.push({ stop: () => void proxy.stop() });
    await seed(from, 'alice', { INBOX: seeded('INBOX', range(1, 120)) });
    const to: Account = { url: (u) => proxy.url(u), caFile: d.caFile };
    const archive = tmpArchive();
    const run = await runCli(migrateArgs(from, to, archive), env);
    const out = JSON.parse(run.stdout);
    // The drop really happened, in the parallel pass.
    expect(proxy.appends[1]?.refused).toBe('OK APPEND completed');
    expect(out.notes.map((n: { code: string }) => n.code), run.stderr).toContain('move-parallel-lost');
    // The copies of the lost pass that the server kept are copies made now, not mail it already had: figures add up.
    expect(out).toMatchObject({ copied: 120, skipped_existing: 0, failed: 0, counts: { source: 120, copied: 120, already_there: 0 }, verify: { expected: 120, present: 120, missing: 0, changed: 0 } });
    expect(run.code, run.stderr).toBe(0);
    // From the server itself: every message exactly once.
    const there = await subjectsAt(d, 'bob', 'bob-pass');
    expect(there.INBOX).toHaveLength(120);
    expect(new Set(there.INBOX).size).toBe(120);
  });
});

describe('imap4d (mbox, no UIDPLUS, no keywords) as the destination', () => {
  it('keeps what it can, creates parents as containers, loses nothing in parallel, and a re-run copies nothing twice', async () => {
    const from = await server({ flavour: 'slash' });
    const to = await other('imap4d');
    // seedMessage gives some messages the keywords $Label1, Important and $Forwarded.
    await seed(from, 'alice', { INBOX: seeded('INBOX', range(1, 120)), Archives: [], 'Archives/2022': seeded('Archives/2022', range(200, 3)) });
    const archive = tmpArchive();
    const first = await runCli(migrateArgs(from, to, archive), env);
    const out = JSON.parse(first.stdout);
    expect(out, first.stderr).toMatchObject({ copied: 123, failed: 0 });
    // The verification reads imap4d's copies, which carry its own X-UID/Status lines: they are there, not "changed"
    // (before, every one was reported changed and the run ended in a verification failure), said once in the report.
    expect(first.code, first.stderr).toBe(0);
    expect(out.verify).toMatchObject({ expected: 123, present: 123, missing: 0, changed: 0 });
    expect(verifyNotes(out.verify.report)).toContain('verify-rewritten');
    const codes = out.notes.map((n: { code: string }) => n.code);
    // Item 5: the keywords imap4d cannot keep are named once, the messages still go.
    expect(codes).toContain('move-keywords-dropped');
    expect(out.notes.find((n: { code: string }) => n.code === 'move-keywords-dropped').en).toContain('$Label1');
    let there = await subjectsAt(to, 'bob', 'bob-pass');
    // Item 6: Archives/2022 could be created under Archives (made a container, not an mbox file).
    expect(there['Archives/2022']).toHaveLength(3);
    // Item 12: every message is there once, whatever the server did with parallel APPENDs.
    expect(there.INBOX).toHaveLength(120);
    expect(new Set(there.INBOX).size).toBe(120);
    // Item 11: no APPENDUID to record, and imap4d adds X-UID/Status: a re-run still finds every copy.
    const again = await runCli(migrateArgs(from, to, archive), env);
    expect(JSON.parse(again.stdout), again.stderr).toMatchObject({ copied: 0, skipped_existing: 123, failed: 0, verify: { expected: 123, present: 123, missing: 0, changed: 0 } });
    expect(again.code, again.stderr).toBe(0);
    there = await subjectsAt(to, 'bob', 'bob-pass');
    expect(there.INBOX).toHaveLength(120);
    expect(there['Archives/2022']).toHaveLength(3);
  });
});

describe('Cyrus as the destination', () => {
  it('sends bare-LF messages with CRLF, and names a message over APPENDLIMIT with its size and what to do', async () => {
    const from = await server({ flavour: 'slash' });
    const to = await other('cyrus', { maxMessageSize: 100_000 });
    await seed(from, 'alice', {
      INBOX: [...seeded('INBOX', [1, 2]), ...seeded('INBOX', [3], { bareLf: true }), ...seeded('INBOX', [4], { subject: 'Gros fichier', bodyBytes: 300_000 })],
    });
    const archive = tmpArchive();
    const run = await runCli(migrateArgs(from, to, archive), env);
    const out = JSON.parse(run.stdout);
    // Item 9: the bare-LF message goes (Cyrus refused it: "Message contains bare newlines").
    expect(out).toMatchObject({ copied: 3, failed: 1 });
    expect((await subjectsAt(to, 'bob', 'bob-pass')).INBOX).toHaveLength(3);
    // Item 8: by name and size, with the limit and what to do, not just "1 message manquant".
    const big = out.not_copied.find((f: { code: string }) => f.code === 'move-too-big');
    expect(big.fr).toContain('« Gros fichier — été »');
    expect(big.fr).toContain("qui accepte au plus 98 Ko par message");
    expect(big.fr).toContain('exportez-le en fichier .eml');
    expect(run.stderr).toContain('Gros fichier');
    // Restore reads APPENDLIMIT too, and does not tell the person to try again: it would never help.
    const back = await runCli(['restore', '--to', to.url('alice'), '--password-env', 'SRC_PW', '--archive', archive, '--ca-file', to.caFile], env);
    expect(back.code).toBe(1);
    expect(back.stderr).toContain('Le message « Gros fichier — été » (293 Ko, dossier « INBOX ») est trop gros pour le nouveau fournisseur, qui accepte au plus 98 Ko par message.');
    expect(back.stderr).toContain('Relancer ne changera rien.');
    expect(back.stderr).not.toContain('relancez la restauration une fois le problème réglé');
    expect(back.stderr).toContain('Restore: 3 messages put back, 0 already there, 1 not put back, 0 still on the server in another folder.');
  });
});

/** Folder names on a server now (a probe must leave none of its own behind). */
async function folderNames(s: TestServer, user: string, password: string): Promise<string[]> {
  const c = await testClient(s.url(user), password, s.caPem);
  try {
    return (await c.list()).map((f) => f.path).sort();
  } finally {
    await c.logout();
  }
}

type PlanNote = { code: string; fr: string; en: string };

describe('the plan finds the names the destination will refuse, by asking it (issue 9)', () => {
  it('Courier: a name with a character it refuses is said in the plan, with its words and a name to use; accepted names are not', async () => {
    const from = await server({ flavour: 'slash' });
    const to = await other('courier');
    await seed(from, 'alice', { INBOX: seeded('INBOX', range(1, 2)), 'Projets~2024': seeded('Projets~2024', range(10, 2)), 'Café été': seeded('Café été', range(20, 1)) });
    const before = await folderNames(to, 'bob', 'bob-pass');
    const dry = await runCli(migrateArgs(from, to, tmpArchive(), ['--dry-run']), env);
    expect(dry.code, dry.stderr).toBe(0);
    const notes: PlanNote[] = JSON.parse(dry.stdout).plan.notes;
    const refused = notes.filter((n) => n.code === 'move-folder-name-refused');
    expect(refused, JSON.stringify(notes)).toHaveLength(1);
    expect(refused[0].fr).toContain('« INBOX.Projets~2024 »');
    expect(refused[0].fr).toContain('« INBOX.Projets-2024 »');
    expect(refused[0].en).toContain('2 messages could not go there');
    // The probe's temporary folders are gone; the dry run created nothing.
    expect(await folderNames(to, 'bob', 'bob-pass')).toEqual(before);
  });

  it('imap4d (mbox): a folder under one that holds messages is said in the plan, with a name to use', async () => {
    const from = await server({ flavour: 'slash' });
    const to = await other('imap4d');
    await seed(from, 'alice', { INBOX: seeded('INBOX', range(1, 2)), Projets: seeded('Projets', range(10, 2)), 'Projets/R&D': seeded('Projets/R&D', range(20, 1)), Archives: [], 'Archives/2022': seeded('Archives/2022', range(30, 1)) });
    const before = await folderNames(to, 'bob', 'bob-pass');
    const dry = await runCli(migrateArgs(from, to, tmpArchive(), ['--dry-run']), env);
    expect(dry.code, dry.stderr).toBe(0);
    const notes: PlanNote[] = JSON.parse(dry.stdout).plan.notes;
    const impossible = notes.filter((n) => n.code === 'move-folder-impossible');
    // Archives holds no message: created as a container, its subfolder is fine.
    expect(impossible, JSON.stringify(notes)).toHaveLength(1);
    expect(impossible[0].fr).toContain('« Projets/R&D »');
    expect(impossible[0].fr).toContain('« Projets - R&D »');
    expect(await folderNames(to, 'bob', 'bob-pass')).toEqual(before);
  });
});
