import { describe, expect, it } from 'vitest';
import { isUnreachable } from './unreachable.std.ts';

describe('isUnreachable', () => {
  it('is true for a server that cannot be found, refuses, does not answer or drops the line', () => {
    for (const code of ['host-unknown', 'connection-refused', 'connection-timeout', 'connection-lost'] as const) expect(isUnreachable({ code }), code).toBe(true);
  });
  it('is false for a refusal, a certificate, a full disk, or nothing at all', () => {
    for (const code of ['auth-failed', 'cert-untrusted', 'disk-full', 'provider-bandwidth-limit', 'internal'] as const) expect(isUnreachable({ code }), code).toBe(false);
    expect(isUnreachable(null)).toBe(false);
    expect(isUnreachable(undefined)).toBe(false);
  });
});
