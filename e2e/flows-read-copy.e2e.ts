/**
 * Issue 14, item 3's edges, in a real Chromium against a real `arche serve` and a real Dovecot:
 *  - a message with several attachments lists each with its kind in words and its size; "Ouvrir" a document hands it
 *    to the browser (browser mode: a download the browser opens); "Ouvrir" a program first warns ("Ce fichier est un
 *    programme…"), by mouse or keyboard, and nothing leaves until the user says "Ouvrir quand même";
 *  - the provider then goes away (its server stopped: a real closed port): "Sauvegarder maintenant" fails, and the
 *    screen says the provider is not answering and offers the copy; "Lire mes messages" shows that account's mail.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import type { Page } from 'playwright-core';
import { startDovecot, type Dovecot } from '../test/helpers/dovecot.ts';
import { useFlow, checkScreen, fillAccount, makeMessage, seriousViolations, shoot, switchLanguage, portRefuses, keepAccount } from './flows-support.ts';

const PIXEL = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';
const b64 = (b: Buffer) => b.toString('base64').replace(/(.{76})/g, '$1\r\n');

/** A message such as an association sends: minutes (PDF), accounts (spreadsheet), a photo, and a program. */
function minutes(): string {
  const part = (name: string, type: string, bytes: Buffer) => ['--mix', `Content-Type: ${type}; name="${name}"`, `Content-Disposition: attachment; filename="${name}"`, 'Content-Transfer-Encoding: base64', '', b64(bytes)];
  return [
    'From: Secrétariat <secretariat@club.example>',
    'To: Alice <alice@example.test>',
    'Subject: Assemblée générale : les pièces',
    'Date: Thu, 15 Jun 2023 10:00:00 +0000',
    'Message-ID: <ag-pieces@club.example>',
    'MIME-Version: 1.0',
    'Content-Type: multipart/mixed; boundary="mix"',
    '',
    '--mix',
    'Content-Type: text/plain; charset=utf-8',
    '',
    "Voici le procès-verbal, les comptes, la photo et l'outil de chronométrage.",
    ...part('Procès-verbal AG.pdf', 'application/pdf', Buffer.from('%PDF-1.4\n% procès-verbal\n%%EOF\n')),
    ...part('comptes-2023.xlsx', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', Buffer.alloc(2048, 7)),
    ...part('photo.png', 'image/png', Buffer.from(PIXEL, 'base64')),
    ...part('chrono.exe', 'application/octet-stream', Buffer.from('MZ pas vraiment un programme')),
    '--mix--',
    '',
  ].join('\r\n');
}

const flow = useFlow('read-copy');
let d: Dovecot;
let stopped = false;
let page: Page;

beforeAll(async () => {
  d = await startDovecot({ flavour: 'slash', users: [{ user: 'alice', password: 'alice-pass' }] });
});

afterAll(() => {
  if (!stopped) d?.stop();
});

describe('Lire sa copie : pièces jointes, fournisseur injoignable', () => {
  it('opens attachments after a warning for programs, then offers the copy when the provider stops answering', async () => {
    await fillAccount(d, 'alice', { INBOX: [minutes(), makeMessage(1, { subject: 'Horaires du ponton' }), makeMessage(2, { subject: 'Sortie du dimanche' })] });
    ({ page } = await flow.newPage('fr'));
    const downloads: string[] = [];
    page.on('download', (dl) => downloads.push(dl.suggestedFilename()));
    await page.goto(flow.serve.url);
    expect(await keepAccount(page, { email: 'alice@example.test', host: '127.0.0.1', port: d.port, username: 'alice', password: 'alice-pass' })).toBe('done');

    // Each attachment with its kind in words and its size.
    await page.getByRole('button', { name: 'Chercher dans mes archives' }).click();
    await page.getByLabel('Chercher dans votre copie').fill('chronométrage');
    await page.getByRole('button', { name: 'Chercher', exact: true }).click();
    await page.locator('.result', { hasText: 'Assemblée générale' }).click();
    const items = page.locator('.attachments li .attachment-name');
    await expect.poll(async () => (await items.allTextContents()).map((s) => s.replace(/\u00a0/g, ' ')), { timeout: 30_000 }).toEqual([
      'Procès-verbal AG.pdf (Document PDF, 32 octets)',
      'comptes-2023.xlsx (Feuille de calcul, 2 Ko)',
      'photo.png (Image, 70 octets)',
      'chrono.exe (Programme, 28 octets)',
    ]);

    // A document opens at once: browser mode hands it to the browser's downloads, which opens it.
    await page.getByRole('button', { name: 'Ouvrir « Procès-verbal AG.pdf »' }).click();
    await page.getByText('Envoyé dans les Téléchargements de votre navigateur : ouvrez-le depuis là.').waitFor();
    await expect.poll(() => downloads, { timeout: 30_000 }).toEqual(['Procès-verbal AG.pdf']);

    // A program: the warning first, with the keyboard too; cancelling sends nothing.
    const openProgram = page.getByRole('button', { name: 'Ouvrir « chrono.exe »' });
    await openProgram.focus();
    await page.keyboard.press('Enter');
    const warning = page.getByRole('dialog', { name: 'Ouvrir un programme ?' });
    await warning.waitFor();
    expect(await warning.textContent()).toContain("Ce fichier est un programme. L'ouvrir peut abîmer votre ordinateur. Ne l'ouvrez que si vous l'attendiez.");
    expect(await warning.textContent()).toContain('chrono.exe');
    // "Annuler" has the focus: Enter there cancels; Escape too.
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Annuler');
    const violations = (await seriousViolations(page)).map((v) => `[fr open program] ${v}`);
    await shoot(page, 'fr', '14-viewer-open-program');
    await page.keyboard.press('Escape');
    await warning.waitFor({ state: 'hidden' });
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Ouvrir « chrono.exe »');
    await switchLanguage(page, 'en');
    await page.getByRole('button', { name: 'Open "chrono.exe"' }).click();
    const question = page.getByRole('dialog', { name: 'Open a program?' });
    await question.waitFor();
    expect(await question.textContent()).toContain('This file is a program. Opening it can harm your computer. Only open it if you were expecting it.');
    violations.push(...(await seriousViolations(page)).map((v) => `[en open program] ${v}`));
    await shoot(page, 'en', '14-viewer-open-program');
    await question.getByRole('button', { name: 'Cancel' }).click();
    await question.waitFor({ state: 'hidden' });
    await switchLanguage(page, 'fr');
    expect(downloads).toEqual(['Procès-verbal AG.pdf']);
    await openProgram.click();
    await warning.getByRole('button', { name: 'Ouvrir quand même' }).click();
    await expect.poll(() => downloads, { timeout: 30_000 }).toEqual(['Procès-verbal AG.pdf', 'chrono.exe']);
    violations.push(...(await checkScreen(page, '14-viewer-open')));

    // The provider goes away: its server is stopped, its port closed.
    d.stop();
    stopped = true;
    await expect.poll(() => portRefuses(d.port), { timeout: 30_000 }).toBe(true);
    await page.getByRole('button', { name: 'Retour aux résultats' }).click();
    await page.getByRole('button', { name: "Retour à l'accueil" }).click();
    await page.getByRole('button', { name: /Sauvegarder maintenant : alice/ }).click();
    const banner = page.getByTestId('read-copy');
    await banner.waitFor({ timeout: 120_000 });
    expect(await banner.textContent()).toContain('Votre fournisseur (127.0.0.1) ne répond pas. Vos messages sont lisibles ici, même sans Internet.');
    // The error itself is still said, with its code: nothing hidden.
    expect(await page.locator('.box-error').getAttribute('data-error-code')).toBe('connection-refused');
    violations.push(...(await checkScreen(page, '14-read-copy')));

    // "Lire mes messages": that account's copy, newest first, without the Internet.
    await banner.getByRole('button', { name: 'Lire mes messages : alice@example.test' }).click();
    await page.getByText('Les messages de alice@example.test, du plus récent au plus ancien.').waitFor();
    await page.getByText('3 messages trouvés').waitFor();
    expect(await page.locator('.result .result-subject').allTextContents()).toEqual(['Assemblée générale : les pièces', 'Sortie du dimanche', 'Horaires du ponton']);
    violations.push(...(await checkScreen(page, '14-read-copy-messages')));
    expect(violations).toEqual([]);
  }, 400_000);
});
