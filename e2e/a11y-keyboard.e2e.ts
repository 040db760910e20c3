/**
 * Every main action can be reached and used with the keyboard alone (Tab / Shift+Tab / Enter / Space),
 * and the focused element is always visibly outlined. Real Chromium, real `arche serve`, real Dovecot.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import type { Browser, Page, BrowserContext } from 'playwright-core';
import { startDovecot, type Dovecot } from '../test/helpers/dovecot.ts';
import { ensureBuilt, startServe, launchBrowser, newPage, fillAccount, makeMessage, waitForJobEnd, type ArcheServe } from './flows-support.ts';

let d: Dovecot;
let serve: ArcheServe;
let browser: Browser;
let context: BrowserContext;
let page: Page;

interface Focused {
  name: string;
  tag: string;
  outline: string;
  boxShadow: string;
}

async function focused(): Promise<Focused> {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el) return { name: '', tag: '', outline: '', boxShadow: '' };
    const labelled = el.id ? document.querySelector(`label[for="${CSS.escape(el.id)}"]`)?.textContent : '';
    const name = (el.getAttribute('aria-label') || labelled || el.textContent || '').trim();
    const cs = getComputedStyle(el);
    return { name, tag: el.tagName.toLowerCase(), outline: `${cs.outlineStyle} ${cs.outlineWidth}`, boxShadow: cs.boxShadow };
  });
}

/** Presses Tab until the focus is on the element whose name matches; fails if it never gets there. */
async function tabTo(match: RegExp, max = 40, key: 'Tab' | 'Shift+Tab' = 'Tab'): Promise<Focused> {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press(key);
    const f = await focused();
    if (match.test(f.name)) {
      // Visible focus: an outline (or a shadow) must be drawn around it.
      expect(f.outline.startsWith('none') && f.boxShadow === 'none', `focus not visible on "${f.name}"`).toBe(false);
      return f;
    }
  }
  throw new Error(`Tab never reached ${match}`);
}

beforeAll(async () => {
  ensureBuilt();
  d = await startDovecot({ flavour: 'slash', users: [{ user: 'alice', password: 'alice-pass' }] });
  await fillAccount(d, 'alice', { INBOX: Array.from({ length: 4 }, (_, i) => makeMessage(i, { subject: `Régate ${i}` })) });
  serve = await startServe();
  browser = await launchBrowser();
  ({ context, page } = await newPage(browser, 'fr'));
});

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await serve?.stop();
  d?.stop();
});

describe('keyboard only', () => {
  it('keeps an account, then searches and opens a message, with Tab and Enter only', async () => {
    await page.goto(serve.url);
    await page.getByRole('heading', { level: 1 }).waitFor();

    // The language switch answers to the keyboard both ways.
    await tabTo(/Switch to English/);
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.documentElement.lang === 'en');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.documentElement.lang === 'fr');

    await tabTo(/Mettre mon courrier à l'abri/);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: /Quel compte/ }).waitFor();
    await tabTo(/Votre adresse e-mail/);
    await page.keyboard.type('alice@example.test');
    await page.keyboard.press('Enter');
    await page.getByLabel(/Adresse du serveur/).waitFor();
    // The focus went to the first empty field by itself.
    // Focus moves in an effect after the render: wait for it (bounded), then the assertion decides.
    await expect.poll(async () => (await focused()).name, { timeout: 5000 }).toMatch(/Adresse du serveur/);
    await page.keyboard.type('127.0.0.1');
    await tabTo(/Numéro de port/);
    await page.keyboard.press('Control+A');
    await page.keyboard.type(String(d.port));
    await tabTo(/Nom d'utilisateur/);
    await page.keyboard.press('Control+A');
    await page.keyboard.type('alice');
    await tabTo(/^Mot de passe$/);
    await page.keyboard.type('alice-pass');
    await page.keyboard.press('Enter');
    await page.getByRole('button', { name: 'Faire confiance à ce serveur' }).waitFor();
    await tabTo(/Faire confiance à ce serveur/);
    await page.keyboard.press('Enter');
    await page.locator('.box-ok').waitFor();
    // After a successful test the focus sits on "Continuer".
    await expect.poll(async () => (await focused()).name, { timeout: 5000 }).toBe('Continuer');
    await page.keyboard.press('Enter');

    await page.getByRole('heading', { level: 1, name: 'Quels dossiers ?' }).waitFor();
    await tabTo(/Boîte de réception/);
    await page.keyboard.press('Space');
    expect(await page.getByRole('checkbox').first().isChecked()).toBe(false);
    await page.keyboard.press('Space');
    await tabTo(/^Mettre à l'abri$/);
    await page.keyboard.press('Enter');
    expect(await waitForJobEnd(page)).toBe('done');

    await tabTo(/Chercher dans mes archives/);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Chercher dans mes archives' }).waitFor();
    await tabTo(/Chercher dans votre copie/);
    await page.keyboard.type('regate');
    await page.keyboard.press('Enter');
    await page.locator('.result').first().waitFor();
    await tabTo(/Régate/);
    await page.keyboard.press('Enter');
    await page.locator('.message-frame, .message-text').first().waitFor();
    // The title has the focus; the way back is just before it.
    await tabTo(/Retour aux résultats/, 3, 'Shift+Tab');
    await page.keyboard.press('Enter');
    await page.locator('.result').first().waitFor();
    // Back on the list, the focus is on the message the user had opened.
    await expect.poll(async () => (await focused()).name, { timeout: 5000 }).toMatch(/Régate/);
  });
});
