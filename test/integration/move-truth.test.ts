/**
 * A move copies the old mailbox AS IT IS NOW, and its check compares with the old mailbox (issue 10).
 * Each scenario: back up, change the source on the server, migrate, then read both accounts with an independent
 * IMAP reader (imapflow directly, not Arche's verify) and compare folder by folder, by content, flags and date.
 * Arche's JSON must agree, and every figure must add up: source = copied + already there + refused; what the
 * archive holds beyond the source is named apart. A re-run copies 0 and reports the same differences.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ImapFlow } from 'imapflow';
import { startDovecot, type Dovecot } from '../helpers/dovecot.ts';
import { backupArgs } from './keep-helpers.ts';
import { buildCli, removeCliSnapshot, runCli, seed, seedMessage, snapshot, contentsOf, client, normHashOf as normHash, type SeedMessage, type SnapMessage } from './move-helpers.ts';

const USERS = Array.from({ length: 20 }, (_, i) => [`a${i}`, `b${i}`]).flat().map((user) => ({ user, password: 'pw-' + user }));
const env = (i: number): Record<string, string> => ({ SRC_PW: `pw-a${i}`, DST_PW: `pw-b${i}`, PW: `pw-a${i}` });
let slash: Dovecot;
let dot: Dovecot;
let next = 0;

beforeAll(async () => {
  buildCli();
  [slash, dot] = await Promise.all([startDovecot({ flavour: 'slash', users: USERS }), startDovecot({ flavour: 'dot', users: USERS })]);
});
afterAll(() => {
  slash?.stop();
  dot?.stop();
  removeCliSnapshot();
});

/** The destination path of a user folder (INBOX, "Work", "Work/Clients") on the destination's layout. */
function mapped(to: Dovecot, folder: string): string {
  if (folder === 'INBOX' || to.flavour === 'slash') return folder;
  return `INBOX.${folder.replace(/\//g, '.')}`;
}

async function onServer(d: Dovecot, user: string, fn: (c: ImapFlow) => Promise<void>): Promise<void> {
  const c = await client(d, user);
  try {
    await fn(c);
  } finally {
    await c.logout();
  }
}

/** UID of the message whose subject contains `needle` in `folder`. */
async function uidOf(c: ImapFlow, folder: string, needle: string): Promise<number> {
  const lock = await c.getMailboxLock(folder);
  try {
    for await (const m of c.fetch('1:*', { uid: true, source: true })) if (m.source!.toString('utf8').includes(needle)) return m.uid;
  } finally {
    lock.release();
  }
  throw new Error(`${needle} not in ${folder}`);
}

async function moveMsg(c: ImapFlow, from: string, needle: string, to: string): Promise<void> {
  const uid = await uidOf(c, from, needle);
  const lock = await c.getMailboxLock(from);
  try {
    await c.messageMove(String(uid), to, { uid: true });
  } finally {
    lock.release();
  }
}

async function deleteMsg(c: ImapFlow, from: string, needle: string): Promise<void> {
  const uid = await uidOf(c, from, needle);
  const lock = await c.getMailboxLock(from);
  try {
    await c.messageDelete(String(uid), { uid: true });
  } finally {
    lock.release();
  }
}

const nonEmpty = (s: Record<string, SnapMessage[]>): Record<string, string[]> =>
  Object.fromEntries(Object.entries(s).filter(([, l]) => l.length > 0).map(([k, l]) => [k, contentsOf(l)]));

interface Run {
  code: number;
  out: {
    copied: number;
    skipped_existing: number;
    failed: number;
    counts: { source: number; copied: number; copied_before: number; already_there: number; not_copied: number; archive_only: number; brought_along: number; left_in_archive: number };
    verify: { expected: number; present: number; missing: number; changed: number; report: string };
  };
  report: {
    expected: number;
    present: number;
    missing: number;
    changed: number;
    folders: { source: string; destination: string; expected: number; present: number; missing: number; changed: number; alreadyThere: number; notCopied: { reason: string; count: number }[] }[];
  };
}

