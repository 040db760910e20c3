/**
 * The verification's downloads started beside the copy, against a fake server (the real-server cases are the move's
 * integration tests, which go through it on every migration): each finished folder downloaded once, with the
 * folder's state; a folder whose download fails is left out (the verification downloads it itself); stop() starts
 * nothing more.
 */
import { describe, it, expect } from 'vitest';
import type { ImapFlow } from 'imapflow';
import { earlyHashes } from './early-hashes.node.ts';
import { normHash } from '../archive/norm-hash.node.ts';

const raw = (folder: string, uid: number): Buffer => Buffer.from(`Subject: ${folder} ${uid}\r\nMessage-ID: <${uid}@${folder}>\r\n\r\nBody\r\n`);

/** A fake server's folders (path → UIDs); `failIn`: a folder whose download drops the connection. */
function fakeServer(folders: Record<string, number[]>, failIn?: string): { connect: () => Promise<ImapFlow>; asked: string[]; opened: () => number; open: () => number } {
  const asked: string[] = [];
  let opened = 0;
  let open = 0;
  const connect = async (): Promise<ImapFlow> => {
    opened++;
    open++;
    let selected = '';
    return {
      usable: true,
      mailbox: null as unknown,
      async getMailboxLock(path: string) {
        if (!(path in folders)) throw new Error('NO [NONEXISTENT]');
        selected = path;
        (this as { mailbox: unknown }).mailbox = { uidValidity: 7n, uidNext: BigInt(Math.max(0, ...folders[path]) + 1) };
        return { release: () => {} };
      },
      async search() {
        return [...folders[selected]];
      },
      async *fetch(range: string) {
        for (const u of range.split(',').map(Number)) {
          await new Promise((r) => setImmediate(r));
          if (selected === failIn) throw new Error('connection lost');
          asked.push(`${selected} ${u}`);
          yield { uid: u, source: raw(selected, u), internalDate: new Date(0) };
        }
      },
      async logout() {
        open--;
      },
      close() {
        open--;
      },
    } as unknown as ImapFlow;
  };
  return { connect, asked, opened: () => opened, open: () => open };
}

describe('earlyHashes', () => {
  it('downloads each finished folder once, with its state, and closes its connections', async () => {
    const server = fakeServer({ INBOX: [1, 2, 3], Sent: [5, 9], Empty: [] });
    const early = earlyHashes(server.connect);
    early.folderDone('INBOX');
    early.folderDone('Sent');
    early.folderDone('Empty');
    const got = await early.finish();
    expect(got.get('INBOX')?.state).toEqual({ uidValidity: 7, uidNext: 4, uids: [1, 2, 3] });
    expect(got.get('INBOX')?.found.map((f) => f.uid)).toEqual([1, 2, 3]);
    expect(got.get('INBOX')?.found[1].normHash).toBe(normHash(raw('INBOX', 2)));
    expect(got.get('Sent')?.found.map((f) => f.uid)).toEqual([5, 9]);
    expect(got.get('Empty')).toEqual({ state: { uidValidity: 7, uidNext: 1, uids: [] }, found: [] });
    expect(server.asked.sort()).toEqual(['INBOX 1', 'INBOX 2', 'INBOX 3', 'Sent 5', 'Sent 9']);
    expect(server.open()).toBe(0);
  });

  it('keeps its connections from one folder to the next (two at most, the second for a folder big enough to share)', async () => {
    const many = (n: number, from: number): number[] => Array.from({ length: n }, (_, i) => from + i);
    const server = fakeServer({ Small: [1], Big: many(600, 1), Bigger: many(900, 1) });
    const early = earlyHashes(server.connect);
    for (const f of ['Small', 'Big', 'Bigger']) early.folderDone(f);
    const got = await early.finish();
    expect(got.get('Big')?.found).toHaveLength(600);
    expect(got.get('Bigger')?.found.map((f) => f.uid)).toEqual(many(900, 1));
    expect(server.asked).toHaveLength(1501);
    expect(server.opened()).toBe(2);
    expect(server.open()).toBe(0);
  });

  it('leaves a folder whose download failed to the verification, and carries on with the next', async () => {
    const server = fakeServer({ INBOX: [1, 2], Work: [3] }, 'INBOX');
    const early = earlyHashes(server.connect);
    early.folderDone('INBOX');
    early.folderDone('Work');
    const got = await early.finish();
    expect(got.has('INBOX')).toBe(false);
    expect(got.get('Work')?.found.map((f) => f.uid)).toEqual([3]);
    expect(server.open()).toBe(0);
  });

  it('a folder that does not exist holds nothing; after stop() nothing more is downloaded', async () => {
    const server = fakeServer({ INBOX: [1] });
    const early = earlyHashes(server.connect);
    early.folderDone('Gone');
    await early.stop();
    early.folderDone('INBOX');
    expect(server.asked).toEqual([]);
    expect(server.open()).toBe(0);
  });
});
