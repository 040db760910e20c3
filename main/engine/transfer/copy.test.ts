/**
 * The copy loop against a fake server (the real-server cases are in test/integration/move-*.test.ts): throttling
 * waits and tells the user, a dropped connection is re-opened without copying twice, refusals are listed.
 */
import { describe, it, expect } from 'vitest';
import type { ImapFlow } from 'imapflow';
import type { ArchiveApi } from '../archive/archive.types.std.ts';
import type { ProgressEvent } from '../../../shared/events.std.ts';
import { formatError } from '../../../shared/errors.std.ts';
import { copyPlanned } from './copy.node.ts';
import { normHash } from '../archive/norm-hash.node.ts';
import type { DestinationPlan, PlannedMessage } from './selection.node.ts';

const raw = (n: number): Buffer => Buffer.from(`Subject: Message ${n}\r\nMessage-ID: <m${n}@x>\r\n\r\nBody ${n}\r\n`);

class FakeServer {
  folders = new Map<string, Buffer[]>([['INBOX', []]]);
  /** Scripted answers to the next APPENDs: an error to throw, or 'drop-after' (stored, then the connection dies). */
  script: (Error | 'drop-after' | null)[] = [];
  /** A message whose APPEND always loses the connection before it is stored (a big one on a bad network). */
  neverThrough: ((content: Buffer) => boolean) | null = null;
  connections = 0;
  appends = 0;
  downloads = 0;
  /** Announces MULTIAPPEND and takes several messages per APPEND command. */
  multi = false;
  /** Messages per APPEND command received. */
  commands: number[] = [];
  /** Announces UIDPLUS (and answers APPENDUID). */
  uidplus = true;
  /** Courier: refuses an APPEND into the folder this connection selected read-only. */
  refuseAppendIntoReadOnly = false;
  /** GNU imap4d: answers OK to an APPEND into the folder this connection selected read-write, and loses it. */
  losesAppendIntoSelected = false;
  /** PERMANENTFLAGS given on a read-write SELECT (undefined: not given); keywords not listed are refused (imap4d). */
  permanentFlags?: string[];
  /** Cyrus: refuses bare line endings. */
  refuseBareLf = false;
  /** Folder names CREATE refuses, with the server's words. */
  refuseCreate = new Map<string, string>();
  /** imap4d with two writers: every second APPEND answered OK while another connection is appending is lost. */
  losesParallel = false;
  /** APPENDs in flight (to see parallel writers). */
  inFlight = 0;
  lost = 0;

  client(): ImapFlow {
    return fakeClient(this);
  }
}

