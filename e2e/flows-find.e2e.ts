/**
 * The Find journey in a real Chromium, against a real `arche serve` and a real Dovecot: keep an account,
 * search it, open an HTML message full of remote images, style sheets and scripts, and prove that NO request
 * leaves the page (Chromium's own request events, and a proxy at the network's edge that sees everything).
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import type { Page } from 'playwright-core';
import { startDovecot, type Dovecot } from '../test/helpers/dovecot.ts';
import { useFlow, recordRequests, checkScreen, fillAccount, makeMessage, keepAccount } from './flows-support.ts';

const NEWSLETTER = `<html><head>
<link rel="stylesheet" href="https://tracker.example/style.css">
<style>@import url(https://tracker.example/import.css); body { background: url(https://tracker.example/bg.png) }</style>
<script src="https://tracker.example/script.js"></script>
</head><body>
<h1>Programme de la régate</h1>
<p>Départ du ponton à 9 h. <img src="https://tracker.example/pixel.png?u=alice" width="1" height="1"></p>
<p style="background-image:url(http://tracker.example/p.png)"><img src="http://tracker.example/logo.png" alt="logo"></p>
<script>fetch('https://tracker.example/beacon')</script>
<iframe src="https://tracker.example/frame"></iframe>
</body></html>`;

/** A plain message with a small text attachment, built here. */
function withAttachment(): string {
  return [
    'From: Secrétariat <secretariat@club.example>',
    'To: Alice <alice@example.test>',
    'Subject: Parcours de la régate',
    'Date: Mon, 12 Jun 2023 10:00:00 +0000',
    'Message-ID: <parcours@club.example>',
    'MIME-Version: 1.0',
    'Content-Type: multipart/mixed; boundary="b1"',
    '',
    '--b1',
    'Content-Type: text/plain; charset=utf-8',
    '',
    'Voici le parcours de la régate.',
    '--b1',
    'Content-Type: text/plain; charset=utf-8; name="parcours.txt"',
    'Content-Disposition: attachment; filename="parcours.txt"',
    'Content-Transfer-Encoding: base64',
    '',
    Buffer.from('Bouée 1, bouée 2, arrivée.\n').toString('base64'),
    '--b1--',
    '',
  ].join('\r\n');
}

const flow = useFlow('find');
let d: Dovecot;
let page: Page;

beforeAll(async () => {
  d = await startDovecot({ flavour: 'slash', users: [{ user: 'alice', password: 'alice-pass' }] });
});

afterAll(() => {
  d?.stop();
});

describe('Find: chercher dans mes archives', () => {
  it('finds a message, opens its HTML safely, and nothing leaves the page', async () => {
    await fillAccount(d, 'alice', {
      INBOX: [makeMessage(1, { subject: 'Programme de la régate', html: NEWSLETTER }), withAttachment(), ...Array.from({ length: 5 }, (_, i) => makeMessage(10 + i, { subject: `Cotisation ${i}` }))],
    });
    ({ page } = await flow.newPage('fr'));
    const requests = recordRequests(page);
    await page.goto(flow.serve.url);
    expect(await keepAccount(page, { email: 'alice@example.test', host: '127.0.0.1', port: d.port, username: 'alice', password: 'alice-pass' })).toBe('done');

    const violations: string[] = [];
    await page.getByRole('button', { name: 'Chercher dans mes archives' }).click();
    await page.getByRole('heading', { level: 1, name: 'Chercher dans mes archives' }).waitFor();
    await page.getByLabel('Chercher dans votre copie').fill('regate');
    await page.getByRole('button', { name: 'Chercher', exact: true }).click();
    const result = page.locator('.result', { hasText: 'Programme de la régate' });
    await result.waitFor();
    expect(await page.locator('.total').textContent()).toMatch(/2 messages trouvés/);
    // The matched word is a real <mark>, the rest plain text.
    expect(await result.locator('mark').count()).toBeGreaterThan(0);
    await page.getByText('Comment chercher ?').click();
    violations.push(...(await checkScreen(page, '07-archive-results')));

    await result.click();
    const frame = page.frameLocator('iframe.message-frame');
    await frame.getByRole('heading', { name: 'Programme de la régate' }).waitFor();
    // Same origin only so that Arche can ask before a link opens; never allow-scripts: the message runs nothing.
    expect(await page.locator('iframe.message-frame').getAttribute('sandbox')).toBe('allow-same-origin');
    // Let the frame finish loading (every image, style and script it might try) before looking at the traffic.
    const messageFrame = await (await page.locator('iframe.message-frame').elementHandle())!.contentFrame();
    // "load" comes once every image, style sheet and frame inside has loaded or failed.
    await messageFrame!.waitForLoadState('load');
    expect(await page.locator('iframe.message-frame').getAttribute('title')).toBe('Contenu du message');
    violations.push(...(await checkScreen(page, '07-message')));

    expect(flow.proxy.fromPage()).toEqual([]);
    const serveOrigin = new URL(flow.serve.url).origin;
    expect(requests.filter((u) => !u.startsWith(serveOrigin) && !u.startsWith('data:') && !u.startsWith('about:'))).toEqual([]);
    expect(violations).toEqual([]);

    // "Afficher les images", for this message only: its https image may now load, and nothing else.
    await page.getByRole('button', { name: 'Afficher les images' }).click();
    await page.getByRole('button', { name: 'Bloquer à nouveau les images' }).waitFor();
    const shownFrame = await (await page.locator('iframe.message-frame').elementHandle())!.contentFrame();
    await shownFrame!.waitForLoadState('load');
    await expect.poll(() => flow.proxy.fromPage()).toEqual(['CONNECT tracker.example:443']);

    await page.getByRole('button', { name: 'Retour aux résultats' }).click();
    await result.waitFor();

    // An attachment is saved through the browser's own download, from Arche's address only.
    await page.locator('.result', { hasText: 'Parcours de la régate' }).click();
    const saveButton = page.getByRole('button', { name: 'Enregistrer « parcours.txt »' });
    await saveButton.waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), saveButton.click()]);
    expect(download.suggestedFilename()).toBe('parcours.txt');
    expect(download.url().startsWith(serveOrigin)).toBe(true);
    const { readFile } = await import('node:fs/promises');
    expect(await readFile((await download.path())!, 'utf8')).toBe('Bouée 1, bouée 2, arrivée.\n');

    // "Exporter" the results as one mbox file.
    await page.getByRole('button', { name: 'Retour aux résultats' }).click();
    await page.getByRole('button', { name: 'Exporter', exact: true }).click();
    const link = page.getByRole('link', { name: 'Télécharger le fichier' });
    await link.waitFor();
    expect(await page.locator('.export .box-ok').textContent()).toMatch(/2 messages exportés/);
    const [mbox] = await Promise.all([page.waitForEvent('download'), link.click()]);
    // A name a person reads (whose mail, which day), not a technical time stamp.
    const day = new Intl.DateTimeFormat('fr-FR', { day: 'numeric', month: 'long', year: 'numeric' }).format(new Date());
    expect(mbox.suggestedFilename()).toBe(`Courrier d’alice — ${day}.mbox`);
    const text = await readFile((await mbox.path())!, 'utf8');
    expect(text.match(/^From /gm)?.length).toBe(2);
    expect(flow.proxy.fromPage().filter((l) => !l.startsWith('CONNECT tracker.example:443'))).toEqual([]);
  });
});