async function migrate(i: number, from: Dovecot, to: Dovecot, archive: string, extra: string[] = []): Promise<Run> {
  const r = await runCli(['migrate', '--from', from.url(`a${i}`), '--from-password-env', 'SRC_PW', '--to', to.url(`b${i}`), '--to-password-env', 'DST_PW', '--archive', archive, '--ca-file', from.caFile, '--ca-file', to.caFile, '--json', ...extra], env(i));
  expect(r.stderr).not.toContain(`pw-a${i}`);
  const out = JSON.parse(r.stdout);
  const report = JSON.parse(readFileSync(out.verify.report.replace(/\.html$/, '.json'), 'utf8'));
  return { code: r.code ?? -1, out, report };
}

/** Every figure adds up, in the CLI's JSON and in the saved report. */
function expectCountsAddUp(r: Run): void {
  const c = r.out.counts;
  expect(c.source).toBe(c.copied + c.copied_before + c.already_there + c.not_copied);
  expect(c.archive_only).toBe(c.brought_along + c.left_in_archive);
  // The CLI's `copied` also counts what went into the brought-along folder.
  expect(r.out.copied).toBeGreaterThanOrEqual(c.copied);
  expect(r.report.expected).toBe(r.report.present + r.report.missing + r.report.changed);
  for (const f of r.report.folders) expect(f.expected, f.destination).toBe(f.present + f.missing + f.changed);
  expect(r.report.expected).toBe(r.report.folders.reduce((n, f) => n + f.expected, 0));
}

interface Scenario {
  name: string;
  from?: 'slash' | 'dot';
  to?: 'slash' | 'dot';
  mail: Record<string, SeedMessage[]>;
  change: (c: ImapFlow) => Promise<void>;
  /** Messages put at the destination before the move (by the user, by hand). */
  before?: Record<string, SeedMessage[]>;
  /** Exit code (4 when the backup raised the alarm for a vanished folder). */
  code?: number;
  /** What the report must say was not copied, by reason code (all folders together). */
  notCopied?: Record<string, number>;
}

const m = (n: number, folder: string): SeedMessage => seedMessage(n, folder);
const tenInInbox = (): Record<string, SeedMessage[]> => ({ INBOX: Array.from({ length: 10 }, (_, k) => m(k + 1, 'INBOX')), Work: [] });

async function runScenario(s: Scenario): Promise<void> {
  const i = next++;
  const from = s.from === 'dot' ? dot : slash;
  const to = s.to === 'slash' ? slash : dot;
  const srcMail = Object.fromEntries(Object.entries(s.mail).map(([k, v]) => [from.flavour === 'dot' && k !== 'INBOX' ? `INBOX.${k.replace(/\//g, '.')}` : k, v]));
  await seed(from, `a${i}`, srcMail);
  if (s.before) await seed(to, `b${i}`, Object.fromEntries(Object.entries(s.before).map(([k, v]) => [mapped(to, k), v])));
  const archive = mkdtempSync(path.join(os.tmpdir(), 'arche-truth-'));
  const keep = await runCli(backupArgs(from.url(`a${i}`), archive, from.caFile), env(i));
  expect(keep.code, keep.stderr).toBe(0);
  await onServer(from, `a${i}`, s.change);

  const first = await migrate(i, from, to, archive);
  // The independent reader: the destination holds exactly the source as it is now (plus what was there before).
  const src = nonEmpty(await snapshot(from, `a${i}`));
  const dst = nonEmpty(await snapshot(to, `b${i}`));
  const want: Record<string, string[]> = {};
  for (const [folder, list] of Object.entries(src)) {
    const user = from.flavour === 'dot' && folder !== 'INBOX' ? folder.slice('INBOX.'.length).replace(/\./g, '/') : folder;
    want[mapped(to, user)] = list;
  }
  // Messages the user had already put there are the same as the source's here: none of them arrives twice.
  const before = s.before ?? {};
  expect(dst).toEqual(want);
  const sourceCount = Object.values(src).reduce((n, l) => n + l.length, 0);

  // Arche agrees: what it expected is the source now, all present, nothing missing; the differences have reasons.
  expect(first.code).toBe(s.code ?? 0);
  expectCountsAddUp(first);
  expect(first.out.counts.source).toBe(sourceCount);
  expect(first.report.expected).toBe(sourceCount);
  expect(first.report.present).toBe(sourceCount);
  const reasons = (r: Run): Record<string, number> => {
    const out: Record<string, number> = {};
    for (const f of r.report.folders) for (const n of f.notCopied) out[n.reason] = (out[n.reason] ?? 0) + n.count;
    return out;
  };
  expect(reasons(first)).toEqual(s.notCopied ?? {});
  const already = Object.values(before).reduce((n, l) => n + l.length, 0);
  expect(first.out.counts.already_there).toBe(already);
  expect(first.out.counts.copied).toBe(sourceCount - already);

  // A re-run copies nothing and tells the same differences.
  const again = await migrate(i, from, to, archive);
  expect(again.code).toBe(0);
  expectCountsAddUp(again);
  expect(again.out.counts.copied).toBe(0);
  expect(again.out.counts.source).toBe(sourceCount);
  expect(reasons(again)).toEqual(reasons(first));
  expect(nonEmpty(await snapshot(to, `b${i}`))).toEqual(dst);
}

