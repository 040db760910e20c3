/**
 * Issue 11, "a wizard a retiree finishes alone", in a real Chromium against a real `arche serve` and two real
 * Dovecot servers with self-signed certificates ('/' without prefix → 'INBOX.' with French special-use names).
 * Each test is what a new user did when the wizard let them down.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import type { Page } from 'playwright-core';
import { startDovecot, type Dovecot } from '../test/helpers/dovecot.ts';
import { useFlow, connectAccount, fillAccount, makeMessage, countMessages, waitForJobEnd, testConnection, startSlowProxy, checkScreen, startServe } from './flows-support.ts';

const flow = useFlow('wizard');
let from: Dovecot;
let to: Dovecot;

beforeAll(async () => {
  from = await startDovecot({ flavour: 'slash', users: [{ user: 'marie', password: 'old-pass' }, { user: 'paul', password: 'old-paul' }, { user: 'lea', password: 'old-lea' }] });
  to = await startDovecot({ flavour: 'dot', users: [{ user: 'marie', password: 'new-pass' }, { user: 'paul', password: 'new-paul' }, { user: 'lea', password: 'new-lea' }] });
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
    // "Retour" kept what was typed; the password is typed again all the same (a user who is not sure).
    await page.getByRole('heading', { level: 1, name: 'Vers quel nouveau compte ?' }).waitFor();
    await page.getByLabel(/^Mot de passe$/).fill('new-pass');
    await page.getByRole('button', { name: 'Tester la connexion' }).click();
    await page.locator('.box-ok').waitFor();
    expect(await page.locator('[data-trust-panel]').count()).toBe(0);
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
  }, 300_000);
});

describe('Wizard: work that survives a reload and a closed tab', () => {
  it('leads back to a running move after a reload, and to its report after the tab was closed', async () => {
    // Big enough messages behind a slow link: the move is still running while the page reloads.
    await fillAccount(from, 'paul', { INBOX: Array.from({ length: 30 }, (_, i) => makeMessage(300 + i, { size: 60_000 })) });
    const slow = await startSlowProxy({ host: '127.0.0.1', port: from.port }, 1024);
    try {
      const first = await flow.newPage('fr');
      let page = first.page;
      await page.goto(flow.serve.url);
      await welcome(page);
      await page.getByRole('button', { name: /Changer de fournisseur/ }).click();
      expect(await connectAccount(page, { email: 'paul@ancien.example', host: '127.0.0.1', port: slow.port, username: 'paul', password: 'old-paul' })).toEqual({ ok: true });
      await page.getByRole('button', { name: 'Continuer', exact: true }).click();
      await page.getByRole('button', { name: 'Continuer : le nouveau compte' }).click();
      expect(await connectAccount(page, { email: 'paul@nouveau.example', host: '127.0.0.1', port: to.port, username: 'paul', password: 'new-paul' })).toEqual({ ok: true });
      await page.getByRole('button', { name: 'Continuer', exact: true }).click();
      await page.getByRole('table').waitFor({ timeout: 60_000 });
      await page.getByRole('button', { name: 'Commencer le déménagement' }).click();
      await page.getByRole('heading', { level: 1, name: 'Déménagement en cours' }).waitFor();

      // A reload: the welcome screen lists the running move, and "Voir" leads back to its progress.
      await page.reload();
      await welcome(page);
      const running = page.locator('[data-job-state="running"]', { hasText: /déménagement de paul@127\.0\.0\.1/ });
      await running.waitFor();
      expect(await running.textContent()).toMatch(/En cours/);
      await running.getByRole('button', { name: /^Voir/ }).click();
      await page.getByRole('heading', { level: 1, name: 'Déménagement en cours' }).waitFor();

      // The tab is closed while the move runs; a new one (nothing remembered of the old) finds it finished.
      await page.close();
      page = (await flow.newPage('fr')).page;
      await page.goto(flow.serve.url);
      await welcome(page);
      const away = page.locator('[data-job-state="doneAway"]', { hasText: /déménagement de paul/ });
      await away.waitFor({ timeout: 120_000 });
      expect(await away.textContent()).toMatch(/Terminé pendant votre absence/);
      await away.getByRole('button', { name: /Voir le rapport/ }).click();
      await page.getByRole('heading', { level: 1, name: /Tout est-il arrivé \?/ }).waitFor();
      expect(await page.locator('[data-verify]').getAttribute('data-verify')).toBe('ok');
      expect(await page.locator('[data-verify]').textContent()).toMatch(/30 messages/);
      const [report] = await Promise.all([page.context().waitForEvent('page'), page.getByRole('button', { name: 'Ouvrir le rapport' }).first().click()]);
      await report.waitForLoadState();
      expect(await report.locator('body').textContent()).toMatch(/30/);
      await report.close();

      // Seen once, it is no longer "pendant votre absence", and stays reachable.
      await page.reload();
      await welcome(page);
      await page.locator('[data-job-state="done"]', { hasText: /déménagement de paul/ }).waitFor();
      expect(await checkScreen(page, '01-welcome-jobs')).toEqual([]);
    } finally {
      slow.close();
    }
  }, 300_000);
});

/** The password screen after a restart: only the password (and the certificate, which Arche also forgot). */
async function passwordAgain(page: Page, password: string) {
  await page.getByRole('heading', { level: 1, name: 'Arche a besoin de votre mot de passe pour reprendre' }).waitFor();
  await page.getByLabel(/^Mot de passe$/).fill(password);
  expect(await testConnection(page)).toEqual({ ok: true });
  await page.getByRole('button', { name: 'Continuer', exact: true }).click();
}

