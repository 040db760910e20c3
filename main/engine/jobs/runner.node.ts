/**
 * The job runner: one engine job per account at a time, each in its own worker thread, with progress events,
 * Pause (abort at a message boundary), Resume (run the same job again: every engine job is incremental),
 * Cancel, and the job list kept in the archive dir (jobs.json) so that closing the app and coming back
 * finds the job and carries it on.
 */
import { Worker, type WorkerOptions } from 'node:worker_threads';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { ArcheError } from '../../../shared/errors.std.ts';
import type { ArcheErrorData } from '../../../shared/errors.std.ts';
import type { ProgressEvent } from '../../../shared/events.std.ts';
import type { OAuthGrant } from '../../../shared/types.std.ts';
import type { JobState, JobStatus, ServerEvents } from '../../../shared/api.std.ts';
import { workerEntry } from '../base/worker-path.node.ts';
import { RateMeter } from './rate.std.ts';
import { accountsOf, jobAccounts, type FromWorker, type JobParams, type JobSecret, type JobSecrets, type ToWorker } from './job-types.std.ts';

export type RunnerEvent = { [E in keyof ServerEvents]: { event: E; payload: ServerEvents[E] } }[keyof ServerEvents];

export interface JobRunnerOptions {
  archiveDir: string;
  /** The remembered password of an account (OS keychain, or this session's memory), for resuming. */
  passwordFor?: (url: string) => JobSecret | undefined;
  /** An account's OAuth grant was refreshed by a job (keep `after` instead of what was kept for `url`). */
  onGrant?: (url: string, after: OAuthGrant) => void;
  onEvent?: (e: RunnerEvent) => void;
  /** Which worker runs the jobs (tests inject a fake engine). */
  worker?: () => { file: string | URL; options: WorkerOptions };
  /** Time a job gets to stop at a message boundary after Pause/Cancel before its thread is ended. */
  stopGraceMs?: number;
  now?: () => number;
}

interface StoredJob {
  state: JobState;
  params: JobParams;
  /** True when the job was running when Arche closed: it should carry on at the next launch. */
  interrupted?: boolean;
}

interface LiveJob {
  worker: Worker;
  /** What to become once the worker has stopped, when the user asked it to stop. */
  stopAs: 'paused' | 'cancelled' | null;
  meter: RateMeter;
  ended: Promise<void>;
}

const FILE = 'jobs.json';
/** Finished jobs kept in the list (the newest ones); unfinished jobs are always kept. */
const KEEP_FINISHED = 50;
const FINISHED: JobStatus[] = ['done', 'failed', 'cancelled'];

function defaultWorker() {
  return workerEntry('job.worker', new URL('./job.worker.ts', import.meta.url).pathname);
}

export class JobRunner {
  private readonly jobs = new Map<string, StoredJob>();
  private readonly live = new Map<string, LiveJob>();
  /** Passwords given with a job, kept in memory for this process only, so Pause/Resume needs no retyping. */
  private readonly secrets = new Map<string, JobSecrets>();
  private readonly opts: Required<Pick<JobRunnerOptions, 'stopGraceMs' | 'now'>> & JobRunnerOptions;
  private lastSaved = 0;

  constructor(opts: JobRunnerOptions) {
    this.opts = { stopGraceMs: 15_000, now: Date.now, ...opts };
    this.load();
  }

  private get file() {
    return path.join(this.opts.archiveDir, FILE);
  }

  private load() {
    let stored: { version: number; jobs: StoredJob[] } | null = null;
    try {
      stored = JSON.parse(readFileSync(this.file, 'utf8'));
    } catch {
      return; // no list yet (first launch) or unreadable: start empty rather than refuse to start
    }
    for (const j of stored?.jobs ?? []) {
      if (!j?.state?.id || !j.params) continue;
      if (j.state.status === 'running') {
        // Arche was closed (or crashed) while this ran: what was done is committed; it carries on when resumed.
        j.state.status = 'paused';
        j.interrupted = true;
      }
      this.jobs.set(j.state.id, j);
    }
  }

