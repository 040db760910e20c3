import { describe, it, expect } from 'vitest';
import { displayFolderName } from './folder-name.std.ts';

describe('displayFolderName', () => {
  it('names the inbox in plain words and hides the technical INBOX. prefix', () => {
    expect(displayFolderName('INBOX', 'Boîte de réception')).toBe('Boîte de réception');
    expect(displayFolderName('inbox', 'Inbox')).toBe('Inbox');
    expect(displayFolderName('INBOX.Éléments envoyés', 'x')).toBe('Éléments envoyés');
    expect(displayFolderName('INBOX.Club.Régates', 'x')).toBe('Club / Régates');
  });
  it('leaves the user\'s own names alone', () => {
    expect(displayFolderName('Club/Régates', 'x')).toBe('Club/Régates');
    expect(displayFolderName('Notes.2020', 'x')).toBe('Notes.2020');
    expect(displayFolderName('INBOX/Sub', 'x')).toBe('INBOX/Sub');
  });
});
