import { describe, it, expect } from 'vitest';
import { detectRole, mapFolders, normaliseName, type FolderMapping } from './mapping.std.ts';
import type { FolderInfo } from '../archive/archive.types.std.ts';
import { describeError } from '../../../shared/errors.std.ts';

const f = (path: string, delimiter: string | null, specialUse: string | null = null): FolderInfo => ({ path, delimiter, specialUse });
const byPath = (m: FolderMapping[]): Record<string, FolderMapping> => Object.fromEntries(m.map((x) => [x.source, x]));

const slashServer: FolderInfo[] = [
  f('INBOX', '/'),
  f('Sent', '/', '\\Sent'),
  f('Drafts', '/', '\\Drafts'),
  f('Trash', '/', '\\Trash'),
  f('Junk', '/', '\\Junk'),
  f('Archive', '/', '\\Archive'),
  f('Work', '/'),
  f('Work/Clients', '/'),
  f('Work/Clients/2019', '/'),
  f('Factures 2020.2021', '/'),
  f('Sent/Old', '/'),
];
const slashNs = { delimiter: '/', prefix: '' };

const dotServer: FolderInfo[] = [
  f('INBOX', '.'),
  f('INBOX.Éléments envoyés', '.', '\\Sent'),
  f('INBOX.Brouillons', '.', '\\Drafts'),
  f('INBOX.Corbeille', '.', '\\Trash'),
  f('INBOX.Courrier indésirable', '.', '\\Junk'),
];
const dotNs = { delimiter: '.', prefix: 'INBOX.' };

describe('detectRole', () => {
  it('prefers the special-use flag over the name', () => {
    expect(detectRole(f('Boîte d’envoi', '/', '\\Sent'))).toBe('sent');
    expect(detectRole(f('Spam', '/', '\\Trash'))).toBe('trash');
  });
  it('INBOX is always the inbox, whatever its case', () => {
    expect(detectRole(f('INBOX', '/'))).toBe('inbox');
    expect(detectRole(f('Inbox', '.'))).toBe('inbox');
  });
  it('matches the well-known French and English names without case or accents', () => {
    expect(detectRole(f('Envoyés', '/'))).toBe('sent');
    expect(detectRole(f('ELEMENTS ENVOYES', '/'))).toBe('sent');
    expect(detectRole(f('OUTBOX', '/'))).toBe('sent');
    expect(detectRole(f('Messages envoyés', '/'))).toBe('sent');
    expect(detectRole(f('brouillons', '/'))).toBe('drafts');
    expect(detectRole(f('Éléments supprimés', '/'))).toBe('trash');
    expect(detectRole(f('Deleted Messages', '/'))).toBe('trash');
    expect(detectRole(f('Courrier indésirable', '/'))).toBe('junk');
    expect(detectRole(f('Junk E-mail', '/'))).toBe('junk');
    expect(detectRole(f('Archives', '/'))).toBe('archive');
    expect(detectRole(f('Voyages', '/'))).toBeNull();
  });
  it('matches a name as the last segment under a prefix, not deep in the user’s own folders', () => {
    expect(detectRole(f('INBOX.Corbeille', '.'))).toBe('trash');
    expect(detectRole(f('[Gmail]/Sent Mail', '/'))).toBe('sent');
    expect(detectRole(f('[Gmail]/All Mail', '/'))).toBe('all');
    expect(detectRole(f('[Gmail]/Tous les messages', '/'))).toBe('all');
    expect(detectRole(f('[Gmail]/Starred', '/'))).toBe('flagged');
    expect(detectRole(f('Travail/Archives', '/'))).toBeNull();
    expect(detectRole(f('Important', '/'))).toBeNull();
  });
  it('normalises names', () => {
    expect(normaliseName('  Éléments   Envoyés ')).toBe('elements envoyes');
  });
});