function fakeClient(server: FakeServer): ImapFlow {
  {
    server.connections++;
    let usable = true;
    let selected: string | null = null;
    let readOnly = false;
    const checkAppend = (path: string, content: Buffer, flags: string[]): void => {
      if (server.refuseAppendIntoReadOnly && readOnly && selected === path) throw Object.assign(new Error('Command failed'), { responseStatus: 'NO', responseText: 'Current box is selected READ-ONLY.' });
      if (!server.folders.has(path)) throw Object.assign(new Error('Command failed'), { responseStatus: 'NO', serverResponseCode: 'TRYCREATE', responseText: 'Mailbox does not exist' });
      if (server.permanentFlags && flags.some((f) => !f.startsWith('\\') && !server.permanentFlags!.includes(f))) throw Object.assign(new Error('Command failed'), { responseStatus: 'BAD', responseText: 'APPEND Unrecognized flag' });
      if (server.refuseBareLf && /(^|[^\r])\n/.test(content.toString('latin1'))) throw Object.assign(new Error('Command failed'), { responseStatus: 'NO', responseText: 'Message contains bare newlines' });
    };
    const c = {
      get usable() {
        return usable;
      },
      async mailboxCreate(path: string) {
        // imapflow answers ALREADYEXISTS with created: false.
        if (server.folders.has(path)) return { path, created: false };
        const refusal = server.refuseCreate.get(path);
        if (refusal) throw Object.assign(new Error('Command failed'), { responseStatus: 'NO', responseText: refusal });
        server.folders.set(path, []);
        return { path, created: true };
      },
      async status(path: string) {
        if (!server.folders.has(path)) throw Object.assign(new Error('Command failed'), { responseStatus: 'NO' });
        return { path, messages: server.folders.get(path)!.length };
      },
      async mailboxSubscribe() {},
      get mailbox() {
        if (selected === null) return false;
        return { path: selected, uidValidity: 7n, readOnly, ...(server.permanentFlags && !readOnly ? { permanentFlags: new Set(server.permanentFlags) } : {}) };
      },
      // imapflow's CLOSE / UNSELECT.
      async run(command: string) {
        expect(command).toBe('CLOSE');
        selected = null;
      },
      async getMailboxLock(path: string, opts?: { readOnly?: boolean }) {
        if (!server.folders.has(path)) throw new Error('Command failed');
        selected = path;
        readOnly = opts?.readOnly === true;
        return { release() {} };
      },
      async search() {
        return server.folders.get(selected!)!.map((_, i) => i + 1);
      },
      async *fetch(range: string) {
        const list = server.folders.get(selected!)!;
        for (const uid of range.split(',').map(Number)) {
          server.downloads++;
          yield { uid, source: list[uid - 1], internalDate: new Date(0) };
        }
      },
      async append(path: string, content: Buffer, flags: string[] = []) {
        if (!usable) throw Object.assign(new Error('Connection not available'), { code: 'NoConnection' });
        server.appends++;
        if (server.neverThrough?.(content)) {
          usable = false;
          throw Object.assign(new Error('Connection not available'), { code: 'NoConnection' });
        }
        const next = server.script.shift() ?? null;
        if (next instanceof Error) throw next;
        checkAppend(path, content, flags);
        server.inFlight++;
        await new Promise((r) => setImmediate(r));
        server.inFlight--;
        if ((server.losesParallel && server.inFlight > 0 && server.appends % 2 === 0) || (server.losesAppendIntoSelected && selected === path && !readOnly)) {
          server.lost++;
          return { destination: path };
        }
        server.folders.get(path)!.push(content);
        if (next === 'drop-after') {
          usable = false;
          throw Object.assign(new Error('Connection not available'), { code: 'NoConnection' });
        }
        return { destination: path, uid: server.folders.get(path)!.length, uidValidity: 7n };
      },
      capabilities: new Map<string, unknown>([...(server.multi ? [['MULTIAPPEND', true] as const] : []), ...(server.uidplus ? [['UIDPLUS', true] as const] : [])]),
      enabled: new Set<string>(),
      // imapflow's command sender, as multiAppend uses it: APPEND path (flags) "date" literal (flags) "date" literal…
      async exec(command: string, attrs: unknown[]) {
        if (!usable) throw Object.assign(new Error('Connection not available'), { code: 'NoConnection' });
        const path = (attrs[0] as { value: string }).value;
        const literals = attrs.filter((a) => (a as { type?: string }).type === 'LITERAL').map((a) => (a as { value: Buffer }).value);
        expect(command).toBe('APPEND');
        server.appends++;
        server.commands.push(literals.length);
        const next = server.script.shift() ?? null;
        if (next instanceof Error) throw next;
        const list = server.folders.get(path)!;
        const first = list.length + 1;
        list.push(...literals);
        if (next === 'drop-after') {
          usable = false;
          throw Object.assign(new Error('Connection not available'), { code: 'NoConnection' });
        }
        const section = [{ value: 'APPENDUID' }, { value: '7' }, { value: `${first}:${list.length}` }];
        return { response: { attributes: [{ section }] }, next() {} };
      },
      async logout() {
        usable = false;
      },
      close() {
        usable = false;
      },
    };
    return c as unknown as ImapFlow;
  }
}

function archiveOf(messages: Map<number, Buffer>): ArchiveApi {
  return { dir: '/nonexistent', readRaw: (id: number) => messages.get(id)! } as unknown as ArchiveApi;
}

function planOf(destination: string, ids: number[], contents: Map<number, Buffer>, extra: Partial<PlannedMessage> = {}): DestinationPlan {
  return {
    destination,
    sources: [destination],
    skippedAsElsewhere: 0,
    messages: ids.map((id, i) => ({
      placementId: i + 1,
      contentId: id,
      normHash: normHash(contents.get(id)!),
      messageId: null,
      internalDate: 0,
      sourceFolder: destination,
      flags: ['\\Seen', '\\Recent'],
      size: contents.get(id)!.length,
      serverGone: false,
      ...extra,
    })),
  };
}

