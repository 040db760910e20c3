/**
 * Conversations through a real backup (issue 14): a thread whose messages sit in INBOX and in Sent of a real
 * Dovecot is backed up with `arche backup`; the archive's conversation holds every message once (the answer is in
 * both folders: one entry, both folders), in date order. A later backup brings a message whose References bridge
 * that thread and another one: they become one conversation, still in date order.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { plainMessage, testClient } from '../helpers/corpus.ts';
import { startServer, type TestServer } from '../helpers/servers.ts';
import { arche, backupArgs, buildCli, cleanUp, tempDir } from './keep-helpers.ts';
import { openArchive } from '../../main/engine/archive/archive.node.ts';
import { conversations } from '../../main/engine/find/threads.node.ts';

let server: TestServer;
beforeAll(async () => {
  buildCli();
  server = await startServer('dovecot');
}, 120_000);
afterAll(() => {
  server?.stop();
  cleanUp();
});

const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');
const at = (day: number, hour: number): Date => new Date(Date.UTC(2024, 2, day, hour));
function msg(id: string, subject: string, date: Date, refs: string[] = [], from = 'Paul <paul@example.org>'): Buffer {
  const extra = refs.length ? [`In-Reply-To: <${refs[refs.length - 1]}>`, `References: ${refs.map((r) => `<${r}>`).join(' ')}`] : [];
  return plainMessage({ subject, from, body: `Corps de ${id}`, messageId: id, date, extraHeaders: extra });
}

describe('conversations from a real backup', () => {
  it('groups a thread across INBOX and Sent, once per message, in date order; a late message joins two threads', async () => {
    const a1 = msg('a1@x', 'Assemblée générale', at(1, 9));
    const a2 = msg('a2@x', 'Re: Assemblée générale', at(1, 12), ['a1@x'], 'Alice <alice@example.org>');
    const a3 = msg('a3@x', 'Re: Assemblée générale', at(2, 8), ['a1@x', 'a2@x']);
    const b1 = msg('b1@x', 'Procès-verbal', at(3, 9));
    const c = await testClient(server.url('alice'), 'alice-pass', server.caPem);
    await c.mailboxCreate('Sent').catch(() => undefined);
    // stored out of order on purpose: the server's order is not the conversation's
    for (const raw of [a3, a1, a2, b1]) await c.append('INBOX', raw, ['\\Seen']);
    await c.append('Sent', a2, ['\\Seen']);
    await c.logout();

    const dir = tempDir('threads');
    const run = async (): Promise<void> => {
      const b = await arche(backupArgs(server.url('alice'), dir, server.caFile, 'PW'), { PW: 'alice-pass' });
      expect(b.code, b.stderr).toBe(0);
    };
    await run();
    let archive = openArchive(dir);
    try {
      const conv = conversations(archive.db);
      const thread = conv.conversation(sha(a1));
      expect(thread.messages.map((m) => m.id)).toEqual([sha(a1), sha(a2), sha(a3)]);
      expect(thread.messages[1]).toMatchObject({ folders: ['INBOX', 'Sent'], copies: 1, from: 'Alice <alice@example.org>' });
      expect(conv.conversation(sha(b1)).messages.map((m) => m.id)).toEqual([sha(b1)]);
      const page = conv.page({ account: server.url('alice'), folder: 'INBOX' });
      expect(page.conversations.map((s) => [s.subject, s.count])).toEqual([['Procès-verbal', 1], ['Assemblée générale', 3]]);
      expect(conv.page({ account: server.url('alice'), folder: 'Sent' }).conversations.map((s) => s.count)).toEqual([3]);
      // keyset pages: one at a time, nothing lost, nothing twice
      const p1 = conv.page({ limit: 1 });
      const p2 = conv.page({ limit: 1, after: p1.next! });
      expect([...p1.conversations, ...p2.conversations].map((s) => s.subject)).toEqual(['Procès-verbal', 'Assemblée générale']);
      expect(p2.next).toBeNull();
    } finally {
      archive.close();
    }

    const late = msg('late@x', 'Re: Procès-verbal', at(4, 10), ['a1@x', 'b1@x'], 'Alice <alice@example.org>');
    const c2 = await testClient(server.url('alice'), 'alice-pass', server.caPem);
    await c2.append('Sent', late, ['\\Seen']);
    await c2.logout();
    await run();
    archive = openArchive(dir);
    try {
      const conv = conversations(archive.db);
      expect(conv.conversation(sha(b1)).messages.map((m) => m.id)).toEqual([sha(a1), sha(a2), sha(a3), sha(b1), sha(late)]);
      expect(conv.page({}).conversations.map((s) => [s.subject, s.count, s.id])).toEqual([['Assemblée générale', 5, sha(late)]]);
    } finally {
      archive.close();
    }
  });
});