  private save(force = true) {
    const now = this.opts.now();
    if (!force && now - this.lastSaved < 2000) return;
    this.lastSaved = now;
    const finished = [...this.jobs.values()].filter((j) => FINISHED.includes(j.state.status) && !this.live.has(j.state.id)).sort((a, b) => b.state.startedAt - a.state.startedAt);
    for (const old of finished.slice(KEEP_FINISHED)) this.jobs.delete(old.state.id);
    mkdirSync(this.opts.archiveDir, { recursive: true });
    const tmp = `${this.file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify({ version: 1, jobs: [...this.jobs.values()] }, null, 1), { mode: 0o600 });
    renameSync(tmp, this.file);
  }

  private emitState(job: StoredJob) {
    this.opts.onEvent?.({ event: 'job.state', payload: structuredClone(job.state) });
  }

  list(): JobState[] {
    return [...this.jobs.values()].map((j) => structuredClone(j.state)).sort((a, b) => b.startedAt - a.startedAt);
  }

  get(id: string): JobState {
    const j = this.jobs.get(id);
    if (!j) throw new ArcheError('job-unknown', {});
    return structuredClone(j.state);
  }

  /** Jobs that were running when Arche closed, for the host to resume at launch. */
  interrupted(): JobState[] {
    return [...this.jobs.values()].filter((j) => j.interrupted && j.state.status === 'paused').map((j) => structuredClone(j.state));
  }

  private busyWith(params: JobParams, exceptId?: string): string | null {
    const mine = new Set(accountsOf(params).map((a) => a.url).concat(jobAccounts(params).account));
    for (const [id] of this.live) {
      if (id === exceptId) continue;
      const other = this.jobs.get(id);
      if (!other) continue;
      const theirs = accountsOf(other.params).map((a) => a.url).concat(jobAccounts(other.params).account);
      const clash = theirs.find((u) => mine.has(u));
      if (clash) return clash;
    }
    return null;
  }

  /** Starts a new job. Refused while another job works on the same account. */
  start(params: JobParams, secrets: JobSecrets = {}): JobState {
    const busy = this.busyWith(params);
    if (busy) throw new ArcheError('job-running', { account: busy });
    const { account, destination } = jobAccounts(params);
    const state: JobState = { id: randomUUID(), kind: params.kind, account, status: 'running', startedAt: this.opts.now(), progress: null };
    if (destination) state.destination = destination;
    const job: StoredJob = { state, params };
    this.jobs.set(state.id, job);
    this.secrets.set(state.id, { ...secrets });
    try {
      this.launch(job);
    } catch (e) {
      // Not started (no password, no worker): leave no trace of it.
      this.jobs.delete(state.id);
      this.secrets.delete(state.id);
      throw e;
    }
    return structuredClone(state);
  }

  private secretsFor(job: StoredJob): JobSecrets {
    const mine = this.secrets.get(job.state.id) ?? {};
    const out: JobSecrets = {};
    for (const ref of accountsOf(job.params)) {
      const p = mine[ref.url] ?? this.opts.passwordFor?.(ref.url);
      if (p === undefined) throw new ArcheError('password-needed', { account: ref.url });
      out[ref.url] = p;
    }
    return out;
  }

  private launch(job: StoredJob) {
    const secrets = this.secretsFor(job);
    const { file, options } = (this.opts.worker ?? defaultWorker)();
    const worker = new Worker(file, options);
    let resolveEnded!: () => void;
    const live: LiveJob = { worker, stopAs: null, meter: new RateMeter(), ended: new Promise((r) => (resolveEnded = r)) };
    this.live.set(job.state.id, live);
    job.state.status = 'running';
    delete job.state.error;
    delete job.state.result;
    job.interrupted = false;
    this.save();
    this.emitState(job);

    let settled = false;
    const finish = (status: JobStatus, extra: { result?: unknown; error?: ArcheErrorData }) => {
      if (settled) return;
      settled = true;
      this.live.delete(job.state.id);
      job.state.status = status;
      if (extra.result !== undefined) job.state.result = extra.result;
      if (extra.error) job.state.error = extra.error;
      if (status === 'done' || status === 'cancelled') this.secrets.delete(job.state.id);
      this.save();
      this.emitState(job);
      void worker.terminate().finally(resolveEnded);
    };

    worker.on('message', (m: FromWorker) => {
      if (m.type === 'progress') this.onProgress(job, live, m.progress);
      else if (m.type === 'grant') this.onGrant(job, m.before, m.after);
      else if (m.type === 'done') finish(live.stopAs ?? 'done', { result: m.result });
      else if (m.type === 'error') {
        // A stop the user asked for often surfaces as an abort error: that is a pause, not a failure.
        if (live.stopAs && (m.aborted || m.error.code === 'aborted')) finish(live.stopAs, {});
        else finish('failed', { error: m.error });
      }
    });
    worker.on('error', () => finish(live.stopAs ?? 'failed', live.stopAs ? {} : { error: { code: 'job-crashed', fields: {} } }));
    worker.on('exit', () => finish(live.stopAs ?? 'failed', live.stopAs ? {} : { error: { code: 'job-crashed', fields: {} } }));
    const start: ToWorker = { type: 'start', params: job.params, secrets, archiveDir: this.opts.archiveDir };
    worker.postMessage(start);
  }

  private onGrant(job: StoredJob, before: OAuthGrant, after: OAuthGrant) {
    const mine = this.secrets.get(job.state.id) ?? {};
    for (const [url, s] of Object.entries(mine)) {
      if (typeof s === 'string' || s.oauth.refreshToken !== before.refreshToken) continue;
      mine[url] = { oauth: after };
      this.opts.onGrant?.(url, after);
    }
  }

  private onProgress(job: StoredJob, live: LiveJob, p: ProgressEvent) {
    live.meter.add(this.opts.now(), p.done);
    const progress = { ...p };
    if (progress.ratePerSec === undefined) {
      const r = live.meter.rate();
      if (r !== undefined) progress.ratePerSec = Math.round(r * 10) / 10;
    }
    if (progress.etaSeconds === undefined) {
      const eta = live.meter.eta(p.done, p.total);
      if (eta !== undefined) progress.etaSeconds = eta;
    }
    job.state.progress = progress;
    this.opts.onEvent?.({ event: 'job.progress', payload: { jobId: job.state.id, progress } });
    this.save(false);
  }

  private async stop(id: string, as: 'paused' | 'cancelled'): Promise<JobState> {
    const job = this.jobs.get(id);
    if (!job) throw new ArcheError('job-unknown', {});
    const live = this.live.get(id);
    if (!live) {
      if (job.state.status === 'paused' && as === 'cancelled') {
        job.state.status = 'cancelled';
        job.interrupted = false;
        this.secrets.delete(id);
        this.save();
        this.emitState(job);
      } else if (FINISHED.includes(job.state.status)) throw new ArcheError('job-finished', {});
      return structuredClone(job.state);
    }
    live.stopAs = as;
    live.worker.postMessage({ type: 'abort' } satisfies ToWorker);
    // Stop cleanly at a message boundary; if the engine does not get there in time, end the thread
    // (everything committed so far stays: the archive writes one transaction per batch).
    const timer = setTimeout(() => void live.worker.terminate(), this.opts.stopGraceMs);
    try {
      await live.ended;
    } finally {
      clearTimeout(timer);
    }
    return structuredClone(job.state);
  }

  /** Resolves when the job's worker has stopped, however it ended (at once when it is not running). */
  stopped(id: string): Promise<void> {
    return this.live.get(id)?.ended ?? Promise.resolve();
  }

  pause(id: string): Promise<JobState> {
    return this.stop(id, 'paused');
  }

  cancel(id: string): Promise<JobState> {
    return this.stop(id, 'cancelled');
  }

  /** Runs a paused (or failed) job again; it carries on from where it stopped. */
  resume(id: string, secrets: JobSecrets = {}): JobState {
    const job = this.jobs.get(id);
    if (!job) throw new ArcheError('job-unknown', {});
    if (this.live.has(id)) return structuredClone(job.state);
    if (job.state.status === 'done' || job.state.status === 'cancelled') throw new ArcheError('job-finished', {});
    const busy = this.busyWith(job.params, id);
    if (busy) throw new ArcheError('job-running', { account: busy });
    this.secrets.set(id, { ...(this.secrets.get(id) ?? {}), ...secrets });
    this.launch(job);
    return structuredClone(job.state);
  }

  /** Ends every running job (app closing): they stay marked as running, so the next launch resumes them. */
  async close(): Promise<void> {
    const ids = [...this.live.keys()];
    await Promise.all(ids.map((id) => this.stop(id, 'paused')));
    for (const id of ids) {
      const j = this.jobs.get(id);
      if (j) {
        j.state.status = 'running';
      }
    }
    if (ids.length) this.save();
  }
}
