import { describe, it, expect } from 'vitest';
import { hostAllowed, originAllowed, tokenMatches, newToken, cookieToken, cookieAllowed } from './guard.node.ts';

describe('Host and Origin checks of arche serve', () => {
  const port = 4321;
  it('accepts only this server by name and port', () => {
    expect(hostAllowed('127.0.0.1:4321', port)).toBe(true);
    expect(hostAllowed('localhost:4321', port)).toBe(true);
    for (const h of [undefined, '', '127.0.0.1', '127.0.0.1:4322', '127.0.0.1:04321', '127.0.0.1.evil.com:4321', 'evil.com:4321', 'localhost.:4321', '127.0.0.1:4321@evil.com', 'a@127.0.0.1:4321', '127.0.0.1:4321/x', '127.0.0.1:4321?x', '127.0.0.1:4321#x', '[::1]:4321', '0x7f.1:4321', '2130706433:4321', '127.1:4321']) {
      expect(hostAllowed(h, port), String(h)).toBe(false);
    }
  });
  it('accepts no Origin (not a browser call) or exactly its own', () => {
    expect(originAllowed(undefined, port)).toBe(true);
    expect(originAllowed('http://127.0.0.1:4321', port)).toBe(true);
    expect(originAllowed('http://localhost:4321', port)).toBe(true);
    for (const o of ['null', '', 'http://127.0.0.1:4322', 'https://127.0.0.1:4321', 'http://127.0.0.1', 'http://evil.com', 'http://127.0.0.1:4321.evil.com', 'http://127.0.0.1:4321/', 'file://', 'chrome-extension://abc']) {
      expect(originAllowed(o, port), o).toBe(false);
    }
  });
  it('compares tokens whole', () => {
    const t = newToken();
    expect(t).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(newToken()).not.toBe(t);
    expect(tokenMatches(t, t)).toBe(true);
    expect(tokenMatches(t.slice(0, -1), t)).toBe(false);
    expect(tokenMatches(t + 'x', t)).toBe(false);
    expect(tokenMatches('', t)).toBe(false);
    expect(tokenMatches(undefined, t)).toBe(false);
  });
  it('reads the code from its own cookie only, for same-origin requests only', () => {
    expect(cookieToken('a=1; arche-4321=abc; b=2', port)).toBe('abc');
    expect(cookieToken('arche-43210=abc', port)).toBe(null);
    expect(cookieToken('xarche-4321=abc', port)).toBe(null);
    expect(cookieToken(undefined, port)).toBe(null);
    expect(cookieAllowed('same-origin')).toBe(true);
    for (const s of [undefined, 'same-site', 'cross-site', 'none', '']) expect(cookieAllowed(s)).toBe(false);
  });
});
