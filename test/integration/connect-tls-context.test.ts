/**
 * The TLS context for a CA the user gave (--ca-file, a self-hosted server) is built once, not at every connection:
 * building it parses the ~140 system root certificates again (tens of ms each time, and a move opens a dozen
 * connections or more). The cache must never let a certificate through that the given CAs do not vouch for: a
 * server whose certificate another CA signed is still refused, before the password is sent.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import tls from 'node:tls';
import { startDovecot, type Dovecot } from '../helpers/dovecot.ts';
import { connect } from '../../main/engine/imap/connect.node.ts';
import { ArcheError } from '../../shared/errors.std.ts';

let a: Dovecot;
let b: Dovecot;
beforeAll(async () => {
  // two servers, each with its own self-signed certificate (its own CA)
  [a, b] = await Promise.all([startDovecot({ flavour: 'slash' }), startDovecot({ flavour: 'slash' })]);
});
afterAll(() => {
  a?.stop();
  b?.stop();
});

async function attempt(d: Dovecot, ca: string): Promise<string> {
  try {
    const c = await connect({ url: d.url('alice'), password: 'alice-pass', ca: [ca] }, { timeoutMs: 20_000 });
    const status = await c.status('INBOX', { messages: true });
    await c.logout();
    return status && typeof status.messages === 'number' ? 'ok' : 'no status';
  } catch (e) {
    return e instanceof ArcheError ? e.code : String(e);
  }
}

describe('TLS context for a given CA', () => {
  it('is built once for several connections, and still refuses a certificate that CA did not sign', async () => {
    const built = vi.spyOn(tls, 'createSecureContext');
    try {
      for (let i = 0; i < 3; i++) expect(await attempt(a, a.caPem)).toBe('ok');
      const withA = built.mock.calls.filter(([o]) => Array.isArray(o?.ca) && o.ca.includes(a.caPem)).length;
      expect(withA).toBe(1);
      // b's certificate checked against a's CA: refused, cache or not; with b's own CA: accepted.
      expect(await attempt(b, a.caPem)).toBe('cert-untrusted');
      expect(await attempt(b, b.caPem)).toBe('ok');
    } finally {
      built.mockRestore();
    }
  });
});