describe('mapFolders', () => {
  it('slash → dot: special-use to the French folders, prefix and separator converted, "." substituted', () => {
    const m = byPath(mapFolders(slashServer, slashNs, dotServer, dotNs));
    expect(m['INBOX']).toMatchObject({ destination: 'INBOX', role: 'inbox', exists: true });
    expect(m['Sent']).toMatchObject({ destination: 'INBOX.Éléments envoyés', role: 'sent', reason: 'special-use', exists: true });
    expect(m['Sent'].note?.code).toBe('move-folder-role');
    expect(m['Drafts']).toMatchObject({ destination: 'INBOX.Brouillons', reason: 'special-use', exists: true });
    expect(m['Trash']).toMatchObject({ destination: 'INBOX.Corbeille', exists: true });
    expect(m['Junk']).toMatchObject({ destination: 'INBOX.Courrier indésirable', exists: true });
    // The destination has no archive folder: it will be created, keeping the source's name.
    expect(m['Archive']).toMatchObject({ destination: 'INBOX.Archive', role: 'archive', exists: false });
    expect(m['Work']).toMatchObject({ destination: 'INBOX.Work', reason: 'converted', exists: false, role: null });
    expect(m['Work/Clients/2019'].destination).toBe('INBOX.Work.Clients.2019');
    // Children follow their parent into the destination's role folder.
    expect(m['Sent/Old'].destination).toBe('INBOX.Éléments envoyés.Old');
    expect(m['Factures 2020.2021']).toMatchObject({ destination: 'INBOX.Factures 2020_2021', reason: 'substituted' });
    const note = m['Factures 2020.2021'].note!;
    expect(note.code).toBe('move-name-substituted');
    expect(describeError(note, 'fr').message).toContain('« Factures 2020.2021 » s\'appellera « Factures 2020_2021 » chez le nouveau fournisseur');
    expect(describeError(note, 'en').message).toContain('"Factures 2020.2021" will be called "Factures 2020_2021" at the new provider');
  });

  it('dot → slash: prefix removed, special-use to the English folders', () => {
    const source = [...dotServer, f('INBOX.Voyages', '.'), f('INBOX.Voyages.Été 2024', '.'), f('INBOX.a/b', '.')];
    const m = byPath(mapFolders(source, dotNs, slashServer, slashNs));
    expect(m['INBOX'].destination).toBe('INBOX');
    expect(m['INBOX.Éléments envoyés']).toMatchObject({ destination: 'Sent', role: 'sent', exists: true, reason: 'special-use' });
    expect(m['INBOX.Brouillons'].destination).toBe('Drafts');
    expect(m['INBOX.Corbeille'].destination).toBe('Trash');
    expect(m['INBOX.Courrier indésirable'].destination).toBe('Junk');
    expect(m['INBOX.Voyages']).toMatchObject({ destination: 'Voyages', exists: false });
    expect(m['INBOX.Voyages.Été 2024'].destination).toBe('Voyages/Été 2024');
    expect(m['INBOX.a/b']).toMatchObject({ destination: 'a-b', reason: 'substituted' });
  });

  it('a server without special-use: "Envoyés" is matched by name to the destination\'s \\Sent', () => {
    const plain = [f('INBOX', '/'), f('Envoyés', '/'), f('Brouillons', '/'), f('Corbeille', '/'), f('Spam', '/'), f('Famille', '/')];
    const m = byPath(mapFolders(plain, slashNs, dotServer, dotNs));
    expect(m['Envoyés']).toMatchObject({ destination: 'INBOX.Éléments envoyés', role: 'sent', reason: 'name', exists: true });
    expect(m['Brouillons']).toMatchObject({ destination: 'INBOX.Brouillons', role: 'drafts', exists: true });
    expect(m['Corbeille'].destination).toBe('INBOX.Corbeille');
    expect(m['Spam'].destination).toBe('INBOX.Courrier indésirable');
    expect(m['Famille']).toMatchObject({ destination: 'INBOX.Famille', role: null, exists: false });
    // And the other way: to a destination without special-use, by its names.
    const back = byPath(mapFolders(slashServer, slashNs, plain, slashNs));
    expect(back['Sent']).toMatchObject({ destination: 'Envoyés', role: 'sent', reason: 'name', exists: true });
    expect(back['Junk']).toMatchObject({ destination: 'Spam', exists: true });
  });

  it('Gmail as source: its folders go to the destination\'s own, All Mail to Archives, [Gmail] disappears', () => {
    const gmail = [
      f('INBOX', '/'),
      f('[Gmail]', '/'),
      f('[Gmail]/All Mail', '/', '\\All'),
      f('[Gmail]/Sent Mail', '/', '\\Sent'),
      f('[Gmail]/Drafts', '/', '\\Drafts'),
      f('[Gmail]/Trash', '/', '\\Trash'),
      f('[Gmail]/Spam', '/', '\\Junk'),
      f('[Gmail]/Starred', '/', '\\Flagged'),
      f('[Gmail]/Important', '/', '\\Important'),
      f('Famille', '/'),
    ];
    const m = byPath(mapFolders(gmail, slashNs, [...dotServer, f('INBOX.Archives', '.', '\\Archive')], dotNs));
    expect(m['[Gmail]/Sent Mail']).toMatchObject({ destination: 'INBOX.Éléments envoyés', role: 'sent' });
    expect(m['[Gmail]/Drafts'].destination).toBe('INBOX.Brouillons');
    expect(m['[Gmail]/Trash'].destination).toBe('INBOX.Corbeille');
    expect(m['[Gmail]/Spam'].destination).toBe('INBOX.Courrier indésirable');
    expect(m['[Gmail]/All Mail']).toMatchObject({ destination: 'INBOX.Archives', role: 'all' });
    expect(m['[Gmail]/All Mail'].note?.code).toBe('move-all-mail-to-archive');
    expect(m['[Gmail]/Starred']).toMatchObject({ destination: 'INBOX.Starred', role: 'flagged' });
    expect(m['[Gmail]/Important']).toMatchObject({ destination: 'INBOX.Important', role: 'important' });
    expect(m['Famille'].destination).toBe('INBOX.Famille');
  });

  it('Gmail names are recognised without special-use too', () => {
    const gmail = [f('INBOX', '/'), f('[Gmail]/Sent Mail', '/'), f('[Gmail]/Corbeille', '/')];
    const m = byPath(mapFolders(gmail, slashNs, slashServer, slashNs));
    expect(m['[Gmail]/Sent Mail'].destination).toBe('Sent');
    expect(m['[Gmail]/Corbeille'].destination).toBe('Trash');
  });

  it('one folder per role: a second "Sent" without the flag stays an ordinary folder', () => {
    const src = [f('INBOX', '/'), f('Sent', '/', '\\Sent'), f('Envoyés', '/')];
    const m = byPath(mapFolders(src, slashNs, dotServer, dotNs));
    expect(m['Sent'].destination).toBe('INBOX.Éléments envoyés');
    expect(m['Envoyés']).toMatchObject({ destination: 'INBOX.Envoyés', role: null });
  });

  it('never maps two source folders to the same destination', () => {
    const src = [f('INBOX', '/'), f('a.b', '/'), f('a_b', '/')];
    const m = mapFolders(src, slashNs, dotServer, dotNs);
    const dests = m.map((x) => x.destination);
    expect(new Set(dests).size).toBe(dests.length);
    expect(dests).toContain('INBOX.a_b');
    expect(dests).toContain('INBOX.a_b (2)');
  });

  it('does not depend on the order folders are listed in', () => {
    const src = [f('INBOX', '/'), f('a.b', '/'), f('a_b', '/'), f('Sent', '/', '\\Sent'), f('Envoyés', '/')];
    const one = mapFolders(src, slashNs, dotServer, dotNs);
    const two = mapFolders([...src].reverse(), slashNs, [...dotServer].reverse(), dotNs);
    const key = (m: FolderMapping[]): string[] => m.map((x) => `${x.source}→${x.destination}`).sort();
    expect(key(two)).toEqual(key(one));
  });

  it('same flavour on both sides: everything keeps its name and exists', () => {
    const m = mapFolders(slashServer, slashNs, slashServer, slashNs);
    for (const x of m) expect(x.destination).toBe(x.source);
    expect(m.every((x) => x.exists)).toBe(true);
  });
});
