/**
 * Keep against a server that lies or a network that fails, made from a real Dovecot: a TLS proxy that rewrites its
 * answers (a body left out, a body cut short, a UIDNEXT below the cursor, an absurd UIDNEXT), a proxy that cuts the
 * connection every 2 MB, and a blob file truncated by hand. Nothing may be skipped in silence or stored short.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync, statSync, truncateSync } from 'node:fs';
import { startDovecot, type Dovecot } from '../helpers/dovecot.ts';
import { omitBody, rewriteUidNext, shortBody, startFaultProxy, type FaultProxy } from '../helpers/imap-fault-proxy.ts';
import { startCuttingProxy, type CuttingProxy } from '../helpers/cutting-proxy.ts';
import { plainMessage, testClient } from '../helpers/corpus.ts';
import { openArchive } from '../../main/engine/archive/archive.node.ts';
import { blobPath } from '../../main/engine/archive/blob-store.node.ts';
import { backup, type BackupSummary } from '../../main/engine/keep/backup.node.ts';
import { formatError, type ArcheErrorData } from '../../shared/errors.std.ts';
import { tempDir, cleanUp } from './keep-helpers.ts';
import { engine } from '../../main/host/engine.node.ts';

let d: Dovecot;
let proxy: FaultProxy;
let cutter: CuttingProxy | null = null;
let user = 0;

beforeAll(async () => {
  d = await startDovecot({ flavour: 'slash', users: Array.from({ length: 8 }, (_, i) => ({ user: `u${i}`, password: `p${i}` })) });
  proxy = await startFaultProxy(d);
});
afterEach(() => proxy.setResponseRule(null));
afterAll(async () => {
  await cutter?.close();
  await proxy?.stop();
  d?.stop();
  cleanUp();
});

/** A fresh mailbox with these messages in INBOX; returns the user, their UIDs and raw bytes. */
async function mailbox(messages: Buffer[]): Promise<{ name: string; pass: string; uids: number[] }> {
  const name = `u${user}`;
  const pass = `p${user++}`;
  const c = await testClient(d.url(name), pass, d.caPem);
  const uids: number[] = [];
  for (const raw of messages) {
    const r = await c.append('INBOX', raw, ['\\Seen'], new Date('2021-03-12T09:00:00Z'));
    uids.push(Number((r as { uid?: number }).uid));
  }
  await c.logout();
  return { name, pass, uids };
}

async function run(name: string, pass: string, archiveDir: string, url = proxy.url(name), extra: { maxRetries?: number } = {}): Promise<{ summary: BackupSummary; notices: ArcheErrorData[] }> {
  const notices: ArcheErrorData[] = [];
  const summary = await backup(
    { url, password: pass, ca: [d.caPem] },
    { archiveDir, retryDelaysMs: [20], maxRetries: extra.maxRetries ?? 3, onProgress: (e) => e.notice && notices.push(e.notice) },
  );
  return { summary, notices };
}

function storedRaw(archiveDir: string): Map<number, Buffer> {
  const a = openArchive(archiveDir);
  try {
    return new Map([...a.placements({ includeGone: true })].filter((p) => p.folderPath === 'INBOX' && p.serverGoneAt === null).map((p) => [p.uid, a.readRaw(p.contentId)]));
  } finally {
    a.close();
  }
}

const msg = (subject: string, body = `Corps de ${subject}.`): Buffer => plainMessage({ subject, body, date: new Date('2021-03-12T09:00:00Z') });

