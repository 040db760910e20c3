/**
 * Restore into servers that do not store what they are given byte for byte (Cyrus rewrites raw 8-bit header bytes):
 * the copy the server accepted is remembered as done, the rewriting is told once with the number of messages, and a
 * second restore sends nothing again (it used to send the same messages on every run).
 * Two identical copies of one message in one folder come back as two, as the server had them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { plainMessage, testClient } from '../helpers/corpus.ts';
import { startServer, type ServerKind, type TestServer } from '../helpers/servers.ts';
import { arche, buildCli, readAccount, cleanUp, tempDir, backupArgs } from './keep-helpers.ts';

const servers: TestServer[] = [];
beforeAll(() => buildCli());
afterAll(() => {
  for (const d of servers) d.stop();
  cleanUp();
});

/** Messages with raw (unencoded) 8-bit bytes in their headers, as many real clients send them. */
function eightBit(n: number): Buffer[] {
  return Array.from({ length: n }, (_, i) =>
    Buffer.concat([
      Buffer.from(`From: Hélène <helene@example.fr>\r\nTo: paul@example.fr\r\nSubject: Réunion n°${i} café\r\n`, 'utf8'),
      Buffer.from(`X-Old-Client: caf\xe9 cr\xe8me ${i}\r\n`, 'latin1'),
      Buffer.from(`Date: Fri, 3 Mar 2017 17:45:00 +0100\r\nMessage-ID: <r8-${i}@example.fr>\r\n\r\nCorps ${i}\r\n`, 'utf8'),
    ]),
  );
}

const REWRITING: ServerKind[] = ['cyrus'];

describe.each(REWRITING)('keep: restore into %s, which rewrites messages', (kind) => {
  it('copies each message once, says once that the server changed them, and a second run sends nothing', async () => {
    const [src, dst] = await Promise.all([startServer('dovecot'), startServer(kind)]);
    servers.push(src, dst);
    const c = await testClient(src.url('alice'), 'alice-pass', src.caPem);
    for (const raw of eightBit(3)) await c.append('INBOX', raw, ['\\Seen']);
    for (let i = 0; i < 2; i++) await c.append('INBOX', plainMessage({ subject: `Simple ${i}`, body: `Corps ${i}` }), []);
    await c.logout();
    const archive = tempDir(`rw-${kind}`);
    const b = await arche(backupArgs(src.url('alice'), archive, src.caFile), { PW: 'alice-pass' });
    expect(b.code, b.stderr).toBe(0);

    const restoreArgs = ['restore', '--to', dst.url('bob'), '--password-env', 'PW', '--archive', archive, '--ca-file', dst.caFile, '--json'];
    const first = await arche(restoreArgs, { PW: 'bob-pass' });
    expect(first.code, first.stderr).toBe(0);
    const fj = JSON.parse(first.stdout);
    expect(fj).toMatchObject({ copied: 5, skipped_existing: 0, failed: 0 });
    // What the server really did, asked of the server: how many of its copies differ from what was sent.
    const dc = await testClient(dst.url('bob'), 'bob-pass', dst.caPem);
    const held = await readAccount(dc);
    await dc.logout();
    expect(held.length).toBe(5);
    const changed = held.filter((m) => !eightBit(3).some((r) => r.equals(m.raw)) && !m.raw.toString('latin1').startsWith('From: Jeanne')).length;
    expect(changed).toBeGreaterThan(0);
    expect(fj.rewritten).toBe(changed);
    expect(first.stderr).toContain(`a accepté ${changed} message${changed > 1 ? 's' : ''} mais`);
    expect(first.stderr).toContain(`accepted ${changed} message${changed > 1 ? 's' : ''} but stored`);

    const second = await arche(restoreArgs, { PW: 'bob-pass' });
    expect(second.code, second.stderr).toBe(0);
    expect(JSON.parse(second.stdout)).toMatchObject({ copied: 0, skipped_existing: 5, failed: 0, rewritten: 0 });
    expect(second.stderr).not.toContain('en modifiant quelques octets');
    const dc2 = await testClient(dst.url('bob'), 'bob-pass', dst.caPem);
    expect((await readAccount(dc2)).length).toBe(5);
    await dc2.logout();
  });
});

describe.each(['dovecot-dot', 'cyrus'] as ServerKind[])('keep: restore of identical copies into %s', (kind) => {
  it('two identical copies of one message in one folder come back as two; a second run adds none', async () => {
    const [src, dst] = await Promise.all([startServer('dovecot'), startServer(kind)]);
    servers.push(src, dst);
    const twin = plainMessage({ subject: 'Deux fois ici', body: 'Je suis là deux fois.' });
    const c = await testClient(src.url('alice'), 'alice-pass', src.caPem);
    await c.append('INBOX', twin, ['\\Seen']);
    await c.append('INBOX', twin, ['\\Seen', '\\Flagged']);
    await c.append('INBOX', plainMessage({ subject: 'Une fois', body: 'Seul.' }), []);
    await c.logout();
    const archive = tempDir(`twins-${kind}`);
    const b = await arche(backupArgs(src.url('alice'), archive, src.caFile), { PW: 'alice-pass' });
    expect(b.code, b.stderr).toBe(0);
    expect(JSON.parse(b.stdout)).toMatchObject({ messages: 3 });

    const restoreArgs = ['restore', '--to', dst.url('bob'), '--password-env', 'PW', '--archive', archive, '--ca-file', dst.caFile, '--json'];
    const first = await arche(restoreArgs, { PW: 'bob-pass' });
    expect(first.code, first.stderr).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({ copied: 3, skipped_existing: 0, failed: 0 });
    const dc = await testClient(dst.url('bob'), 'bob-pass', dst.caPem);
    const inbox = (await readAccount(dc)).filter((m) => m.folder === 'INBOX');
    await dc.logout();
    const twins = inbox.filter((m) => m.raw.toString().includes('Deux fois ici'));
    expect(twins.length).toBe(2);
    // Each copy with its own flags, as the server had them.
    expect(twins.map((m) => m.flags.join(' ')).sort()).toEqual(['\\Flagged \\Seen', '\\Seen']);

    const second = await arche(restoreArgs, { PW: 'bob-pass' });
    expect(second.code, second.stderr).toBe(0);
    expect(JSON.parse(second.stdout)).toMatchObject({ copied: 0, skipped_existing: 3, failed: 0 });
  });
});
