import { describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import PostalMime from 'postal-mime';
import { parseForIndex, skipsBinaryBodies } from './postal-index.node.ts';
import { extractMeta } from './extract-meta.node.ts';

function message(parts: { type: string; name?: string; body: Buffer; wrap?: (b64: string) => string }[]): Buffer {
  const b = 'frontiere';
  const out = ['From: Jeanne <jeanne@example.fr>', 'Subject: Pièces jointes', 'MIME-Version: 1.0', `Content-Type: multipart/mixed; boundary="${b}"`, '', `--${b}`, 'Content-Type: text/plain; charset=utf-8', '', 'Bonjour, voici les fichiers.'];
  for (const p of parts) {
    const b64 = p.body.toString('base64');
    out.push(`--${b}`, `Content-Type: ${p.type}${p.name ? `; name="${p.name}"` : ''}`, 'Content-Transfer-Encoding: base64', `Content-Disposition: attachment${p.name ? `; filename="${p.name}"` : ''}`, '', p.wrap ? p.wrap(b64) : b64.replace(/.{76}/g, '$&\r\n'));
  }
  out.push(`--${b}--`, '');
  return Buffer.from(out.join('\r\n'));
}

describe('parse for the index: binary attachment bodies counted, not decoded', () => {
  const parts = [
    { type: 'application/pdf', name: 'facture.pdf', body: randomBytes(100_001) },
    { type: 'image/jpeg', name: 'photo.jpg', body: randomBytes(5) },
    // some mailers pad every line: '=' inside the part starts a new base64 unit
    { type: 'application/octet-stream', name: 'lignes.bin', body: randomBytes(58), wrap: (s: string) => Buffer.from(s, 'base64').subarray(0, 29).toString('base64') + '\r\n' + Buffer.from(s, 'base64').subarray(29).toString('base64') },
    { type: 'text/csv', name: 'tableau.csv', body: Buffer.from('a;b\r\n1;2\r\n') },
  ];
  const raw = message(parts);

  it('gives the same text, names, types and sizes as a full postal-mime parse', async () => {
    expect(skipsBinaryBodies()).toBe(true);
    const full = await PostalMime.parse(raw, { attachmentEncoding: 'arraybuffer' });
    const fast = await parseForIndex(raw, { attachmentEncoding: 'arraybuffer' });
    expect(fast.text).toBe(full.text);
    const shape = (e: typeof full): unknown => e.attachments.map((a) => ({ filename: a.filename, mimeType: a.mimeType, size: (a.content as ArrayBuffer).byteLength }));
    expect(shape(fast)).toEqual(shape(full));
    expect(shape(fast)).toEqual(parts.map((p) => ({ filename: p.name, mimeType: p.type, size: p.body.length })));
  });

  it('never decodes a binary body (only its length is kept), while a text attachment is still decoded', async () => {
    const fast = await parseForIndex(raw, { attachmentEncoding: 'arraybuffer' });
    const byName = new Map(fast.attachments.map((a) => [a.filename, a.content]));
    expect(byName.get('facture.pdf')).not.toBeInstanceOf(ArrayBuffer);
    expect(byName.get('tableau.csv')).toBeInstanceOf(ArrayBuffer);
    // a parse outside the index is untouched
    const full = await PostalMime.parse(raw, { attachmentEncoding: 'arraybuffer' });
    expect(full.attachments[0].content).toBeInstanceOf(ArrayBuffer);
  });

  it('extractMeta reports the sizes of the attachments', async () => {
    const meta = await extractMeta(raw);
    expect(meta.attachments.map((a) => a.size)).toEqual(parts.map((p) => p.body.length));
    expect(meta.text).toContain('voici les fichiers');
  });
});

describe('cutting binary base64 runs before the parse', () => {
  it('cuts the body of a binary part, keeps text parts and short runs as they are', async () => {
    const pdf = randomBytes(30_000);
    const textB64 = Buffer.from('Le texte du message, encodé en base64, qui doit rester lisible. '.repeat(200));
    const b = 'f';
    const raw = Buffer.from(
      ['Subject: x', `Content-Type: multipart/mixed; boundary="${b}"`, '', `--${b}`, 'Content-Type: text/plain; charset=utf-8', 'Content-Transfer-Encoding: base64', '', textB64.toString('base64').replace(/.{76}/g, '$&\r\n'), `--${b}`, 'Content-Type: application/pdf; name="a.pdf"', 'Content-Transfer-Encoding: base64', '', pdf.toString('base64').replace(/.{76}/g, '$&\r\n'), `--${b}--`, ''].join('\r\n'),
    );
    const cut = (await import('./postal-index.node.ts')).cutBinaryRuns(raw);
    expect(cut.length).toBeLessThan(raw.length - 35_000);
    expect(cut.toString('latin1')).toContain(textB64.toString('base64').slice(0, 76));
    const fast = await parseForIndex(raw, { attachmentEncoding: 'arraybuffer' });
    expect(fast.text).toBe(textB64.toString('utf8'));
    expect((fast.attachments[0].content as ArrayBuffer).byteLength).toBe(pdf.length);
  });

  it('finds each part after text full of dashes and "--" lines, in CRLF and in LF, as a full parse does', async () => {
    // The end of a binary body is found through its dashes, and a blank line of the other line-ending kind is not
    // searched for again: text parts with signatures ("-- "), rules ("-----") and quoted boundaries must not mislead it.
    const b = 'limite';
    const pdf = randomBytes(20_000);
    const zip = randomBytes(3_000);
    const text = ['Bonjour,', '', '-- ', 'Jeanne', '------------------------------', '--limite-pas-vraiment', 'a - b -- c', ''].join('\r\n');
    const crlf = Buffer.from(
      ['Subject: y', `Content-Type: multipart/mixed; boundary="${b}"`, '', `--${b}`, 'Content-Type: text/plain; charset=utf-8', '', text, `--${b}`, 'Content-Type: application/pdf; name="a.pdf"', 'Content-Transfer-Encoding: base64', '', pdf.toString('base64').replace(/.{76}/g, '$&\r\n'), `--${b}`, 'Content-Type: text/plain', '', '---', `--${b}`, 'Content-Type: application/zip; name="b.zip"', 'Content-Transfer-Encoding: base64', '', zip.toString('base64').replace(/.{76}/g, '$&\r\n'), `--${b}--`, ''].join('\r\n'),
    );
    const lf = Buffer.from(crlf.toString('latin1').replace(/\r\n/g, '\n'), 'latin1');
    for (const raw of [crlf, lf]) {
      const cut = (await import('./postal-index.node.ts')).cutBinaryRuns(raw);
      expect(cut.length).toBeLessThan(raw.length - 25_000);
      const fast = await parseForIndex(raw, { attachmentEncoding: 'arraybuffer' });
      const full = await PostalMime.parse(raw, { attachmentEncoding: 'arraybuffer' });
      expect(fast.text).toBe(full.text);
      const sizes = (e: typeof full): unknown[] => e.attachments.map((a) => [a.filename, (a.content as ArrayBuffer).byteLength]);
      expect(sizes(full)).toEqual([
        ['a.pdf', pdf.length],
        ['b.zip', zip.length],
      ]);
      expect(sizes(fast)).toEqual(sizes(full));
    }
  });
});
