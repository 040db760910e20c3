/**
 * Move's copy against a REAL destination that throttles or is full: a real Dovecot behind the fault proxy
 * (test/helpers/imap-fault-proxy.ts), which answers chosen APPEND commands itself the way providers do — Microsoft's
 * "Suggested Backoff Time", Mailo's "NO [UNAVAILABLE] Temporary unavailable", "NO [OVERQUOTA]" — and stores
 * nothing for them. The copy engine runs in-process so that its waits are recorded instead of slept
 * (`wait` resolves at once). Every case checks the destination by content: everything arrived exactly once.
 */
import { describe, it, expect, beforeAll, afterAll, afterEach } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { startDovecot, type Dovecot } from '../helpers/dovecot.ts';
import { startFaultProxy, type AppendRule, type FaultProxy } from '../helpers/imap-fault-proxy.ts';
import { seed, seedMessage, snapshot, contentsOf, normHashOf, type SeedMessage } from './move-helpers.ts';
import { openArchive, type Archive } from '../../main/engine/archive/archive.node.ts';
import { backupAccount, connectAccount } from '../../main/engine/move/keep-adapter.node.ts';
import { listFolders, namespaceOf } from '../../main/engine/move/listing.node.ts';
import { mappingFromArchive, plannedMessages } from '../../main/engine/transfer/selection.node.ts';
import { copyPlanned, subjectOf, type CopySummary } from '../../main/engine/transfer/copy.node.ts';
import { canonicalAccountUrl } from '../../main/engine/imap/account-url.std.ts';
import { formatError, type ArcheErrorData } from '../../shared/errors.std.ts';
import type { AccountSpec } from '../../shared/types.std.ts';

const MICROSOFT_1500 = 'NO Request is throttled. Suggested Backoff Time: 1500 milliseconds';
const UNAVAILABLE = 'NO [UNAVAILABLE] Temporary unavailable';
const OVERQUOTA = 'NO [OVERQUOTA] Quota exceeded';
/** Capabilities of a destination without MULTIAPPEND (Dovecot's own list otherwise). */
const NO_MULTIAPPEND = 'protocol imap {\n  imap_capability = IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE IDLE SORT UNSELECT CHILDREN NAMESPACE UIDPLUS LIST-EXTENDED I18NLEVEL=1 CONDSTORE QRESYNC ESEARCH SPECIAL-USE LIST-STATUS BINARY MOVE LITERAL+\n}\n';

let source: Dovecot;
let archiveDir: string;
let archive: Archive;
let accountId: number;
const mail: Record<string, SeedMessage[]> = { INBOX: [], Famille: [] };
const cleanups: (() => Promise<void> | void)[] = [];

beforeAll(async () => {
  for (let n = 0; n < 8; n++) mail.INBOX.push(seedMessage(3000 + n, 'INBOX'));
  for (let n = 0; n < 4; n++) mail.Famille.push(seedMessage(3100 + n, 'Famille'));
  source = await startDovecot({ flavour: 'slash' });
  await seed(source, 'alice', mail);
  // The copy reads from the archive, as in a migration: back the source up into a fresh one, with the engine.
  archiveDir = mkdtempSync(path.join(os.tmpdir(), 'arche-throttle-'));
  archive = openArchive(archiveDir);
  const from: AccountSpec = { url: source.url('alice'), password: 'alice-pass', ca: [source.caPem] };
  await backupAccount(archive, from);
  accountId = archive.getAccount(canonicalAccountUrl(from.url))!.id;
}, 60_000);

afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

afterAll(() => {
  archive?.close();
  source?.stop();
  if (archiveDir) rmSync(archiveDir, { recursive: true, force: true });
});

/** A fresh destination Dovecot (bob) behind a fault proxy, stopped after the test. */
async function destination(rule: AppendRule, extraConfig?: string): Promise<{ d: Dovecot; proxy: FaultProxy; spec: AccountSpec }> {
  const d = await startDovecot({ flavour: 'slash', ...(extraConfig ? { extraConfig } : {}) });
  const proxy = await startFaultProxy(d, rule);
  cleanups.push(() => d.stop(), () => proxy.stop());
  return { d, proxy, spec: { url: proxy.url('bob'), password: 'bob-pass', ca: [d.caPem] } };
}

