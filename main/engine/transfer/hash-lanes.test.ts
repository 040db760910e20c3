/**
 * Hashing several folders over several connections, against a fake server (the real-server cases are the move's
 * integration tests): every UID downloaded once, results per folder in UID order, a refused extra connection and a
 * failing one handled.
 */
import { describe, it, expect } from 'vitest';
import type { ImapFlow } from 'imapflow';
import { hashFolders } from './hash-lanes.node.ts';
import { normHash } from '../archive/norm-hash.node.ts';

const raw = (folder: string, uid: number): Buffer => Buffer.from(`Subject: ${folder} ${uid}\r\nMessage-ID: <${uid}@${folder}>\r\n\r\nBody\r\n`);

/** One connection of a fake server: which UIDs of which folder it was asked for. */
function fakeConnection(asked: { folder: string; uid: number; conn: number }[], conn: number, failOn?: number): ImapFlow {
  let selected = '';
  return {
    usable: true,
    async getMailboxLock(path: string) {
      selected = path;
      return { release: () => {} };
    },
    async *fetch(range: string) {
      for (const u of range.split(',').map(Number)) {
        // Lets the other connections run between messages, as a real socket would.
        await new Promise((r) => setImmediate(r));
        if (u === failOn) throw new Error('connection lost');
        asked.push({ folder: selected, uid: u, conn });
        yield { uid: u, source: raw(selected, u), internalDate: new Date(0) };
      }
    },
    async logout() {},
    close() {},
  } as unknown as ImapFlow;
}

const uids = (n: number): number[] => Array.from({ length: n }, (_, i) => n - i);

describe('hashFolders', () => {
  it('downloads every UID once, over several connections, and gives each folder its messages in UID order', async () => {
    const asked: { folder: string; uid: number; conn: number }[] = [];
    let opened = 0;
    const { results, closed } = hashFolders(fakeConnection(asked, 0), [{ path: 'INBOX', uids: uids(700) }, { path: 'Vide', uids: [] }, { path: 'Sent', uids: uids(30) }], {
      lanes: 3,
      connect: async () => fakeConnection(asked, ++opened),
    });
    const [inbox, empty, sent] = await Promise.all(results);
    await closed;
    expect(inbox.map((f) => f.uid)).toEqual(uids(700).reverse());
    expect(inbox[41].normHash).toBe(normHash(raw('INBOX', 42)));
    expect(empty).toEqual([]);
    expect(sent.map((f) => f.uid)).toEqual(uids(30).reverse());
    expect(asked).toHaveLength(730);
    expect(new Set(asked.map((a) => `${a.folder} ${a.uid}`)).size).toBe(730);
    expect(opened).toBe(2);
    expect(new Set(asked.map((a) => a.conn)).size).toBe(3);
  });

  it('carries on with the connections it has when the provider refuses more', async () => {
    const asked: { folder: string; uid: number; conn: number }[] = [];
    const { results, closed } = hashFolders(fakeConnection(asked, 0), [{ path: 'INBOX', uids: uids(600) }], {
      lanes: 3,
      connect: async () => {
        throw new Error('too many connections');
      },
    });
    expect((await results[0]).length).toBe(600);
    await closed;
    expect(new Set(asked.map((a) => a.conn))).toEqual(new Set([0]));
  });

  it('a failing connection rejects the folders not finished, never a partial list', async () => {
    const asked: { folder: string; uid: number; conn: number }[] = [];
    const { results, closed } = hashFolders(fakeConnection(asked, 0, 300), [{ path: 'INBOX', uids: uids(600) }], { lanes: 1 });
    await expect(results[0]).rejects.toThrow('connection lost');
    await closed;
  });
});