describe('copyPlanned', () => {
  const contents = new Map([1, 2, 3, 4].map((n) => [n, raw(n)]));

  it('throttled: waits as long as the provider says, tells the user when it carries on, then copies', async () => {
    const server = new FakeServer();
    server.script = [null, Object.assign(new Error('Command failed'), { responseStatus: 'BAD', responseText: 'Request is throttled. Suggested Backoff Time: 92415 milliseconds' })];
    const waits: number[] = [];
    const events: ProgressEvent[] = [];
    const r = await copyPlanned(
      { connect: async () => server.client(), archive: archiveOf(contents), plans: new Map([['INBOX', planOf('INBOX', [1, 2, 3], contents)]]), wait: async (ms) => void waits.push(ms) },
      { onProgress: (e) => events.push(e) },
    );
    expect(r).toMatchObject({ copied: 3, skippedExisting: 0, failed: 0 });
    expect(waits).toEqual([92415]);
    const notice = events.find((e) => e.notice)!.notice!;
    expect(notice.code).toBe('move-throttled');
    expect(String(notice.fields.at)).toMatch(/^\d\d:\d\d$/);
    expect(formatError(notice, 'fr')).toMatch(/reprendra la copie à \d{1,2}\u00a0h\u00a0\d\d\./);
    expect(server.folders.get('INBOX')).toHaveLength(3);
  });

  it('a connection that drops right after the server stored the message: reconnects, does not copy it twice', async () => {
    const server = new FakeServer();
    server.script = [null, 'drop-after'];
    const r = await copyPlanned({ connect: async () => server.client(), archive: archiveOf(contents), plans: new Map([['Travail', planOf('Travail', [1, 2, 3, 4], contents)]]) });
    expect(r.copied + r.skippedExisting).toBe(4);
    expect(server.folders.get('Travail')!.map((b) => b.toString().split('\r\n')[0]).sort()).toEqual(['Subject: Message 1', 'Subject: Message 2', 'Subject: Message 3', 'Subject: Message 4']);
    expect(server.connections).toBeGreaterThan(1);
  });

  it('already there by content, identical twice, too big, refused: each counted once, every refusal with its reason', async () => {
    const server = new FakeServer();
    server.folders.get('INBOX')!.push(Buffer.from(raw(1).toString().replace(/\r\n/g, '\n'))); // same message, bare LF
    server.script = [Object.assign(new Error('Command failed'), { serverResponseCode: 'OVERQUOTA', responseText: 'Quota exceeded' })];
    const plan = planOf('INBOX', [1, 2, 2, 3], contents);
    const big = planOf('INBOX', [4], contents, { size: 50_000_000 }).messages[0];
    plan.messages.push(big);
    const r = await copyPlanned({ connect: async () => server.client(), archive: archiveOf(contents), plans: new Map([['INBOX', plan]]), sizeLimit: 25_000_000 });
    // 1: already there (same content, bare LF); 2: refused (quota), and so is its identical twin; 3: copied;
    // 4: over the known limit, not even attempted.
    expect(r.failures.map((f) => [f.contentId, f.reason.code]).sort()).toEqual([[2, 'move-quota-full'], [2, 'move-quota-full'], [4, 'move-too-big']]);
    expect(r.failures.find((f) => f.contentId === 4)!.reason.fields).toMatchObject({ subject: 'Message 4', limit: 25_000_000 });
    expect(r).toMatchObject({ copied: 1, skippedExisting: 1, failed: 3 });
    expect(server.appends).toBe(2);
  });

  it('keepCopies (restore): two identical copies in one source folder are two messages, and a re-run finds both', async () => {
    const server = new FakeServer();
    const plans = (): Map<string, DestinationPlan> => new Map([['INBOX', planOf('INBOX', [1, 1, 2], contents)]]);
    const first = await copyPlanned({ connect: async () => server.client(), archive: archiveOf(contents), plans: plans(), keepCopies: true });
    expect(first).toMatchObject({ copied: 3, skippedExisting: 0, failed: 0 });
    expect(server.folders.get('INBOX')!.length).toBe(3);
    const again = await copyPlanned({ connect: async () => server.client(), archive: archiveOf(contents), plans: plans(), keepCopies: true });
    expect(again).toMatchObject({ copied: 0, skippedExisting: 3, failed: 0 });
    // One of the two copies deleted at the destination: only that one goes again.
    server.folders.get('INBOX')!.splice(0, 1);
    const after = await copyPlanned({ connect: async () => server.client(), archive: archiveOf(contents), plans: plans(), keepCopies: true });
    expect(after).toMatchObject({ copied: 1, skippedExisting: 2 });
  });

  it('a re-run proves what earlier runs copied by their recorded UID, without downloading them', async () => {
    const server = new FakeServer();
    const plans = (): Map<string, DestinationPlan> => new Map([['INBOX', planOf('INBOX', [1, 2, 3], contents)]]);
    const first = await copyPlanned({ connect: async () => server.client(), archive: archiveOf(contents), plans: plans() });
    expect(first.placed.map((p) => [p.contentId, p.uid, p.uidValidity])).toEqual([[1, 1, 7], [2, 2, 7], [3, 3, 7]]);
    const known = Object.fromEntries(first.placed.map((p) => [`${p.contentId} ${p.destination}`, { uid: p.uid, uidValidity: p.uidValidity }]));
    server.downloads = 0;
    const again = await copyPlanned({ connect: async () => server.client(), archive: archiveOf(contents), plans: plans(), known });
    expect(again).toMatchObject({ copied: 0, skippedExisting: 3, failed: 0 });
    expect(server.downloads).toBe(0);
    // A record whose UID is gone (the user deleted the message at the destination) proves nothing: it is copied again.
    server.folders.get('INBOX')!.splice(0, 3);
    const after = await copyPlanned({ connect: async () => server.client(), archive: archiveOf(contents), plans: plans(), known });
    expect(after).toMatchObject({ copied: 3, skippedExisting: 0 });
  });

  it('flags are copied without \\Recent (a server sets it itself) nor \\Deleted (an expunge would remove what was put back)', async () => {
    const server = new FakeServer();
    const flagsSeen: string[][] = [];
    const connect = async (): Promise<ImapFlow> => {
      const c = server.client();
      const append = c.append.bind(c);
      (c as unknown as { append: unknown }).append = (p: string, content: Buffer, flags: string[], d: Date) => {
        flagsSeen.push(flags);
        return append(p, content, flags, d);
      };
      return c;
    };
    const events: string[] = [];
    await copyPlanned(
      { connect, archive: archiveOf(contents), job: 'restore', plans: new Map([['INBOX', planOf('INBOX', [1], contents, { flags: ['\\Seen', '\\Recent', '\\Deleted', '$Label1'] })]]) },
      { onProgress: (p) => events.push(p.job) },
    );
    expect(flagsSeen).toEqual([['\\Seen', '$Label1']]);
    // Restore uses this copy too: its progress is its own.
    expect(events.length).toBeGreaterThan(0);
    expect(new Set(events)).toEqual(new Set(['restore']));
  });

  it('stops at a message boundary when asked to', async () => {
    const server = new FakeServer();
    const ac = new AbortController();
    ac.abort();
    await expect(copyPlanned({ connect: async () => server.client(), archive: archiveOf(contents), plans: new Map([['INBOX', planOf('INBOX', [1, 2], contents)]]) }, { signal: ac.signal })).rejects.toMatchObject({ code: 'aborted' });
    expect(server.appends).toBe(0);
  });
});

