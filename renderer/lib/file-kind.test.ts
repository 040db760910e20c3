import { describe, expect, it } from 'vitest';
import { fileKind } from './file-kind.std.ts';
import { fr } from '../i18n/fr.std.ts';
import { en } from '../i18n/en.std.ts';

describe('fileKind', () => {
  it('reads the extension first: what the computer will open the file with', () => {
    expect(fileKind('Procès-verbal AG 2010.pdf', 'application/octet-stream')).toBe('pdf');
    expect(fileKind('budget.xlsx', 'application/octet-stream')).toBe('spreadsheet');
    expect(fileKind('comptes.ods', 'application/octet-stream')).toBe('spreadsheet');
    expect(fileKind('lettre.docx', 'application/octet-stream')).toBe('document');
    expect(fileKind('diapos.odp', '')).toBe('presentation');
    expect(fileKind('depart.PNG', 'application/octet-stream')).toBe('image');
    expect(fileKind('rdv.ics', 'application/octet-stream')).toBe('calendar');
  });
  it('falls back on the declared type for a name without a telling extension', () => {
    expect(fileKind('piece-jointe-1', 'application/pdf')).toBe('pdf');
    expect(fileKind('tableau', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')).toBe('spreadsheet');
    expect(fileKind('compte-rendu', 'application/vnd.oasis.opendocument.text')).toBe('document');
    expect(fileKind('message transféré', 'message/rfc822')).toBe('email');
    expect(fileKind('notes', 'text/plain; charset=utf-8')).toBe('text');
    expect(fileKind('donnees', 'application/octet-stream')).toBe('other');
  });
  it('calls a program a program, whatever its name pretends', () => {
    expect(fileKind('facture.pdf.exe', 'application/pdf', true)).toBe('program');
  });
  it('has words for every kind in both languages', () => {
    for (const kind of ['program', 'pdf', 'document', 'spreadsheet', 'presentation', 'image', 'text', 'web', 'archive', 'audio', 'video', 'calendar', 'contact', 'email', 'other']) {
      expect(fr.fileKind[kind as keyof typeof fr.fileKind], kind).toBeTruthy();
      expect(en.fileKind[kind as keyof typeof en.fileKind], kind).toBeTruthy();
    }
    expect(fr.fileKind.pdf).toBe('Document PDF');
    expect(fr.fileKind.spreadsheet).toBe('Feuille de calcul');
  });
});
