import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { capTextParts } from './cap-text-parts.node.ts';
import { extractMetaFromStream, MAX_INDEXED_TEXT } from './extract-meta.node.ts';

const FIX = path.resolve(import.meta.dirname, '../../../test/fixtures/mail');

/** The bytes in chunks of 64 KB, as a file stream gives them. */
function chunked(b: Buffer): Readable {
  const parts: Buffer[] = [];
  for (let i = 0; i < b.length; i += 65536) parts.push(b.subarray(i, i + 65536));
  return Readable.from(parts);
}

async function collect(s: NodeJS.ReadableStream): Promise<Buffer> {
  const out: Buffer[] = [];
  for await (const c of s) out.push(c as Buffer);
  return Buffer.concat(out);
}

const lines = (n: number, word: string): string => Array.from({ length: n }, (_, i) => `${word} ${i} : la mer est calme.\r\n`).join('');

function multipart(text: string, attachment: Buffer): Buffer {
  return Buffer.from(
    [
      'From: Jeanne <jeanne@example.fr>',
      'Subject: Journal',
      'MIME-Version: 1.0',
      'Content-Type: multipart/mixed; boundary="b1"',
      '',
      '--b1',
      'Content-Type: text/plain; charset=utf-8',
      '',
      text,
      '--b1',
      'Content-Type: application/pdf; name="carte.pdf"',
      'Content-Disposition: attachment; filename="carte.pdf"',
      'Content-Transfer-Encoding: base64',
      '',
      attachment.toString('base64').replace(/.{76}/g, '$&\r\n'),
      '--b1--',
      '',
    ].join('\r\n'),
  );
}

describe('capTextParts: text bodies cut for the parser, everything else as it was', () => {
  it('gives back the same bytes when no text body is over the limit (every fixture)', async () => {
    const files = [...readdirSync(FIX).filter((n) => n.endsWith('.eml')), ...readdirSync(path.join(FIX, 'malformed')).map((n) => path.join('malformed', n))];
    expect(files.length).toBeGreaterThan(20);
    for (const f of files) {
      const raw = readFileSync(path.join(FIX, f));
      expect((await collect(capTextParts(chunked(raw), 1024 * 1024))).equals(raw), f).toBe(true);
    }
  });

  it('cuts a text body at a line end within the limit, keeps the attachment and what follows it', async () => {
    const text = lines(20000, 'Ligne');
    const pdf = Buffer.alloc(300_000, 7);
    const raw = multipart(text, pdf);
    const out = await collect(capTextParts(chunked(raw), 10_000));
    expect(out.length).toBeLessThan(raw.length - text.length + 10_000 + 10);
    const s = out.toString('latin1');
    const body = s.slice(s.indexOf('charset=utf-8\r\n\r\n') + 17, s.indexOf('\r\n--b1\r\nContent-Type: application/pdf'));
    expect(body.length).toBeLessThanOrEqual(10_000);
    expect(body.length).toBeGreaterThan(9_900);
    expect(text.startsWith(body)).toBe(true);
    expect(body.endsWith('\r\n')).toBe(true);
    expect(s.endsWith(raw.toString('latin1').slice(raw.toString('latin1').indexOf('\r\n--b1\r\nContent-Type: application/pdf')))).toBe(true);
  });

  it('a huge text body: the streaming parser indexes its start, and the attachment after it with its exact size', async () => {
    const text = 'Kiwimangue en tête.\r\n' + lines(400_000, 'Ligne');
    const m = await extractMetaFromStream(chunked(multipart(text, Buffer.alloc(123_457, 1))));
    expect(m.subject).toBe('Journal');
    expect(m.text.startsWith('Kiwimangue en tête.')).toBe(true);
    expect(m.text.length).toBe(MAX_INDEXED_TEXT);
    expect(m.attachments).toEqual([{ filename: 'carte.pdf', contentType: 'application/pdf', size: 123_457 }]);
  });

  it('a huge HTML-only message becomes text from its start', async () => {
    const head = 'From: a@example.fr\r\nSubject: Lettre\r\nMIME-Version: 1.0\r\nContent-Type: text/html; charset=utf-8\r\n\r\n';
    const html = '<html><body><p>Kiwimangue <b>en</b> tête.</p>\r\n' + Array.from({ length: 200_000 }, (_, i) => `<p>Ligne ${i}</p>\r\n`).join('') + '</body></html>\r\n';
    const m = await extractMetaFromStream(chunked(Buffer.from(head + html)));
    expect(m.subject).toBe('Lettre');
    expect(m.text.startsWith('Kiwimangue en tête.')).toBe(true);
    expect(m.text).not.toContain('<p>');
  });
});