describe('copyPlanned with a provider that limits connections', () => {
  it('carries on with the connections it could open', async () => {
    const server = new FakeServer();
    const contents = new Map(Array.from({ length: 120 }, (_, i) => [i + 1, raw(i + 1)]));
    let opened = 0;
    const connect = async (): Promise<ImapFlow> => {
      if (++opened > 2) throw Object.assign(new Error('Too many simultaneous connections'), { code: 'too-many-connections' });
      return server.client();
    };
    const r = await copyPlanned({ connect, archive: archiveOf(contents), plans: new Map([['INBOX', planOf('INBOX', [...contents.keys()], contents)]]), connections: 4 });
    expect(r).toMatchObject({ copied: 120, failed: 0 });
    expect(server.connections).toBe(2);
  });
});

describe('copyPlanned when the destination cannot be reached for a moment', () => {
  it('waits, tells the user, reconnects and carries on', async () => {
    const server = new FakeServer();
    server.script = [null, 'drop-after'];
    const contents = new Map([1, 2, 3].map((n) => [n, raw(n)]));
    let calls = 0;
    const connect = async (): Promise<ImapFlow> => {
      calls++;
      // The first reconnection attempt finds the server unreachable.
      if (calls === 2) throw Object.assign(new Error('connect ECONNREFUSED'), { name: 'ArcheError', code: 'connection-refused', fields: {} });
      return server.client();
    };
    const waits: number[] = [];
    const notices: string[] = [];
    const r = await copyPlanned(
      { connect, archive: archiveOf(contents), plans: new Map([['INBOX', planOf('INBOX', [1, 2, 3], contents)]]), wait: async (ms) => void waits.push(ms) },
      { onProgress: (e) => e.notice && notices.push(e.notice.code) },
    );
    expect(r.copied + r.skippedExisting).toBe(3);
    expect(server.folders.get('INBOX')).toHaveLength(3);
    expect(notices).toEqual(['connection-lost']);
    expect(waits).toEqual([1000]);
  });
});