describe('Wizard: work that survives a restart of Arche', () => {
  it('leads back to a move after `arche serve` restarted mid-move, asking only for the passwords it lost', async () => {
    await fillAccount(from, 'lea', { INBOX: Array.from({ length: 20 }, (_, i) => makeMessage(500 + i, { size: 60_000 })) });
    const slow = await startSlowProxy({ host: '127.0.0.1', port: from.port }, 1024);
    let serve = await startServe();
    try {
      let page = (await flow.newPage('fr')).page;
      await page.goto(serve.url);
      await welcome(page);
      await page.getByRole('button', { name: /Changer de fournisseur/ }).click();
      expect(await connectAccount(page, { email: 'lea@ancien.example', host: '127.0.0.1', port: slow.port, username: 'lea', password: 'old-lea' })).toEqual({ ok: true });
      await page.getByRole('button', { name: 'Continuer', exact: true }).click();
      await page.getByRole('button', { name: 'Continuer : le nouveau compte' }).click();
      expect(await connectAccount(page, { email: 'lea@nouveau.example', host: '127.0.0.1', port: to.port, username: 'lea', password: 'new-lea' })).toEqual({ ok: true });
      await page.getByRole('button', { name: 'Continuer', exact: true }).click();
      await page.getByRole('table').waitFor({ timeout: 60_000 });
      await page.getByRole('button', { name: 'Commencer le déménagement' }).click();
      await page.getByRole('heading', { level: 1, name: 'Déménagement en cours' }).waitFor();
      await page.getByTestId('progress-figures').waitFor();

      // Arche stops in the middle of the move, then starts again on the same archive (a new address, a new code).
      await serve.stop();
      await page.close();
      serve = await startServe({ archiveDir: serve.archiveDir });
      page = (await flow.newPage('fr')).page;
      await page.goto(serve.url);
      await welcome(page);
      const paused = page.locator('[data-job-state="paused"]', { hasText: /déménagement de lea@127\.0\.0\.1/ });
      await paused.getByRole('button', { name: /^Voir/ }).click();
      // The title says the truth: the move is paused, not "en cours".
      await page.getByRole('heading', { level: 1, name: 'Arche est en pause' }).waitFor();
      await page.getByRole('button', { name: 'Reprendre' }).click();
      // The passwords were kept for the session only: Arche asks for each one, and for nothing else.
      await page.getByRole('button', { name: /Entrer le mot de passe de lea@127\.0\.0\.1/ }).click();
      await passwordAgain(page, 'old-lea');
      await passwordAgain(page, 'new-lea');
      expect(await waitForJobEnd(page, 180_000)).toBe('verify');
      expect(await page.locator('[data-verify]').getAttribute('data-verify')).toBe('ok');
      expect(await page.locator('[data-verify]').textContent()).toMatch(/20 messages/);
      expect((await countMessages(to, 'lea')).INBOX).toBe(20);
    } finally {
      slow.close();
      await serve.stop();
    }
  }, 300_000);
});

