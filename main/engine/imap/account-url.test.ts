import { describe, expect, it } from 'vitest';
import { canonicalAccountUrl, parseAccountUrl, providerName, redact } from './account-url.std.ts';
import { isArcheError } from '../../../shared/errors.std.ts';

describe('account address', () => {
  it('imaps:// is implicit TLS on 993 by default, imap:// is STARTTLS on 143; USER is percent-decoded', () => {
    expect(parseAccountUrl('imaps://jean%40mailo.com@imap.mailo.com')).toEqual({ secure: true, host: 'imap.mailo.com', port: 993, user: 'jean@mailo.com', url: 'imaps://jean%40mailo.com@imap.mailo.com:993' });
    expect(parseAccountUrl('imap://bob@Mail.Example.org:1143')).toMatchObject({ secure: false, host: 'mail.example.org', port: 1143, user: 'bob' });
    expect(canonicalAccountUrl('imaps://a%40b.fr@H.fr')).toBe('imaps://a%40b.fr@h.fr:993');
  });
  it('refuses other schemes, a missing user, and a password in the address (without echoing it)', () => {
    for (const bad of ['https://a@b.fr', 'imaps://b.fr:993', 'not a url', 'imaps://a:topsecret@b.fr']) {
      try {
        parseAccountUrl(bad);
        expect.unreachable(bad);
      } catch (e) {
        expect(isArcheError(e)).toBe(true);
        expect((e as { code: string }).code).toBe('bad-account-url');
        expect(JSON.stringify((e as { fields: unknown }).fields)).not.toContain('topsecret');
      }
    }
  });
  it('names well-known providers from the host', () => {
    expect(providerName('imap.mailo.com')).toBe('Mailo');
    expect(providerName('mail.net-c.com')).toBe('Mailo');
    expect(providerName('imap.gmail.com')).toBe('Gmail');
    expect(providerName('imap.orange.fr')).toBe('Orange');
    expect(providerName('imap.free.fr')).toBe('Free');
    expect(providerName('127.0.0.1')).toBeUndefined();
    expect(providerName('notmailo.com')).toBeUndefined();
  });
  it('redacts passwords (plain and base64), AUTHENTICATE payloads and LOGIN arguments', () => {
    const pw = 'p@ss w0rd!';
    const b64 = Buffer.from(`\0alice\0${pw}`).toString('base64');
    expect(redact(`NO bad password ${pw}`, [pw])).toBe('NO bad password ***');
    expect(redact(`A1 AUTHENTICATE PLAIN ${b64}`)).toBe('A1 AUTHENTICATE PLAIN ***');
    expect(redact('A2 LOGIN "alice" "secret"')).toBe('A2 LOGIN "alice" ***');
    expect(redact(`payload ${Buffer.from(pw).toString('base64')}`, [pw])).not.toContain(Buffer.from(pw).toString('base64').replace(/=+$/, ''));
  });
});
