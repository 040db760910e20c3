import { describe, it, expect } from 'vitest';
import { buildAccountUrl, parseAccountUrl, looksLikeEmail, accountLabel } from './account-url.std.ts';

describe('account URLs', () => {
  it('percent-encodes the user and picks the scheme from the security choice', () => {
    expect(buildAccountUrl({ host: 'mail.mailo.com', port: 993, security: 'tls', username: 'marie@mailo.com' })).toBe('imaps://marie%40mailo.com@mail.mailo.com:993');
    expect(buildAccountUrl({ host: '127.0.0.1', port: 143, security: 'starttls', username: 'alice' })).toBe('imap://alice@127.0.0.1:143');
    expect(buildAccountUrl({ host: '::1', port: 993, security: 'tls', username: 'a' })).toBe('imaps://a@[::1]:993');
  });
  it('reads back what it builds', () => {
    const f = { host: 'imap.free.fr', port: 993, security: 'tls' as const, username: 'jean.dupont' };
    expect(parseAccountUrl(buildAccountUrl(f))).toEqual(f);
    expect(parseAccountUrl('imap://x%40y.fr@h')).toEqual({ host: 'h', port: 143, security: 'starttls', username: 'x@y.fr' });
    expect(parseAccountUrl('https://nope')).toBeNull();
  });
  it('recognises addresses and labels', () => {
    expect(looksLikeEmail('marie@mailo.com')).toBe(true);
    expect(looksLikeEmail('marie')).toBe(false);
    expect(accountLabel('imaps://alice@127.0.0.1:993')).toBe('alice@127.0.0.1');
    expect(accountLabel('imaps://marie%40mailo.com@mail.mailo.com:993')).toBe('marie@mailo.com');
  });
});