describe('keep: no message skipped in silence', () => {
  it('a FETCH answer without the body: asked again, named after a few tries, stored once the server gives it', async () => {
    const raws = [msg('Bonjour'), msg('Facture de mars'), msg('Au revoir')];
    const { name, pass, uids } = await mailbox(raws);
    const archiveDir = tempDir('omit');
    proxy.setResponseRule(omitBody(uids[1]));
    for (let i = 1; i <= 3; i++) {
      const { summary } = await run(name, pass, archiveDir);
      expect(summary.new).toBe(i === 1 ? 2 : 0);
      expect(summary.unreadable).toEqual([{ folder: 'INBOX', uid: uids[1], subject: 'Facture de mars', date: Date.parse('2021-03-12T09:00:00Z'), tries: i, reason: 'no-body' }]);
    }
    expect([...storedRaw(archiveDir).keys()].sort()).toEqual([uids[0], uids[2]]);
    // In the app: the account card names it.
    const card = (await engine.listAccounts(archiveDir)).find((a) => a.label === name)!;
    expect(card.unreadable).toEqual([{ folder: 'INBOX', subject: 'Facture de mars', date: Date.parse('2021-03-12T09:00:00Z'), tries: 3 }]);
    const words = formatError({ code: 'backup-unreadable', fields: { subject: 'Facture de mars', date: Date.parse('2021-03-12T09:00:00Z'), folder: 'INBOX', tries: 3 } }, 'fr');
    expect(words).toContain("Un message qu'Arche n'a pas pu lire : « Facture de mars », du 12/03/2021, dossier INBOX.");

    // The server behaves again: the message is stored, with its exact bytes, and no longer named.
    proxy.setResponseRule(null);
    const { summary } = await run(name, pass, archiveDir);
    expect(summary.new).toBe(1);
    expect(summary.unreadable).toEqual([]);
    const stored = storedRaw(archiveDir);
    expect(stored.size).toBe(3);
    expect(stored.get(uids[1])!.toString('latin1')).toBe(raws[1].toString('latin1'));
  });

  it('a body shorter than its RFC822.SIZE is refetched, then reported, never stored short', async () => {
    const raws = [msg('Court'), msg('Contrat signé', 'x'.repeat(5000))];
    const { name, pass, uids } = await mailbox(raws);
    const archiveDir = tempDir('short');
    proxy.setResponseRule(shortBody(uids[1], 1000));
    const { summary } = await run(name, pass, archiveDir);
    expect(summary.unreadable.map((u) => [u.uid, u.reason, u.subject])).toEqual([[uids[1], 'size-mismatch', 'Contrat signé']]);
    expect(storedRaw(archiveDir).has(uids[1])).toBe(false);

    // Cut once only: the in-run second fetch gets it whole.
    const other = tempDir('short-once');
    proxy.setResponseRule(shortBody(uids[1], 1000, 1));
    const again = await run(name, pass, other);
    expect(again.summary.unreadable).toEqual([]);
    expect(storedRaw(other).get(uids[1])!.equals(Buffer.from(raws[1]))).toBe(true);
  });
});

describe('keep: every loss is visible', () => {
  it('below the alarm threshold, the summary and the account card still say how many the server lost, and since when', async () => {
    const { name, pass, uids } = await mailbox([msg('Garde'), msg('Perdu'), msg('Reste')]);
    const archiveDir = tempDir('visible');
    await run(name, pass, archiveDir);
    const c = await testClient(d.url(name), pass, d.caPem);
    const lock = await c.getMailboxLock('INBOX');
    try {
      await c.messageDelete(String(uids[1]), { uid: true });
    } finally {
      lock.release();
    }
    await c.logout();
    const before = Date.now();
    const { summary } = await run(name, pass, archiveDir);
    expect(summary.alarms).toEqual([]);
    expect(summary.serverMissing).toBe(1);
    expect(summary.missingSince).toBeGreaterThanOrEqual(before - 1000);
    const words = formatError({ code: 'backup-server-missing', fields: { missing: 1, since: summary.missingSince!, command: 'arche restore' } }, 'fr');
    expect(words).toContain("Votre fournisseur n'a plus 1 message que vous aviez (depuis le ");
    const card = (await engine.listAccounts(archiveDir)).find((a) => a.label === name)!;
    expect(card.serverMissing).toEqual({ count: 1, since: summary.missingSince });
    expect(card.unreadable).toEqual([]);
  });
});

