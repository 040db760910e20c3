/**
 * Issue 14, "Ouvrir" an attachment, through the real HTTP bridge of `arche serve` (startBrowserHost) over a real
 * archive (SQLite, postal-mime): a document is handed out as a one-time download of its exact bytes, under its safe
 * name; a program or script is refused until the user has read the warning (`confirmed`), the refusal naming it in
 * plain words, then handed out the same way; an attachment that is not there is said so.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { openArchive } from '../../main/engine/archive/archive.node.ts';
import { extractMeta } from '../../main/engine/archive/extract-meta.node.ts';
import { startBrowserHost, type BrowserHost } from '../../main/server/browser-host.node.ts';
import { describeError, type ArcheErrorData } from '../../shared/errors.std.ts';
import { callApi, rawRequest } from '../../e2e/helpers/serve.ts';

const PDF = Buffer.from('%PDF-1.4\n% Procès-verbal, pas un vrai PDF\n%%EOF\n');
const SCRIPT = Buffer.from('@echo off\r\necho bonjour\r\n');

const b64 = (b: Buffer) => b.toString('base64').replace(/(.{76})/g, '$1\r\n');
const RAW = Buffer.from(
  [
    'From: Club <club@club.example>',
    'To: Marie <marie@mail.example>',
    'Subject: Procès-verbal et lanceur',
    'Date: Tue, 13 Jun 2023 10:00:00 +0000',
    'Message-ID: <open@club.example>',
    'MIME-Version: 1.0',
    'Content-Type: multipart/mixed; boundary="b"',
    '',
    '--b',
    'Content-Type: text/plain; charset=utf-8',
    '',
    'Voici le procès-verbal.',
    '--b',
    'Content-Type: application/pdf; name="=?utf-8?q?Proc=C3=A8s-verbal_AG.pdf?="',
    'Content-Disposition: attachment; filename*=utf-8\'\'Proc%C3%A8s-verbal%20AG.pdf',
    'Content-Transfer-Encoding: base64',
    '',
    b64(PDF),
    '--b',
    'Content-Type: application/octet-stream; name="lancer.bat."',
    'Content-Disposition: attachment; filename="lancer.bat."',
    'Content-Transfer-Encoding: base64',
    '',
    b64(SCRIPT),
    '--b--',
    '',
  ].join('\r\n'),
);
const id = createHash('sha256').update(RAW).digest('hex');

let dir: string;
let host: BrowserHost;

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'arche-open-attachment-'));
  const archive = openArchive(dir);
  const a = archive.ensureAccount('imaps://marie%40mail.example@mail.example:993');
  const inbox = archive.upsertFolder(a.id, { path: 'INBOX', delimiter: '/', specialUse: null }).id;
  archive.addMessages([{ folderId: inbox, uidvalidity: 1, uid: 1, flags: [], internalDate: Date.UTC(2023, 0, 1), raw: RAW, meta: await extractMeta(RAW) }]);
  archive.close();
  host = await startBrowserHost({ archiveDir: dir, port: 0, keychain: false, scheduler: false, locale: 'fr' });
});

afterAll(async () => {
  await host?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function download(url: string) {
  const s = host.server;
  return rawRequest({ port: s.port, path: url, headers: { host: `127.0.0.1:${s.port}` } });
}

describe('archive.openAttachment over the HTTP bridge', () => {
  it('lists each attachment with its type and size, the script marked as a program', async () => {
    const view = (await callApi(host.server, 'archive.message', { id })).json as { ok: true; value: { attachments: { index: number; filename: string; contentType: string; size: number; executable?: boolean }[] } };
    expect(view.value.attachments).toEqual([
      { index: 0, filename: 'Procès-verbal AG.pdf', contentType: 'application/pdf', size: PDF.length },
      { index: 1, filename: 'lancer.bat', contentType: 'application/octet-stream', size: SCRIPT.length, executable: true },
    ]);
  });

  it('hands a document out as a one-time download of its exact bytes (the browser then opens it)', async () => {
    const r = (await callApi(host.server, 'archive.openAttachment', { id, index: 0 })).json as { ok: true; value: { opened: boolean; url: string } };
    expect(r.ok).toBe(true);
    expect(r.value.opened).toBe(false);
    expect(r.value.url).toMatch(/^\/dl\/[A-Za-z0-9_-]{43}$/);
    const dl = await download(r.value.url);
    expect(dl.status).toBe(200);
    expect(Buffer.from(dl.body, 'utf8').equals(PDF)).toBe(true);
    expect(String(dl.headers['content-disposition'])).toContain("filename*=UTF-8''Proc%C3%A8s-verbal%20AG.pdf");
    expect(String(dl.headers['content-type'])).toContain('application/pdf');
    expect((await download(r.value.url)).status).toBe(404);
  });

  it('refuses a program until the user has read the warning, then hands it out the same way', async () => {
    for (const req of [{ id, index: 1 }, { id, index: 1, confirmed: false }]) {
      const refused = (await callApi(host.server, 'archive.openAttachment', req)).json as { ok: false; error: ArcheErrorData };
      expect(refused).toEqual({ ok: false, error: { code: 'attachment-program-unconfirmed', fields: { filename: 'lancer.bat' } } });
      expect(describeError(refused.error, 'fr').message).toBe("« lancer.bat » est un programme. L'ouvrir peut abîmer votre ordinateur.");
    }
    const r = (await callApi(host.server, 'archive.openAttachment', { id, index: 1, confirmed: true })).json as { ok: true; value: { opened: boolean; url: string } };
    expect(r.ok).toBe(true);
    const dl = await download(r.value.url);
    expect(dl.status).toBe(200);
    expect(dl.body).toBe(SCRIPT.toString());
    expect(String(dl.headers['content-disposition'])).toContain('attachment; filename="lancer.bat"');
  });

  it('says so when the attachment or the message is not there, and checks the request', async () => {
    expect((await callApi(host.server, 'archive.openAttachment', { id, index: 7 })).json).toEqual({ ok: false, error: { code: 'attachment-unknown', fields: { index: 7 } } });
    expect(((await callApi(host.server, 'archive.openAttachment', { id: 'f'.repeat(64), index: 0 })).json as { error: ArcheErrorData }).error.code).toBe('archive-message-unknown');
    expect((await callApi(host.server, 'archive.openAttachment', { id, index: -1 })).json).toEqual({ ok: false, error: { code: 'bad-request', fields: { detail: 'index' } } });
  });
});
