/**
 * Who decodes and hashes the contents the check reads: a small pool of worker threads (content-check.worker.ts),
 * or, where none can start (a build without the worker file), the scanning thread itself. Both answer batches in
 * the order asked. When a worker dies, every batch it held fails with PoolLost: the scan goes on without workers
 * from the last content it counted, so nothing is skipped and nothing is counted twice.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { workerEntry } from '../base/worker-path.node.ts';
import { checkItem, type ItemResult, type ScanItem } from './content-hash.node.ts';
import type { CheckReply, CheckRequest } from './content-check.worker.ts';

export class PoolLost extends Error {}

export interface Checker {
  /** Batches that may wait at once (enough to keep every worker busy while results are taken in order). */
  readonly window: number;
  run(items: ScanItem[]): Promise<ItemResult[]>;
  close(): Promise<void>;
}

/** Contents checked at once on the scanning thread: blob files are read while the previous ones are decoded. */
const IN_THREAD = 4;

export function inThreadChecker(dir: string): Checker {
  return {
    window: 2,
    async run(items) {
      const out: ItemResult[] = new Array(items.length);
      let next = 0;
      const lane = async (): Promise<void> => {
        for (let i = next++; i < items.length; i = next++) out[i] = await checkItem(items[i]!, dir, false);
      };
      await Promise.all(Array.from({ length: Math.min(IN_THREAD, items.length) }, lane));
      return out;
    },
    close: async () => undefined,
  };
}

interface Lane {
  worker: Worker;
  pending: Map<number, { resolve: (r: CheckReply) => void; reject: (e: Error) => void }>;
  dead: boolean;
}

function startWorker(): Lane | null {
  try {
    const { file, options } = workerEntry('content-check.worker', new URL('./content-check.worker.ts', import.meta.url).pathname);
    // A small young generation: by default it grows to tens of MB of RSS per thread that hashing never needs (the
    // bytes themselves live outside the heap).
    const lane: Lane = { worker: new Worker(file, { ...options, resourceLimits: { maxYoungGenerationSizeMb: 4, ...options.resourceLimits } }), pending: new Map(), dead: false };
    const fail = (): void => {
      lane.dead = true;
      for (const p of lane.pending.values()) p.reject(new PoolLost('a check worker stopped'));
      lane.pending.clear();
    };
    lane.worker.on('message', (m: CheckReply) => {
      const p = lane.pending.get(m.seq);
      lane.pending.delete(m.seq);
      if (!lane.pending.size) lane.worker.unref();
      p?.resolve(m);
    });
    lane.worker.on('error', fail);
    lane.worker.on('exit', fail);
    // Kept alive while it owes answers (the scan awaits nothing else), never after: a finished CLI must exit.
    lane.worker.unref();
    return lane;
  } catch {
    return null;
  }
}

let seq = 0;
function ask(lane: Lane, req: CheckRequest, transfer: ArrayBuffer[] = []): Promise<CheckReply> {
  if (lane.dead) return Promise.reject(new PoolLost('a check worker stopped'));
  return new Promise((resolve, reject) => {
    lane.pending.set(req.seq, { resolve, reject });
    lane.worker.ref();
    lane.worker.postMessage(req, transfer);
  });
}

/**
 * One worker per core (the scanning thread mostly waits on SQLite and on them), two at least so that a large file
 * being hashed never holds up the small ones, four at most.
 */
export function workerChecker(dir: string, size = Math.min(4, Math.max(2, availableParallelism()))): Checker | null {
  const lanes: Lane[] = [];
  for (let i = 0; i < size; i++) {
    const lane = startWorker();
    if (lane) lanes.push(lane);
  }
  if (!lanes.length) return null;
  return {
    window: lanes.length * 2,
    async run(items) {
      const live = lanes.filter((l) => !l.dead);
      if (!live.length) throw new PoolLost('no check worker left');
      // The lane with the fewest batches waiting: one busy with a large file does not hold the others up.
      const lane = live.reduce((a, b) => (b.pending.size < a.pending.size ? b : a));
      // Inline rows come from SQLite each in an ArrayBuffer of its own: handed over, not copied (a view into a
      // shared buffer, which never comes from better-sqlite3, would be copied once).
      const transfer = new Set<ArrayBuffer>();
      for (const it of items) {
        if (!it.data) continue;
        const own = it.data.byteOffset === 0 && it.data.buffer.byteLength === it.data.byteLength && it.data.buffer instanceof ArrayBuffer && !transfer.has(it.data.buffer);
        if (!own) it.data = Uint8Array.from(it.data);
        transfer.add(it.data.buffer as ArrayBuffer);
      }
      const reply = await ask(lane, { seq: ++seq, dir, items }, [...transfer]);
      if (!('results' in reply)) throw new PoolLost('unexpected reply');
      return reply.results;
    },
    async close() {
      await Promise.all(lanes.map((l) => l.worker.terminate().catch(() => 0)));
    },
  };
}

/**
 * SQLite's integrity check on a worker thread of its own (it reads the whole database: seconds on a large archive,
 * while the messages are hashed meanwhile). null when no worker could run it: the caller runs it itself.
 */
export async function integrityOffThread(file: string, quick: boolean): Promise<string[] | null> {
  const lane = startWorker();
  if (!lane) return null;
  try {
    const reply = await ask(lane, { seq: ++seq, integrity: { file, quick } });
    return 'problems' in reply ? reply.problems : null;
  } catch {
    return null;
  } finally {
    await lane.worker.terminate().catch(() => 0);
  }
}
