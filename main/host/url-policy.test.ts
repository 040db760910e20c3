import { describe, it, expect } from 'vitest';
import { isAppUrl, externalUrl, APP_ORIGIN } from './url-policy.std.ts';

describe('which page may call the engine', () => {
  const allowed = [APP_ORIGIN];
  it('accepts the app page and its sub-paths', () => {
    expect(isAppUrl('app://arche/index.html', allowed)).toBe(true);
    expect(isAppUrl('app://arche/', allowed)).toBe(true);
    expect(isAppUrl('app://arche/index.html#/archive', allowed)).toBe(true);
  });
  it('refuses look-alikes, other schemes and junk', () => {
    for (const u of ['app://arche.evil/', 'app://evil/arche', 'https://arche/', 'file:///work/out/renderer/index.html', 'about:blank', 'about:srcdoc', 'data:text/html,x', '', 'app://ARCHE@evil/', 'javascript:alert(1)', null, undefined]) {
      expect(isAppUrl(u as string, allowed), String(u)).toBe(false);
    }
  });
  it('accepts the dev server origin only when it is the configured one', () => {
    expect(isAppUrl('http://localhost:5173/', ['http://localhost:5173'])).toBe(true);
    expect(isAppUrl('http://localhost:5174/', ['http://localhost:5173'])).toBe(false);
    expect(isAppUrl('http://localhost:5173.evil.com/', ['http://localhost:5173'])).toBe(false);
  });
});

describe('links that leave the app', () => {
  it('opens only https addresses', () => {
    expect(externalUrl('https://myaccount.google.com/apppasswords')).toBe('https://myaccount.google.com/apppasswords');
    for (const u of ['http://example.com/', 'file:///etc/passwd', 'javascript:alert(1)', 'smb://host/share', 'HTTPS:/\\evil', 'ms-msdt:/id', 'https://user:pw@example.com/', 'not a url', '']) {
      const r = externalUrl(u);
      if (u === 'HTTPS:/\\evil') expect(r === null || r.startsWith('https://evil/')).toBe(true);
      else expect(r, u).toBeNull();
    }
  });
});
