import { describe, it, expect } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { saveVerifyReport, renderReportHtml, formatWhen, type VerifyReportInput } from './report.node.ts';
import { describeError } from '../../../shared/errors.std.ts';

const when = new Date(2026, 10, 23, 21, 4, 0);
const base = (over: Partial<VerifyReportInput> = {}): VerifyReportInput => ({
  source: 'imaps://lea%40mailo.com@mail.mailo.com:993',
  destination: 'imaps://lea@imap.exemple.fr:993',
  checkedAt: when,
  expected: 12345,
  present: 12345,
  missing: 0,
  changed: 0,
  folders: Array.from({ length: 14 }, (_, i) => ({ source: `F${i}`, destination: `INBOX.F${i}`, expected: 1, present: 1, missing: 0, changed: 0, alreadyThere: 0, notCopied: [], notes: [] })),
  ...over,
});

describe('verification report', () => {
  it('says it the French way: "Tout est arrivé : 12 345 messages dans 14 dossiers, vérifiés un par un le 23/11/2026 à 21 h 04."', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'arche-report-'));
    const r = saveVerifyReport(dir, base());
    const fr = describeError(r.summary, 'fr').message.replace(/\u202f|\u00a0/g, ' ');
    expect(fr).toBe('Tout est arrivé : 12 345 messages dans 14 dossiers, vérifiés un par un le 23/11/2026 à 21 h 04.');
    expect(describeError(r.summary, 'en').message).toBe('Everything arrived: 12,345 messages in 14 folders, checked one by one on 23 Nov 2026 at 21:04.');
    expect(r.report.startsWith(path.join(dir, 'reports'))).toBe(true);
    const json = JSON.parse(readFileSync(r.report.replace(/\.html$/, '.json'), 'utf8'));
    expect(json).toMatchObject({ expected: 12345, present: 12345, missing: 0, changed: 0 });
    expect(json.summary.en).toContain('Everything arrived');
    // A second report in the same second does not overwrite the first.
    const r2 = saveVerifyReport(dir, base());
    expect(r2.report).not.toBe(r.report);
  });

  it('is self-contained and escapes folder names and notes', () => {
    const html = renderReportHtml(base({
      missing: 1,
      present: 12344,
      folders: [{ source: '<script>alert(1)</script>', destination: 'INBOX.x', expected: 2, present: 1, missing: 1, changed: 0, alreadyThere: 0, notCopied: [], notes: [{ code: 'verify-missing-message', fields: { subject: 'Facture <b>mars</b>' } }] }],
    }));
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;');
    expect(html).toContain('Facture &lt;b&gt;mars&lt;/b&gt;');
    expect(html).not.toMatch(/https?:\/\/|<link|<img|src=/);
    expect(html).toContain('lang="fr"');
    expect(html).toContain('lang="en"');
    expect(html).toContain('@media print');
    expect(html).toContain('Il manque 1 message');
  });

  it('says how many folders were carried over from the previous check', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'arche-report-'));
    const folders = base().folders.map((f, i) => (i < 2 ? { ...f, notes: [{ code: 'verify-unchanged-since' as const, fields: { dateFr: '22/11/2026 à 10:00', dateEn: '22/11/2026 at 10:00' } }] } : f));
    const r = saveVerifyReport(dir, base({ folders }));
    expect(describeError(r.summary, 'fr').message).toContain('(2 dossiers inchangés depuis la vérification précédente : résultat repris.)');
    expect(describeError(r.summary, 'en').message).toContain('(2 folders unchanged since the previous check: result carried over.)');
  });

  it('shows what was not copied by group, with reasons, in the HTML and the JSON (per folder and in total)', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'arche-report-'));
    const folders = [
      { source: 'INBOX', destination: 'INBOX', expected: 8, present: 8, missing: 0, changed: 0, alreadyThere: 2, notCopied: [{ reason: 'moved-at-source', count: 1 }, { reason: 'deleted-at-source', count: 3 }], notes: [{ code: 'verify-deleted-at-source' as const, fields: { count: 3 } }] },
      { source: 'Work', destination: 'INBOX.Work', expected: 2, present: 1, missing: 1, changed: 0, alreadyThere: 0, notCopied: [{ reason: 'move-too-big', count: 1 }], notes: [] },
    ];
    const r = saveVerifyReport(dir, base({ expected: 10, present: 9, missing: 1, folders }));
    const json = JSON.parse(readFileSync(r.report.replace(/\.html$/, '.json'), 'utf8'));
    expect(json.notCopied).toEqual({ 'moved-at-source': 1, 'deleted-at-source': 3, refused: 1, alreadyThere: 2 });
    expect(json.folders[0]).toMatchObject({ expected: 8, present: 8, alreadyThere: 2, notCopied: [{ reason: 'moved-at-source', count: 1 }, { reason: 'deleted-at-source', count: 3 }] });
    expect(json.folders[0].notes[0].fr).toContain("3 messages que votre ancienne messagerie n'a plus : Arche les garde, ils ne seront pas recopiés.");
    const html = readFileSync(r.report, 'utf8');
    expect(html).toContain('Supprimés chez l&#39;ancien fournisseur (Arche les garde) : 3');
    expect(html).toContain('Deleted at the old provider (Arche keeps them): 3');
    expect(html).toContain('Refusés par le nouveau fournisseur (raisons ci-dessous) : 1');
  });

  it('formats dates in both languages', () => {
    // The screens' one formatter: "21 h 04" in French, never "21:04".
    expect(formatWhen(when, 'fr')).toBe('23/11/2026 à 21\u00a0h\u00a004');
    expect(formatWhen(when, 'en')).toBe('23 Nov 2026 at 21:04');
  });
});