describe('keep: a server that lies', () => {
  it('a UIDNEXT below the cursor (same UIDVALIDITY) is a renumbering: alarm, then everything kept, nothing taken for "nothing new"', async () => {
    const { name, pass } = await mailbox([msg('Un'), msg('Deux'), msg('Trois')]);
    const archiveDir = tempDir('uidnext');
    expect((await run(name, pass, archiveDir)).summary.new).toBe(3);
    // Two new messages arrive; the server then announces a UIDNEXT of 2.
    const c = await testClient(d.url(name), pass, d.caPem);
    await c.append('INBOX', msg('Quatre'), [], new Date());
    await c.append('INBOX', msg('Cinq'), [], new Date());
    await c.logout();
    proxy.setResponseRule(rewriteUidNext(() => 2));
    const { summary } = await run(name, pass, archiveDir);
    expect(summary.alarms.map((a) => [a.kind, a.folder])).toEqual([['uidnext-went-back', 'INBOX']]);
    const a = openArchive(archiveDir);
    try {
      const subjects = new Set([...a.placements()].map((p) => a.readRaw(p.contentId).toString('utf8').match(/Subject: (.*)\r\n/)![1]));
      expect([...subjects].sort()).toEqual(['Cinq', 'Deux', 'Quatre', 'Trois', 'Un']);
      // Matched by content: the three old ones are stored once.
      expect(a.db.prepare('SELECT count(*) FROM contents').pluck().get()).toBe(5);
    } finally {
      a.close();
    }
  });

  it('an absurd UIDNEXT is refused in plain words; the folder is left as it was', async () => {
    const { name, pass } = await mailbox([msg('Seul')]);
    const archiveDir = tempDir('absurd');
    proxy.setResponseRule(rewriteUidNext(() => 4294967297));
    const notices: ArcheErrorData[] = [];
    await expect(
      backup({ url: proxy.url(name), password: pass, ca: [d.caPem] }, { archiveDir, onProgress: (e) => e.notice && notices.push(e.notice) }),
    ).rejects.toMatchObject({ code: 'backup-folders-refused' });
    const said = notices.find((n) => n.code === 'backup-server-nonsense')!;
    expect(formatError(said, 'fr')).toContain('Votre fournisseur a donné une réponse impossible pour le dossier INBOX (UIDNEXT 4294967297)');
  });
});

describe('keep: durable on disk', () => {
  it('a blob file truncated by hand is detected and fetched again at the next backup', async () => {
    const big = plainMessage({ subject: 'Pièce jointe', body: randomBytes(300 * 1024).toString('base64').replace(/.{76}/g, '$&\r\n') });
    const { name, pass } = await mailbox([big, msg('Petit')]);
    const archiveDir = tempDir('blob');
    await run(name, pass, archiveDir);
    const sha = createHash('sha256').update(big).digest('hex');
    const file = blobPath(archiveDir, sha);
    const size = statSync(file).size;
    truncateSync(file, Math.floor(size / 2));
    const { summary } = await run(name, pass, archiveDir);
    expect(summary.repaired).toBe(1);
    expect(statSync(file).size).toBe(size);
    const a = openArchive(archiveDir);
    try {
      expect(a.readRaw(a.contentIdBySha(sha)!).equals(big)).toBe(true);
    } finally {
      a.close();
    }
    expect(readFileSync(file).length).toBe(size);
  });
});

describe('keep: big messages through a bad network', () => {
  it('a 30 MB message over a connection cut every 2 MB arrives whole (ranges resumed, retries without progress only)', async () => {
    const big = plainMessage({ subject: 'Gros fichier', body: randomBytes(22 * 1024 * 1024).toString('base64').replace(/.{76}/g, '$&\r\n') });
    expect(big.length).toBeGreaterThan(29 * 1024 * 1024);
    const { name, pass } = await mailbox([msg('Avant'), big]);
    cutter = await startCuttingProxy({ targetHost: '127.0.0.1', targetPort: d.port, cutAfterBytes: 2 * 1024 * 1024, cuts: 1000 });
    const archiveDir = tempDir('bignet');
    const { summary, notices } = await run(name, pass, archiveDir, `imaps://${name}@127.0.0.1:${cutter.port}`, { maxRetries: 3 });
    expect(cutter.cutsDone).toBeGreaterThan(10);
    expect(notices.filter((n) => n.code === 'connection-lost').length).toBe(cutter.cutsDone);
    expect(summary.unreadable).toEqual([]);
    const stored = [...storedRaw(archiveDir).values()];
    expect(stored.some((b) => b.equals(big))).toBe(true);
  });
});
