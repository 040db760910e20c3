/**
 * The verification's downloads, started while the copy goes on: as soon as the copy has finished a destination folder
 * (nothing writes there any more during this move), its messages are downloaded and hashed on connections of their
 * own, beside the copy of the next folders. The check itself is unchanged: the verification then compares these
 * hashes with the old mailbox as the backup read it, exactly as if it had downloaded them itself, only earlier.
 * Why: the copy keeps Dovecot's APPENDs busy and Arche's thread mostly waiting, the verification the other way round
 * (FETCH of whole messages, hashing); side by side they share the wait (docs/benchmarks.md, 2026-12-03).
 * Best effort: a folder whose early download fails is simply downloaded again by the verification; the move never
 * fails because of it.
 */
import type { ImapFlow } from 'imapflow';
import type { FoundMessage } from './compare.std.ts';
import { folderUids } from './destination.node.ts';
import { CHUNK, hashFolders } from './hash-lanes.node.ts';

/** A destination folder as downloaded right after its copy: its state then, and each message's hashes. */
export interface EarlyFolder {
  state: { uidValidity: number; uidNext: number; uids: number[] } | null;
  found: FoundMessage[];
}

export interface EarlyHashes {
  /** The copy has finished this destination folder: download and hash it (in the background, in the order given). */
  folderDone(destination: string): void;
  /** Waits for the folders given so far, closes the connections; returns what was downloaded, by destination path. */
  finish(): Promise<Map<string, EarlyFolder>>;
  /** Stops at once (the move failed or was stopped): nothing more is started, the connections are closed. */
  stop(): Promise<void>;
}

/**
 * Connections for the early downloads: fewer than the copy's three, which still have folders to write and come
 * first; the verification goes back to its own three for whatever is left.
 */
const EARLY_LANES = 2;

export function earlyHashes(connect: () => Promise<ImapFlow>, signal?: AbortSignal): EarlyHashes {
  const done = new Map<string, EarlyFolder>();
  // Opened once and kept for every folder: a new connection per folder costs a TLS handshake and a login on both sides.
  let conns: ImapFlow[] = [];
  let stopped = false;
  let stopCurrent: (() => void) | null = null;
  let chain: Promise<void> = Promise.resolve();

  const close = async (): Promise<void> => {
    const open = conns;
    conns = [];
    await Promise.all(open.map((c) => c.logout().catch(() => c.close())));
  };

  const hashOne = async (destination: string): Promise<void> => {
    if (stopped || signal?.aborted) return;
    try {
      if (!conns.length) conns.push(await connect());
      const state = await folderUids(conns[0], destination);
      if (!state || state.uids.length === 0) {
        done.set(destination, { state, found: [] });
        return;
      }
      // The second lane is opened when a folder first has enough to share (a provider that refuses it: one lane).
      if (conns.length < EARLY_LANES && state.uids.length > CHUNK) conns.push(...(await connect().then((c) => [c], () => [])));
      const run = hashFolders(conns[0], [{ path: destination, uids: state.uids }], { lanes: conns.length, open: conns.slice(1), signal });
      stopCurrent = run.stop;
      try {
        const found = await run.results[0];
        done.set(destination, { state, found });
      } finally {
        stopCurrent = null;
        await run.closed;
      }
    } catch {
      // Left to the verification, which downloads this folder itself (a dropped connection is opened again there).
      await close();
    }
  };

  return {
    folderDone(destination) {
      if (stopped) return;
      chain = chain.then(() => hashOne(destination));
    },
    async finish() {
      await chain;
      await close();
      return done;
    },
    async stop() {
      stopped = true;
      stopCurrent?.();
      await chain.catch(() => undefined);
      await close();
    },
  };
}