describe('copyPlanned when one message never gets through', () => {
  it('names it in plain words and moves the others', async () => {
    const server = new FakeServer();
    const contents = new Map([1, 2, 3].map((n) => [n, raw(n)]));
    server.neverThrough = (c) => c.equals(contents.get(2)!);
    const r = await copyPlanned({ connect: async () => server.client(), archive: archiveOf(contents), plans: new Map([['INBOX', planOf('INBOX', [1, 2, 3], contents)]]), wait: async () => undefined });
    expect(r).toMatchObject({ copied: 2, failed: 1 });
    expect(server.folders.get('INBOX')).toHaveLength(2);
    expect(r.failures.map((f) => f.reason.code)).toEqual(['move-append-cut']);
    expect(formatError(r.failures[0].reason, 'fr')).toContain("n'a jamais pu passer : la connexion avec le nouveau fournisseur a été coupée à chaque essai");
  });
});

describe('copyPlanned with MULTIAPPEND', () => {
  const contents = new Map(Array.from({ length: 120 }, (_, i) => [i + 1, raw(i + 1)]));
  const quota = (): Error => Object.assign(new Error('Command failed'), { serverResponseCode: 'OVERQUOTA', responseText: 'Quota exceeded' });
  const subjects = (list: Buffer[]): string[] => list.map((b) => b.toString().split('\r\n')[0]);

  it('sends the messages in batches and records where each one went, in order', async () => {
    const server = Object.assign(new FakeServer(), { multi: true });
    const r = await copyPlanned({ connect: async () => server.client(), archive: archiveOf(contents), plans: new Map([['INBOX', planOf('INBOX', [...contents.keys()], contents)]]) });
    expect(r).toMatchObject({ copied: 120, skippedExisting: 0, failed: 0 });
    expect(server.commands).toEqual([50, 50, 20]);
    const inbox = server.folders.get('INBOX')!;
    for (const p of r.placed) expect(inbox[p.uid - 1].equals(contents.get(p.contentId)!)).toBe(true);
    expect(r.placed).toHaveLength(120);
  });

  it('a batch refused as a whole goes one by one: only the refused message is listed, with its reason', async () => {
    const server = Object.assign(new FakeServer(), { multi: true });
    server.script = [quota(), null, quota(), null];
    const r = await copyPlanned({ connect: async () => server.client(), archive: archiveOf(contents), plans: new Map([['INBOX', planOf('INBOX', [1, 2, 3], contents)]]) });
    expect(r).toMatchObject({ copied: 2, failed: 1 });
    expect(r.failures.map((f) => [f.contentId, f.reason.code])).toEqual([[2, 'move-quota-full']]);
    expect(subjects(server.folders.get('INBOX')!)).toEqual(['Subject: Message 1', 'Subject: Message 3']);
  });

  it('a connection that drops right after the server stored a batch: reconnects, does not copy it twice', async () => {
    const server = Object.assign(new FakeServer(), { multi: true });
    server.script = ['drop-after'];
    const r = await copyPlanned({ connect: async () => server.client(), archive: archiveOf(contents), plans: new Map([['INBOX', planOf('INBOX', [1, 2, 3, 4], contents)]]) });
    expect(r).toMatchObject({ copied: 0, skippedExisting: 4, failed: 0 });
    expect(subjects(server.folders.get('INBOX')!)).toEqual(['Subject: Message 1', 'Subject: Message 2', 'Subject: Message 3', 'Subject: Message 4']);
    expect(server.connections).toBe(2);
  });

  it('a throttled batch waits as long as the provider says, then goes', async () => {
    const server = Object.assign(new FakeServer(), { multi: true });
    server.script = [Object.assign(new Error('Command failed'), { responseText: 'Request is throttled. Suggested Backoff Time: 5000 milliseconds' })];
    const waits: number[] = [];
    const r = await copyPlanned({ connect: async () => server.client(), archive: archiveOf(contents), plans: new Map([['INBOX', planOf('INBOX', [1, 2], contents)]]), wait: async (ms) => void waits.push(ms) });
    expect(r).toMatchObject({ copied: 2, failed: 0 });
    expect(waits).toEqual([5000]);
    expect(server.commands).toEqual([2, 2]);
  });
});

