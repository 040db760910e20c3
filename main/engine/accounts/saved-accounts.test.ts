import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultConfigDir, dueNow, SavedAccounts, statusOf, viewOf } from './saved-accounts.node.ts';
import { parseSchedule } from './schedule.std.ts';

const url = 'imaps://marie%40club.fr@imap.club.fr:993';

describe('saved accounts: the list, its results and statuses', () => {
  it('adds, replaces without losing results, records results, removes', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'arche-saved-'));
    const saved = new SavedAccounts(dir);
    expect(saved.list()).toEqual([]);
    saved.add({ url, email: 'marie@club.fr', archiveDir: 'rel/archive', caFiles: ['ca.pem'] }, 1000);
    expect(saved.get(url)).toMatchObject({ schedule: 'daily@13:00', addedAt: 1000, archiveDir: path.resolve('rel/archive'), caFiles: [path.resolve('ca.pem')] });
    saved.recordResult(url, { startedAt: 2000, finishedAt: 3000, status: 'ok', messages: 10, new: 10 });
    saved.add({ url, email: 'marie@club.fr', schedule: parseSchedule('weekly')! }, 5000);
    const a = saved.get(url)!;
    expect(a).toMatchObject({ schedule: 'weekly@13:00', addedAt: 1000, lastGoodAt: 3000, lastAttemptAt: 2000 });
    expect(a.archiveDir).toBeUndefined();
    saved.recordResult(url, { startedAt: 6000, finishedAt: 7000, status: 'failed', error: { code: 'auth-failed' as const, fields: {} } });
    expect(saved.get(url)).toMatchObject({ lastGoodAt: 3000, lastAttemptAt: 6000, last: { status: 'failed' } });
    expect(JSON.parse(readFileSync(saved.file, 'utf8')).version).toBe(1);
    expect(saved.remove(url)).toBe(true);
    expect(saved.remove(url)).toBe(false);
    expect(saved.list()).toEqual([]);
  });

  it('status: alarm, failed, late, never, ok; offline is not shown as a failure', () => {
    const day = 24 * 3600 * 1000;
    const base = { url, email: 'm', auth: 'password' as const, schedule: 'daily@13:00', addedAt: 0 };
    expect(statusOf(base, day)).toBe('never');
    expect(statusOf(base, 3 * day)).toBe('late');
    expect(statusOf({ ...base, lastGoodAt: 2 * day }, 3 * day)).toBe('ok');
    const failed = { startedAt: 1, finishedAt: 2, status: 'failed' as const, error: { code: 'auth-failed' as const, fields: {} } };
    expect(statusOf({ ...base, lastGoodAt: 2 * day, last: failed }, 3 * day)).toBe('failed');
    expect(statusOf({ ...base, lastGoodAt: 2 * day, last: { ...failed, offline: true } }, 3 * day)).toBe('ok');
    expect(statusOf({ ...base, lastGoodAt: 2 * day, last: { ...failed, status: 'alarm' } }, 3 * day)).toBe('alarm');
    const v = viewOf({ ...base, lastGoodAt: 2 * day }, '/data/arche', 3 * day);
    expect(v).toMatchObject({ archiveDir: '/data/arche', status: 'ok', lastGoodAt: 2 * day, last: null });
    expect(v.nextAt).toBeGreaterThan(3 * day);
  });

  it('lives in the config folder, not in the archive', () => {
    expect(defaultConfigDir({ XDG_CONFIG_HOME: '/x/cfg' }, 'linux', '/home/m')).toBe('/x/cfg/arche');
    expect(defaultConfigDir({}, 'linux', '/home/m')).toBe('/home/m/.config/arche');
    expect(defaultConfigDir({ ARCHE_CONFIG_DIR: '/c' }, 'linux', '/home/m')).toBe('/c');
    expect(defaultConfigDir({}, 'darwin', '/Users/m')).toBe('/Users/m/Library/Preferences/Arche');
  });

  it('dueNow (backup --all --due, the OS entry): planned time passed since the last run, or offline a while ago', () => {
    const at = (d: number, h: number, m = 0) => new Date(2026, 11, d, h, m).getTime();
    const base = { url, email: 'm', auth: 'password' as const, schedule: 'daily@13:00', addedAt: at(1, 9) };
    expect(dueNow(base, at(1, 12))).toBe(false);
    expect(dueNow(base, at(1, 13))).toBe(true);
    expect(dueNow({ ...base, lastAttemptAt: at(1, 13) }, at(1, 20))).toBe(false);
    expect(dueNow({ ...base, lastAttemptAt: at(1, 13) }, at(4, 8))).toBe(true); // missed while off
    const offline = { startedAt: at(1, 13), finishedAt: at(1, 13), status: 'failed' as const, offline: true, error: { code: 'connection-refused' as const, fields: {} } };
    expect(dueNow({ ...base, lastAttemptAt: at(1, 13), last: offline }, at(1, 13, 10))).toBe(false);
    expect(dueNow({ ...base, lastAttemptAt: at(1, 13), last: offline }, at(1, 13, 15))).toBe(true);
    // Stopped on Gmail's daily limit at 13:00: due at the time it said (the 2nd at 14:00), not before, not at 13:00.
    const limited = { startedAt: at(1, 13), finishedAt: at(1, 13), status: 'failed' as const, resumeAt: at(2, 14), error: { code: 'provider-bandwidth-limit' as const, fields: {} } };
    expect(dueNow({ ...base, lastAttemptAt: at(1, 13), last: limited }, at(1, 13, 30))).toBe(false);
    expect(dueNow({ ...base, lastAttemptAt: at(1, 13), last: limited }, at(2, 13))).toBe(false);
    expect(dueNow({ ...base, lastAttemptAt: at(1, 13), last: limited }, at(2, 14))).toBe(true);
    expect(dueNow({ ...base, lastAttemptAt: at(2, 14), last: { ...limited, startedAt: at(2, 14) } }, at(2, 15))).toBe(false);
    expect(statusOf({ ...base, lastGoodAt: at(1, 9), last: limited }, at(1, 14))).not.toBe('failed');
    expect(viewOf({ ...base, lastAttemptAt: at(1, 13), last: limited }, '/a', at(1, 14)).nextAt).toBe(at(2, 14));
    expect(dueNow({ ...base, schedule: 'off' }, at(9, 13))).toBe(false);
  });
});
