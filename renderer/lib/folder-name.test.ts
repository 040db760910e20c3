import { describe, it, expect } from 'vitest';
import { displayFolderName, friendlyPath, newFolderPath, newFolderName } from './folder-name.std.ts';

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

describe('friendlyPath, newFolderPath: paths as people read them, new folders placed by Arche', () => {
  const dot = { prefix: 'INBOX.', delimiter: '.' };
  const slash = { prefix: '', delimiter: '/' };
  it('hides the prefix and the separator, names the inbox', () => {
    expect(friendlyPath('INBOX.Club.Régates', dot, 'Boîte')).toBe('Club › Régates');
    expect(friendlyPath('INBOX.Éléments envoyés', dot, 'Boîte')).toBe('Éléments envoyés');
    expect(friendlyPath('INBOX', dot, 'Boîte de réception')).toBe('Boîte de réception');
    expect(friendlyPath('Club/Régates', slash, 'Boîte')).toBe('Club › Régates');
    expect(friendlyPath('Notes.2020', slash, 'Boîte')).toBe('Notes.2020');
  });
  it('a path outside the prefix, or the prefix alone, is shown as it is (nothing hidden that would mislead)', () => {
    expect(friendlyPath('Archives.2020', dot, 'x')).toBe('Archives › 2020');
    expect(friendlyPath('INBOX.', dot, 'x')).toBe('INBOX › ');
  });
  it('puts a new folder under the prefix with the server\'s separator', () => {
    expect(newFolderPath('Régates', dot)).toBe('INBOX.Régates');
    expect(newFolderPath('  Voile  ', dot)).toBe('INBOX.Voile');
    expect(newFolderPath('Club › Voile', dot)).toBe('INBOX.Club.Voile');
    expect(newFolderPath('Club › Voile', slash)).toBe('Club/Voile');
    expect(newFolderPath('', dot)).toBe('INBOX.');
  });
  it('reads back the name typed for a new folder', () => {
    for (const [name, ns] of [['Régates', dot], ['Club › Voile', dot], ['Club › Voile', slash]] as const) expect(newFolderName(newFolderPath(name, ns), ns)).toBe(name);
  });
});
