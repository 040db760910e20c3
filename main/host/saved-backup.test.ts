/** A backup started by hand (the dashboard's "Tout sauvegarder maintenant") is recorded in the saved list like a scheduled one. */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { JobState } from '../../shared/api.std.ts';
import { SavedAccounts, statusOf } from '../engine/accounts/saved-accounts.node.ts';
import { recordBackupJob } from './saved-backup.node.ts';

const A = 'imaps://alice@imap.club.fr:993';

function job(over: Partial<JobState>): JobState {
  return { id: 'j1', kind: 'backup', account: A, status: 'done', startedAt: 1_000, progress: null, ...over };
}

describe('recordBackupJob', () => {
  it('records a finished backup job of a saved account: ok, alarm, failed; ignores other jobs and unsaved accounts', () => {
    const saved = new SavedAccounts(mkdtempSync(path.join(os.tmpdir(), 'arche-record-job-')));
    saved.add({ url: A, email: 'alice' }, 500);

    recordBackupJob(saved, job({ status: 'running' }), 2_000);
    recordBackupJob(saved, job({ kind: 'check', result: { messages: 1, new: 1, alarms: [] } }), 2_000);
    recordBackupJob(saved, job({ account: 'imaps://bob@imap.club.fr:993', result: { messages: 1, new: 1, alarms: [] } }), 2_000);
    expect(saved.get(A)!.last).toBeUndefined();

    recordBackupJob(saved, job({ result: { messages: 9, new: 2, alarms: [] } }), 3_000);
    expect(saved.get(A)).toMatchObject({ lastGoodAt: 3_000, last: { startedAt: 1_000, finishedAt: 3_000, status: 'ok', messages: 9, new: 2 } });

    recordBackupJob(saved, job({ startedAt: 4_000, result: { messages: 9, new: 0, alarms: [{ kind: 'folder-gone', folder: 'Régates', missing: 4 }] } }), 5_000);
    expect(saved.get(A)!.last).toMatchObject({ status: 'alarm', error: { code: 'backup-alarm-lost', fields: { folder: 'Régates', missing: 4 } } });

    recordBackupJob(saved, job({ startedAt: 6_000, status: 'failed', error: { code: 'auth-failed', fields: { user: 'alice' } } }), 7_000);
    expect(saved.get(A)).toMatchObject({ lastGoodAt: 5_000, last: { status: 'failed', error: { code: 'auth-failed' } } });
    expect(statusOf(saved.get(A)!, 7_000)).toBe('failed');
  });
});
