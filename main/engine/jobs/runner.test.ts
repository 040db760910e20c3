import { describe, it, expect, afterEach } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { JobRunner, type RunnerEvent } from './runner.node.ts';
import { workerEntry } from '../base/worker-path.node.ts';
import type { JobState } from '../../../shared/api.std.ts';
import type { JobParams } from './job-types.std.ts';

const fakeWorker = () => workerEntry('fake-engine', fileURLToPath(new URL('./fake-engine.test-worker.ts', import.meta.url)));

const dirs: string[] = [];
const runners: JobRunner[] = [];
afterEach(async () => {
  for (const r of runners.splice(0)) await r.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function setup(passwords: Record<string, string> = {}) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'arche-runner-'));
  dirs.push(dir);
  const events: RunnerEvent[] = [];
  const waiters: { test: (e: RunnerEvent) => boolean; resolve: (e: RunnerEvent) => void }[] = [];
  const onEvent = (e: RunnerEvent) => {
    events.push(e);
    for (const w of [...waiters]) if (w.test(e)) {
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve(e);
    }
  };
  const make = () => {
    const r = new JobRunner({ archiveDir: dir, worker: fakeWorker, onEvent, passwordFor: (u) => passwords[u] });
    runners.push(r);
    return r;
  };
  const waitFor = (test: (e: RunnerEvent) => boolean) => new Promise<RunnerEvent>((resolve) => waiters.push({ test, resolve }));
  const waitState = (id: string, status: JobState['status']) => waitFor((e) => e.event === 'job.state' && e.payload.id === id && e.payload.status === status).then((e) => e.payload as JobState);
  return { dir, events, make, waitFor, waitState };
}

const backup = (url: string): JobParams => ({ kind: 'backup', account: { url } });

describe('JobRunner', () => {
  it('runs a job in a worker, streams progress with a measured rate, and ends done with its result', async () => {
    const t = setup();
    const r = t.make();
    const url = 'imaps://me@quick.test:993?steps=300';
    const s = r.start(backup(url), { [url]: 'secret' });
    expect(s.status).toBe('running');
    expect(s.account).toBe(url);
    const done = await t.waitState(s.id, 'done');
    expect(done.result).toEqual({ done: 300, copiedThisRun: 300 });
    const progress = t.events.filter((e) => e.event === 'job.progress');
    expect(progress.length).toBe(300);
    const last = progress[progress.length - 1].payload as { progress: { done: number; ratePerSec?: number } };
    expect(last.progress.done).toBe(300);
    expect(last.progress.ratePerSec).toBeGreaterThan(0);
    // The list is persisted in the archive dir, without any password.
    const file = readFileSync(path.join(t.dir, 'jobs.json'), 'utf8');
    expect(JSON.parse(file).jobs[0].state.status).toBe('done');
    expect(file).not.toContain('secret');
  });

  it('pauses at a message boundary and resumes where it stopped', async () => {
    const t = setup();
    const r = t.make();
    const url = 'imaps://me@long.test:993?steps=100000';
    const s = r.start(backup(url), { [url]: 'secret' });
    await t.waitFor((e) => e.event === 'job.progress' && e.payload.progress.done >= 50);
    const paused = await r.pause(s.id);
    expect(paused.status).toBe('paused');
    const stoppedAt = paused.progress!.done;
    expect(stoppedAt).toBeGreaterThanOrEqual(50);
    expect(Number(readFileSync(path.join(t.dir, 'fake-long.test.count'), 'utf8'))).toBe(stoppedAt);
    // Resume: the password given at start is still known for this session.
    const resumed = r.resume(s.id);
    expect(resumed.status).toBe('running');
    const next = await t.waitFor((e) => e.event === 'job.progress' && e.payload.jobId === s.id);
    expect((next.payload as { progress: { done: number } }).progress.done).toBe(stoppedAt + 1);
    const cancelled = await r.cancel(s.id);
    expect(cancelled.status).toBe('cancelled');
    expect(() => r.resume(s.id)).toThrow(/job-finished/);
  });

  it('refuses a second job on the same account while one runs', async () => {
    const t = setup();
    const r = t.make();
    const url = 'imaps://me@busy.test:993?steps=100000';
    const s = r.start(backup(url), { [url]: 'secret' });
    expect(() => r.start(backup(url), { [url]: 'secret' })).toThrow(/job-running/);
    // Another account is fine at the same time.
    const other = 'imaps://you@quick2.test:993?steps=10';
    const s2 = r.start(backup(other), { [other]: 'secret' });
    await t.waitState(s2.id, 'done');
    await r.cancel(s.id);
  });

  it('reports engine errors as data, and a dead worker as job-crashed', async () => {
    const t = setup();
    const r = t.make();
    const wrong = 'imaps://me@wrong.test:993';
    const failed = r.start(backup(wrong), { [wrong]: 'not-it' });
    const f = await t.waitState(failed.id, 'failed');
    expect(f.error).toEqual({ code: 'auth-failed', fields: { provider: 'Test' } });
    const crash = 'imaps://me@crash.test:993?crash';
    const c = r.start(backup(crash), { [crash]: 'secret' });
    const cs = await t.waitState(c.id, 'failed');
    expect(cs.error?.code).toBe('job-crashed');
  });

  it('refuses to start without a password, and leaves no job behind', () => {
    const t = setup();
    const r = t.make();
    expect(() => r.start(backup('imaps://me@nopass.test:993'))).toThrow(/password-needed/);
    expect(r.list()).toEqual([]);
  });

  it('after Arche closes mid-job, the next launch finds it interrupted and carries it on', async () => {
    const url = 'imaps://me@reopen.test:993?steps=100000';
    const t = setup({ [url]: 'secret' });
    const r1 = t.make();
    const s = r1.start(backup(url), { [url]: 'secret' });
    await t.waitFor((e) => e.event === 'job.progress' && e.payload.progress.done >= 20);
    await r1.close();
    runners.splice(runners.indexOf(r1), 1);
    const r2 = t.make();
    const again = r2.list();
    expect(again).toHaveLength(1);
    expect(again[0].status).toBe('paused');
    expect(r2.interrupted().map((j) => j.id)).toEqual([s.id]);
    const before = again[0].progress!.done;
    // The password comes from the keychain / session store this time.
    r2.resume(s.id);
    const next = await t.waitFor((e) => e.event === 'job.progress' && e.payload.jobId === s.id);
    expect((next.payload as { progress: { done: number } }).progress.done).toBeGreaterThan(before);
    await r2.cancel(s.id);
  });
});
