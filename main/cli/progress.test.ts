import { describe, expect, it } from 'vitest';
import { formatProgressLine, progressReporter } from './progress.node.ts';

function fakeStream(tty: boolean): NodeJS.WriteStream & { text: string } {
  const s = { isTTY: tty, columns: 60, text: '', write(chunk: string) { s.text += chunk; return true; } };
  return s as unknown as NodeJS.WriteStream & { text: string };
}

describe('CLI progress', () => {
  it('plain lines when stderr is not a terminal, with folder and counts', () => {
    expect(formatProgressLine('backup', { job: 'backup', phase: 'fetch', folder: 'INBOX', folderDone: 1200, folderTotal: 12345, done: 1200, total: 20000, bytesDone: 0, bytesTotal: 0 }))
      .toBe('backup: sauvegarde / backing up INBOX 1 200/12 345 (1 200/20 000)');
    // A check's fetch mends damaged messages: it is not called a backup.
    expect(formatProgressLine('check', { job: 'check', phase: 'fetch', done: 400, total: 400, bytesDone: 0, bytesTotal: 0 })).toBe('check: réparation des messages abîmés / repairing damaged messages (400/400)');
    const s = fakeStream(false);
    const r = progressReporter('backup', s);
    r.onProgress({ job: 'backup', phase: 'fetch', folder: 'INBOX', folderDone: 0, folderTotal: 10, done: 0, total: 10, bytesDone: 0, bytesTotal: 0 });
    r.onProgress({ job: 'backup', phase: 'fetch', folder: 'INBOX', folderDone: 10, folderTotal: 10, done: 10, total: 10, bytesDone: 0, bytesTotal: 0 });
    r.end();
    expect(s.text.split('\n').filter(Boolean)).toHaveLength(2);
    expect(s.text).not.toContain('\r');
  });
  it('a redrawn bar on a terminal, and notices in both languages on their own lines', () => {
    const s = fakeStream(true);
    const r = progressReporter('backup', s);
    r.onProgress({ job: 'backup', phase: 'fetch', folder: 'INBOX', folderDone: 5, folderTotal: 10, done: 5, total: 10, bytesDone: 0, bytesTotal: 0 });
    r.onProgress({ job: 'backup', phase: 'fetch', done: 5, total: 10, bytesDone: 0, bytesTotal: 0, notice: { code: 'connection-lost', fields: { host: 'imap.example.org', attempt: 1 } } });
    r.end();
    expect(s.text).toContain('\r[##########----------]  50%');
    expect(s.text).toContain('La connexion avec votre fournisseur (imap.example.org) a été coupée (essai 1). Arche reprend tout seul');
    expect(s.text).toContain('The connection to your mail provider (imap.example.org) dropped (attempt 1). Arche carries on by itself');
    expect(s.text.endsWith('\n')).toBe(true);
  });
});
