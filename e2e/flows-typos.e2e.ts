/**
 * Issue 11, items 7 and 8: a typo in the address is caught ("Vouliez-vous dire mailo.com ?", one button fixes it),
 * the provider's hints go once the user changed the settings by hand, and the account kept is then titled by
 * the address the user typed (not "marie · 127.0.0.1"). Real Chromium, real `arche serve`, real Dovecot with a
 * self-signed certificate.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import type { Page } from 'playwright-core';
import { startDovecot, type Dovecot } from '../test/helpers/dovecot.ts';
import { useFlow, fillAccount, makeMessage, waitForJobEnd, checkScreen } from './flows-support.ts';

const flow = useFlow('typos');
let server: Dovecot;

beforeAll(async () => {
  server = await startDovecot({ flavour: 'slash', users: [{ user: 'marie', password: 'old-pass' }] });
  await fillAccount(server, 'marie', { INBOX: Array.from({ length: 3 }, (_, i) => makeMessage(i)) });
});

afterAll(() => server?.stop());

async function welcome(page: Page) {
  await page.getByRole('heading', { level: 1, name: 'Bonjour ! Que voulez-vous faire ?' }).waitFor();
}

describe('Typos and stale hints', () => {
  it('suggests mailo.com for mailo.con, drops the provider hints once the settings are changed by hand, and titles the account by its address', async () => {
    const { page, errors } = await flow.newPage('fr');
    const violations: string[] = [];
    await page.goto(flow.serve.url);
    await welcome(page);
    await page.getByRole('button', { name: /Mettre mon courrier à l'abri/ }).click();

    const email = page.getByLabel('Votre adresse e-mail');
    await email.fill('marie@mailo.con');
    await page.getByRole('button', { name: 'Continuer', exact: true }).first().click();
    await page.getByText('Vouliez-vous dire mailo.com ?').waitFor();
    violations.push(...(await checkScreen(page, '02-account-typo')));

    // One button fixes the address; the settings of Mailo are then found by Arche's own list.
    await page.getByRole('button', { name: 'Oui, corriger en mailo.com' }).click();
    await page.getByText('Réglages trouvés pour Mailo.').waitFor();
    expect(await email.inputValue()).toBe('marie@mailo.com');
    expect(await page.getByText('Vouliez-vous dire').count()).toBe(0);
    const help = page.locator('.password-help');
    expect(await help.innerText()).toContain('sur le site de Mailo');
    await page.getByText('Détails techniques').click();
    const tech = page.locator('details.tech', { hasText: 'Détails techniques' });
    expect(await tech.innerText()).toContain('la liste d’Arche');

    // The user changes the server by hand (their Mailo is, here, the test server): Mailo's hints go.
    await page.getByRole('button', { name: 'Modifier les réglages' }).click();
    await page.getByLabel('Adresse du serveur de votre messagerie').fill('127.0.0.1');
    await page.getByLabel('Numéro de port').fill(String(server.port));
    await page.getByLabel("Nom d'utilisateur").fill('marie');
    expect(await help.innerText()).not.toContain('Mailo');
    expect(await help.innerText()).toContain('Le mot de passe que vous utilisez pour lire votre courrier.');
    expect(await tech.innerText()).not.toContain('la liste d’Arche');
    expect(await tech.innerText()).toContain('saisie manuelle');
    violations.push(...(await checkScreen(page, '02-account-edited')));

    await page.getByLabel(/^Mot de passe$/).fill('old-pass');
    await page.getByRole('button', { name: 'Tester la connexion' }).click();
    await page.getByRole('button', { name: /Faire confiance à ce serveur/ }).click();
    await page.locator('.box-ok').waitFor();
    await page.getByRole('button', { name: 'Continuer', exact: true }).click();
    await page.getByRole('button', { name: "Mettre à l'abri", exact: true }).click();
    expect(await waitForJobEnd(page)).toBe('done');
    await page.getByRole('button', { name: "Retour à l'accueil" }).click();
    await welcome(page);

    // The account card is titled by the address typed, not by the server's login name and host.
    const card = page.locator('ul.accounts li.account');
    await card.first().waitFor();
    expect(await card.locator('.account-label').allInnerTexts()).toEqual(['marie@mailo.com']);
    expect(await card.innerText()).not.toContain('marie ·');
    expect(violations).toEqual([]);
    expect(errors).toEqual([]);
  }, 300_000);
});