describe('copyPlanned against what other servers do (issue 9)', () => {
  const contents = new Map([1, 2, 3].map((n) => [n, raw(n)]));
  const one = (plan: DestinationPlan, extra: Partial<Parameters<typeof copyPlanned>[0]> = {}, server = new FakeServer()) =>
    copyPlanned({ connect: async () => server.client(), archive: archiveOf(contents), plans: new Map([[plan.destination, plan]]), ...extra });

  it('Courier: never APPENDs into the folder the same connection selected read-only', async () => {
    const server = Object.assign(new FakeServer(), { refuseAppendIntoReadOnly: true });
    server.folders.set('Travail', [raw(9)]); // something there: the copy first looks (read-only) at what it holds
    const r = await one(planOf('Travail', [1, 2, 3], contents), {}, server);
    expect(r).toMatchObject({ copied: 3, failed: 0 });
    expect(server.folders.get('Travail')).toHaveLength(4);
  });

  it('imap4d: never APPENDs into the folder the same connection selected read-write (it would lose them)', async () => {
    const server = Object.assign(new FakeServer(), { losesAppendIntoSelected: true, permanentFlags: ['\\Seen'] });
    const r = await one(planOf('INBOX', [1, 2, 3], contents), {}, server);
    expect(r).toMatchObject({ copied: 3, failed: 0 });
    expect(server.lost).toBe(0);
    expect(server.folders.get('INBOX')).toHaveLength(3);
  });

  it('imap4d: keywords the folder does not keep are not sent, and are named once', async () => {
    const server = Object.assign(new FakeServer(), { permanentFlags: ['\\Seen', '\\Answered', '\\Flagged', '\\Deleted', '\\Draft'] });
    const r = await one(planOf('INBOX', [1, 2, 3], contents, { flags: ['\\Seen', '$Label1', 'Important'] }), {}, server);
    expect(r).toMatchObject({ copied: 3, failed: 0 });
    expect(r.notes).toEqual([{ code: 'move-keywords-dropped', fields: { keywords: '$Label1, Important', count: 3 } }]);
  });

  it('Cyrus: a message with bare LF line endings is sent with CRLF (the archive keeps its bytes)', async () => {
    const server = Object.assign(new FakeServer(), { refuseBareLf: true });
    const lf = new Map([[1, Buffer.from('Subject: LF\nMessage-ID: <lf@x>\n\nBody\n')]]);
    const r = await copyPlanned({ connect: async () => server.client(), archive: archiveOf(lf), plans: new Map([['INBOX', planOf('INBOX', [1], lf)]]) });
    expect(r).toMatchObject({ copied: 1, failed: 0 });
    expect(server.folders.get('INBOX')![0].toString()).toBe('Subject: LF\r\nMessage-ID: <lf@x>\r\n\r\nBody\r\n');
    expect(lf.get(1)!.toString()).toBe('Subject: LF\nMessage-ID: <lf@x>\n\nBody\n');
  });

  it('a folder name the server refuses: said once with its words and a proposed name; its messages are not tried', async () => {
    const server = new FakeServer();
    server.refuseCreate.set('Factures: 2024*', 'Invalid mailbox name');
    const r = await one(planOf('Factures: 2024*', [1, 2], contents), {}, server);
    expect(r.notes).toEqual([{ code: 'move-folder-refused', fields: { folder: 'Factures: 2024*', detail: 'Invalid mailbox name', proposed: 'Factures- 2024', count: 2 } }]);
    expect(r).toMatchObject({ copied: 0, failed: 2 });
    expect(r.failures.map((f) => f.reason.code)).toEqual(['move-folder-refused', 'move-folder-refused']);
    expect(server.appends).toBe(0);
  });

  it('APPENDLIMIT from the server: a bigger message is named with its size and the limit, not attempted', async () => {
    const server = new FakeServer();
    const connect = async (): Promise<ImapFlow> => {
      const c = server.client();
      (c as unknown as { capabilities: Map<string, unknown> }).capabilities.set('APPENDLIMIT', 60);
      return c;
    };
    const r = await copyPlanned({ connect, archive: archiveOf(contents), plans: new Map([['INBOX', planOf('INBOX', [1], contents, { size: 100 })]]) });
    expect(r.failures.map((f) => f.reason)).toEqual([{ code: 'move-too-big', fields: { subject: 'Message 1', size: 100, folder: 'INBOX', limit: 60 } }]);
    expect(server.appends).toBe(0);
  });

  it('no UIDPLUS and a server that adds X-UID/Status: a re-run finds the copies by Message-ID and content', async () => {
    const server = new FakeServer();
    // What imap4d holds after a first run: the messages with its own header fields added.
    server.folders.set('INBOX', [1, 2].map((n) => Buffer.from(raw(n).toString().replace('\r\n\r\n', `\r\nX-UID: ${n}\r\nStatus: RO\r\n\r\n`))));
    const plan = planOf('INBOX', [1, 2, 3], contents);
    for (const m of plan.messages) m.messageId = `m${m.contentId}@x`;
    const r = await one(plan, {}, server);
    expect(r).toMatchObject({ copied: 1, skippedExisting: 2, failed: 0 });
    expect(r.placed.map((p) => [p.contentId, p.uid]).sort()).toEqual([[1, 1], [2, 2], [3, 3]]);
    expect(server.folders.get('INBOX')).toHaveLength(3);
  });

  it('a server that loses parallel APPENDs: found by counting, the folder is done again on one connection, said once', async () => {
    const server = Object.assign(new FakeServer(), { losesParallel: true });
    const many = new Map(Array.from({ length: 120 }, (_, i) => [i + 1, raw(i + 1)]));
    const notices: string[] = [];
    const r = await copyPlanned(
      { connect: async () => server.client(), archive: archiveOf(many), plans: new Map([['INBOX', planOf('INBOX', [...many.keys()], many)]]), connections: 2 },
      { onProgress: (e) => e.notice && notices.push(e.notice.code) },
    );
    expect(server.lost).toBeGreaterThan(0);
    expect(server.folders.get('INBOX')).toHaveLength(120);
    expect(new Set(server.folders.get('INBOX')!.map((b) => b.toString())).size).toBe(120);
    // Every figure adds up: what this run put there plus what it found there (kept from the lossy pass) is 120.
    expect(r.failed).toBe(0);
    expect(r.copied + r.skippedExisting).toBe(120);
    expect(r.notes.map((n) => n.code)).toEqual(['move-parallel-lost']);
    expect(notices).toEqual(['move-parallel-lost']);
  });

  it('a server without UIDPLUS gets one connection from the start (nothing would tell which parallel copy it lost)', async () => {
    const server = Object.assign(new FakeServer(), { uidplus: false });
    const many = new Map(Array.from({ length: 120 }, (_, i) => [i + 1, raw(i + 1)]));
    const r = await copyPlanned({ connect: async () => server.client(), archive: archiveOf(many), plans: new Map([['INBOX', planOf('INBOX', [...many.keys()], many)]]), connections: 3 });
    expect(r).toMatchObject({ copied: 120, failed: 0 });
    expect(server.connections).toBe(1);
  });
});
