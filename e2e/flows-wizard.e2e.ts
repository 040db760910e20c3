/**
 * Issue 11, "a wizard a retiree finishes alone", in a real Chromium against a real `arche serve` and two real
 * Dovecot servers with self-signed certificates ('/' without prefix → 'INBOX.' with French special-use names).
 * Each test is what a new user did when the wizard let them down.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import type { Page } from 'playwright-core';
import { startDovecot, type Dovecot } from '../test/helpers/dovecot.ts';
import { useFlow, connectAccount, fillAccount, makeMessage, countMessages, waitForJobEnd } from './flows-support.ts';

const flow = useFlow('wizard');
let from: Dovecot;
let to: Dovecot;

beforeAll(async () => {
  from = await startDovecot({ flavour: 'slash', users: [{ user: 'marie', password: 'old-pass' }] });
  to = await startDovecot({ flavour: 'dot', users: [{ user: 'marie', password: 'new-pass' }] });
  await fillAccount(from, 'marie', {
    INBOX: Array.from({ length: 8 }, (_, i) => makeMessage(i, { subject: `Assemblée ${i}` })),
    Sent: Array.from({ length: 3 }, (_, i) => makeMessage(100 + i)),
  });
});

afterAll(() => {
  from?.stop();
  to?.stop();
});

const oldAccount = () => ({ email: 'marie@ancien.example', host: '127.0.0.1', port: from.port, username: 'marie', password: 'old-pass' });
const newAccount = () => ({ email: 'marie@nouveau.example', host: '127.0.0.1', port: to.port, username: 'marie', password: 'new-pass' });

async function welcome(page: Page) {
  await page.getByRole('heading', { level: 1, name: 'Bonjour ! Que voulez-vous faire ?' }).waitFor();
}

describe('Wizard: trust that sticks', () => {
  it('keeps a trusted server trusted when it is entered again, through plan, copy, verify and the next backup', async () => {
    const { page } = await flow.newPage('fr');
    await page.goto(flow.serve.url);
    await welcome(page);

    // First visit: the user trusts the old server's self-signed certificate and backs it up.
    await page.getByRole('button', { name: /Mettre mon courrier à l'abri/ }).click();
    expect(await connectAccount(page, oldAccount())).toEqual({ ok: true });
    await page.getByRole('button', { name: 'Continuer', exact: true }).click();
    await page.getByRole('button', { name: "Mettre à l'abri", exact: true }).click();
    expect(await waitForJobEnd(page)).toBe('done');
    await page.getByRole('button', { name: "Retour à l'accueil" }).click();
    await welcome(page);

    // The move wizard asks for the old account again: the connection works without a question (the trust is
    // remembered), and typing the password again must not erase that trust.
    await page.getByRole('button', { name: /Changer de fournisseur/ }).click();
    expect(await connectAccount(page, oldAccount())).toEqual({ ok: true });
    await page.getByRole('button', { name: 'Continuer', exact: true }).click();
    await page.getByRole('button', { name: 'Continuer : le nouveau compte' }).click();
    expect(await connectAccount(page, newAccount())).toEqual({ ok: true });
    // "Retour" then the new account once more: the same silent success, the same trust kept.
    await page.getByRole('button', { name: 'Continuer', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Vérifiez le déménagement avant de commencer' }).waitFor();
    await page.getByRole('button', { name: 'Retour' }).click();
    expect(await connectAccount(page, newAccount())).toEqual({ ok: true });
    await page.getByRole('button', { name: 'Continuer', exact: true }).click();

    // The plan is made (no certificate error, no command-line option), the move copies and verifies.
    await page.getByRole('heading', { level: 1, name: 'Vérifiez le déménagement avant de commencer' }).waitFor();
    const table = page.getByRole('table');
    const problem = page.locator('.box-error, [data-trust-panel]');
    await Promise.race([table.waitFor({ timeout: 60_000 }), problem.first().waitFor({ timeout: 60_000 })]);
    expect(await problem.count()).toBe(0);
    expect(await page.locator('body').textContent()).not.toMatch(/--ca-file|--trust-fingerprint|DEPTH_ZERO/);
    await page.getByRole('button', { name: 'Commencer le déménagement' }).click();
    expect(await waitForJobEnd(page)).toBe('verify');
    expect(await page.locator('[data-verify]').getAttribute('data-verify')).toBe('ok');
    const counts = await countMessages(to, 'marie');
    expect(counts.INBOX).toBe(8);
    expect(counts['INBOX.Éléments envoyés']).toBe(3);

    // "Vérifier à nouveau" reaches the new server with the kept trust.
    await page.getByRole('button', { name: 'Vérifier à nouveau' }).click();
    await page.getByRole('heading', { level: 1, name: 'Vérification en cours' }).waitFor();
    expect(await waitForJobEnd(page)).toBe('verify');
    expect(await page.locator('[data-verify]').getAttribute('data-verify')).toBe('ok');

    // The next backup, from the welcome screen, reaches the old server without a question.
    await page.getByRole('button', { name: "Retour à l'accueil" }).click();
    await welcome(page);
    await page.getByRole('button', { name: /Sauvegarder maintenant/ }).first().click();
    await page.getByRole('heading', { level: 1, name: /Sauvegarde en cours|Mise à l'abri en cours/ }).waitFor();
    expect(await waitForJobEnd(page)).toBe('done');
  });
});
