/**
 * Hashing what several destination folders hold, over a few connections at once (the verification that ends a move).
 * One connection reading one folder after another keeps one server process busy and Arche's thread mostly waiting
 * (the move's profile: 14 s of a 3,000-message check, 6 s of it busy here); the server serves each connection with
 * its own process, so the folders' UIDs are cut into chunks and each connection takes the next chunk. Every message
 * is still downloaded and hashed (hashDestinationFolder): only the waiting overlaps.
 */
import type { ImapFlow } from 'imapflow';
import type { FoundMessage } from './compare.std.ts';
import { hashDestinationFolder } from './destination.node.ts';

/** UIDs per chunk: large enough that a connection stays on one folder a while, small enough to share a big folder. */
export const CHUNK = 250;

export interface FolderToHash {
  path: string;
  uids: number[];
}

export interface HashLanesOptions {
  /** Opens one more connection; without it only `main` is used. */
  connect?: () => Promise<ImapFlow>;
  /** Connections at most, `main` included. */
  lanes: number;
  /** More connections already open, used as lanes before any new one and left open, like `main`. */
  open?: ImapFlow[];
  signal?: AbortSignal;
}

interface Pending {
  left: number;
  found: FoundMessage[];
  resolve: (found: FoundMessage[]) => void;
  reject: (e: unknown) => void;
  settled: boolean;
}

/**
 * Starts hashing every folder given; returns one promise per folder (in the order given, each resolving with that
 * folder's messages once all its chunks are in) and `closed`, which resolves when the extra connections are logged
 * out. `main` is used as one of the lanes and left open. The first error stops every lane and rejects the folders
 * not finished yet; so does `stop()`.
 */
export function hashFolders(main: ImapFlow, folders: FolderToHash[], opts: HashLanesOptions): { results: Promise<FoundMessage[]>[]; closed: Promise<void>; stop: () => void } {
  const pending: Pending[] = [];
  const results = folders.map(() => {
    const p = new Promise<FoundMessage[]>((resolve, reject) => pending.push({ left: 0, found: [], resolve, reject, settled: false }));
    // Read in order by the caller; a folder never awaited because an earlier one failed must not be an unhandled rejection.
    p.catch(() => {});
    return p;
  });
  const tasks: { folder: number; uids: number[] }[] = [];
  folders.forEach((f, i) => {
    const uids = [...f.uids].sort((a, b) => a - b);
    for (let k = 0; k < uids.length; k += CHUNK) tasks.push({ folder: i, uids: uids.slice(k, k + CHUNK) });
    pending[i].left = Math.ceil(uids.length / CHUNK);
    if (pending[i].left === 0) settle(i, null);
  });

  function settle(i: number, error: unknown): void {
    const p = pending[i];
    if (p.settled) return;
    p.settled = true;
    // In UID order, as one connection would have read them (chunks finish in any order).
    if (error === null) p.resolve(p.found.sort((a, b) => a.uid - b.uid));
    else p.reject(error);
  }

  let next = 0;
  let failure: unknown = null;
  const fail = (e: unknown): void => {
    failure ??= e;
    pending.forEach((_, i) => settle(i, failure));
  };
  const lane = async (conn: ImapFlow): Promise<void> => {
    while (failure === null && next < tasks.length) {
      const task = tasks[next++];
      const found = await hashDestinationFolder(conn, folders[task.folder].path, opts.signal, undefined, task.uids);
      const p = pending[task.folder];
      for (const f of found) p.found.push(f);
      if (--p.left === 0) settle(task.folder, null);
    }
  };
  const extra: ImapFlow[] = [];
  const closed = (async () => {
    const runs = [lane(main).catch(fail)];
    // More connections only for work enough to share; one the provider refuses (a limit per user) is done without.
    const wanted = Math.min(opts.lanes, tasks.length) - 1;
    const given = (opts.open ?? []).slice(0, Math.max(0, wanted));
    for (const conn of given) runs.push(lane(conn).catch(fail));
    if (opts.connect) {
      for (let k = given.length; k < wanted && failure === null && next < tasks.length; k++) {
        let conn: ImapFlow;
        try {
          conn = await opts.connect();
        } catch {
          break;
        }
        extra.push(conn);
        runs.push(lane(conn).catch(fail));
      }
    }
    await Promise.all(runs);
  })().finally(() => Promise.all(extra.map((c) => c.logout().catch(() => c.close()))).then(() => undefined));
  closed.catch(() => {});
  // The caller gave up (an error of its own): no new chunk is started, the folders not finished are rejected.
  const stop = (): void => fail(new Error('stopped'));
  return { results, closed, stop };
}
