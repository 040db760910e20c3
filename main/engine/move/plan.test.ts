/**
 * The plan against fake servers, for what a local Dovecot cannot show: Gmail as the source (label views, All Mail)
 * and a destination that announces its size limit (APPENDLIMIT). Quotas are covered on a real server in
 * test/integration/move-safety.test.ts.
 */
import { describe, it, expect } from 'vitest';
import type { ImapFlow } from 'imapflow';
import { planMigration } from './plan.node.ts';

interface FakeMessage {
  uid: number;
  size: number;
  subject: string;
  emailId?: string;
}
interface FakeFolder {
  path: string;
  specialUse?: string;
  flags?: string[];
  messages: FakeMessage[];
}

function fakeServer(opts: { caps: Record<string, boolean | number>; ns: { prefix: string; delimiter: string }; folders: FakeFolder[]; quota?: { usage: number; limit: number } }): ImapFlow {
  let selected: FakeFolder | undefined;
  const byPath = new Map(opts.folders.map((f) => [f.path, f]));
  const c = {
    capabilities: new Map(Object.entries(opts.caps)),
    namespace: opts.ns,
    async list() {
      return opts.folders.map((f) => ({
        path: f.path,
        delimiter: opts.ns.delimiter,
        flags: new Set([...(f.flags ?? []), ...(f.specialUse ? [f.specialUse] : [])]),
        specialUse: f.specialUse,
        specialUseSource: f.specialUse ? 'extension' : undefined,
        status: { path: f.path, messages: f.messages.length, size: f.messages.reduce((n, m) => n + m.size, 0) },
      }));
    },
    async getMailboxLock(path: string) {
      selected = byPath.get(path);
      if (!selected) throw new Error('NONEXISTENT');
      return { release() {} };
    },
    async search(q: { larger?: number }) {
      return selected!.messages.filter((m) => (q.larger === undefined ? true : m.size > q.larger)).map((m) => m.uid);
    },
    async *fetch(range: string) {
      const wanted = range === '1:*' ? null : new Set(range.split(',').map(Number));
      for (const m of selected!.messages) {
        if (wanted && !wanted.has(m.uid)) continue;
        yield { uid: m.uid, size: m.size, envelope: { subject: m.subject }, emailId: m.emailId };
      }
    },
    async status(path: string) {
      const f = byPath.get(path)!;
      return { path, messages: f.messages.length, size: f.messages.reduce((n, m) => n + m.size, 0) };
    },
    async getQuota() {
      return opts.quota ? { path: 'INBOX', storage: opts.quota } : false;
    },
  };
  return c as unknown as ImapFlow;
}

const msg = (uid: number, emailId: string, size = 1000, subject = `Message ${uid}`): FakeMessage => ({ uid, size, subject, emailId });