describe('migrate copies the old mailbox as it is now', () => {
  it("the issue's case: 10 backed up, one moved to Work, one deleted → 9 at the new provider, each once, in its current folder", async () => {
    await runScenario({
      name: 'moved+deleted',
      to: 'slash',
      mail: tenInInbox(),
      change: async (c) => {
        await moveMsg(c, 'INBOX', 'num\u00e9ro 3.', 'Work');
        await deleteMsg(c, 'INBOX', 'num\u00e9ro 7.');
      },
      notCopied: { 'moved-at-source': 1, 'deleted-at-source': 1 },
    });
  });
  it('moved between folders (to the other layout)', async () => {
    await runScenario({ name: 'moved', mail: tenInInbox(), change: (c) => moveMsg(c, 'INBOX', 'num\u00e9ro 2.', 'Work'), notCopied: { 'moved-at-source': 1 } });
  });
  it('deleted', async () => {
    await runScenario({ name: 'deleted', from: 'dot', to: 'slash', mail: tenInInbox(), change: (c) => deleteMsg(c, 'INBOX', 'num\u00e9ro 5.'), notCopied: { 'deleted-at-source': 1 } });
  });
  it('moved, then deleted', async () => {
    await runScenario({
      name: 'moved-then-deleted',
      mail: tenInInbox(),
      change: async (c) => {
        await moveMsg(c, 'INBOX', 'num\u00e9ro 4.', 'Work');
        await deleteMsg(c, 'Work', 'num\u00e9ro 4.');
      },
      notCopied: { 'deleted-at-source': 1 },
    });
  });
  it('flagged after the backup: the flag the server has now arrives', async () => {
    await runScenario({
      name: 'flagged',
      mail: tenInInbox(),
      change: async (c) => {
        const uid = await uidOf(c, 'INBOX', 'num\u00e9ro 1.');
        const lock = await c.getMailboxLock('INBOX');
        try {
          await c.messageFlagsAdd(String(uid), ['\\Flagged', '\\Seen'], { uid: true });
        } finally {
          lock.release();
        }
      },
    });
  });
  it('the same message in two folders on purpose: both copies arrive', async () => {
    const mail = tenInInbox();
    mail.Work = [mail.INBOX[0], mail.INBOX[1]];
    await runScenario({ name: 'two-folders', mail, change: async () => undefined });
  });
  it('a folder renamed at the source: the new name only', async () => {
    const mail = tenInInbox();
    mail.Work = [m(20, 'Work'), m(21, 'Work')];
    await runScenario({ name: 'renamed', to: 'slash', mail, change: (c) => c.mailboxRename('Work', 'Projets').then(() => undefined), notCopied: { 'moved-at-source': 2 }, code: 4 });
  });
  it('a folder deleted at the source: not recreated, its messages named as deleted', async () => {
    const mail = tenInInbox();
    mail.Work = [m(20, 'Work'), m(21, 'Work')];
    await runScenario({ name: 'folder-deleted', to: 'slash', mail, change: (c) => c.mailboxDelete('Work').then(() => undefined), notCopied: { 'deleted-at-source': 2 }, code: 4 });
  });
  it('a destination that already holds some of the messages', async () => {
    const mail = tenInInbox();
    await runScenario({ name: 'already', mail, before: { INBOX: [mail.INBOX[0], mail.INBOX[1]] }, change: (c) => deleteMsg(c, 'INBOX', 'num\u00e9ro 9.'), notCopied: { 'deleted-at-source': 1 } });
  });
});

