/**
 * Issue 14, "a safer, fuller viewer", in a real Chromium against a real `arche serve` and a real Dovecot, with a
 * recording proxy at the network's edge: a message that reaches for the Internet through every trick (img src,
 * background url, CSS escapes, comments inside url, @import, @font-face, image-set, srcset, <link>, <video poster>)
 * makes no request before "Afficher les images", and none from CSS even after; allowing images is for that one
 * message; its own cid: image is shown from the archive; a link asks first with its real address; attached photos
 * are previewed and "Tout enregistrer" warns about a program and says where the files went.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { crc32, deflateSync } from 'node:zlib';
import type { Page } from 'playwright-core';
import { startDovecot, type Dovecot } from '../test/helpers/dovecot.ts';
import { useFlow, checkScreen, fillAccount, makeMessage, seriousViolations, shoot, switchLanguage, keepAccount } from './flows-support.ts';

/** A small PNG of one colour (a real picture for the previews, built here). */
function png(width: number, height: number, [r, g, b]: [number, number, number]): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([len, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  const row = Buffer.concat([Buffer.from([0]), Buffer.from(Array.from({ length: width }, () => [r, g, b]).flat())]);
  const raw = Buffer.concat(Array.from({ length: height }, () => row));
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

const b64 = (b: Buffer) => b.toString('base64').replace(/(.{76})/g, '$1\r\n');

/** Every way a message's HTML can reach a server: CSS ones at css.tracker.example, <img> ones at img.tracker.example. */
const LETTER = String.raw`<html><head>
<link rel="stylesheet" href="https://css.tracker.example/link.css">
<style>
@import "https://css.tracker.example/import-string.css";
@\69mport url(https://css.tracker.example/import-escaped.css);
@font-face { font-family: f; src: url(https://css.tracker.example/font.woff) }
@font-face { font-family: g; src: u\72l(https://css.tracker.example/font-escaped.woff) }
body { font-family: f, g, sans-serif; background: u\72l(https://css.tracker.example/bg-escaped.png) }
h1 { background-image: \75rl(https://css.tracker.example/h1.png) }
h2 { background-image: ur/**/l(https://css.tracker.example/comment.png) }
p.a { background-image: image-set("https://css.tracker.example/set.png" 1x) }
p.b { background-image: -webkit-image-set(url(https://css.tracker.example/wset.png) 1x) }
li { list-style: url(https://css.tracker.example/li.png) }
</style></head><body>
<h1>Lettre du club</h1><h2>Inscriptions</h2>
<p class="a">Le parcours change cette année.</p><p class="b">Rendez-vous au ponton.</p><ul><li>Bouée 1</li></ul>
<p><img src="cid:logo@club.example" alt="Logo du club" width="64" height="32"></p>
<img src="https://img.tracker.example/photo.png" alt="Photo de la régate">
<img src="https://img.tracker.example/pixel.gif" width="1" height="1">
<img srcset="https://css.tracker.example/srcset.png 2x" alt="">
<video poster="https://css.tracker.example/poster.png"></video>
<div style="background:u\72l(https://css.tracker.example/style-attr.png)">Le mot du président.</div>
<p><a href="https://club.example/inscription">www.banque.example</a></p>
</body></html>`;

function letter(): string {
  return [
    'From: Club de voile <club@club.example>',
    'To: Alice <alice@example.test>',
    'Subject: Lettre du club',
    'Date: Tue, 13 Jun 2023 10:00:00 +0000',
    'Message-ID: <lettre@club.example>',
    'MIME-Version: 1.0',
    'Content-Type: multipart/related; boundary="rel"',
    '',
    '--rel',
    'Content-Type: text/html; charset=utf-8',
    'Content-Transfer-Encoding: 8bit',
    '',
    LETTER,
    '--rel',
    'Content-Type: image/png',
    'Content-ID: <logo@club.example>',
    'Content-Disposition: inline',
    'Content-Transfer-Encoding: base64',
    '',
    b64(png(64, 32, [20, 90, 200])),
    '--rel--',
    '',
  ].join('\r\n');
}

function photos(): string {
  const part = (name: string, type: string, bytes: Buffer) => ['--mix', `Content-Type: ${type}; name="${name}"`, `Content-Disposition: attachment; filename="${name}"`, 'Content-Transfer-Encoding: base64', '', b64(bytes)];
  return [
    'From: Paul <paul@club.example>',
    'To: Alice <alice@example.test>',
    'Subject: Photos de la régate',
    'Date: Wed, 14 Jun 2023 10:00:00 +0000',
    'Message-ID: <photos@club.example>',
    'MIME-Version: 1.0',
    'Content-Type: multipart/mixed; boundary="mix"',
    '',
    '--mix',
    'Content-Type: text/plain; charset=utf-8',
    '',
    'Voici les photos, et le programme du chronométrage.',
    ...part('depart.png', 'image/png', png(120, 80, [230, 120, 30])),
    ...part('chrono.exe', 'application/octet-stream', Buffer.from('MZ pas vraiment un programme')),
    '--mix--',
    '',
  ].join('\r\n');
}

const flow = useFlow('viewer');
let d: Dovecot;
let page: Page;

beforeAll(async () => {
  d = await startDovecot({ flavour: 'slash', users: [{ user: 'alice', password: 'alice-pass' }] });
});

afterAll(() => {
  d?.stop();
});

/** Every host the page asked the proxy for (CONNECT host:443), once each. */
const hosts = () => [...new Set(flow.proxy.fromPage())].sort();

async function openResult(query: string, subject: string) {
  await page.getByLabel('Chercher dans votre copie').fill(query);
  await page.getByRole('button', { name: 'Chercher', exact: true }).click();
  await page.locator('.result', { hasText: subject }).click();
  const frame = await (await page.locator('iframe.message-frame').elementHandle())!.contentFrame();
  // "load" comes once every image, style sheet and font inside has loaded or failed.
  await frame!.waitForLoadState('load');
  return frame!;
}

describe('Lire un message : plus sûr, plus complet', () => {
  it('blocks every remote address until asked, for one message only; shows cid images; asks before a link', async () => {
    await fillAccount(d, 'alice', { INBOX: [letter(), makeMessage(2, { subject: 'Deuxième lettre', html: '<p>Suite.</p><img src="https://next.tracker.example/x.png" alt="suite">' }), photos()] });
    ({ page } = await flow.newPage('fr'));
    await page.goto(flow.serve.url);
    expect(await keepAccount(page, { email: 'alice@example.test', host: '127.0.0.1', port: d.port, username: 'alice', password: 'alice-pass' })).toBe('done');
    await page.getByRole('button', { name: 'Chercher dans mes archives' }).click();
    flow.proxy.seen.length = 0;

    const violations: string[] = [];
    let frame = await openResult('lettre', 'Lettre du club');
    await frame.getByRole('heading', { name: 'Lettre du club' }).waitFor();
    // Nothing left: not one image, style sheet, font or poster.
    expect(hosts()).toEqual([]);
    // The message's own picture (its cid: part) is shown, from the archive.
    const logo = frame.locator('img[alt="Logo du club"]');
    expect(await logo.getAttribute('src')).toMatch(/^data:image\/png;base64,/);
    expect(await logo.evaluate((i: HTMLImageElement) => i.naturalWidth)).toBe(64);
    // Blocked images take no room: no box is drawn for the tracking pixel or the photo.
    const blocked = await frame.locator('img[data-blocked]').evaluateAll((imgs) => imgs.map((i) => (i as HTMLElement).getBoundingClientRect().width + (i as HTMLElement).getBoundingClientRect().height));
    expect(blocked.length).toBeGreaterThan(0);
    expect(blocked.every((s) => s === 0)).toBe(true);
    await page.getByText('Images masquées').waitFor();
    violations.push(...(await checkScreen(page, '14-viewer')));

    // A link asks first and shows the real address, not the words of the message.
    await frame.getByText('www.banque.example').click();
    const dialog = page.getByRole('dialog', { name: 'Ouvrir ce lien ?' });
    await dialog.waitFor();
    expect(await dialog.textContent()).toContain('Ce lien mène à https://club.example/inscription');
    // The question is modal (the language switch is behind it): each language's picture is taken on its own.
    violations.push(...(await seriousViolations(page)).map((v) => `[fr link] ${v}`));
    await shoot(page, 'fr', '14-viewer-link');
    await dialog.getByRole('button', { name: 'Annuler' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await switchLanguage(page, 'en');
    await frame.getByText('www.banque.example').click();
    const question = page.getByRole('dialog', { name: 'Open this link?' });
    await question.waitFor();
    expect(await question.textContent()).toContain('This link leads to https://club.example/inscription');
    violations.push(...(await seriousViolations(page)).map((v) => `[en link] ${v}`));
    await shoot(page, 'en', '14-viewer-link');
    await question.getByRole('button', { name: 'Cancel' }).click();
    await question.waitFor({ state: 'hidden' });
    await switchLanguage(page, 'fr');
    // With the keyboard too: the link takes the focus, Enter asks the same question.
    await frame.locator('[data-href]').focus();
    await page.keyboard.press('Enter');
    await dialog.waitFor();
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    expect(hosts()).toEqual([]);

    // "Afficher les images": the message's <img> load (https only), and still nothing from its CSS.
    await page.getByRole('button', { name: 'Afficher les images' }).click();
    await page.getByRole('button', { name: 'Bloquer à nouveau les images' }).waitFor();
    frame = (await (await page.locator('iframe.message-frame').elementHandle())!.contentFrame())!;
    await frame.waitForLoadState('load');
    await expect.poll(hosts, { timeout: 30_000 }).toEqual(['CONNECT img.tracker.example:443']);

    // The next message starts blocked again.
    await page.getByRole('button', { name: 'Retour aux résultats' }).click();
    flow.proxy.seen.length = 0;
    frame = await openResult('suite', 'Deuxième lettre');
    await frame.getByText('Suite.').waitFor();
    await page.getByRole('button', { name: 'Afficher les images' }).waitFor();
    expect(hosts()).toEqual([]);

    // Photos are previewed from the archive; "Tout enregistrer" warns about the program, then says where files went.
    await page.getByRole('button', { name: 'Retour aux résultats' }).click();
    await page.getByLabel('Chercher dans votre copie').fill('photos');
    await page.getByRole('button', { name: 'Chercher', exact: true }).click();
    await page.locator('.result', { hasText: 'Photos de la régate' }).click();
    const thumb = page.locator('.attachments img.thumb');
    await thumb.waitFor();
    expect(await thumb.getAttribute('src')).toMatch(/^data:image\/png;base64,/);
    expect(await thumb.evaluate((i: HTMLImageElement) => i.naturalWidth)).toBe(120);
    await page.getByRole('button', { name: 'Tout enregistrer' }).click();
    const warning = page.getByRole('dialog', { name: 'Enregistrer un programme ?' });
    await warning.waitFor();
    expect(await warning.textContent()).toContain('chrono.exe');
    const downloads: string[] = [];
    page.on('download', (dl) => downloads.push(dl.suggestedFilename()));
    await warning.getByRole('button', { name: 'Enregistrer quand même' }).click();
    await page.getByText('2 pièces jointes envoyées dans les Téléchargements de votre navigateur').waitFor();
    await expect.poll(() => downloads.sort(), { timeout: 30_000 }).toEqual(['chrono.exe', 'depart.png']);
    violations.push(...(await checkScreen(page, '14-viewer-attachments')));
    expect(violations).toEqual([]);

    // Confirmed, the link opens in a new tab outside Arche (browser mode), its address unchanged.
    await page.getByRole('button', { name: 'Retour aux résultats' }).click();
    flow.proxy.seen.length = 0;
    frame = await openResult('lettre', 'Lettre du club');
    const [tab] = await Promise.all([page.context().waitForEvent('page'), (async () => {
      await frame.getByText('www.banque.example').click();
      await page.getByRole('dialog').getByRole('button', { name: 'Ouvrir', exact: true }).click();
    })()]);
    await expect.poll(hosts, { timeout: 30_000 }).toEqual(['CONNECT club.example:443']);
    expect(await tab.evaluate(() => window.opener)).toBeNull();
  });
});
