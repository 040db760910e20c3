/**
 * The Move journey in a real Chromium, against a real `arche serve` and two real Dovecot servers of different
 * kinds (separator '/' without prefix → separator '.' with "INBOX." and French special-use names):
 * old account, folders, new account, the plan (quota, readable mapping, one line changed by the user), progress, then
 * the verification all green.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import type { Page, BrowserContext } from 'playwright-core';
import { startDovecot, type Dovecot } from '../test/helpers/dovecot.ts';
import { useFlow, connectAccount, checkScreen, fillAccount, makeMessage, countMessages, deleteFirstMessage, waitForJobEnd } from './flows-support.ts';

const flow = useFlow('move');
let from: Dovecot;
let to: Dovecot;
let context: BrowserContext;
let page: Page;

beforeAll(async () => {
  from = await startDovecot({ flavour: 'slash', users: [{ user: 'marie', password: 'old-pass' }] });
  to = await startDovecot({ flavour: 'dot', users: [{ user: 'marie', password: 'new-pass' }], quotaKb: 50_000 });
});

afterAll(() => {
  from?.stop();
  to?.stop();
});

describe('Move: changer de fournisseur', () => {
  it('plans, takes the line the user changed, moves and verifies every folder, all green', async () => {
    await fillAccount(from, 'marie', {
      INBOX: Array.from({ length: 20 }, (_, i) => makeMessage(i, { subject: `Assemblée ${i}` })),
      Sent: Array.from({ length: 6 }, (_, i) => makeMessage(100 + i)),
      'Club/Régates': Array.from({ length: 4 }, (_, i) => makeMessage(200 + i)),
    });
    ({ context, page } = await flow.newPage('fr'));
    await page.goto(flow.serve.url);
    const violations: string[] = [];

    await page.getByRole('button', { name: /Changer de fournisseur/ }).click();
    await page.getByRole('heading', { level: 1, name: 'Depuis quel compte partez-vous ?' }).waitFor();
    expect(await connectAccount(page, { email: 'marie@ancien.example', host: '127.0.0.1', port: from.port, username: 'marie', password: 'old-pass' })).toEqual({ ok: true });
    await page.getByRole('button', { name: 'Continuer', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Quels dossiers ?' }).waitFor();
    await page.getByRole('button', { name: 'Continuer : le nouveau compte' }).click();

    await page.getByRole('heading', { level: 1, name: 'Vers quel nouveau compte ?' }).waitFor();
    expect(
      await connectAccount(page, { email: 'marie@nouveau.example', host: '127.0.0.1', port: to.port, username: 'marie', password: 'new-pass', shots: '04-destination', violations }),
    ).toEqual({ ok: true });
    await page.getByRole('button', { name: 'Continuer', exact: true }).click();

    await page.getByRole('heading', { level: 1, name: 'Vérifiez le déménagement avant de commencer' }).waitFor();
    await page.getByRole('table').waitFor({ timeout: 60_000 });
    // The mapping reads as sentences: Sent ("Envoyés") goes to the French "Éléments envoyés" for the same role.
    const sentRow = page.getByRole('row').filter({ has: page.getByRole('rowheader', { name: 'Envoyés', exact: true }) });
    expect(await sentRow.getByRole('combobox').locator('option:checked').textContent()).toBe('Éléments envoyés');
    expect(await sentRow.textContent()).toMatch(/Vos messages envoyés iront dans « Éléments envoyés »/);
    expect(await page.locator('.box-ok').first().textContent()).toMatch(/assez de place/);
    violations.push(...(await checkScreen(page, '04-plan')));
    // The user changes one line: the regatta folder goes into a folder of their own choosing.
    const clubRow = page.getByRole('row').filter({ has: page.getByRole('rowheader', { name: /Régates/ }) });
    // A new folder, named as people read it; Arche places it under the new provider's "INBOX.".
    const newName = clubRow.getByLabel(/Nom du nouveau dossier/);
    expect(await newName.inputValue()).toBe('Club › Régates');
    await newName.fill('Voile');
    expect(await clubRow.textContent()).toMatch(/Choisi par vous/);

    // "Commencer" once the new provider has checked the choice.
    await page.locator('button.primary:not([disabled])', { hasText: 'Commencer le déménagement' }).waitFor({ timeout: 60_000 });
    await page.getByRole('button', { name: 'Commencer le déménagement' }).click();
    await page.getByRole('heading', { level: 1, name: 'Déménagement en cours' }).waitFor();
    expect(await waitForJobEnd(page)).toBe('verify');
    const verdict = page.locator('[data-verify]');
    expect(await verdict.getAttribute('data-verify')).toBe('ok');
    expect(await verdict.textContent()).toMatch(/Tout est arrivé : 30 messages/);
    expect(await page.locator('.verify-lines > li.bad').count()).toBe(0);
    expect(await page.locator('.verify-lines > li.good').count()).toBeGreaterThanOrEqual(3);
    violations.push(...(await checkScreen(page, '06-verify')));

    // "Ouvrir le rapport": the saved report opens in a new tab, from Arche's own address.
    const [report] = await Promise.all([context.waitForEvent('page'), page.getByRole('button', { name: 'Ouvrir le rapport' }).click()]);
    await report.waitForLoadState();
    expect(report.url().startsWith(flow.serve.origin)).toBe(true);
    expect(await report.locator('body').textContent()).toMatch(/30/);
    // One way to write the time in French: "7 h 36", never "07:36" (the report's English part says "at 07:36").
    const reportText = (await report.locator('body').textContent()) ?? '';
    expect(reportText).toMatch(/vérifiés un par un le \d\d\/\d\d\/\d{4} à \d{1,2}\s?h\s?\d\d\./);
    expect(reportText).not.toMatch(/ à \d{1,2}:\d\d/);
    await report.close();
    // "Ouvrir le rapport" is there once (not a button and a link beside it).
    expect(await page.getByText('Ouvrir le rapport').count()).toBe(1);

    // The new provider loses a message: "Vérifier à nouveau" says so in red, "Refaire le déménagement" mends it.
    await deleteFirstMessage(to, 'marie', 'INBOX');
    await page.getByRole('button', { name: 'Vérifier à nouveau' }).click();
    await page.getByRole('heading', { level: 1, name: 'Vérification en cours' }).waitFor();
    expect(await waitForJobEnd(page)).toBe('verify');
    const missing = page.locator('[data-verify]');
    expect(await missing.getAttribute('data-verify')).toBe('bad');
    expect(await missing.textContent()).toMatch(/1 message manquant/);
    expect(await page.locator('.verify-lines > li.bad').count()).toBe(1);
    expect(await page.locator('.verify-lines > li.bad').textContent()).toMatch(/Boîte de réception.*Manquants : 1/);
    // The folders that did not change keep their earlier result: said once, not on every line.
    const verifyText = await page.locator('main').innerText();
    expect(verifyText.match(/repris/g)).toHaveLength(1);
    expect(await page.locator('[data-verify-carried]').textContent()).toMatch(/dossiers n’ont pas changé depuis la vérification précédente : leur résultat est repris/);
    expect(verifyText).not.toMatch(/\d:\d\d/);
    violations.push(...(await checkScreen(page, '06-verify-missing')));
    await page.getByRole('button', { name: 'Refaire le déménagement' }).click();
    await page.getByRole('heading', { level: 1, name: 'Déménagement en cours' }).waitFor();
    expect(await waitForJobEnd(page)).toBe('verify');
    expect(await page.locator('[data-verify]').getAttribute('data-verify')).toBe('ok');

    const counts = await countMessages(to, 'marie');
    expect(counts.INBOX).toBe(20);
    expect(counts['INBOX.Éléments envoyés']).toBe(6);
    // The edited line held, through the first move and through "Refaire le déménagement" (which sends no mapping).
    expect(counts['INBOX.Voile']).toBe(4);
    expect(Object.keys(counts).filter((k) => k.includes('Régates'))).toEqual([]);
    expect(violations).toEqual([]);
    expect(flow.proxy.fromPage()).toEqual([]);
    // Three moves, two verifications and six pictured screens: on a shared, loaded machine it takes over 2 minutes.
  }, 300_000);
});
