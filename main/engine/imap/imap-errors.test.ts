import { describe, expect, it } from 'vitest';
import { toArcheError, isTransient, isDiskFull, nextBandwidthWindow } from './imap-errors.node.ts';
import { formatError } from '../../../shared/errors.std.ts';

const ctx = { host: 'imap.mailo.com', port: 993, user: 'jean@mailo.com', secrets: ['hunter2'] };
const err = (props: Record<string, unknown>, message = 'x'): Error => Object.assign(new Error(message), props);

describe('IMAP failures → plain words', () => {
  it('maps every kind of failure to its code', () => {
    expect(toArcheError(err({ authenticationFailed: true, responseText: 'Authentication failed.' }), ctx).code).toBe('auth-failed');
    expect(toArcheError(err({ authenticationFailed: true, responseText: '[ALERT] Application-specific password required' }), ctx).code).toBe('auth-failed');
    expect(toArcheError(err({ authenticationFailed: true, responseText: '[ALERT] Your account is not enabled for IMAP use.' }), ctx).code).toBe('imap-disabled');
    expect(toArcheError(err({ code: 'ENOTFOUND' }), ctx).code).toBe('host-unknown');
    expect(toArcheError(err({ code: 'ECONNREFUSED' }), ctx).code).toBe('connection-refused');
    expect(toArcheError(err({ code: 'GREETING_TIMEOUT' }), ctx).code).toBe('connection-timeout');
    expect(toArcheError(err({ code: 'CONNECT_TIMEOUT' }), ctx).code).toBe('connection-timeout');
    expect(toArcheError(err({ code: 'ARCHE_CERT_UNTRUSTED', fingerprint: 'AA:BB', reason: 'CERT_HAS_EXPIRED' }), ctx).fields).toMatchObject({ fingerprint: 'AA:BB' });
    expect(toArcheError(err({ tlsFailed: true }, 'Server does not support STARTTLS'), ctx).code).toBe('starttls-missing');
    expect(toArcheError(err({ responseStatus: 'NO', serverResponseCode: 'OVERQUOTA', responseText: 'Quota exceeded' }), ctx).code).toBe('quota-full');
    expect(toArcheError(err({ responseStatus: 'BAD', responseText: 'Internal error' }), ctx).code).toBe('server-refused');
    expect(toArcheError(err({ code: 'NoConnection' }), ctx).code).toBe('connection-lost');
    expect(toArcheError(err({ code: 'ENOSPC' }), { ...ctx, dir: '/x' }).code).toBe('disk-full');
    expect(toArcheError(err({ code: 'SQLITE_FULL' }, 'database or disk is full'), ctx).code).toBe('disk-full');
  });
  it('uses the provider name and never carries the password', () => {
    const e = toArcheError(err({ responseStatus: 'NO', responseText: 'LOGIN jean hunter2 refused' }), ctx);
    expect(JSON.stringify(e.fields)).not.toContain('hunter2');
    expect(formatError(toArcheError(err({ authenticationFailed: true }), ctx).toData(), 'fr')).toContain('Mailo a refusé le mot de passe de jean@mailo.com.');
    expect(formatError(toArcheError(err({ authenticationFailed: true }), ctx).toData(), 'en')).toContain('Mailo refused the password for jean@mailo.com.');
    expect(formatError(toArcheError(err({ authenticationFailed: true }), { ...ctx, host: 'imap.gmail.com' }).toData(), 'fr')).toContain("mot de passe d'application");
  });
  it('knows which failures are worth a reconnection', () => {
    expect(isTransient(toArcheError(err({ code: 'ECONNRESET' }), ctx))).toBe(true);
    expect(isTransient(toArcheError(err({ authenticationFailed: true }), ctx))).toBe(false);
    expect(isDiskFull(err({ code: 'ENOSPC' }))).toBe(true);
    expect(isDiskFull(err({ code: 'EACCES' }))).toBe(false);
  });
});

describe('Gmail bandwidth limit (provider-bandwidth-limit)', () => {
  it('goes on 24 h later, at the next full hour', () => {
    const now = Date.UTC(2026, 11, 2, 16, 20);
    expect(nextBandwidthWindow(now)).toBe(Date.UTC(2026, 11, 3, 17, 0));
  });
});

describe('a provider asking to slow down (provider-throttled)', () => {
  it('Microsoft under load, its hint (less what imapflow already waited), Gmail and Dovecot-based codes', () => {
    const ms = { host: 'outlook.office365.com', port: 993 };
    expect(toArcheError(err({ responseStatus: 'BAD', responseText: 'Command Error. 10' }), ms)).toMatchObject({ code: 'provider-throttled', fields: { provider: 'Outlook' } });
    expect(toArcheError(err({ responseStatus: 'NO', responseText: 'Server Unavailable. 15' }), ms).code).toBe('provider-throttled');
    expect(toArcheError(err({ code: 'ETHROTTLE', throttleReset: 92415, throttleWaited: 60000 }), ms)).toMatchObject({ code: 'provider-throttled', fields: { waitMs: 32415 } });
    expect(toArcheError(err({ responseStatus: 'NO', serverResponseCode: 'THROTTLED', responseText: 'Too many simultaneous connections' }), ctx).code).toBe('provider-throttled');
    expect(toArcheError(err({ responseStatus: 'NO', serverResponseCode: 'UNAVAILABLE', responseText: 'Temporary unavailable' }), ctx).code).toBe('provider-throttled');
    // Not a slow-down: a plain refusal stays one.
    expect(toArcheError(err({ responseStatus: 'NO', responseText: 'Mailbox does not exist' }), ctx).code).toBe('server-refused');
    const words = formatError(toArcheError(err({ responseStatus: 'BAD', responseText: 'Command Error. 10' }), ms).toData(), 'fr');
    expect(words).toMatch(/demande de ralentir.*Rien à faire/s);
  });
});
