/**
 * The saved-accounts requests of the contract (issue 13): save (sign-in checked first), list with status, schedule,
 * forget, and "Tout sauvegarder maintenant" (jobs of a real runner, a stand-in engine in its worker).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ArcheError } from '../../shared/errors.std.ts';
import { SavedAccounts } from '../engine/accounts/saved-accounts.node.ts';
import { fileURLToPath } from 'node:url';
import { JobRunner } from '../engine/jobs/runner.node.ts';
import { workerEntry } from '../engine/base/worker-path.node.ts';
import { openArchive } from '../engine/archive/archive.node.ts';
import type { Engine } from './engine.node.ts';
import { createHandlers, dispatch, type HandlerMap, type HostHooks } from './handlers.node.ts';
import type { Result } from '../../shared/errors.std.ts';
import { SessionPasswordStore } from './passwords.node.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const hooks: HostHooks = { saveFile: async () => ({ saved: false }), saveFiles: async () => ({ saved: false, count: 0 }), openFile: async () => ({ opened: false }), exportTarget: async () => null, openReport: async () => ({ opened: false }) };

function setup() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'arche-saved-h-'));
  dirs.push(dir);
  const engine = {
    testAccount: async (spec: { password: string }) => {
      if (spec.password !== 'good') throw new ArcheError('auth-failed', { host: 'mail.mailo.com' });
      return [];
    },
  } as unknown as Engine;
  const saved = new SavedAccounts(path.join(dir, 'config'));
  const passwords = new SessionPasswordStore();
  const clock = new Date(2026, 11, 2, 10, 0).getTime();
  const handlers = createHandlers({ host: 'browser', version: '1', archiveDir: path.join(dir, 'archive'), locale: 'fr-FR', passwords, runner: new JobRunner({ archiveDir: dir }), hooks, engine, saved, now: () => clock });
  return { saved, passwords, clock, call: (c: string, r: unknown = {}) => dispatch(handlers, c, r) };
}

const url = 'imaps://marie%40mailo.com@mail.mailo.com:993';

describe('saved accounts through the contract', () => {
  it('save checks the sign-in first, then remembers; the list shows status and next run; schedule; forget', async () => {
    const t = setup();
    expect(await t.call('accounts.save', { account: { url, password: 'bad' } })).toMatchObject({ ok: false, error: { code: 'auth-failed' } });
    expect(await t.call('accounts.saved')).toEqual({ ok: true, value: [] });
    expect(t.passwords.get(url)).toBeUndefined();

    const r = await t.call('accounts.save', { account: { url: 'imaps://marie%40mailo.com@MAIL.mailo.com:993', password: 'good' }, schedule: 'daily@13:00' });
    expect(r).toMatchObject({ ok: true, value: { storage: 'session', account: { url, email: 'marie@mailo.com', status: 'never', schedule: 'daily@13:00', nextAt: new Date(2026, 11, 2, 13, 0).getTime() } } });
    expect(t.passwords.get(url)).toEqual({ password: 'good' });
    expect(readFileSync(t.saved.file, 'utf8')).not.toContain('good');

    expect(await t.call('accounts.setSchedule', { url, schedule: 'nope' })).toMatchObject({ ok: false, error: { code: 'bad-request', fields: { detail: 'schedule' } } });
    expect(await t.call('accounts.setSchedule', { url, schedule: 'off' })).toMatchObject({ ok: true, value: { schedule: 'off', nextAt: null } });
    expect(await t.call('accounts.setSchedule', { url: 'imaps://x@y:993', schedule: 'off' })).toMatchObject({ ok: false, error: { code: 'account-not-saved' } });

    expect(await t.call('accounts.forget', { url })).toEqual({ ok: true, value: { removed: true } });
    expect(t.passwords.get(url)).toBeUndefined();
    expect(await t.call('accounts.saved')).toEqual({ ok: true, value: [] });
  });

  it('copies.status names the next monthly check of the archive where saved accounts keep their mail', async () => {
    const t = setup();
    const archive = path.join(path.dirname(t.saved.configDir), 'archive');
    openArchive(archive).close();
    expect(await t.call('copies.status')).toMatchObject({ ok: true, value: { nextCheckAt: null } });
    t.saved.add({ url, email: 'marie@mailo.com' }, t.clock);
    // Saved on 2 December, never checked: the next check is the 1st of January at 03:00.
    expect(await t.call('copies.status')).toMatchObject({ ok: true, value: { nextCheckAt: new Date(2027, 0, 1, 3, 0).getTime() } });
  });
});

describe('"Tout sauvegarder maintenant" through the contract (accounts.backupAll)', () => {
  it('starts one job per saved account through the scheduler; never a second one of an account while its job runs', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'arche-saved-all-'));
    dirs.push(dir);
    const saved = new SavedAccounts(path.join(dir, 'config'));
    const passwords = new SessionPasswordStore();
    const runner = new JobRunner({ archiveDir: dir, worker: () => workerEntry('fake-engine', fileURLToPath(new URL('../engine/jobs/fake-engine.test-worker.ts', import.meta.url))) });
    const handlers = createHandlers({ host: 'browser', version: '1', archiveDir: dir, locale: 'fr-FR', passwords, runner, hooks, saved });
    const kept = 'imaps://club@fake-a.test:993';
    const noPassword = 'imaps://bureau@fake-b.test:993';
    passwords.remember(kept, { password: 'secret' });
    saved.add({ url: kept, email: 'club' }, Date.now());
    saved.add({ url: noPassword, email: 'bureau' }, Date.now());
    try {
      const first = (await dispatch(handlers, 'accounts.backupAll', {})) as Result<Awaited<ReturnType<HandlerMap['accounts.backupAll']>>>;
      if (!first.ok) throw new Error(first.error.code);
      expect(first.value.started.map((s) => s.url)).toEqual([kept]);
      expect(first.value.refused).toEqual([{ url: noPassword, error: { code: 'password-needed', fields: { account: noPassword } } }]);
      const jobId = first.value.started[0].jobId!;
      // Pressed again while the job runs: refused in words, no second job.
      const again = await dispatch(handlers, 'accounts.backupAll', {});
      expect(again).toMatchObject({ ok: true, value: { started: [], refused: [{ url: kept, error: { code: 'backup-running' } }, { url: noPassword }] } });
      expect(runner.list().filter((j) => j.account === kept)).toHaveLength(1);
      await runner.stopped(jobId);
      expect(runner.get(jobId).status).toBe('done');
      // Once it stopped, the account can be backed up again.
      const third = (await dispatch(handlers, 'accounts.backupAll', {})) as Result<Awaited<ReturnType<HandlerMap['accounts.backupAll']>>>;
      expect(third).toMatchObject({ ok: true, value: { started: [{ url: kept }] } });
      if (third.ok) await runner.stopped(third.value.started[0].jobId!);
    } finally {
      await runner.close();
    }
  });
});
