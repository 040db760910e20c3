import { describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { deflateRawSync } from 'node:zlib';
import { STORAGE, codecOf, decode, encodeSmall, isInline, storageFor } from './blob-store.node.ts';

describe('blob store encoding', () => {
  it('compresses text, keeps incompressible bytes as they are, and decodes both exactly', () => {
    const text = Buffer.from('Bonjour, voici le compte rendu de la réunion.\r\n'.repeat(200));
    const enc = encodeSmall(text);
    expect(enc.compressed).toBe(true);
    expect(enc.data.length).toBeLessThan(text.length / 5);
    expect(decode(enc.data, 'brotli').equals(text)).toBe(true);
    const noise = randomBytes(50_000);
    const raw = encodeSmall(noise);
    expect(raw.compressed).toBe(false);
    expect(raw.data.equals(noise)).toBe(true);
  });
  it('decodes the same bytes whatever the size hint says (exact, too small, too large, none)', () => {
    const text = Buffer.concat([Buffer.from('Objet : le compte rendu\r\n\r\n'.repeat(3000)), randomBytes(40_000)]);
    const enc = encodeSmall(text);
    expect(enc.compressed).toBe(true);
    for (const hint of [text.length, text.length - 1, 100, text.length * 3, 0, undefined]) expect(decode(enc.data, 'brotli', hint).equals(text)).toBe(true);
  });
  it('still reads contents written with deflate by earlier versions', () => {
    const text = Buffer.from('ancien format '.repeat(100));
    expect(decode(deflateRawSync(text), codecOf(STORAGE.inlineDeflate)).equals(text)).toBe(true);
    expect(codecOf(STORAGE.fileDeflate)).toBe('deflate');
  });
  it('names storage modes consistently', () => {
    expect(storageFor(true, true)).toBe(STORAGE.inlineBrotli);
    expect(storageFor(false, false)).toBe(STORAGE.fileRaw);
    expect(isInline(STORAGE.inlineBrotli) && !isInline(STORAGE.fileBrotli)).toBe(true);
    expect(codecOf(STORAGE.fileBrotli)).toBe('brotli');
  });
});