interface CopyRun {
  summary: CopySummary;
  /** The delays the copy asked to wait, in order (recorded, not slept). */
  waits: number[];
  /** Notices sent with the progress events, in order. */
  notices: ArcheErrorData[];
}

/** Plans the archived account onto the destination and copies it through the proxy, as a migration does. */
async function copyThrough(spec: AccountSpec): Promise<CopyRun> {
  const lister = await connectAccount(spec);
  let plans;
  try {
    const folders = await listFolders(lister, false);
    plans = plannedMessages(archive, accountId, mappingFromArchive(archive, accountId, folders, namespaceOf(lister, folders)));
  } finally {
    await lister.logout();
  }
  const waits: number[] = [];
  const notices: ArcheErrorData[] = [];
  const summary = await copyPlanned(
    {
      connect: () => connectAccount(spec),
      archive,
      plans,
      connections: 1,
      wait: async (ms) => {
        waits.push(ms);
      },
    },
    { onProgress: (e) => e.notice && notices.push(e.notice) },
  );
  return { summary, waits, notices };
}

/** Each folder of the destination holds exactly the source's messages (content, flags, date), each once, but `except`. */
async function expectSameAsSource(d: Dovecot, except: SeedMessage[] = []): Promise<void> {
  const [src, dst] = await Promise.all([snapshot(source, 'alice'), snapshot(d, 'bob')]);
  const left = new Set(except.map((m) => normHashOf(m.raw)));
  for (const folder of ['INBOX', 'Famille']) {
    const expected = src[folder].filter((m) => !left.has(m.hash));
    // contentsOf compares sorted lists: a message stored twice would make the destination's list longer.
    expect(contentsOf(dst[folder]), folder).toEqual(contentsOf(expected));
  }
  expect(Object.keys(dst).filter((f) => dst[f].length > 0).sort()).toEqual(['Famille', 'INBOX']);
}

function throttleNotices(notices: ArcheErrorData[]): ArcheErrorData[] {
  return notices.filter((n) => n.code === 'move-throttled');
}

