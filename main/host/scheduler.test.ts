/**
 * The app's scheduler with an injected clock: due, missed while off, overlapping, offline. The saved list is a real
 * file and each run goes through backupSaved (the real recording of results); only the IMAP backup itself is a fake.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ArcheError } from '../../shared/errors.std.ts';
import type { AccountSpec } from '../../shared/types.std.ts';
import { SavedAccounts, statusOf } from '../engine/accounts/saved-accounts.node.ts';
import type { BackupSummary } from '../engine/keep/backup.node.ts';
import { updateCopiesRecord } from '../engine/keep/copies-record.node.ts';
import { SessionPasswordStore } from './passwords.node.ts';
import { backupSaved } from './saved-backup.node.ts';
import { BackupScheduler } from './scheduler.node.ts';
import { checksDue, savedArchives } from './saved-check.node.ts';

const at = (d: number, h: number, m = 0) => new Date(2026, 11, d, h, m).getTime();
const A = 'imaps://alice@imap.club.fr:993';
const B = 'imaps://bob@imap.club.fr:993';

function summary(url: string): BackupSummary {
  return { account: url, folders: 1, messages: 5, new: 0, bytesNew: 0, serverMissing: 0, missingSince: null, unreadable: [], repaired: 0, attachmentsUnreadable: 0, alarms: [] };
}

function setup(opts: { backup?: (spec: AccountSpec) => Promise<BackupSummary> } = {}) {
  const saved = new SavedAccounts(mkdtempSync(path.join(os.tmpdir(), 'arche-sched-')));
  const passwords = new SessionPasswordStore();
  let clock = at(1, 10);
  const calls: string[] = [];
  const backup = opts.backup ?? (async (spec: AccountSpec) => summary(spec.url));
  const timers: { fn: () => void; ms: number }[] = [];
  const scheduler = new BackupScheduler({
    saved,
    now: () => clock,
    run: async (a) =>
      (
        await backupSaved(a, {
          saved,
          passwords,
          env: {},
          defaultArchive: '/nonexistent',
          now: () => clock,
          backup: async (spec) => {
            calls.push(spec.url);
            return backup(spec);
          },
        })
      ).run,
    setTimer: (fn, ms) => timers.push({ fn, ms }),
    clearTimer: () => {},
    startDelayMs: 30_000,
  });
  for (const url of [A, B]) {
    passwords.remember(url, { password: 'pw' });
    saved.add({ url, email: url.slice(8, 13) }, clock);
  }
  return { saved, scheduler, calls, timers, setClock: (t: number) => (clock = t) };
}

describe('the app scheduler (injected clock)', () => {
  it('due: runs each account once at its planned time, not before, not twice', async () => {
    const { scheduler, calls, setClock, saved } = setup();
    saved.setSchedule(B, { kind: 'daily', hour: 18, minute: 30 });
    setClock(at(1, 12, 59));
    await scheduler.tick();
    expect(calls).toEqual([]);
    setClock(at(1, 13, 0));
    await scheduler.tick();
    expect(calls).toEqual([A]);
    setClock(at(1, 14));
    await scheduler.tick();
    expect(calls).toEqual([A]);
    setClock(at(1, 18, 31));
    await scheduler.tick();
    expect(calls).toEqual([A, B]);
    expect(saved.get(A)).toMatchObject({ lastAttemptAt: at(1, 13), lastGoodAt: at(1, 13), last: { status: 'ok' } });
    // An account switched off is never run.
    saved.setSchedule(A, { kind: 'off' });
    setClock(at(5, 13, 5));
    await scheduler.tick();
    expect(calls).toEqual([A, B, B]);
  });

  it('missed while the computer was off: one run soon after start, not one per missed day', async () => {
    const { scheduler, calls, setClock, timers } = setup();
    setClock(at(1, 13));
    await scheduler.tick();
    expect(calls).toEqual([A, B]);
    // Off from the 1st in the afternoon to the 4th at 9:00: three planned runs missed.
    setClock(at(4, 9));
    scheduler.start();
    expect(timers.map((t) => t.ms)).toEqual([30_000]);
    setClock(at(4, 9) + 30_000);
    timers.shift()!.fn();
    // The next look is planned at once; wait for this one's runs.
    expect(timers.map((t) => t.ms)).toEqual([60_000]);
    await scheduler.settled();
    expect(calls).toEqual([A, B, A, B]);
    setClock(at(4, 9) + 90_000);
    timers.shift()!.fn();
    await scheduler.settled();
    expect(calls).toEqual([A, B, A, B]); // nothing more due: the runs just made count
    scheduler.stop();
  });

  it('overlapping: an account already being backed up is not started again', async () => {
    const gates = new Map<string, () => void>();
    let concurrentA = 0;
    let maxA = 0;
    const { scheduler, calls, setClock } = setup({
      backup: (spec) =>
        new Promise((resolve) => {
          if (spec.url === A) maxA = Math.max(maxA, ++concurrentA);
          gates.set(spec.url, () => {
            if (spec.url === A) concurrentA--;
            resolve(summary(spec.url));
          });
        }),
    });
    setClock(at(1, 13));
    const first = scheduler.tick();
    await new Promise<void>((r) => setImmediate(r));
    expect(calls).toEqual([A]);
    expect(scheduler.busy().sort()).toEqual([A, B].sort()); // B waits its turn in the same look
    // Another look while A runs (a long backup): neither A nor B is started a second time.
    const second = scheduler.tick();
    await second;
    expect(calls).toEqual([A]);
    gates.get(A)!();
    await new Promise<void>((r) => setImmediate(r));
    expect(calls).toEqual([A, B]);
    gates.get(B)!();
    await first;
    expect(maxA).toBe(1);
    expect(scheduler.busy()).toEqual([]);
  });

  it('"Tout sauvegarder maintenant" goes through the scheduler: a planned run and a hand-started job never overlap', async () => {
    const gates = new Map<string, () => void>();
    const { scheduler, calls, setClock, saved } = setup({
      backup: (spec) => new Promise((resolve) => gates.set(spec.url, () => resolve(summary(spec.url)))),
    });
    // A's planned run (13:00) is under way when the user presses the button.
    setClock(at(1, 13));
    const look = scheduler.tick();
    await new Promise<void>((r) => setImmediate(r));
    expect(calls).toEqual([A]);
    const jobs = new Map<string, () => void>();
    const started: string[] = [];
    const start = (a: { url: string }) => {
      if (a.url === 'imaps://nopass@imap.club.fr:993') throw new ArcheError('password-needed', { account: a.url });
      started.push(a.url);
      return { jobId: `job-${a.url}`, stopped: new Promise<void>((r) => jobs.set(a.url, r)) };
    };
    const answer = await scheduler.backupAllNow(start);
    // A is being backed up by schedule: refused in words; B (waiting its turn in the look) too; nothing started twice.
    expect(answer.started).toEqual([]);
    expect(answer.refused.map((r) => [r.url, r.error.code])).toEqual([
      [A, 'backup-running'],
      [B, 'backup-running'],
    ]);
    gates.get(A)!();
    await new Promise<void>((r) => setImmediate(r));
    gates.get(B)!();
    await look;
    expect(calls).toEqual([A, B]);
    // Now by hand: each account is a job, held until its job stops; one that cannot start is named, the others go.
    saved.add({ url: 'imaps://nopass@imap.club.fr:993', email: 'nopass' }, at(1, 13));
    const byHand = await scheduler.backupAllNow(start);
    expect(byHand.started).toEqual([
      { url: A, jobId: `job-${A}` },
      { url: B, jobId: `job-${B}` },
    ]);
    expect(byHand.refused.map((r) => [r.url, r.error.code])).toEqual([['imaps://nopass@imap.club.fr:993', 'password-needed']]);
    expect(scheduler.busy().sort()).toEqual([A, B].sort());
    // The next day's planned time comes while the hand-started jobs still run: the scheduler does not start A or B.
    setClock(at(2, 13));
    await scheduler.tick();
    expect(calls).toEqual([A, B]);
    // A second press while they run starts nothing twice.
    expect((await scheduler.backupAllNow(start)).refused.filter((r) => r.error.code === 'backup-running').map((r) => r.url)).toEqual([A, B]);
    expect(started).toEqual([A, B]);
    // The jobs stop: the accounts are free again, and the planned run that waited goes at the next look.
    jobs.get(A)!();
    jobs.get(B)!();
    await new Promise<void>((r) => setImmediate(r));
    expect(scheduler.busy()).toEqual([]);
    const next = scheduler.tick();
    await new Promise<void>((r) => setImmediate(r));
    expect(calls).toEqual([A, B, A]);
    gates.get(A)!();
    await new Promise<void>((r) => setImmediate(r));
    gates.get(B)!();
    await next;
  });

  it('offline: retried later, quietly, until it works; a wrong password waits for the next planned time', async () => {
    let offline = true;
    const { scheduler, calls, setClock, saved } = setup({
      backup: async (spec) => {
        if (spec.url === A && offline) throw new ArcheError('connection-refused', { host: 'imap.club.fr', port: 993 });
        if (spec.url === B) throw new ArcheError('auth-failed', { host: 'imap.club.fr' });
        return summary(spec.url);
      },
    });
    setClock(at(1, 13));
    await scheduler.tick();
    expect(calls).toEqual([A, B]);
    expect(saved.get(A)!.last).toMatchObject({ status: 'failed', offline: true, error: { code: 'connection-refused' } });
    expect(saved.get(B)!.last).toMatchObject({ status: 'failed', error: { code: 'auth-failed' } });
    expect(saved.get(B)!.last!.offline).toBeUndefined();
    setClock(at(1, 13, 10));
    await scheduler.tick();
    expect(calls).toEqual([A, B]);
    setClock(at(1, 13, 15));
    await scheduler.tick();
    expect(calls).toEqual([A, B, A]); // A again; B not before tomorrow 13:00
    offline = false;
    setClock(at(1, 13, 30));
    await scheduler.tick();
    expect(calls).toEqual([A, B, A, A]);
    expect(saved.get(A)!.last).toMatchObject({ status: 'ok' });
    setClock(at(1, 20));
    await scheduler.tick();
    expect(calls).toEqual([A, B, A, A]);
    setClock(at(2, 13));
    await scheduler.tick();
    expect(calls).toEqual([A, B, A, A, A, B]);
  });
});

describe('a backup stopped on the provider\'s daily limit (injected clock)', () => {
  it('Gmail bandwidth: not a failure to show, not tried before the time it said, goes on by itself then', async () => {
    let limited = true;
    const resumeAt = at(2, 14);
    const { scheduler, calls, setClock, saved } = setup({
      backup: async (spec) => {
        if (spec.url === A && limited) throw new ArcheError('provider-bandwidth-limit', { host: 'imap.gmail.com', port: 993, provider: 'Gmail', resumeAt });
        return summary(spec.url);
      },
    });
    setClock(at(1, 13));
    await scheduler.tick();
    expect(calls).toEqual([A, B]);
    expect(saved.get(A)!.last).toMatchObject({ status: 'failed', resumeAt, error: { code: 'provider-bandwidth-limit' } });
    expect(saved.get(A)!.last!.offline).toBeUndefined();
    expect(statusOf(saved.get(A)!, at(1, 13, 1))).not.toBe('failed');
    // Neither the quiet retry of the offline rule nor the next planned time (2nd, 13:00) runs it before 14:00.
    for (const t of [at(1, 13, 30), at(1, 20), at(2, 13), at(2, 13, 59)]) {
      setClock(t);
      await scheduler.tick();
    }
    expect(calls).toEqual([A, B, B]);
    limited = false;
    setClock(at(2, 14));
    await scheduler.tick();
    expect(calls).toEqual([A, B, B, A]);
    expect(saved.get(A)!.last).toMatchObject({ status: 'ok' });
    expect(saved.get(A)!.last!.resumeAt).toBeUndefined();
    // Once done, back to its schedule: not again until the 3rd at 13:00.
    setClock(at(2, 20));
    await scheduler.tick();
    expect(calls).toEqual([A, B, B, A]);
    setClock(at(3, 13));
    await scheduler.tick();
    expect(calls).toEqual([A, B, B, A, A, B]);
  });
});

describe('the monthly check of the archives (injected clock)', () => {
  it('checks an archive on the 1st after 03:00, once; a month missed while off soon after start; never two at once', async () => {
    const saved = new SavedAccounts(mkdtempSync(path.join(os.tmpdir(), 'arche-sched-')));
    const archive = mkdtempSync(path.join(os.tmpdir(), 'arche-sched-archive-'));
    writeFileSync(path.join(archive, 'arche.sqlite'), '');
    let clock = at(20, 10) - 31 * 86_400_000; // saved on 20 November
    saved.add({ url: A, email: 'alice', archiveDir: archive }, clock);
    const checks: number[] = [];
    let release: (() => void) | null = null;
    const scheduler = new BackupScheduler({
      saved,
      now: () => clock,
      run: async () => ({ startedAt: clock, finishedAt: clock, status: 'ok' as const, messages: 0, new: 0 }),
      checksDue: (now) => checksDue(saved.list(), '/nonexistent', now).map((c) => c.archiveDir),
      runCheck: async (dir) => {
        checks.push(clock);
        if (release === null && checks.length === 2) await new Promise<void>((r) => (release = r));
        // What checkArchive records at its end (copies.json): the check is not owed again before next month.
        updateCopiesRecord(dir, (r) => ({ ...r, lastCheck: { at: clock, ok: true, contents: 0, bytes: 0, repaired: 0, named: 0, integrityProblems: 0 } }));
      },
      setTimer: () => 0,
      clearTimer: () => {},
    });

    clock = at(1, 2, 59); // 1 December, before 03:00: not yet
    await scheduler.tick();
    expect(checks).toEqual([]);
    clock = at(1, 3, 1);
    await scheduler.tick();
    expect(checks).toEqual([at(1, 3, 1)]);
    clock = at(1, 4);
    await scheduler.tick();
    expect(checks).toHaveLength(1); // once a month

    // Off over the 1st of January: owed as soon as Arche looks again, on the 9th; a second look while it runs does not start another.
    clock = at(1, 4) + 40 * 86_400_000;
    const first = scheduler.tick();
    await new Promise<void>((r) => setImmediate(r));
    const second = scheduler.tick();
    await second;
    expect(checks).toHaveLength(2);
    release!();
    await first;
    expect(checks).toHaveLength(2);
    expect(savedArchives(saved.list(), '/nonexistent')[0]!.nextAt).toBe(new Date(2027, 1, 1, 3, 0).getTime());
  });
});
