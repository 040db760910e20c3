import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { extractMeta, extractMetaFromFile, fixC1 } from './extract-meta.node.ts';

const FIX = path.resolve(import.meta.dirname, '../../../test/fixtures/mail');
const load = (name: string): Buffer => readFileSync(path.join(FIX, name));

describe('extractMeta: one test per charset or encoding path', () => {
  it('ISO-8859-1, 8bit', async () => {
    const m = await extractMeta(load('iso-8859-1.eml'));
    expect(m.text).toContain('La régate de Brest aura lieu en août');
    expect(m.from).toBe('Jean Dupont <jean.dupont@example.fr>');
    expect(m.messageId).toBe('<latin1@example.fr>');
    expect(m.date).toBe(Date.UTC(2023, 2, 14, 8, 30));
  });
  it('windows-1252, quoted-printable (œ, €, curly quotes)', async () => {
    const m = await extractMeta(load('windows-1252.eml'));
    expect(m.text).toContain("Le chœur de l'œuvre coûte 120 € “ merci.");
  });
  it('UTF-8, base64', async () => {
    const m = await extractMeta(load('utf-8.eml'));
    expect(m.text).toContain('Nous partirons à Noël pour Zürich et Kraków ; la Straße est fermée.');
    expect(m.from).toBe('Renée <renee@example.fr>');
  });
  it('RFC 2047 Q-encoded words (ISO-8859-1)', async () => {
    const m = await extractMeta(load('rfc2047-q.eml'));
    expect(m.subject).toBe('Assemblée générale annuelle');
    expect(m.from).toBe('François Léger <francois@example.fr>');
  });
  it('RFC 2047 B-encoded words (UTF-8)', async () => {
    const m = await extractMeta(load('rfc2047-b.eml'));
    expect(m.subject).toBe('Une œuvre d’art à Sète');
  });
  it('raw 8-bit headers do not crash and read as UTF-8', async () => {
    const m = await extractMeta(load('raw-8bit-headers.eml'));
    expect(m.subject).toBe('Réunion à Orléans');
    expect(m.from).toContain('helene@example.fr');
    expect(m.text).toContain('Rendez-vous à la mairie.');
  });
  it('base64 HTML becomes text (no tags, no link targets)', async () => {
    const m = await extractMeta(load('html-base64.eml'));
    expect(m.text).toContain('marché de Noël ouvre samedi');
    expect(m.text).toContain('Lettre d’information');
    expect(m.text).not.toContain('<b>');
    expect(m.text).not.toContain('https://example.fr/x');
  });
  it('attachment names (RFC 2231), types and decoded sizes; cc', async () => {
    const m = await extractMeta(load('attachment.eml'));
    expect(m.attachments).toEqual([{ filename: 'compte-rendu-réunion.pdf', contentType: 'application/pdf', size: 24 * 40 }]);
    expect(m.cc).toBe('Luc Martin <luc.martin@example.fr>');
    expect(m.text).toContain('Ci-joint le document.');
  });
  it('the streaming parser (large messages) reads the same fields', async () => {
    const m = await extractMetaFromFile(path.join(FIX, 'attachment.eml'));
    expect(m.subject).toBe('Le compte-rendu');
    expect(m.attachments).toEqual([{ filename: 'compte-rendu-réunion.pdf', contentType: 'application/pdf', size: 24 * 40 }]);
    expect(m.text).toContain('Ci-joint le document.');
    const q = await extractMetaFromFile(path.join(FIX, 'windows-1252.eml'));
    expect(q.text).toContain('œuvre');
  });
  it('C1 control characters are read as Windows-1252', () => {
    expect(fixC1('\u009cuvre \u0080')).toBe('œuvre €');
  });
  it('malformed messages never throw and still give words', async () => {
    const dir = path.join(FIX, 'malformed');
    const names = readdirSync(dir);
    expect(names.length).toBeGreaterThanOrEqual(15);
    for (const n of names) {
      const raw = readFileSync(path.join(dir, n));
      const m = await extractMeta(raw);
      expect(typeof m.text).toBe('string');
      expect(typeof m.subject).toBe('string');
      const s = await extractMetaFromFile(path.join(dir, n));
      expect(typeof s.text).toBe('string');
    }
    expect((await extractMeta(Buffer.from([0xff, 0x00, 0xfe, 0x0a, 0x0a, 0x41]))).text).toBeTypeOf('string');
  });
});
