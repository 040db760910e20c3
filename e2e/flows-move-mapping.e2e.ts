/**
 * The folder mapping as people read it (issue 11, item 5), in a real Chromium against a real `arche serve` and two
 * real Dovecot servers: the old one with '/' and English special folders, the new one with "INBOX." and '.' and French
 * special folders. On the Plan screen:
 * - both sides by friendly names ("Envoyés", "Club › Régates"), never a server path, special folders in a sentence;
 * - a destination picked from the new account's folders, another one a new folder named by the user, which Arche
 *   places under "INBOX.";
 * - a wrong name marked on its line before the start ("Commencer" waits), corrected with the proposed name;
 * then the move, and the new server read back with an independent IMAP reader (countMessages).
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { startDovecot, type Dovecot } from '../test/helpers/dovecot.ts';
import { useFlow, connectAccount, checkScreen, fillAccount, makeMessage, countMessages, waitForJobEnd, switchLanguage } from './flows-support.ts';

const flow = useFlow('move-mapping');
let from: Dovecot;
let to: Dovecot;

beforeAll(async () => {
  [from, to] = await Promise.all([
    startDovecot({ flavour: 'slash', users: [{ user: 'marie', password: 'old-pass' }] }),
    startDovecot({ flavour: 'dot', users: [{ user: 'marie', password: 'new-pass' }] }),
  ]);
});

afterAll(() => {
  from?.stop();
  to?.stop();
});

describe('Move: the folder mapping for people', () => {
  it('friendly names, a folder picked from the list, a new folder placed under INBOX., a wrong name refused on its line before the start', async () => {
    await fillAccount(from, 'marie', {
      INBOX: [makeMessage(1), makeMessage(2)],
      Sent: [makeMessage(10), makeMessage(11)],
      Archive: [makeMessage(20), makeMessage(21), makeMessage(22)],
      'Club/Régates': [makeMessage(30), makeMessage(31)],
    });
    // A folder of the user's own at the new provider, to choose from the list.
    await fillAccount(to, 'marie', { 'INBOX.Classement': [] });
    const { page } = await flow.newPage('fr');
    const violations: string[] = [];
    await page.goto(flow.serve.url);
    await page.getByRole('button', { name: /Changer de fournisseur/ }).click();
    expect(await connectAccount(page, { email: 'marie@ancien.example', host: '127.0.0.1', port: from.port, username: 'marie', password: 'old-pass' })).toEqual({ ok: true });
    await page.getByRole('button', { name: 'Continuer', exact: true }).click();
    await page.getByRole('button', { name: 'Continuer : le nouveau compte' }).click();
    await page.getByRole('heading', { level: 1, name: 'Vers quel nouveau compte ?' }).waitFor();
    expect(await connectAccount(page, { email: 'marie@nouveau.example', host: '127.0.0.1', port: to.port, username: 'marie', password: 'new-pass' })).toEqual({ ok: true });
    await page.getByRole('button', { name: 'Continuer', exact: true }).click();
    await page.getByRole('table').waitFor({ timeout: 60_000 });
    const start = page.getByRole('button', { name: 'Commencer le déménagement' });
    const enabledStart = page.locator('button.primary:not([disabled])', { hasText: 'Commencer le déménagement' });
    await enabledStart.waitFor({ timeout: 60_000 });

    // Friendly names on both sides: no server path, no raw special-folder name, the levels joined by "›".
    const table = page.getByRole('table');
    const row = (source: string) => page.locator(`tr[data-source="${source}"]`);
    expect(await row('Sent').getByRole('rowheader').textContent()).toBe('Envoyés');
    expect(await row('INBOX').getByRole('rowheader').textContent()).toBe('Boîte de réception');
    expect(await row('Club/Régates').getByRole('rowheader').textContent()).toBe('Club › Régates');
    expect(await table.innerText()).not.toMatch(/INBOX\.|Club\/|\bSent\b/);
    // Special folders explained in words, with the new provider's own name.
    expect(await row('Sent').textContent()).toContain('Vos messages envoyés iront dans « Éléments envoyés ».');
    expect(await row('Sent').getByRole('combobox').locator('option:checked').textContent()).toBe('Éléments envoyés');
    // A folder the new account does not have yet: "Nouveau dossier : Club › Régates".
    expect(await row('Club/Régates').getByRole('combobox').locator('option:checked').textContent()).toBe('Nouveau dossier : Club › Régates');

    // A destination picked from the list of the new account's folders.
    await row('Archive').getByRole('combobox', { name: 'Où ira « Archives »' }).selectOption({ label: 'Classement' });
    expect(await row('Archive').textContent()).toContain('Vos archives iront dans « Classement ».');

    // A new folder of their own, with a name no provider takes: refused on its line, before the start.
    const name = row('Club/Régates').getByLabel(/Nom du nouveau dossier/);
    await name.fill('Voile*');
    const problem = row('Club/Régates').locator('.line-problem');
    await problem.waitFor({ timeout: 60_000 });
    expect(await problem.textContent()).toMatch(/caractères « \* », « % »/);
    expect(await name.getAttribute('aria-invalid')).toBe('true');
    expect(await start.isDisabled()).toBe(true);
    expect(await page.getByRole('alert').filter({ hasText: 'Une ligne est marquée' }).count()).toBe(1);
    violations.push(...(await checkScreen(page, '04-plan-mapping-refused')));

    // 400 px wide: the screen does not spill out (the table scrolls in its own box).
    await page.setViewportSize({ width: 400, height: 860 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(400);
    await page.setViewportSize({ width: 1100, height: 860 });

    // The proposed name, one click: checked again with the new provider, then "Commencer" can go.
    await row('Club/Régates').getByRole('button', { name: 'Utiliser « Voile »' }).click();
    await enabledStart.waitFor({ timeout: 60_000 });
    expect(await problem.count()).toBe(0);
    expect(await name.inputValue()).toBe('Voile');
    expect(await row('Club/Régates').getByRole('combobox').locator('option:checked').textContent()).toBe('Nouveau dossier : Voile');
    violations.push(...(await checkScreen(page, '04-plan-mapping')));
    // The English words for the same special folder.
    await switchLanguage(page, 'en');
    expect(await row('Sent').textContent()).toContain('Your sent messages will go into "Éléments envoyés".');
    await switchLanguage(page, 'fr');

    await start.click();
    await page.getByRole('heading', { level: 1, name: 'Déménagement en cours' }).waitFor();
    expect(await waitForJobEnd(page, 180_000)).toBe('verify');
    expect(await page.locator('[data-verify]').getAttribute('data-verify')).toBe('ok');

    // The new server, read by an independent IMAP client: the new folder under INBOX., the chosen one used.
    const counts = await countMessages(to, 'marie');
    expect(counts['INBOX.Voile']).toBe(2);
    expect(counts['INBOX.Classement']).toBe(3);
    expect(counts['INBOX.Éléments envoyés']).toBe(2);
    expect(counts.INBOX).toBe(2);
    expect(Object.keys(counts).filter((k) => /Régates|Voile\*|^Voile$|Archive/.test(k))).toEqual([]);
    expect(violations).toEqual([]);
    expect(flow.proxy.fromPage()).toEqual([]);
  }, 300_000);
});
