/**
 * A small pool of parse workers (parse.worker.ts). `parse()` never rejects: when workers cannot start, or one dies,
 * the answer is null and the archive indexes that message later (indexPending) — a parsing problem must never stop
 * a backup.
 *
 * A message's hash and compression (prepareBytes) need only its bytes, not the parse, so either thread may make them:
 * the worker makes them after its parse unless the caller took them first (`takePrepare`), which the backup's storing
 * thread does while it waits for a batch's parse (corpus b: the worker is the longer of the two threads, the storing
 * one waits for it about a third of the run; docs/benchmarks.md). Who makes them is settled per message in a shared
 * slot (compare-and-swap), so never both, never neither.
 */
import { Worker } from 'node:worker_threads';
import type { MessageMeta, PreparedBytes } from '../archive/archive.types.std.ts';
import { workerEntry } from '../base/worker-path.node.ts';

/**
 * Heap limits of a parse worker (MB). A message parsed here is at most LARGE_MESSAGE (2 MB) of source; 64 MB of old
 * generation leaves room for its decoded parts several times over.
 */
const WORKER_OLD_MB = 64;
/**
 * 8 MB of young generation: 16 MB halved the worker's scavenges (452 against 229 on corpus b's 2,000 messages, about
 * 5 % of its CPU) but added 7-18 MB to the backup's peak RSS, which is the scarcer of the two (2026-12-03).
 */
const WORKER_YOUNG_MB = 8;

/**
 * One slot per message in flight, by id modulo the count: 0 nobody yet, PREPARE_BY_CALLER or PREPARE_BY_WORKER.
 * At most a few batches of at most 200 messages are in flight, far fewer than the slots.
 */
const CLAIM_SLOTS = 4096;
export const PREPARE_BY_CALLER = 1;
export const PREPARE_BY_WORKER = 2;

/** What a worker gives back for one message: its search metadata, its hashes and brotli encoding. */
export interface Parsed {
  meta: MessageMeta | null;
  prepared: PreparedBytes | null;
}

export interface ParsePool {
  parse(raw: Buffer): Promise<Parsed | null>;
  close(): Promise<void>;
  /** Workers started so far: none until the first message to parse. */
  started(): number;
  /**
   * For a parse() still running: true when the worker has not started hashing and compressing that message, which
   * is then the caller's to do (the worker's answer comes back with `prepared: null`). False: the worker does it
   * (or did, or the job is unknown).
   */
  takePrepare(job: Promise<Parsed | null>): boolean;
}

interface Lane {
  worker: Worker;
  pending: Map<number, (parsed: Parsed | null) => void>;
  dead: boolean;
}

export function createParsePool(size = 1): ParsePool {
  if (size <= 0) return { parse: async () => null, close: async () => undefined, started: () => 0, takePrepare: () => false };
  const lanes: Lane[] = [];
  const claims = new Int32Array(new SharedArrayBuffer(CLAIM_SLOTS * Int32Array.BYTES_PER_ELEMENT));
  const jobIds = new WeakMap<Promise<Parsed | null>, number>();
  // Ids posted and not yet answered: a slot is never claimed for a job that is over (its slot may be reused).
  const inFlight = new Set<number>();
  let nextId = 1;
  let turn = 0;
  let started = false;
  // Workers start at the first message, not with the pool: a backup with nothing new (most scheduled runs, and
  // `backup --all` over every saved account) never pays for starting threads that load the mail parser.
  const start = (): void => {
    started = true;
    for (let i = 0; i < size; i++) startLane();
  };
  const startLane = (): void => {
    try {
      const { file, options } = workerEntry('parse.worker', new URL('./parse.worker.ts', import.meta.url).pathname);
      // A bounded heap: the worker collects garbage early instead of growing (peak RSS target: 300 MB in all).
      // If a message ever needs more, the worker dies, its messages get null and are indexed after the backup.
      // The young generation is capped too: by default it grows to tens of MB of RSS that a parser never needs.
      const worker = new Worker(file, { ...options, workerData: { claims: claims.buffer }, resourceLimits: { maxOldGenerationSizeMb: WORKER_OLD_MB, maxYoungGenerationSizeMb: WORKER_YOUNG_MB, ...options.resourceLimits } });
      const lane: Lane = { worker, pending: new Map(), dead: false };
      const failAll = (): void => {
        lane.dead = true;
        for (const id of lane.pending.keys()) inFlight.delete(id);
        for (const resolve of lane.pending.values()) resolve(null);
        lane.pending.clear();
      };
      worker.on('message', (m: { id: number; meta: MessageMeta | null; prepared: (Omit<PreparedBytes, 'compressed'> & { compressed?: Uint8Array }) | null }) => {
        const resolve = lane.pending.get(m.id);
        lane.pending.delete(m.id);
        inFlight.delete(m.id);
        const p = m.prepared;
        const prepared = p ? { sha256: p.sha256, normHash: p.normHash, size: p.size, ...(p.compressed ? { compressed: Buffer.from(p.compressed.buffer, p.compressed.byteOffset, p.compressed.byteLength) } : {}) } : null;
        resolve?.({ meta: m.meta, prepared });
      });
      worker.on('error', failAll);
      worker.on('exit', failAll);
      // The pool must never keep a finished CLI alive.
      worker.unref();
      lanes.push(lane);
    } catch {
      /* no worker: messages are indexed after the backup instead */
    }
  };
  return {
    parse(raw) {
      if (!started) start();
      const live = lanes.filter((l) => !l.dead);
      if (!live.length) return Promise.resolve(null);
      const lane = live[turn++ % live.length];
      const id = nextId++;
      Atomics.store(claims, id % CLAIM_SLOTS, 0);
      inFlight.add(id);
      const job = new Promise<Parsed | null>((resolve) => {
        lane.pending.set(id, resolve);
        // One copy, transferred: posting the Buffer itself would clone its whole underlying (pooled) ArrayBuffer.
        const copy = new Uint8Array(raw.byteLength);
        copy.set(raw);
        lane.worker.postMessage({ id, raw: copy }, [copy.buffer]);
      });
      jobIds.set(job, id);
      return job;
    },
    takePrepare(job) {
      const id = jobIds.get(job);
      return id !== undefined && inFlight.has(id) && Atomics.compareExchange(claims, id % CLAIM_SLOTS, 0, PREPARE_BY_CALLER) === 0;
    },
    async close() {
      await Promise.all(lanes.map((l) => l.worker.terminate().catch(() => 0)));
    },
    started: () => lanes.length,
  };
}
