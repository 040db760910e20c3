import { describe, it, expect } from 'vitest';
import { isArcheError, formatError, type ArcheErrorData } from '../../../shared/errors.std.ts';
import type { FolderMapping } from '../imap/mapping.std.ts';
import { applyUserChoices, mergeChoices, nameProblem, sortUserChoices } from './user-mapping.std.ts';

const DOT = { delimiter: '.', prefix: 'INBOX.' };
const SLASH = { delimiter: '/', prefix: '' };
const mapping: FolderMapping[] = [
  { source: 'Factures', destination: 'INBOX.Factures', role: null, reason: 'converted', exists: false },
  { source: 'Sent', destination: 'INBOX.Éléments envoyés', role: 'sent', reason: 'special-use', exists: true, note: { code: 'move-folder-role', fields: {} } },
  { source: 'INBOX', destination: 'INBOX', role: 'inbox', reason: 'special-use', exists: true },
];

function refusal(run: () => unknown): ArcheErrorData {
  try {
    run();
  } catch (e) {
    if (isArcheError(e)) return { code: e.code, fields: e.fields as ArcheErrorData['fields'] };
    throw e;
  }
  throw new Error('not refused');
}

describe('user mapping', () => {
  it("the user's choice wins for that folder, unchanged lines stay as computed", () => {
    const out = applyUserChoices(
      mapping,
      [
        { source: 'Factures', destination: ' INBOX.Papiers.Factures ' },
        { source: 'Sent', destination: 'INBOX.Éléments envoyés' },
        { source: 'Inconnu', destination: '' },
      ],
      DOT,
      new Set(['INBOX', 'INBOX.Éléments envoyés']),
    );
    expect([...out.changed]).toEqual(['Factures']);
    expect(out.mapping[0]).toEqual({ source: 'Factures', destination: 'INBOX.Papiers.Factures', role: null, reason: 'converted', exists: false, note: undefined });
    expect(out.mapping.slice(1)).toEqual(mapping.slice(1));
  });

  it('sub-folders follow a moved parent, unless the user chose their own place', () => {
    const tree: FolderMapping[] = [
      { source: 'Travail', destination: 'INBOX.Travail', role: null, reason: 'converted', exists: false },
      { source: 'Travail/Clients', destination: 'INBOX.Travail.Clients', role: null, reason: 'converted', exists: false },
      { source: 'Travail/Clients/Été 2024', destination: 'INBOX.Travail.Clients.Été 2024', role: null, reason: 'converted', exists: false },
      { source: 'Travail/Fournisseurs', destination: 'INBOX.Travail.Fournisseurs', role: null, reason: 'converted', exists: false },
      { source: 'Travaux', destination: 'INBOX.Travaux', role: null, reason: 'converted', exists: false },
      ...mapping,
    ];
    const out = applyUserChoices(
      tree,
      [
        { source: 'Travail', destination: 'INBOX.Boulot' },
        { source: 'Travail/Fournisseurs', destination: 'INBOX.Achats' },
        { source: 'INBOX', destination: 'INBOX.Ancienne boîte' },
      ],
      DOT,
      new Set(['INBOX', 'INBOX.Boulot.Clients']),
    );
    const dest = Object.fromEntries(out.mapping.map((m) => [m.source, m.destination]));
    expect(dest).toMatchObject({
      Travail: 'INBOX.Boulot',
      'Travail/Clients': 'INBOX.Boulot.Clients',
      'Travail/Clients/Été 2024': 'INBOX.Boulot.Clients.Été 2024',
      'Travail/Fournisseurs': 'INBOX.Achats',
      Travaux: 'INBOX.Travaux',
      // INBOX moved elsewhere takes no folder with it
      Factures: 'INBOX.Factures',
      INBOX: 'INBOX.Ancienne boîte',
    });
    expect(out.mapping.find((m) => m.source === 'Travail/Clients')!.exists).toBe(true);
    // Only the user's own choices are remembered: the sub-folders follow the parent again next time.
    expect([...out.changed].sort()).toEqual(['INBOX', 'Travail', 'Travail/Fournisseurs']);
  });

  it('a choice of an existing folder is marked as existing, and its note goes', () => {
    const out = applyUserChoices(mapping, [{ source: 'Sent', destination: 'INBOX' }], DOT, new Set(['INBOX']));
    expect(out.mapping[1]).toMatchObject({ destination: 'INBOX', exists: true, note: undefined });
  });

  it('refuses names the destination cannot hold, in plain French and English', () => {
    expect(nameProblem('', DOT)).toBe('empty');
    expect(nameProblem('INBOX..Factures', DOT)).toBe('empty-part');
    expect(nameProblem('INBOX.Factures.', DOT)).toBe('empty-part');
    expect(nameProblem('/Factures', SLASH)).toBe('empty-part');
    expect(nameProblem('Fac*tures', SLASH)).toBe('characters');
    expect(nameProblem('Fac\ttures', SLASH)).toBe('characters');
    expect(nameProblem('x'.repeat(600), SLASH)).toBe('too-long');
    expect(nameProblem('Factures', DOT)).toBe('outside-prefix');
    expect(nameProblem('inbox', DOT)).toBeNull();
    expect(nameProblem('INBOX.Papiers.Factures', DOT)).toBeNull();
    expect(nameProblem('Papiers/Factures 2024', SLASH)).toBeNull();

    const e = refusal(() => applyUserChoices(mapping, [{ source: 'Factures', destination: 'Factures 2024' }], DOT, new Set()));
    expect(e.code).toBe('move-mapping-invalid');
    expect(formatError(e, 'fr')).toContain('Le dossier « Factures » ne peut pas aller dans « Factures 2024 » : chez le nouveau fournisseur, tous les dossiers sont rangés sous « INBOX. » ; écrivez par exemple « INBOX.Factures 2024 ».');
    expect(formatError(e, 'en')).toContain('The folder "Factures" cannot go into "Factures 2024": at the new provider, every folder lives under "INBOX."');
    const empty = refusal(() => applyUserChoices(mapping, [{ source: 'Factures', destination: '  ' }], DOT, new Set()));
    expect(formatError(empty, 'fr')).toContain('Il manque le nom du dossier où doit aller « Factures ».');
    expect(formatError(empty, 'en')).toContain('Nothing was copied.');
  });

  it('later choices win over recorded ones', () => {
    expect(mergeChoices([{ source: 'A', destination: 'X' }, { source: 'B', destination: 'Y' }], undefined, [{ source: 'A', destination: 'Z' }])).toEqual([
      { source: 'A', destination: 'Z' },
      { source: 'B', destination: 'Y' },
    ]);
  });
});

describe('sortUserChoices: every line checked, none stops the others (the Plan screen)', () => {
  const dot = { prefix: 'INBOX.', delimiter: '.' };
  it('keeps the names the destination can hold and says why for the others', () => {
    const r = sortUserChoices(
      [
        { source: 'Club/Régates', destination: ' INBOX.Régates ' },
        { source: 'Sent', destination: 'INBOX.Envoyés*' },
        { source: 'Junk', destination: 'Spam' },
        { source: 'Drafts', destination: '  ' },
      ],
      dot,
    );
    expect(r.usable).toEqual([{ source: 'Club/Régates', destination: 'INBOX.Régates' }]);
    expect(r.refused.map((c) => [c.source, c.reason])).toEqual([
      ['Sent', 'characters'],
      ['Junk', 'outside-prefix'],
      ['Drafts', 'empty'],
    ]);
  });
});
