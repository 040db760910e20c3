import { describe, expect, it } from 'vitest';
import type { JobState } from '../../shared/api.std.ts';
import { attentionNotice } from './attention.std.ts';

const base: JobState = { id: '1', kind: 'backup', account: 'imaps://marie%40club.fr@imap.club.fr:993', status: 'done', startedAt: 0, progress: null };

describe('the notification of a failed backup or an alarm', () => {
  it('says who, what happened and what to do, in French and English', () => {
    const failed = attentionNotice({ ...base, status: 'failed', error: { code: 'auth-failed', fields: { user: 'marie' } } }, 'fr')!;
    expect(failed.title).toBe('Arche : la sauvegarde de marie@club.fr a échoué');
    expect(failed.body).toContain('a refusé le mot de passe de marie');
    const alarm = attentionNotice({ ...base, result: { alarms: [{ folder: 'INBOX', missing: 12, kind: 'mass-loss' }] } }, 'en')!;
    expect(alarm).toEqual({ title: 'Arche: alarm for marie@club.fr', body: 'Your provider no longer has 12 messages (INBOX). Your copies are safe: open Arche to put them back.' });
  });
  it('stays quiet for a backup that went well and for other jobs', () => {
    expect(attentionNotice({ ...base, result: { alarms: [] } }, 'fr')).toBeNull();
    expect(attentionNotice({ ...base, kind: 'check', status: 'failed', error: { code: 'internal', fields: {} } }, 'fr')).toBeNull();
  });
});
