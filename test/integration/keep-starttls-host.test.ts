/**
 * Security (issue 9, item 1): the certificate is checked against the host the user typed, IP or name, on the
 * STARTTLS upgrade exactly as on implicit TLS. Before the fix, an upgrade over `imap://127.0.0.1` checked the
 * certificate against "localhost": the right certificate was refused and a certificate valid only for "localhost"
 * was accepted and the password sent. Two real Dovecots, each with a certificate valid for one host only, each
 * reached both ways (STARTTLS and implicit TLS) and by both hosts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDovecot, type Dovecot } from '../helpers/dovecot.ts';
import { connect } from '../../main/engine/imap/connect.node.ts';
import { ArcheError } from '../../shared/errors.std.ts';

let ipOnly: Dovecot;
let nameOnly: Dovecot;
beforeAll(async () => {
  [ipOnly, nameOnly] = await Promise.all([
    startDovecot({ flavour: 'slash', starttls: true, certSan: 'IP:127.0.0.1' }),
    startDovecot({ flavour: 'slash', starttls: true, certSan: 'DNS:localhost' }),
  ]);
});
afterAll(() => {
  ipOnly?.stop();
  nameOnly?.stop();
});

/** 'ok' when the client logged in, else the ArcheError code (a certificate refusal stops before LOGIN). */
async function attempt(d: Dovecot, scheme: 'imap' | 'imaps', host: string): Promise<string> {
  const port = scheme === 'imap' ? d.starttlsPort : d.port;
  try {
    const c = await connect(
      { url: `${scheme}://alice@${host}:${port}`, password: 'alice-pass', ca: [d.caPem] },
      { timeoutMs: 10_000 },
    );
    // Proof that the session is real: the server answers a command after login.
    const status = await c.status('INBOX', { messages: true });
    await c.logout();
    return status && typeof status.messages === 'number' ? 'ok' : 'no status';
  } catch (e) {
    return e instanceof ArcheError ? e.code : String(e);
  }
}

describe('TLS certificate is verified against the host the user gave', () => {
  for (const scheme of ['imap', 'imaps'] as const) {
    const how = scheme === 'imap' ? 'STARTTLS' : 'implicit TLS';
    it(`${how}, IP host: an IP certificate is accepted, a "localhost"-only certificate is refused`, async () => {
      expect(await attempt(ipOnly, scheme, '127.0.0.1')).toBe('ok');
      expect(await attempt(nameOnly, scheme, '127.0.0.1')).toBe('cert-untrusted');
    });
    it(`${how}, DNS host: a "localhost" certificate is accepted, an IP-only certificate is refused`, async () => {
      expect(await attempt(nameOnly, scheme, 'localhost')).toBe('ok');
      expect(await attempt(ipOnly, scheme, 'localhost')).toBe('cert-untrusted');
    });
  }
});
