/**
 * Issue 14, the reading view's side list and its export, in a real Chromium against a real `arche serve` and a real
 * Dovecot: the account's "Tous les dossiers" counts a message kept in two folders once and lists it once; "Exporter
 * ces messages" says what it will export ("Exporter les 4 messages de « Newsletters »"), follows the folder and the
 * filters chosen, and the downloaded mbox holds exactly those messages. Keyboard only; axe finds no serious
 * violation; the screen is pictured in both languages.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { startDovecot, type Dovecot } from '../test/helpers/dovecot.ts';
import { useFlow, checkScreen, fillAccount, makeMessage, keepAccount } from './flows-support.ts';

const flow = useFlow('browse-export');
let d: Dovecot;
let page: Page;
/** How long to keep looking for what the screen shows after a request (never a fixed wait); expect.poll's 1 s is short. */
const WAIT = { timeout: 30_000 };

beforeAll(async () => {
  d = await startDovecot({ flavour: 'slash', users: [{ user: 'alice', password: 'alice-pass' }] });
});

afterAll(() => {
  d?.stop();
});

/** The subjects of an mbox file, in its order. */
const subjects = (mbox: string) => [...mbox.matchAll(/^Subject: (.*?)\r?$/gm)].map((m) => m[1]);

describe('Browse: tous les dossiers, et exporter ce qui est affiché', () => {
  it("counts an account's messages once, and exports the folder and filters shown, with the keyboard only", { timeout: 600_000 }, async () => {
    // One message kept in two folders (the same bytes appended to both): one message for "Tous les dossiers".
    const both = makeMessage(50, { subject: 'Assemblée générale', date: new Date(Date.UTC(2024, 2, 1, 9)) });
    const inbox = Array.from({ length: 5 }, (_, i) => makeMessage(i, { subject: `Courrier ${i}`, date: new Date(Date.UTC(2024, 0, 1 + i, 9)) }));
    const letters = Array.from({ length: 3 }, (_, i) =>
      makeMessage(10 + i, { subject: `Lettre ${i}`, date: new Date(Date.UTC(2024, 1, 1 + i, 9)), ...(i === 1 ? { from: 'Hélène Martin <helene@voile.example>' } : {}) }),
    );
    await fillAccount(d, 'alice', { INBOX: [...inbox, both], Newsletters: [...letters, both] });
    ({ page } = await flow.newPage('fr'));
    await page.goto(flow.serve.url);
    expect(await keepAccount(page, { email: 'alice@example.test', host: '127.0.0.1', port: d.port, username: 'alice', password: 'alice-pass' })).toBe('done');
    await page.getByRole('button', { name: 'Chercher dans mes archives' }).click();

    const violations: string[] = [];
    const folders = page.getByRole('navigation', { name: 'Dossiers' });
    const list = page.getByRole('listbox');
    // One account: its "Tous les dossiers" is the place shown first, with its count (9, not 10), and no second
    // "every account" entry that would say the same.
    const all = folders.getByRole('button', { name: /^Tous les dossiers/ });
    await expect.poll(() => all.textContent(), WAIT).toMatch(/9 messages/);
    expect(await all.getAttribute('aria-current')).toBe('true');
    expect(await folders.getByRole('button', { name: /Tous les comptes/ }).count()).toBe(0);
    await expect.poll(() => list.getByRole('option').count(), WAIT).toBe(9);
    expect(await list.getByRole('option', { name: /Assemblée générale/ }).count()).toBe(1);
    expect(await list.getAttribute('aria-label')).toBe('Messages de « Tous les dossiers de alice », les plus récents en premier');

    // Newsletters, with the keyboard; then "Exporter ces messages" says what it will export.
    const newsletters = folders.getByRole('button', { name: /Newsletters/ });
    expect(await newsletters.textContent()).toMatch(/4 messages/);
    await newsletters.focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => newsletters.getAttribute('aria-current'), WAIT).toBe('true');
    await list.getByRole('option', { name: /Lettre 0/ }).waitFor();
    const summary = page.locator('.browse-export summary');
    await summary.focus();
    await page.keyboard.press('Enter');
    const panel = page.locator('.browse-export');
    await expect.poll(() => panel.textContent(), WAIT).toContain('Exporter les 4 messages de « Newsletters ».');
    violations.push(...(await checkScreen(page, '07-browse-export')));

    // A filter narrows the list, and the export with it.
    const sender = page.getByLabel('De cette personne');
    await sender.focus();
    await page.keyboard.type('helene');
    await expect.poll(() => list.getByRole('option').count(), WAIT).toBe(1);
    await expect.poll(() => panel.textContent(), WAIT).toContain('Exporter le message de « Newsletters » que montrent la recherche et les filtres.');
    const one = page.getByRole('button', { name: 'Exporter ce message' });
    await one.focus();
    const [single] = await Promise.all([
      page.waitForEvent('download'),
      (async () => {
        await page.keyboard.press('Enter');
        const link = panel.getByRole('link', { name: 'Télécharger le fichier' });
        await link.waitFor();
        expect(await panel.locator('.box-ok').textContent()).toMatch(/1 message exporté/);
        await link.focus();
        await page.keyboard.press('Enter');
      })(),
    ]);
    expect(subjects(await readFile((await single.path())!, 'utf8'))).toEqual(['Lettre 1']);

    // Without the filter: the folder's four messages, and no message of another folder.
    await sender.focus();
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Backspace');
    await expect.poll(() => panel.textContent(), WAIT).toContain('Exporter les 4 messages de « Newsletters ».');
    const four = page.getByRole('button', { name: 'Exporter ces 4 messages' });
    await four.focus();
    await page.keyboard.press('Enter');
    const link = panel.getByRole('link', { name: 'Télécharger le fichier' });
    await link.waitFor();
    const [mbox] = await Promise.all([page.waitForEvent('download'), link.click()]);
    const text = await readFile((await mbox.path())!, 'utf8');
    expect(text.match(/^From /gm)).toHaveLength(4);
    expect(subjects(text).sort()).toEqual(['Assemblée générale', 'Lettre 0', 'Lettre 1', 'Lettre 2']);

    // The account's "Tous les dossiers": nine messages, the one in two folders once.
    await all.focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => panel.textContent(), WAIT).toContain('Exporter les 9 messages de « Tous les dossiers de alice ».');
    expect(violations).toEqual([]);
  });
});