describe('what the archive holds beyond the source', () => {
  it('--bring-along: what the old mailbox no longer has goes once into "Retrouvés par Arche", never into INBOX', async () => {
    const i = next++;
    await seed(slash, `a${i}`, tenInInbox());
    const archive = mkdtempSync(path.join(os.tmpdir(), 'arche-truth-'));
    expect((await runCli(backupArgs(slash.url(`a${i}`), archive, slash.caFile), env(i))).code).toBe(0);
    await onServer(slash, `a${i}`, async (c) => {
      await deleteMsg(c, 'INBOX', 'num\u00e9ro 6.');
      await moveMsg(c, 'INBOX', 'num\u00e9ro 8.', 'Work');
    });
    const lostOne = contentsOf((await snapshot(slash, `a${i}`)).INBOX);
    const dry = await runCli(['migrate', '--from', slash.url(`a${i}`), '--from-password-env', 'SRC_PW', '--to', dot.url(`b${i}`), '--to-password-env', 'DST_PW', '--archive', archive, '--ca-file', slash.caFile, '--ca-file', dot.caFile, '--json', '--dry-run'], env(i));
    expect(dry.code, dry.stderr).toBe(0);
    const first = await migrate(i, slash, dot, archive, ['--bring-along']);
    expect(first.code).toBe(0);
    expectCountsAddUp(first);
    expect(first.out.counts).toMatchObject({ source: 9, copied: 9, archive_only: 1, brought_along: 1, left_in_archive: 0 });
    const dst = nonEmpty(await snapshot(dot, `b${i}`));
    expect(dst.INBOX).toEqual(lostOne);
    expect(dst['INBOX.Work']).toHaveLength(1);
    expect(dst['INBOX.Retrouvés par Arche']).toHaveLength(1);
    expect(dst['INBOX.Retrouvés par Arche'][0]).not.toBe(undefined);
    expect(dst.INBOX.map((x) => x.split('|')[0])).not.toContain(dst['INBOX.Retrouvés par Arche'][0].split('|')[0]);
    const inbox = first.report.folders.find((f) => f.destination === 'INBOX')!;
    expect(inbox.notCopied).toEqual(expect.arrayContaining([{ reason: 'moved-at-source', count: 1 }, { reason: 'brought-along', count: 1 }]));
    expect(first.report.folders.find((f) => f.destination === 'INBOX.Retrouvés par Arche')).toMatchObject({ expected: 1, present: 1 });
    // A re-run remembers the choice: nothing copied, the same folder checked.
    const again = await migrate(i, slash, dot, archive, ['--bring-along']);
    expectCountsAddUp(again);
    expect(again.out.counts).toMatchObject({ copied: 0, copied_before: 9, brought_along: 1 });
    expect(nonEmpty(await snapshot(dot, `b${i}`))).toEqual(dst);
  });
});

/** A Gmail-like account: labels are folders, All Mail holds every message, Important and Starred are views. */
function gmailLike(): { mail: Record<string, SeedMessage[]>; expected: Record<string, string[]> } {
  const g = (n: number): SeedMessage => seedMessage(300 + n, 'gmail');
  const [g1, g2, g3, g4, g5] = [g(1), g(2), g(3), g(4), g(5)];
  const mail = {
    INBOX: [g1, g4],
    Work: [g2, g4],
    '[Gmail]/All Mail': [g1, g2, g3, g4, g5],
    '[Gmail]/Important': [g2, g3],
    '[Gmail]/Starred': [g1, g5],
  };
  const hashes = (l: SeedMessage[]): string[] => contentsOf(l.map((x) => ({ uid: 0, hash: normHash(x.raw), exactHash: '', flags: [...x.flags].sort(), internalDate: x.date.getTime() })));
  // On a server without Gmail's views: each message once per label folder; All Mail's unlabelled ones once, in the
  // folder All Mail maps to (the dot-layout test server has no Archive folder).
  return { mail, expected: { INBOX: hashes([g1, g4]), 'INBOX.Work': hashes([g2, g4]), allMail: hashes([g3, g5]) } };
}

