import { describe, it, expect } from 'vitest';
import { formatNumber, formatBytes, formatDateTime, formatDuration, formatDate } from './format.std.ts';

const NBSP = '\u00a0';

describe('French and English formats', () => {
  it('groups thousands the French way', () => {
    expect(formatNumber(12345, 'fr')).toBe(`12${NBSP}345`);
    expect(formatNumber(12345, 'en')).toBe('12,345');
  });
  it('writes sizes in octets in French, bytes in English', () => {
    expect(formatBytes(1.5 * 1024 ** 3, 'fr')).toBe(`1,5${NBSP}Go`);
    expect(formatBytes(1.5 * 1024 ** 3, 'en')).toBe(`1.5${NBSP}GB`);
    expect(formatBytes(820 * 1024 ** 2, 'fr')).toBe(`820${NBSP}Mo`);
    expect(formatBytes(0, 'fr')).toBe(`0${NBSP}octet`);
    expect(formatBytes(512, 'en')).toBe(`512${NBSP}bytes`);
  });
  it('writes dates as people do', () => {
    const d = new Date(2026, 10, 23, 21, 4);
    expect(formatDateTime(d, 'fr')).toBe(`le 23/11/2026 à 21${NBSP}h${NBSP}04`);
    expect(formatDateTime(d, 'en')).toBe('on 23 Nov 2026 at 21:04');
    expect(formatDate(d, 'fr')).toBe('23/11/2026');
    expect(formatDateTime(d, 'en', { bare: true })).toBe('23 Nov 2026 at 21:04');
    expect(formatDateTime('not a date', 'fr')).toBe('');
  });
  it('rounds remaining time', () => {
    expect(formatDuration(30, 'fr')).toBe("moins d'une minute");
    expect(formatDuration(180, 'fr')).toBe('environ 3 min');
    expect(formatDuration(2 * 3600 + 600, 'fr')).toBe('environ 2 h 10');
    expect(formatDuration(2 * 3600, 'en')).toBe('about 2 h');
  });
});