describe('copy against a throttling destination (real Dovecot behind the fault proxy)', () => {
  it('Microsoft "Backoff Time" on a MULTIAPPEND batch: waits the hint once (imapflow already did), tells the user, then everything arrives once', async () => {
    const { d, proxy, spec } = await destination((a) => (a.index === 1 ? MICROSOFT_1500 : null));
    const run = await copyThrough(spec);

    // The batch was a MULTIAPPEND of the whole INBOX, refused once, then sent again and stored.
    expect(proxy.appends).toEqual([
      { index: 1, messages: 8, refused: MICROSOFT_1500 },
      { index: 2, messages: 8, refused: null },
      { index: 3, messages: 4, refused: null },
    ]);
    // imapflow waits out Microsoft's hint itself before reporting it (throttleWaited): nothing more is owed, so the
    // copy waits 0 more, not the hint a second time; the person is still told why the copy paused.
    expect(run.waits).toEqual([0]);
    const notices = throttleNotices(run.notices);
    expect(notices).toHaveLength(1);
    const at = String(notices[0].fields.at);
    expect(at).toMatch(/^\d\d:\d\d$/);
    expect(notices[0].fields.seconds).toBe(0);
    // French says the time as people write it ("8 h 48"), English as a clock ("08:48").
    const [hh, mm] = at.split(':');
    expect(formatError(notices[0], 'fr')).toBe(`Le nouveau fournisseur demande de ralentir. Arche attend et reprendra la copie à ${Number(hh)}\u00a0h\u00a0${mm}. Rien à faire : laissez Arche ouvert, la copie continue toute seule.`);
    expect(formatError(notices[0], 'en')).toBe(`The new provider asks Arche to slow down. Arche is waiting and will carry on at ${at}. Nothing to do: leave Arche open, the copy carries on by itself.`);

    expect(run.summary).toMatchObject({ copied: 12, skippedExisting: 0, failed: 0, failures: [] });
    await expectSameAsSource(d);
  }, 60_000);

  it('"NO [UNAVAILABLE] Temporary unavailable" twice, then accepted: 5 s then 10 s, nothing lost, nothing twice', async () => {
    const { d, proxy, spec } = await destination((a) => (a.index <= 2 ? UNAVAILABLE : null));
    const run = await copyThrough(spec);

    expect(proxy.appends.map((a) => [a.messages, a.refused])).toEqual([[8, UNAVAILABLE], [8, UNAVAILABLE], [8, null], [4, null]]);
    expect(run.waits).toEqual([5_000, 10_000]);
    expect(throttleNotices(run.notices).map((n) => n.fields.seconds)).toEqual([5, 10]);
    expect(run.summary).toMatchObject({ copied: 12, skippedExisting: 0, failed: 0, failures: [] });
    await expectSameAsSource(d);
  }, 60_000);

  it('a batch refused for quota, then one by one: only the one refused message is listed, with the quota reason', async () => {
    const refusedOne = mail.INBOX[5];
    const { d, proxy, spec } = await destination((a) => (a.messages.length > 1 || a.messages[0].equals(refusedOne.raw) ? OVERQUOTA : null));
    const run = await copyThrough(spec);

    // INBOX: the batch (refused), then its 8 messages one by one; Famille: the same with 4.
    expect(proxy.appends.map((a) => a.messages)).toEqual([8, 1, 1, 1, 1, 1, 1, 1, 1, 4, 1, 1, 1, 1]);
    expect(proxy.appends.filter((a) => a.refused).map((a) => a.index)).toEqual([1, 7, 10]);
    expect(run.waits).toEqual([]);
    expect(throttleNotices(run.notices)).toEqual([]);
    expect(run.summary).toMatchObject({ copied: 11, skippedExisting: 0, failed: 1 });
    expect(run.summary.failures).toHaveLength(1);
    const failure = run.summary.failures[0];
    const subject = subjectOf(refusedOne.raw);
    expect(subject).toContain('Message 3005');
    expect(failure).toMatchObject({ sourceFolder: 'INBOX', destination: 'INBOX', normHash: normHashOf(refusedOne.raw), reason: { code: 'move-quota-full', fields: { subject, folder: 'INBOX' } } });
    expect(formatError(failure.reason, 'fr')).toContain(`le message « ${subject} » (dossier « INBOX ») n'a pas pu y être copié`);
    expect(formatError(failure.reason, 'en')).toContain(`the message "${subject}" (folder "INBOX") could not be copied there`);
    await expectSameAsSource(d, [refusedOne]);
  }, 60_000);

  it('a destination without MULTIAPPEND, throttled on single APPENDs: waits, then everything arrives once', async () => {
    const microsoft300 = 'NO Request is throttled. Suggested Backoff Time: 300 milliseconds';
    const { d, proxy, spec } = await destination((a) => (a.index === 2 ? UNAVAILABLE : a.index === 5 ? microsoft300 : null), NO_MULTIAPPEND);
    const run = await copyThrough(spec);

    // One message per APPEND: 12 stored, plus the 2 refused tries.
    expect(proxy.appends.every((a) => a.messages === 1)).toBe(true);
    expect(proxy.appends).toHaveLength(14);
    expect(proxy.appends.filter((a) => a.refused).map((a) => [a.index, a.refused])).toEqual([[2, UNAVAILABLE], [5, microsoft300]]);
    // The Microsoft hint was already waited out inside imapflow: 0 more.
    expect(run.waits).toEqual([5_000, 0]);
    expect(throttleNotices(run.notices).map((n) => n.fields.seconds)).toEqual([5, 0]);
    expect(run.summary).toMatchObject({ copied: 12, skippedExisting: 0, failed: 0, failures: [] });
    await expectSameAsSource(d);
  }, 60_000);
});

