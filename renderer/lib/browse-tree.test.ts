import { describe, expect, it } from 'vitest';
import { addressOf, folderTree, peopleNames } from './browse-tree.std.ts';

const f = (path: string, delimiter: string | null, role: string | null = null, messages = 1, unread = 0) => ({ path, delimiter, role: role as never, messages, unread });

describe('folderTree', () => {
  it('builds levels by the server separator, known folders first in their order, others by name', () => {
    const t = folderTree([f('Zèbre', '/'), f('Club/Régates', '/', null, 4, 2), f('Sent', '/', 'sent'), f('Trash', '/', 'trash'), f('INBOX', '/', 'inbox', 10, 3), f('Club', '/'), f('Amis', '/')]);
    expect(t.map((n) => n.name)).toEqual(['INBOX', 'Sent', 'Trash', 'Amis', 'Club', 'Zèbre']);
    const club = t.find((n) => n.name === 'Club')!;
    expect(club.children).toEqual([{ path: 'Club/Régates', name: 'Régates', role: null, messages: 4, unread: 2, children: [] }]);
  });
  it('keeps a level the server does not list, without a path (not a folder one can open)', () => {
    const t = folderTree([f('Club/Voile/2024', '/')]);
    expect(t[0]).toMatchObject({ path: null, name: 'Club' });
    expect(t[0].children[0]).toMatchObject({ path: null, name: 'Voile' });
    expect(t[0].children[0].children[0]).toMatchObject({ path: 'Club/Voile/2024', name: '2024' });
  });
  it('shows the folders of an "INBOX." server beside the inbox, as people know them', () => {
    const t = folderTree([f('INBOX', '.', 'inbox'), f('INBOX.Sent', '.', 'sent'), f('INBOX.Club.Régates', '.')]);
    expect(t.map((n) => n.path)).toEqual(['INBOX', 'INBOX.Sent', null]);
    expect(t[2].children[0].path).toBe('INBOX.Club.Régates');
  });
});

describe('peopleNames', () => {
  it('names where there are, addresses otherwise', () => {
    expect(peopleNames('Marie Dupont <marie@x.fr>, jean@y.fr, "Dupont, Paul" <p@z.fr>')).toBe('Marie Dupont, jean@y.fr, Dupont, Paul');
    expect(peopleNames('')).toBe('');
    expect(addressOf('Marie <marie@x.fr>')).toBe('marie@x.fr');
  });
});
