/**
 * Move against real Dovecot servers, the situations that lose or duplicate mail elsewhere:
 * a server without SPECIAL-USE, kill -9 during the copy, a destination too small, a destination that refuses
 * some messages, a destination that already holds part of the mail, and a verification that must catch
 * a deleted and a modified message.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { chmodSync, mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startDovecot, type Dovecot } from '../helpers/dovecot.ts';
import { startCuttingProxy } from '../helpers/cutting-proxy.ts';
import { buildCli, removeCliSnapshot, runCli, startCli, seed, seedMessage, snapshot, contentsOf, client, makeMessage, type SeedMessage } from './move-helpers.ts';

const env = { SRC_PW: 'alice-pass', DST_PW: 'bob-pass' };
const servers: Dovecot[] = [];
async function server(opts: Parameters<typeof startDovecot>[0]): Promise<Dovecot> {
  const d = await startDovecot(opts);
  servers.push(d);
  return d;
}
const tmpArchive = (): string => mkdtempSync(path.join(os.tmpdir(), 'arche-move-'));

function migrateArgs(from: Dovecot, to: Dovecot, archive: string, extra: string[] = []): string[] {
  return ['migrate', '--from', from.url('alice'), '--from-password-env', 'SRC_PW', '--to', to.url('bob'), '--to-password-env', 'DST_PW', '--archive', archive, '--ca-file', from.caFile, '--ca-file', to.caFile, '--json', ...extra];
}

function corpus(count: number, folders: string[], opts: { bodyBytes?: number } = {}): Record<string, SeedMessage[]> {
  const out: Record<string, SeedMessage[]> = {};
  for (const f of folders) out[f] = [];
  for (let n = 0; n < count; n++) {
    const f = folders[n % folders.length];
    out[f].push(seedMessage(1000 + n, f, opts));
  }
  return out;
}

beforeAll(() => buildCli());
afterAll(() => {
  for (const d of servers) d.stop();
  removeCliSnapshot();
});

describe('migrate: a source folder the old server cannot read', () => {
  it('stops before the copy with the folder named, and a re-run once it is readable again moves everything', async () => {
    const from = await server({ flavour: 'slash' });
    const to = await server({ flavour: 'dot' });
    const mail = corpus(12, ['INBOX', 'Verrou', 'Famille']);
    await seed(from, 'alice', mail);
    const src = await snapshot(from, 'alice');
    // The old server can list this folder but no longer read its messages (their files are unreadable to it).
    const cur = path.join(from.home('alice'), 'Maildir', 'Verrou', 'cur');
    chmodSync(cur, 0o000);
    const archive = tmpArchive();
    try {
      const run = await runCli(migrateArgs(from, to, archive), env);
      expect(run.code).toBe(1);
      expect(run.stderr).toContain('Verrou');
      // Never a move that looks complete without that folder: nothing was copied.
      expect(Object.values(await snapshot(to, 'bob')).every((l) => l.length === 0)).toBe(true);
    } finally {
      chmodSync(cur, 0o700);
    }
    const again = await runCli(migrateArgs(from, to, archive), env);
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ copied: 12, failed: 0, verify: { expected: 12, present: 12, missing: 0, changed: 0 } });
    const dst = await snapshot(to, 'bob');
    for (const [s, d] of [['INBOX', 'INBOX'], ['Verrou', 'INBOX.Verrou'], ['Famille', 'INBOX.Famille']]) expect(contentsOf(dst[d])).toEqual(contentsOf(src[s]));
  });
});

describe('migrate: folder roles without SPECIAL-USE', () => {
  it('"Envoyés" on a server without special-use goes to the destination\'s \\Sent folder', async () => {
    const plain = await server({ flavour: 'plain' });
    const slash = await server({ flavour: 'slash' });
    await seed(plain, 'alice', corpus(8, ['INBOX', 'Envoyés', 'Brouillons', 'Corbeille', 'Spam', 'Famille']));
    const archive = tmpArchive();
    const run = await runCli(migrateArgs(plain, slash, archive), env);
    expect(run.code, run.stderr).toBe(0);
    const out = JSON.parse(run.stdout);
    const dest = Object.fromEntries(out.plan.folders.map((f: { source: string; destination: string }) => [f.source, f.destination]));
    expect(dest).toMatchObject({ INBOX: 'INBOX', 'Envoyés': 'Sent', Brouillons: 'Drafts', Corbeille: 'Trash', Spam: 'Junk', Famille: 'Famille' });
    expect(out.verify).toMatchObject({ expected: 8, present: 8, missing: 0, changed: 0 });
    const src = await snapshot(plain, 'alice');
    const dst = await snapshot(slash, 'bob');
    expect(contentsOf(dst['Sent'])).toEqual(contentsOf(src['Envoyés']));
    expect(contentsOf(dst['Junk'])).toEqual(contentsOf(src['Spam']));
  });
});

describe('migrate: never twice', () => {
  it('kill -9 at random points during the copy: the destination ends with exactly one copy of each message', async () => {
    const from = await server({ flavour: 'slash' });
    const to = await server({ flavour: 'dot' });
    const mail = corpus(160, ['INBOX', 'Sent', 'Travail', 'Travail/Projets'], { bodyBytes: 60_000 });
    await seed(from, 'alice', mail);
    const archive = tmpArchive();
    let killedDuringCopy = 0;
    for (let trial = 0; trial < 5; trial++) {
      const { child, done } = startCli(migrateArgs(from, to, archive), env);
      // Wait for the copy to be under way (progress lines of the copy step), then kill at a random point of what is
      // left to copy: the first copy line tells how much a previous trial had already done.
      const share = Math.random();
      let target: number | null = null;
      await new Promise<void>((resolve) => {
        const onData = (d: Buffer): void => {
          for (const m of d.toString().matchAll(/copying.*\((\d+)\/(\d+)\)/g)) {
            const [doneNow, total] = [Number(m[1]), Number(m[2])];
            target ??= doneNow + 1 + Math.floor(share * Math.max(0, total - doneNow - 2));
            if (doneNow >= target) {
              child.stderr!.off('data', onData);
              resolve();
              return;
            }
          }
        };
        child.stderr!.on('data', onData);
        child.on('close', () => resolve());
      });
      if (child.exitCode === null) {
        child.kill('SIGKILL');
        killedDuringCopy++;
      }
      const r = await done;
      if (r.signal !== 'SIGKILL') {
        // The whole migration finished before the kill point: it must have succeeded, and there is nothing left to interrupt.
        expect(r.code, r.stderr).toBe(0);
        break;
      }
    }
    expect(killedDuringCopy).toBeGreaterThan(0);
    const final = await runCli(migrateArgs(from, to, archive), env);
    expect(final.code, final.stderr).toBe(0);
    expect(JSON.parse(final.stdout).verify).toMatchObject({ expected: 160, present: 160, missing: 0, changed: 0 });
    const dst = await snapshot(to, 'bob');
    const map: Record<string, string> = { INBOX: 'INBOX', Sent: 'INBOX.Éléments envoyés', Travail: 'INBOX.Travail', 'Travail/Projets': 'INBOX.Travail.Projets' };
    const src = await snapshot(from, 'alice');
    for (const [s, d] of Object.entries(map)) {
      // Exactly one copy: the destination's list equals the source's, duplicates would show.
      expect(contentsOf(dst[d]), d).toEqual(contentsOf(src[s]));
    }
    // several kills, each followed by a full re-run: over the default 120 s when the shared machine is loaded
  }, 360_000);

  it('the connection to the destination is cut in the middle of an APPEND: Arche reconnects, nothing twice, nothing missing', async () => {
    const from = await server({ flavour: 'slash' });
    const to = await server({ flavour: 'dot' });
    await seed(from, 'alice', corpus(60, ['INBOX', 'Sent'], { bodyBytes: 20_000 }));
    const proxy = await startCuttingProxy({ targetHost: '127.0.0.1', targetPort: to.port, cutAfterBytes: 400_000, direction: 'up', cuts: 1 });
    try {
      const viaProxy = `imaps://bob@127.0.0.1:${proxy.port}`;
      const args = migrateArgs(from, to, tmpArchive()).map((a) => (a === to.url('bob') ? viaProxy : a));
      const run = await runCli(args, env);
      expect(run.code, run.stderr).toBe(0);
      expect(proxy.cutsDone).toBeGreaterThan(0);
      const out = JSON.parse(run.stdout);
      expect(out.copied + out.skipped_existing).toBe(60);
      expect(out.verify).toMatchObject({ expected: 60, present: 60, missing: 0, changed: 0 });
    } finally {
      await proxy.close();
    }
    const src = await snapshot(from, 'alice');
    const dst = await snapshot(to, 'bob');
    expect(contentsOf(dst['INBOX'])).toEqual(contentsOf(src['INBOX']));
    expect(contentsOf(dst['INBOX.Éléments envoyés'])).toEqual(contentsOf(src['Sent']));
  });

  it('a destination already holding part of the mail: only the rest is copied', async () => {
    const from = await server({ flavour: 'slash' });
    const to = await server({ flavour: 'dot' });
    const mail = corpus(12, ['INBOX', 'Sent', 'Famille']);
    await seed(from, 'alice', mail);
    // The user started by hand: 5 of the messages are already there, in the right folders.
    await seed(to, 'bob', { INBOX: mail.INBOX.slice(0, 2), 'INBOX.Éléments envoyés': mail.Sent.slice(0, 2), 'INBOX.Famille': mail.Famille.slice(0, 1) });
    const run = await runCli(migrateArgs(from, to, tmpArchive()), env);
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ copied: 7, skipped_existing: 5, failed: 0, verify: { expected: 12, present: 12, missing: 0 } });
    const dst = await snapshot(to, 'bob');
    expect(dst['INBOX']).toHaveLength(4);
    expect(dst['INBOX.Éléments envoyés']).toHaveLength(4);
    expect(dst['INBOX.Famille']).toHaveLength(4);
  });
});

describe('migrate: when the old provider has lost mail', () => {
  it('names what only the archive still has, copies it only on --bring-along (into its own folder), and exits 4 as backup does', async () => {
    const from = await server({ flavour: 'slash' });
    const to = await server({ flavour: 'dot' });
    const mail = corpus(9, ['INBOX', 'Sent', 'Voyages']);
    await seed(from, 'alice', mail);
    const archive = tmpArchive();
    const backup = await runCli(['backup', '--account', from.url('alice'), '--password-env', 'SRC_PW', '--archive', archive, '--ca-file', from.caFile, '--json'], env);
    expect(backup.code, backup.stderr).toBe(0);
    // The provider loses everything, "Voyages" included.
    from.wipe('alice');
    // The plan says it before anything happens: the old mailbox is empty, the archive holds 9 it no longer has.
    const dry = await runCli(migrateArgs(from, to, archive, ['--dry-run']), env);
    expect(dry.code, dry.stderr).toBe(0);
    expect(JSON.parse(dry.stdout).plan).toMatchObject({ messages: 0, archive_only: 9 });
    // By default a move copies the old mailbox as it is now: nothing; the 9 are named, kept in the archive.
    const run = await runCli(migrateArgs(from, to, archive), env);
    expect(run.code, run.stderr).toBe(4);
    expect(JSON.parse(run.stdout)).toMatchObject({ copied: 0, failed: 0, counts: { source: 0, archive_only: 9, left_in_archive: 9 }, verify: { expected: 0, missing: 0, changed: 0 } });
    expect(run.stderr).toContain("Votre ancien fournisseur n'a plus 3 messages du dossier « Voyages »");
    expect(run.stderr).toContain('Your old provider no longer has 3 messages from the folder "Voyages"');
    expect(Object.values(await snapshot(to, 'bob')).every((l) => l.length === 0)).toBe(true);
    // On the user's choice, they go once each into a folder of their own, never into INBOX.
    const along = await runCli(migrateArgs(from, to, archive, ['--bring-along']), env);
    expect(along.code, along.stderr).toBe(0);
    expect(JSON.parse(along.stdout)).toMatchObject({ copied: 9, failed: 0, counts: { archive_only: 9, brought_along: 9, left_in_archive: 0 }, verify: { expected: 9, present: 9, missing: 0, changed: 0 } });
    const dst = await snapshot(to, 'bob');
    expect(contentsOf(dst['INBOX.Retrouvés par Arche'])).toHaveLength(9);
    expect(dst['INBOX']).toHaveLength(0);
    expect(dst['INBOX.Voyages'] ?? []).toHaveLength(0);
  });
});

describe('migrate: when the destination cannot take it all', () => {
  it('a destination near its quota: the plan stops before copying anything (exit 5)', async () => {
    const from = await server({ flavour: 'slash' });
    const to = await server({ flavour: 'dot', quotaKb: 100 });
    await seed(from, 'alice', corpus(10, ['INBOX', 'Sent'], { bodyBytes: 20_000 }));
    const archive = tmpArchive();
    const run = await runCli(migrateArgs(from, to, archive), env);
    expect(run.code).toBe(5);
    const out = JSON.parse(run.stdout);
    expect(Object.keys(out)).toEqual(['plan']);
    expect(out.plan.quota_ok).toBe(false);
    expect(run.stderr).toContain("Il n'y a pas assez de place chez le nouveau fournisseur");
    expect(run.stderr).toContain('There is not enough room at the new provider');
    const dst = await snapshot(to, 'bob');
    expect(Object.values(dst).every((l) => l.length === 0)).toBe(true);
    // The dry run says the same, with the same exit code.
    const dry = await runCli(migrateArgs(from, to, archive, ['--dry-run']), env);
    expect(dry.code).toBe(5);
  });

  it('a destination that limits the number of messages: the plan stops too (exit 5)', async () => {
    const from = await server({ flavour: 'slash' });
    const to = await server({ flavour: 'dot', quotaKb: 100_000, extraConfig: 'plugin {\n  quota_rule = *:storage=100000K:messages=5\n}\n' });
    await seed(from, 'alice', corpus(9, ['INBOX', 'Sent']));
    const run = await runCli(migrateArgs(from, to, tmpArchive()), env);
    expect(run.code).toBe(5);
    expect(JSON.parse(run.stdout).plan.quota_ok).toBe(false);
    expect(run.stderr).toContain('Le nouveau fournisseur accepte au plus 5 messages');
    expect(Object.values(await snapshot(to, 'bob')).every((l) => l.length === 0)).toBe(true);
  });

  it('a quota that fills up during the copy: the refused messages are listed with the reason, nothing else is missing', async () => {
    const from = await server({ flavour: 'slash' });
    const to = await server({ flavour: 'dot', quotaKb: 100 });
    await seed(from, 'alice', corpus(8, ['INBOX', 'Famille'], { bodyBytes: 10_000 }));
    // The destination's INBOX already holds 60 KB of other mail. The plan counts what sits in the target folders as
    // already moved (right on a re-run), so it lets the copy start — and the quota fills up part-way.
    await seed(to, 'bob', { INBOX: [{ raw: makeMessage(9001, { subject: 'Bienvenue', bodyBytes: 60_000 }), flags: [], date: new Date(Date.UTC(2026, 0, 1)) }] });
    const run = await runCli(migrateArgs(from, to, tmpArchive()), env);
    expect(run.code, run.stderr).toBe(3);
    const out = JSON.parse(run.stdout);
    expect(out.plan.quota_ok).toBe(true);
    expect(out.failed).toBeGreaterThan(0);
    expect(out.copied + out.failed).toBe(8);
    expect(out.verify).toMatchObject({ expected: 8, present: out.copied, missing: out.failed, changed: 0 });
    const json = JSON.parse(readFileSync(out.verify.report.replace(/\.html$/, '.json'), 'utf8'));
    const notes = json.folders.flatMap((f: { notes: { code: string; fr: string; en: string }[] }) => f.notes).filter((n: { code: string }) => n.code !== 'verify-unchanged-since');
    expect(notes).toHaveLength(out.failed);
    for (const n of notes) {
      expect(n.code).toBe('move-quota-full');
      expect(n.fr).toContain("Il n'y a plus de place chez le nouveau fournisseur");
      expect(n.en).toContain('There is no room left at the new provider');
    }
  });

  it('a destination that refuses some APPENDs (too big for it): the report lists them, nothing else is missing', async () => {
    const from = await server({ flavour: 'slash' });
    // Dovecot refuses messages over 60 KB with "NO [LIMIT]", without announcing it (no APPENDLIMIT).
    const to = await server({ flavour: 'slash', quotaKb: 100_000, extraConfig: 'plugin {\n  quota_max_mail_size = 60k\n}\n' });
    const mail = corpus(10, ['INBOX', 'Archive']);
    mail.INBOX.push({ raw: makeMessage(7001, { subject: 'Photos des vacances', bodyBytes: 120_000 }), flags: ['\\Seen'], date: new Date(Date.UTC(2020, 1, 1)) });
    mail.Archive.push({ raw: makeMessage(7002, { subject: 'Scan du contrat', bodyBytes: 90_000 }), flags: [], date: new Date(Date.UTC(2021, 1, 1)) });
    await seed(from, 'alice', mail);
    const archive = tmpArchive();
    const run = await runCli(migrateArgs(from, to, archive), env);
    expect(run.code).toBe(3);
    const out = JSON.parse(run.stdout);
    expect(out).toMatchObject({ copied: 10, failed: 2, verify: { expected: 12, present: 10, missing: 2, changed: 0 } });
    const html = readFileSync(out.verify.report, 'utf8');
    expect(html).toContain('Photos des vacances');
    expect(html).toContain('Scan du contrat');
    expect(html).toContain('trop gros');
    expect(html).toContain('too big');
    // Nothing else is missing: every other message is there, in its folder.
    const src = await snapshot(from, 'alice');
    const dst = await snapshot(to, 'bob');
    expect(contentsOf(dst['INBOX'])).toEqual(contentsOf(src['INBOX'].filter((m) => dst['INBOX'].some((x) => x.hash === m.hash))));
    expect(dst['INBOX']).toHaveLength(src['INBOX'].length - 1);
    expect(dst['Archive']).toHaveLength(src['Archive'].length - 1);
  });
});

describe('verify', () => {
  it('catches a deleted and a modified message on the destination, and exits 3', async () => {
    const from = await server({ flavour: 'dot' });
    const to = await server({ flavour: 'slash' });
    await seed(from, 'alice', corpus(9, ['INBOX', 'INBOX.Éléments envoyés', 'INBOX.Famille']));
    const archive = tmpArchive();
    const run = await runCli(migrateArgs(from, to, archive), env);
    expect(run.code, run.stderr).toBe(0);

    const verifyArgs = ['verify', '--against', to.url('bob'), '--password-env', 'DST_PW', '--archive', archive, '--ca-file', to.caFile, '--json'];
    const ok = await runCli(verifyArgs, env);
    expect(ok.code, ok.stderr).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ expected: 9, present: 9, missing: 0, changed: 0 });

    // On the destination: delete one message of INBOX, and replace one of Famille by an altered copy.
    const c = await client(to, 'bob');
    try {
      let lock = await c.getMailboxLock('INBOX');
      try {
        await c.messageDelete('1');
      } finally {
        lock.release();
      }
      lock = await c.getMailboxLock('Famille');
      let original: Buffer;
      try {
        const m = await c.fetchOne('1', { source: true });
        original = m ? m.source! : Buffer.alloc(0);
        await c.messageDelete('1');
      } finally {
        lock.release();
      }
      await c.append('Famille', Buffer.from(original.toString('utf8').replace('Bonjour', 'Bonsoir')), ['\\Seen']);
    } finally {
      await c.logout();
    }

    const bad = await runCli(verifyArgs, env);
    expect(bad.code).toBe(3);
    const out = JSON.parse(bad.stdout);
    expect(out).toEqual({ expected: 9, present: 7, missing: 1, changed: 1, report: expect.stringContaining(archive) });
    const json = JSON.parse(readFileSync(out.report.replace(/\.html$/, '.json'), 'utf8'));
    const notes = json.folders.flatMap((f: { notes: { code: string; fr: string; en: string }[] }) => f.notes);
    // The two differences, explained; the untouched folder is carried over from the last check (said so too).
    expect(notes.map((n: { code: string }) => n.code).filter((c: string) => c !== 'verify-unchanged-since').sort()).toEqual(['verify-changed-message', 'verify-missing-message']);
    expect(notes.find((n: { code: string }) => n.code === 'verify-missing-message').fr).toContain('Manquant');
    expect(notes.find((n: { code: string }) => n.code === 'verify-changed-message').en).toContain('Changed');
    expect(bad.stderr).toContain('Il manque 1 message');
  });
});