describe('Wizard: accounts never retyped', () => {
  it('offers a known account by its address, keeps typed fields on "Retour", and says which step this is', async () => {
    const { page } = await flow.newPage('fr');
    await page.goto(flow.serve.url);
    await welcome(page);
    await page.getByRole('button', { name: /Mettre mon courrier à l'abri/ }).click();
    expect(await page.getByTestId('step').textContent()).toBe('Étape 1 sur 2');
    expect(await connectAccount(page, { email: 'lea.martin@ancien.example', host: '127.0.0.1', port: from.port, username: 'lea', password: 'old-lea' })).toEqual({ ok: true });
    await page.getByRole('button', { name: 'Continuer', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Quels dossiers ?' }).waitFor();
    expect(await page.getByTestId('step').textContent()).toBe('Étape 2 sur 2');

    // "Retour": what the user typed is still there.
    await page.getByRole('button', { name: 'Retour' }).click();
    await page.getByRole('heading', { level: 1, name: "Quel compte voulez-vous mettre à l'abri ?" }).waitFor();
    expect(await page.getByLabel('Votre adresse e-mail').inputValue()).toBe('lea.martin@ancien.example');
    expect(await page.getByLabel(/Adresse du serveur/).inputValue()).toBe('127.0.0.1');
    expect(await page.getByLabel(/Numéro de port/).inputValue()).toBe(String(from.port));
    await page.getByRole('button', { name: 'Retour' }).click();
    await welcome(page);

    // The move wizard offers it by its address; choosing it connects without typing anything.
    await page.getByRole('button', { name: /Changer de fournisseur/ }).click();
    await page.getByRole('heading', { level: 1, name: 'Depuis quel compte partez-vous ?' }).waitFor();
    expect(await page.getByTestId('step').textContent()).toBe('Étape 1 sur 4');
    const known = page.getByRole('button', { name: /lea\.martin@ancien\.example — déjà connecté/ });
    await known.waitFor();
    expect(await checkScreen(page, '02-account-known')).toEqual([]);
    await known.click();
    await page.locator('.box-ok').waitFor();
    expect(await page.locator('[data-trust-panel]').count()).toBe(0);
    await page.getByRole('button', { name: 'Continuer', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Quels dossiers ?' }).waitFor();
    expect(await page.getByTestId('step').textContent()).toBe('Étape 2 sur 4');
    await page.getByRole('button', { name: 'Continuer : le nouveau compte' }).click();
    await page.getByRole('heading', { level: 1, name: 'Vers quel nouveau compte ?' }).waitFor();
    expect(await page.getByTestId('step').textContent()).toBe('Étape 3 sur 4');
  });
});

describe('Wizard: small screens', () => {
  it('has no horizontal scroll at 400 px, with the manual settings and the trust panel open', async () => {
    const { page } = await flow.newPage('fr');
    await page.setViewportSize({ width: 400, height: 800 });
    await page.goto(flow.serve.url);
    await welcome(page);
    const fits = () => page.evaluate(() => document.documentElement.scrollWidth);
    expect(await fits()).toBeLessThanOrEqual(400);
    await page.getByRole('button', { name: /Mettre mon courrier à l'abri/ }).click();
    await page.getByLabel('Votre adresse e-mail').fill('lea@nouveau.example');
    await page.getByRole('button', { name: 'Continuer', exact: true }).first().click();
    await page.getByLabel(/Adresse du serveur/).fill('127.0.0.1');
    await page.getByLabel(/Numéro de port/).fill(String(to.port));
    await page.getByLabel(/Nom d'utilisateur/).fill('lea');
    await page.getByLabel(/^Mot de passe$/).fill('new-lea');
    expect(await fits()).toBeLessThanOrEqual(400);
    await page.getByRole('button', { name: 'Tester la connexion' }).click();
    await page.locator('[data-trust-panel]').waitFor();
    expect(await fits()).toBeLessThanOrEqual(400);
    expect(await checkScreen(page, '02-account-trust-400px')).toEqual([]);
  });
});
