/**
 * Issue 14, the viewer's parts from a real archive (real SQLite, real blob store, postal-mime): a message's own
 * cid: images and its attached photos come back as bounded data: URLs (never SVG, never too large), attachment
 * names are made safe (folders, RTL overrides) and programs are flagged; "Tout enregistrer" gets every part.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { openArchive, type Archive } from '../../main/engine/archive/archive.node.ts';
import { extractMeta } from '../../main/engine/archive/extract-meta.node.ts';
import { allAttachments, getMessage } from '../../main/engine/find/message.node.ts';

/** The smallest valid PNG (1×1). */
const PIXEL = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';

function part(headers: string[], body: string): string[] {
  return ['--b', ...headers, 'Content-Transfer-Encoding: base64', '', body.replace(/(.{76})/g, '$1\r\n')];
}

const RAW = Buffer.from(
  [
    'From: Club <club@club.example>',
    'To: Marie <marie@mail.example>',
    'Subject: Photos et logo',
    'Date: Tue, 13 Jun 2023 10:00:00 +0000',
    'Message-ID: <parts@club.example>',
    'MIME-Version: 1.0',
    'Content-Type: multipart/mixed; boundary="b"',
    '',
    '--b',
    'Content-Type: text/html; charset=utf-8',
    '',
    '<p>Logo : <img src="cid:logo@club.example"> et <img src="cid:vector@club.example"></p>',
    ...part(['Content-Type: image/png', 'Content-ID: <logo@club.example>', 'Content-Disposition: inline'], PIXEL),
    ...part(['Content-Type: image/svg+xml', 'Content-ID: <vector@club.example>', 'Content-Disposition: inline'], Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><image href="https://evil.example/x.png"/></svg>').toString('base64')),
    ...part(['Content-Type: image/png; name="depart.png"', 'Content-Disposition: attachment; filename="depart.png"'], PIXEL),
    ...part(['Content-Type: image/jpeg; name="grande.jpg"', 'Content-Disposition: attachment; filename="grande.jpg"'], Buffer.alloc(4 * 1024 * 1024, 1).toString('base64')),
    ...part(['Content-Type: application/octet-stream; name="..\\\\photo\u202Egpj.exe"', 'Content-Disposition: attachment; filename="../photo\u202Egpj.exe"'], Buffer.from('MZ').toString('base64')),
    '--b--',
    '',
  ].join('\r\n'),
);

let dir: string;
let archive: Archive;
const id = createHash('sha256').update(RAW).digest('hex');

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'arche-viewer-'));
  archive = openArchive(dir);
  const a = archive.ensureAccount('imaps://marie@mail.example:993');
  const inbox = archive.upsertFolder(a.id, { path: 'INBOX', delimiter: '/', specialUse: null }).id;
  archive.addMessages([{ folderId: inbox, uidvalidity: 1, uid: 1, flags: [], internalDate: Date.UTC(2023, 0, 1), raw: RAW, meta: await extractMeta(RAW) }]);
});

afterAll(() => {
  archive?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the viewer\'s parts, from the archive', () => {
  it('gives the cid: image as data (never SVG), photo previews within bounds, safe names and the program flagged', async () => {
    const v = await getMessage(archive, id);
    expect(v.inlineImages).toEqual({ 'logo@club.example': `data:image/png;base64,${PIXEL}` });
    const byName = Object.fromEntries(v.attachments.map((a) => [a.filename, a]));
    expect(byName['depart.png'].preview).toBe(`data:image/png;base64,${PIXEL}`);
    // Over 3 MB: listed, without a preview.
    expect(byName['grande.jpg'].size).toBe(4 * 1024 * 1024);
    expect(byName['grande.jpg'].preview).toBeUndefined();
    // No folder, no right-to-left override: what the screen shows is what the file is called, and it is a program.
    expect(byName['_photogpj.exe']).toMatchObject({ executable: true });
    expect(v.attachments.map((a) => a.filename).every((n) => !/[/\\\u202e]/.test(n))).toBe(true);
  });

  it('"Tout enregistrer" gets every listed attachment, bytes and safe names', async () => {
    const all = await allAttachments(archive, id);
    expect(all.map((a) => a.filename)).toEqual((await getMessage(archive, id)).attachments.map((a) => a.filename));
    expect(all.find((a) => a.filename === 'depart.png')!.bytes.equals(Buffer.from(PIXEL, 'base64'))).toBe(true);
  });
});