/** A raw IMAP conversation over TLS, line by line (the proxy's literal handling, without imapflow's choices). */
async function rawSession(proxy: FaultProxy, caPem: string): Promise<{ send: (s: string | Buffer) => void; line: (re: RegExp) => Promise<string>; end: () => void }> {
  const sock = tls.connect({ host: proxy.host, port: proxy.port, ca: [caPem] });
  let buffered = '';
  let waiter: (() => void) | null = null;
  sock.on('data', (d: Buffer) => {
    buffered += d.toString('latin1');
    waiter?.();
  });
  const line = async (re: RegExp): Promise<string> => {
    for (;;) {
      const lines = buffered.split('\r\n');
      for (let i = 0; i < lines.length - 1; i++) {
        if (re.test(lines[i])) {
          buffered = lines.slice(i + 1).join('\r\n');
          return lines[i];
        }
      }
      await new Promise<void>((resolve, reject) => {
        waiter = resolve;
        sock.once('close', () => reject(new Error(`connection closed while waiting for ${re}; got ${JSON.stringify(buffered)}`)));
      });
    }
  };
  await line(/^\* OK/);
  return { send: (s) => sock.write(s), line, end: () => sock.destroy() };
}

describe('the fault proxy itself', () => {
  it('handles synchronizing literals and LITERAL+ MULTIAPPEND: refused commands store nothing, forwarded ones are stored', async () => {
    const one = seedMessage(3900, 'INBOX').raw;
    const two = seedMessage(3901, 'INBOX').raw;
    const three = seedMessage(3902, 'INBOX').raw;
    const four = seedMessage(3903, 'INBOX').raw;
    const { d, proxy } = await destination((a) => (a.index === 1 || a.index === 3 ? OVERQUOTA : null));
    const s = await rawSession(proxy, d.caPem);
    try {
      s.send('a1 LOGIN bob bob-pass\r\n');
      await s.line(/^a1 OK/);
      // Synchronizing literal, refused: the proxy gives the continuation itself, then answers NO.
      s.send(`a2 APPEND INBOX {${one.length}}\r\n`);
      await s.line(/^\+ /);
      s.send(Buffer.concat([one, Buffer.from('\r\n')]));
      expect(await s.line(/^a2 /)).toBe(`a2 ${OVERQUOTA}`);
      // Synchronizing literal, forwarded: Dovecot's continuation, Dovecot's OK.
      s.send(`a3 APPEND INBOX (\\Seen) {${one.length}}\r\n`);
      await s.line(/^\+ /);
      s.send(Buffer.concat([one, Buffer.from('\r\n')]));
      expect(await s.line(/^a3 /)).toMatch(/^a3 OK \[APPENDUID \d+ 1\]/);
      // LITERAL+ MULTIAPPEND, refused whole, then the same forwarded.
      const multi = (tag: string): Buffer => Buffer.concat([Buffer.from(`${tag} APPEND INBOX {${two.length}+}\r\n`), two, Buffer.from(` (\\Flagged) {${three.length}+}\r\n`), three, Buffer.from('\r\n')]);
      s.send(multi('a4'));
      expect(await s.line(/^a4 /)).toBe(`a4 ${OVERQUOTA}`);
      s.send(multi('a5'));
      expect(await s.line(/^a5 /)).toMatch(/^a5 OK \[APPENDUID \d+ 2:3\]/);
      // The mailbox name as a literal is not a message.
      s.send(Buffer.concat([Buffer.from('a6 APPEND {5+}\r\nINBOX {' + four.length + '+}\r\n'), four, Buffer.from('\r\n')]));
      expect(await s.line(/^a6 /)).toMatch(/^a6 OK \[APPENDUID \d+ 4\]/);
      s.send('a7 LOGOUT\r\n');
      await s.line(/^a7 OK/);
    } finally {
      s.end();
    }
    expect(proxy.appends).toEqual([
      { index: 1, messages: 0, refused: OVERQUOTA },
      { index: 2, messages: 0, refused: null },
      { index: 3, messages: 2, refused: OVERQUOTA },
      { index: 4, messages: 2, refused: null },
      { index: 5, messages: 1, refused: null },
    ]);
    const inbox = (await snapshot(d, 'bob')).INBOX;
    expect(inbox.map((m) => m.hash).sort()).toEqual([one, two, three, four].map(normHashOf).sort());
  }, 60_000);
});
