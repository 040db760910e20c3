import { describe, expect, it } from 'vitest';
import { backupNotice, trayWords } from './tray-words.std.ts';

describe('tray and notification words', () => {
  it('the tray says Arche watches over the mail, in French and English', () => {
    expect(trayWords('fr').tooltip).toBe('Arche veille sur vos messages');
    expect(trayWords('en').tooltip).toBe('Arche is watching over your mail');
  });

  it('a failure or an alarm is notified with its reason; a good or offline run is not', () => {
    const failed = backupNotice('marie@club.fr', { status: 'failed', error: { code: 'auth-failed', fields: { host: 'imap.club.fr', user: 'marie@club.fr' } } }, 'fr');
    expect(failed!.title).toBe('Arche : la sauvegarde de marie@club.fr a échoué');
    expect(failed!.body).toContain('a refusé le mot de passe');
    expect(backupNotice('m', { status: 'alarm', error: { code: 'backup-alarm-lost', fields: { folder: 'INBOX', missing: 40 } } }, 'en')!.title).toBe('Arche: alarm for m');
    expect(backupNotice('m', { status: 'ok' }, 'fr')).toBeNull();
    expect(backupNotice('m', { status: 'failed', offline: true, error: { code: 'connection-refused', fields: {} } }, 'fr')).toBeNull();
  });
});