describe('planMigration', () => {
  it('Gmail as source: views left out and said so, All Mail only for archived messages, too-big messages listed', async () => {
    const gmail = fakeServer({
      caps: { 'X-GM-EXT-1': true, 'STATUS=SIZE': true },
      ns: { prefix: '', delimiter: '/' },
      folders: [
        { path: 'INBOX', messages: [msg(1, 'a'), msg(2, 'b', 40 * 1024 * 1024, 'Vidéo du mariage')] },
        { path: '[Gmail]', flags: ['\\Noselect'], messages: [] },
        { path: '[Gmail]/All Mail', specialUse: '\\All', messages: [msg(1, 'a'), msg(2, 'b', 40 * 1024 * 1024), msg(3, 'c'), msg(4, 'd'), msg(5, 'e')] },
        { path: '[Gmail]/Sent Mail', specialUse: '\\Sent', messages: [msg(1, 'c')] },
        { path: '[Gmail]/Starred', specialUse: '\\Flagged', messages: [msg(1, 'a')] },
        { path: '[Gmail]/Important', specialUse: '\\Important', messages: [msg(1, 'a'), msg(2, 'c')] },
      ],
    });
    const dest = fakeServer({
      caps: { APPENDLIMIT: 25 * 1024 * 1024, QUOTA: true },
      ns: { prefix: 'INBOX.', delimiter: '.' },
      folders: [
        { path: 'INBOX', messages: [] },
        { path: 'INBOX.Éléments envoyés', specialUse: '\\Sent', messages: [] },
        { path: 'INBOX.Archives', specialUse: '\\Archive', messages: [] },
      ],
      quota: { usage: 0, limit: 1024 * 1024 * 1024 },
    });
    const plan = await planMigration(gmail, dest, { destinationHost: 'imap.exemple.fr' });
    const lines = Object.fromEntries(plan.folders.map((f) => [f.source, f]));
    expect(Object.keys(lines).sort()).toEqual(['INBOX', '[Gmail]/All Mail', '[Gmail]/Sent Mail']);
    expect(lines['[Gmail]/Sent Mail'].destination).toBe('INBOX.Éléments envoyés');
    // All Mail: a, b (INBOX) and c (Sent) are already brought by other folders; d and e were archived.
    expect(lines['[Gmail]/All Mail']).toMatchObject({ destination: 'INBOX.Archives', messages: 2 });
    const codes = plan.notes.map((n) => n.code);
    expect(codes.filter((c) => c === 'move-gmail-view-skipped')).toHaveLength(2);
    expect(plan.notes.find((n) => n.code === 'move-gmail-all-mail')!.fields).toMatchObject({ skipped: 3, copied: 2 });
    // The 40 MB message is over the destination's announced limit: listed once, with the folder that brings it.
    expect(plan.sizeLimit).toEqual({ limit: 25 * 1024 * 1024, from: 'server' });
    expect(plan.wontGo.map((w) => [w.folder, w.subject])).toEqual([['INBOX', 'Vidéo du mariage']]);
    expect(plan.wontGo[0].reason).toMatchObject({ code: 'move-too-big', fields: { limit: 25 * 1024 * 1024 } });
    expect(plan.quotaOk).toBe(true);
  });

  it('a known provider limit applies when the server does not announce one', async () => {
    const src = fakeServer({ caps: {}, ns: { prefix: '', delimiter: '/' }, folders: [{ path: 'INBOX', messages: [msg(1, 'a', 30 * 1024 * 1024, 'Scan')] }] });
    const gmailDest = fakeServer({ caps: {}, ns: { prefix: '', delimiter: '/' }, folders: [{ path: 'INBOX', messages: [] }] });
    const plan = await planMigration(src, gmailDest, { destinationHost: 'imap.gmail.com' });
    expect(plan.sizeLimit).toEqual({ limit: 25 * 1024 * 1024, from: 'provider' });
    expect(plan.wontGo).toHaveLength(1);
    // Without STATUS=SIZE the folder's size is the sum of the message sizes.
    expect(plan.folders[0].bytes).toBe(30 * 1024 * 1024);
  });

  it("the user's destinations: applied, marked 'user', counted in the quota, recorded for the copy", async () => {
    const src = fakeServer({
      caps: { 'STATUS=SIZE': true },
      ns: { prefix: '', delimiter: '/' },
      folders: [
        { path: 'INBOX', messages: [msg(1, 'a')] },
        { path: 'Sent', specialUse: '\\Sent', messages: [msg(1, 'b')] },
        { path: 'Factures', messages: [msg(1, 'c'), msg(2, 'd')] },
      ],
    });
    const dest = fakeServer({
      caps: { 'STATUS=SIZE': true },
      ns: { prefix: 'INBOX.', delimiter: '.' },
      folders: [
        { path: 'INBOX', messages: [] },
        { path: 'INBOX.Éléments envoyés', specialUse: '\\Sent', messages: [] },
        { path: 'INBOX.Papiers', messages: [] },
      ],
    });
    const plan = await planMigration(src, dest, {
      destinationHost: 'imap.exemple.fr',
      userChoices: [
        { source: 'Factures', destination: 'INBOX.Papiers' },
        { source: 'Sent', destination: 'INBOX.Éléments envoyés' },
      ],
    });
    const lines = Object.fromEntries(plan.folders.map((f) => [f.source, f]));
    expect(lines.Factures).toMatchObject({ destination: 'INBOX.Papiers', reason: 'user', exists: true, messages: 2 });
    expect(lines.Factures.note).toBeUndefined();
    expect(lines.Sent).toMatchObject({ destination: 'INBOX.Éléments envoyés', reason: 'special-use' });
    expect(plan.mapping.find((m) => m.source === 'Factures')!.destination).toBe('INBOX.Papiers');
    expect(plan.userMapping).toEqual([{ source: 'Factures', destination: 'INBOX.Papiers' }]);

    await expect(planMigration(src, dest, { destinationHost: 'imap.exemple.fr', userChoices: [{ source: 'Factures', destination: 'INBOX..Papiers' }] })).rejects.toMatchObject({
      code: 'move-mapping-invalid',
      fields: { source: 'Factures', reason: 'empty-part' },
    });
  });

  it('a folder under a parent that cannot hold folders (\\NoInferiors, mbox servers) is said in the plan, with a name to use', async () => {
    const src = fakeServer({
      caps: {},
      ns: { prefix: '', delimiter: '/' },
      folders: [{ path: 'INBOX', messages: [msg(1, 'a')] }, { path: 'INBOX/Factures', messages: [msg(2, 'b'), msg(3, 'c')] }],
    });
    // GNU imap4d: INBOX is a file, listed with \NoInferiors (mixed case on purpose: attributes are case-insensitive).
    const imap4d = fakeServer({ caps: {}, ns: { prefix: '', delimiter: '/' }, folders: [{ path: 'INBOX', flags: ['\\NOINFERIORS'], messages: [] }] });
    const plan = await planMigration(src, imap4d, { destinationHost: '127.0.0.1' });
    expect(plan.notes.filter((n) => n.code === 'move-folder-impossible')).toEqual([
      { code: 'move-folder-impossible', fields: { folder: 'INBOX/Factures', parent: 'INBOX', proposed: 'INBOX - Factures', count: 2 } },
    ]);
  });
});
