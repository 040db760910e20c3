import { describe, it, expect } from 'vitest';
import { checkedLink } from './link.std.ts';

describe('checkedLink', () => {
  it('lets http, https and mailto links leave, as the URL parser reads them', () => {
    expect(checkedLink('https://club.example/régate')).toBe('https://club.example/r%C3%A9gate');
    expect(checkedLink(' http://club.example ')).toBe('http://club.example/');
    expect(checkedLink('mailto:secretariat@club.example')).toBe('mailto:secretariat@club.example');
  });
  it('refuses scripts, files, relative addresses and disguised hosts', () => {
    for (const u of ['javascript:alert(1)', 'file:///etc/passwd', 'data:text/html,x', '/relative', 'https://bank.example@evil.example/', 'vbscript:x', '']) expect(checkedLink(u), u).toBeNull();
  });
});
