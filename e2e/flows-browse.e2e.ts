/**
 * Browse the archive like a mailbox (issue 14), in a real Chromium against a real `arche serve` and a real Dovecot:
 * keep an account, then with the keyboard only choose a folder, scroll the list past its first page, filter it,
 * open a message, go to the next and the previous one, and come back; axe finds no serious violation, and the
 * screens are pictured in both languages.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import type { Page } from 'playwright-core';
import { startDovecot, type Dovecot } from '../test/helpers/dovecot.ts';
import { useFlow, checkScreen, fillAccount, makeMessage, keepAccount } from './flows-support.ts';

const flow = useFlow('browse');
let d: Dovecot;
let page: Page;
const N = 240;
/**
 * Waits on the server (a page of the list, a folder, a filter) end on what the screen shows, never on a time; the
 * time given is only how long to keep looking. expect.poll's own default (1 s) is shorter than a page load on a
 * loaded machine: that made this flow fail once.
 */
const WAIT = { timeout: 30_000 };

beforeAll(async () => {
  d = await startDovecot({ flavour: 'slash', users: [{ user: 'alice', password: 'alice-pass' }] });
});

afterAll(() => {
  d?.stop();
});

describe('Browse: lire mes archives comme une messagerie', () => {
  it('chooses a folder, scrolls, filters, opens, goes next and back with the keyboard only', { timeout: 600_000 }, async () => {
    // One a day, so that the newest is "Courrier 239"; one from Hélène.
    const inbox = Array.from({ length: N }, (_, i) =>
      makeMessage(100 + i, { subject: `Courrier ${i}`, date: new Date(Date.UTC(2023, 0, 1 + i, 9)), ...(i === 17 ? { from: 'Hélène Martin <helene@voile.example>' } : {}) }),
    );
    await fillAccount(d, 'alice', { INBOX: inbox, 'Club/Régates': [makeMessage(1, { subject: 'Programme des régates' })] });
    ({ page } = await flow.newPage('fr'));
    await page.goto(flow.serve.url);
    expect(await keepAccount(page, { email: 'alice@example.test', host: '127.0.0.1', port: d.port, username: 'alice', password: 'alice-pass' })).toBe('done');

    const violations: string[] = [];
    // ARCHE_E2E_LATENCY=1500: every request of the page takes that long (ms), to rehearse a loaded machine
    // (the waits below must then still hold; with 700 the fixed count of PageDown presses of old failed).
    if (process.env.ARCHE_E2E_LATENCY) {
      const cdp = await page.context().newCDPSession(page);
      await cdp.send('Network.enable');
      await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: Number(process.env.ARCHE_E2E_LATENCY), downloadThroughput: -1, uploadThroughput: -1 });
    }
    await page.getByRole('button', { name: 'Chercher dans mes archives' }).click();
    // Every message, newest first, before anything is typed: never a silent nothing.
    const list = page.getByRole('listbox');
    await list.getByRole('option', { name: /Courrier 239/ }).waitFor();

    // The folder, from the side list, with the keyboard.
    const folders = page.getByRole('navigation', { name: 'Dossiers' });
    const inboxButton = folders.getByRole('button', { name: /Boîte de réception/ });
    expect(await inboxButton.textContent()).toMatch(/240 messages/);
    await inboxButton.focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => inboxButton.getAttribute('aria-current'), WAIT).toBe('true');
    await expect.poll(() => page.getByRole('status').filter({ hasText: /messages/ }).first().textContent(), WAIT).toMatch(/240 messages/);
    expect(await list.getAttribute('aria-label')).toBe('Messages de « Boîte de réception », les plus récents en premier');

    // Down the list past the first page (100 lines): the next pages come as the list scrolls.
    // PageDown stops at the last line loaded until the next page comes: pressed until the chosen line is past the
    // 140th (not a fixed number of times, which a slow page load would cut short).
    await list.focus();
    await expect
      .poll(async () => {
        await page.keyboard.press('PageDown');
        return Number(await list.locator('[aria-selected="true"]').getAttribute('aria-posinset'));
      }, WAIT)
      .toBeGreaterThan(140);
    await list.getByRole('option', { name: /Courrier 99\b/ }).waitFor();
    // End goes to the last line loaded, and the list loads on: End again until the very last message.
    await expect
      .poll(async () => {
        await page.keyboard.press('End');
        return list.locator('[aria-selected="true"]').textContent();
      }, WAIT)
      .toMatch(/Courrier 001\/01\/2023/);
    await page.keyboard.press('Home');
    await expect.poll(() => list.locator('[aria-selected="true"]').textContent(), WAIT).toMatch(/Courrier 239/);
    violations.push(...(await checkScreen(page, '07-browse')));

    // "De cette personne": one message; then every message again.
    const sender = page.getByLabel('De cette personne');
    await sender.focus();
    await page.keyboard.type('helene');
    await expect.poll(() => list.getByRole('option').count(), WAIT).toBe(1);
    expect(await list.getByRole('option').textContent()).toMatch(/Hélène Martin.*Courrier 17/);
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Backspace');
    await list.getByRole('option', { name: /Courrier 239/ }).waitFor();

    // Open the second message, go next (older) and back (newer), then Escape to the list.
    await list.focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Courrier 238' }).waitFor();
    // The keys work from where opening put the focus: inside the message.
    expect(await page.evaluate(() => !!document.activeElement?.closest('.browse-pane'))).toBe(true);
    await page.keyboard.press('j');
    await page.getByRole('heading', { level: 1, name: 'Courrier 237' }).waitFor();
    await page.keyboard.press('k');
    await page.keyboard.press('k');
    await page.getByRole('heading', { level: 1, name: 'Courrier 239' }).waitFor();
    expect(await page.getByRole('button', { name: /Message précédent/ }).isDisabled()).toBe(true);
    violations.push(...(await checkScreen(page, '07-browse-message')));
    // (the language switch of checkScreen took the focus: back into the message, as the user was)
    await page.locator('.browse-pane').getByRole('button', { name: /Message suivant/ }).focus();
    await page.keyboard.press('Escape');
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('role')), WAIT).toBe('listbox');
    expect(await page.getByRole('heading', { level: 1, name: 'Courrier 239' }).count()).toBe(0);
    expect(violations).toEqual([]);
  });
});