describe('a Gmail-like layout to a server without views', () => {
  it('migrate, then restore into another server: each message once per label folder, never in a view; All Mail only for unlabelled ones', async () => {
    const i = next++;
    const { mail, expected } = gmailLike();
    await seed(slash, `a${i}`, mail);
    const archive = mkdtempSync(path.join(os.tmpdir(), 'arche-truth-'));
    expect((await runCli(backupArgs(slash.url(`a${i}`), archive, slash.caFile), env(i))).code).toBe(0);
    const first = await migrate(i, slash, dot, archive);
    expect(first.code).toBe(0);
    expectCountsAddUp(first);
    const allMail = first.report.folders.find((f) => f.source === '[Gmail]/All Mail')!.destination;
    expect(allMail).not.toMatch(/Gmail|Important|Starred/);
    const want = { INBOX: expected.INBOX, 'INBOX.Work': expected['INBOX.Work'], [allMail]: expected.allMail };
    expect(nonEmpty(await snapshot(dot, `b${i}`))).toEqual(want);
    expect(first.out.counts.source).toBe(6);
    const again = await migrate(i, slash, dot, archive);
    expect(again.out.counts.copied).toBe(0);
    expect(nonEmpty(await snapshot(dot, `b${i}`))).toEqual(want);
    // Restored from the same archive into another server without views: the same, once per label folder.
    const r = await runCli(['restore', '--to', dot.url(`b${next}`), '--password-env', 'DST2_PW', '--from-account', slash.url(`a${i}`), '--archive', archive, '--ca-file', dot.caFile, '--json'], { DST2_PW: `pw-b${next}` });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ copied: 6, failed: 0 });
    expect(nonEmpty(await snapshot(dot, `b${next++}`))).toEqual(want);
  });
});

describe('restore tells the truth too', () => {
  it('a message moved at the source is not put back into its old folder; a deleted one is; an intact account gets nothing', async () => {
    const i = next++;
    await seed(slash, `a${i}`, tenInInbox());
    const archive = mkdtempSync(path.join(os.tmpdir(), 'arche-truth-'));
    const keep = (): Promise<{ code: number | null }> => runCli(backupArgs(slash.url(`a${i}`), archive, slash.caFile), env(i));
    expect((await keep()).code).toBe(0);
    const intact = nonEmpty(await snapshot(slash, `a${i}`));
    const restoreArgs = ['restore', '--to', slash.url(`a${i}`), '--password-env', 'PW', '--archive', archive, '--ca-file', slash.caFile, '--json'];
    // Restoring into the same account, intact: nothing to copy.
    const same = await runCli(restoreArgs, env(i));
    expect(JSON.parse(same.stdout)).toMatchObject({ copied: 0, failed: 0 });
    expect(nonEmpty(await snapshot(slash, `a${i}`))).toEqual(intact);

    await onServer(slash, `a${i}`, async (c) => {
      await moveMsg(c, 'INBOX', 'num\u00e9ro 3.', 'Work');
      await deleteMsg(c, 'INBOX', 'num\u00e9ro 7.');
    });
    expect((await keep()).code).toBe(0);
    const r = await runCli(restoreArgs, env(i));
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ copied: 1, still_on_server: 1, failed: 0 });
    const now = nonEmpty(await snapshot(slash, `a${i}`));
    // The deleted one is back in INBOX; the moved one is in Work only.
    expect(now.INBOX).toHaveLength(9);
    expect(now.Work).toHaveLength(1);
    expect(now.INBOX.map((x) => x.split('|')[0])).not.toContain(now.Work[0].split('|')[0]);
    expect([...now.INBOX, ...now.Work].sort()).toEqual(intact.INBOX);
    const rerun = await runCli(restoreArgs, env(i));
    expect(JSON.parse(rerun.stdout)).toMatchObject({ copied: 0, still_on_server: 1 });
  });
  it('after a provider wipe, restore still brings everything back', async () => {
    const i = next++;
    const mail = tenInInbox();
    mail.Work = [m(40, 'Work'), m(41, 'Work')];
    await seed(slash, `a${i}`, mail);
    const archive = mkdtempSync(path.join(os.tmpdir(), 'arche-truth-'));
    expect((await runCli(backupArgs(slash.url(`a${i}`), archive, slash.caFile), env(i))).code).toBe(0);
    const intact = nonEmpty(await snapshot(slash, `a${i}`));
    slash.wipe(`a${i}`);
    await runCli(backupArgs(slash.url(`a${i}`), archive, slash.caFile), env(i));
    const r = await runCli(['restore', '--to', slash.url(`a${i}`), '--password-env', 'PW', '--archive', archive, '--ca-file', slash.caFile, '--json'], env(i));
    expect(r.code, r.stderr).toBe(0);
    expect(nonEmpty(await snapshot(slash, `a${i}`))).toEqual(intact);
  });
});
