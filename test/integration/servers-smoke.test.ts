/**
 * The private test servers themselves: each kind starts on loopback, accepts its users over implicit TLS and over
 * STARTTLS, lists, stores and gives back a message. If this fails, the matrix tests cannot say anything.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { testClient } from '../helpers/corpus.ts';
import { SERVER_KINDS, startServer, type TestServer } from '../helpers/servers.ts';

const started: TestServer[] = [];
afterAll(() => {
  for (const s of started) s.stop();
});

describe.each(SERVER_KINDS)('test server %s', (kind) => {
  it('logs in, lists, appends and fetches over TLS and STARTTLS', async () => {
    const s = await startServer(kind);
    started.push(s);
    const urls = [s.url('alice'), ...(s.starttlsPort ? [s.starttlsUrl('alice')] : [])];
    for (const [i, url] of urls.entries()) {
      const c = await testClient(url, 'alice-pass', s.caPem);
      try {
        expect(c.secureConnection || url.startsWith('imap:')).toBe(true);
        const folders = await c.list();
        expect(folders.map((f) => f.path.toUpperCase())).toContain('INBOX');
        const raw = `From: a@example.org\r\nTo: alice@example.org\r\nSubject: smoke ${i}\r\nMessage-ID: <smoke-${i}@example.org>\r\n\r\nbody ${i}\r\n`;
        await c.append('INBOX', raw, ['\\Seen']);
        const lock = await c.getMailboxLock('INBOX');
        const subjects: string[] = [];
        try {
          for await (const m of c.fetch('1:*', { uid: true, envelope: true })) subjects.push(m.envelope!.subject!);
        } finally {
          lock.release();
        }
        expect(subjects).toContain(`smoke ${i}`);
        // The STARTTLS port really upgraded: the session is encrypted before the password went out.
        expect((c as unknown as { socket: { encrypted?: boolean } }).socket.encrypted).toBe(true);
      } finally {
        await c.logout();
      }
    }
  });
});
