import { describe, expect, it } from 'vitest';
import { folderRole } from './search.node.ts';
import { makeSnippet } from './snippet.std.ts';
import { stemKeys } from '../archive/stem.std.ts';

describe('folder names as shown on screen', () => {
  it('name the special folders in French and English, accents, case and spaces aside', () => {
    expect(folderRole('Boîte de réception')).toBe('\\Inbox');
    expect(folderRole('boite de reception')).toBe('\\Inbox');
    expect(folderRole('INBOX')).toBe('\\Inbox');
    expect(folderRole('Envoyés')).toBe('\\Sent');
    expect(folderRole('Sent Items')).toBe('\\Sent');
    expect(folderRole('Éléments supprimés')).toBe('\\Trash');
    expect(folderRole('Courrier indésirable')).toBe('\\Junk');
    expect(folderRole('Tous les messages')).toBe('\\All');
    expect(folderRole('Projets')).toBeNull();
    expect(folderRole('constructor')).toBeNull();
    expect(folderRole('__proto__')).toBeNull();
  });
});

describe('snippets mark the other forms of a plain word', () => {
  it('« régate » marks « régates » and « Régate », not « régime »', () => {
    const out = makeSnippet('Les régates du club : la Régate de Brest, régime spécial', [{ key: 'regate', prefix: false, stems: stemKeys('régate') }]);
    expect(out).toBe('Les <mark>régates</mark> du club : la <mark>Régate</mark> de Brest, régime spécial');
  });
});
