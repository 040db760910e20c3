/**
 * Sign in with the provider, in a real Chromium against a real `arche serve`, a real OpenID Connect server (its own
 * login page) and a Dovecot that accepts only the tokens it validates there (issue 12):
 * account screen → "Se connecter par cette page" (the organisation's sign-in page, by URL) → the provider's login page
 * opens in a new tab, filled as a person would → back to Arche, "Connecté en tant que alice" → backup; then the access
 * token expires and "Sauvegarder maintenant" refreshes it; then the grant is withdrawn and the screen says to sign in
 * again, "Se reconnecter" on the job's own screen signs in again and the same backup goes on to its end. Screens
 * pictured in French. And the move wizard from a password account into one that takes only OAuth.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import type { Page } from 'playwright-core';
import { startDovecot, type Dovecot } from '../test/helpers/dovecot.ts';
import { startOidc, type OidcServer } from '../test/helpers/oidc.ts';
import { useFlow, checkScreen, connectAccount, fillAccount, makeMessage, waitForJobEnd } from './flows-support.ts';
import { testClient } from '../test/helpers/corpus.ts';

// `arche serve` reads the client ID Arche is registered with at the test server (a constant of the helper).
process.env.ARCHE_OAUTH_OIDC_CLIENT_ID = 'arche-test';

const flow = useFlow('oauth');
let d: Dovecot;
let oidc: OidcServer;

beforeAll(async () => {
  oidc = await startOidc();
  d = await startDovecot({ flavour: 'slash', oauth2: { introspectionUrl: oidc.introspectionUrl } });
  await fillAccount(d, 'alice', { INBOX: Array.from({ length: 5 }, (_, i) => makeMessage(i, { subject: `Sortie ${i}` })) });
}, 120_000);
afterAll(async () => {
  d?.stop();
  await oidc?.stop();
});

describe('Se connecter avec … (OAuth) in the app', () => {
  it('signs in on the provider page, backs up, refreshes an expired token, and asks to sign in again when withdrawn', async () => {
    expect(oidc.clientId).toBe(process.env.ARCHE_OAUTH_OIDC_CLIENT_ID);
    const { page, context, errors } = await flow.newPage('fr');
    await page.goto(flow.serve.url);
    await page.getByRole('button', { name: /Mettre mon courrier à l'abri/ }).click();
    await page.getByLabel(/Votre adresse e-mail/).fill('alice@example.test');
    await page.getByRole('button', { name: 'Continuer', exact: true }).first().click();
    await page.getByLabel(/Adresse du serveur/).waitFor();
    await page.getByLabel(/Adresse du serveur/).fill('127.0.0.1');
    await page.getByLabel(/Numéro de port/).fill(String(d.port));
    await page.getByLabel(/Nom d'utilisateur/).fill('alice');
    await page.getByText('Connexion par la page de votre organisation').click();
    await page.getByLabel('Adresse de la page de connexion de votre organisation').fill(oidc.issuer);
    const violations = await checkScreen(page, '02-account-oauth-org');

    // The provider's page opens in a new tab; the person signs in there.
    const [provider] = await Promise.all([context.waitForEvent('page'), page.getByRole('button', { name: 'Se connecter par cette page' }).click()]);
    await provider.waitForLoadState();
    await signInOnProviderPage(provider);
    await provider.close();

    // Back in Arche: signed in; the test server's certificate is trusted explicitly, as with a password.
    await page.getByText('Connecté en tant que alice').waitFor({ timeout: 30_000 });
    const trust = page.getByRole('button', { name: /Faire confiance à ce serveur/ });
    const ok = page.locator('.box-ok', { hasText: 'Connexion réussie' });
    await Promise.race([trust.waitFor({ timeout: 30_000 }), ok.waitFor({ timeout: 30_000 })]);
    if (await trust.isVisible()) await trust.click();
    await ok.waitFor({ timeout: 30_000 });
    violations.push(...(await checkScreen(page, '02-account-oauth-connected')));
    await page.getByRole('button', { name: 'Continuer', exact: true }).last().click();
    await page.getByRole('heading', { level: 1, name: 'Quels dossiers ?' }).waitFor();
    await page.getByRole('button', { name: "Mettre à l'abri", exact: true }).click();
    expect(await waitForJobEnd(page)).toBe('done');

    // The access token expires: "Sauvegarder maintenant" refreshes it, nobody signs in again.
    oidc.expireAccessTokens();
    const refreshes = oidc.tokenRequests.refresh_token ?? 0;
    await backupNow(page);
    expect(await waitForJobEnd(page)).toBe('done');
    expect(oidc.tokenRequests.refresh_token ?? 0).toBeGreaterThan(refreshes);

    // Withdrawn at the provider: plain words that say to sign in again.
    oidc.revokeGrants('alice');
    oidc.expireAccessTokens();
    await backupNow(page);
    const failed = page.locator('.box-error');
    await failed.waitFor({ timeout: 90_000 });
    expect(await failed.getAttribute('data-error-code')).toBe('oauth-revoked');
    expect(await failed.textContent()).toMatch(/n’est plus valable.*Se reconnecter/s);
    violations.push(...(await checkScreen(page, '05-oauth-revoked')));
    // "Réessayer" as it is would only fail again: the job screen offers "Se reconnecter" instead.
    expect(await page.getByRole('button', { name: 'Réessayer' }).count()).toBe(0);

    // "Se reconnecter" right on the job's screen: the provider's page again, then the same backup goes on by itself.
    const codes = oidc.tokenRequests.authorization_code ?? 0;
    const [again] = await Promise.all([context.waitForEvent('page'), page.getByTestId('job-reconnect').getByRole('button', { name: 'Se reconnecter' }).click()]);
    await again.waitForLoadState();
    await signInOnProviderPage(again);
    await again.close();
    await failed.waitFor({ state: 'detached', timeout: 60_000 });
    expect(await waitForJobEnd(page)).toBe('done');
    expect(oidc.tokenRequests.authorization_code ?? 0).toBeGreaterThan(codes);
    expect(violations).toEqual([]);
    expect(errors).toEqual([]);
  }, 300_000);
});

describe('moving into an account signed in with its provider', () => {
  it('the wizard: old account by password, new one by the organisation sign-in page (OAuth only), moved and verified', async () => {
    const { page, context, errors } = await flow.newPage('fr');
    await page.goto(flow.serve.url);
    await page.getByRole('button', { name: /Changer de fournisseur/ }).click();
    await page.getByRole('heading', { level: 1, name: 'Depuis quel compte partez-vous ?' }).waitFor();
    expect(await connectAccount(page, { email: 'alice@example.test', host: '127.0.0.1', port: d.port, username: 'alice', password: 'alice-pass' })).toEqual({ ok: true });
    await page.getByRole('button', { name: 'Continuer', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Quels dossiers ?' }).waitFor();
    await page.getByRole('button', { name: 'Continuer : le nouveau compte' }).click();

    // The new account: no password, the organisation's sign-in page; bob signs in there.
    await page.getByRole('heading', { level: 1, name: 'Vers quel nouveau compte ?' }).waitFor();
    await page.getByLabel(/Votre adresse e-mail/).fill('bob@example.test');
    await page.getByRole('button', { name: 'Continuer', exact: true }).first().click();
    await page.getByLabel(/Adresse du serveur/).waitFor();
    await page.getByLabel(/Adresse du serveur/).fill('127.0.0.1');
    await page.getByLabel(/Numéro de port/).fill(String(d.port));
    await page.getByLabel(/Nom d'utilisateur/).fill('bob');
    await page.getByText('Connexion par la page de votre organisation').click();
    await page.getByLabel('Adresse de la page de connexion de votre organisation').fill(oidc.issuer);
    const [provider] = await Promise.all([context.waitForEvent('page'), page.getByRole('button', { name: 'Se connecter par cette page' }).click()]);
    await provider.waitForLoadState();
    await signInOnProviderPage(provider, 'bob');
    await provider.close();
    await page.getByText('Connecté en tant que bob').waitFor({ timeout: 30_000 });
    const trust = page.getByRole('button', { name: /Faire confiance à ce serveur/ });
    const ok = page.locator('.box-ok', { hasText: 'Connexion réussie' });
    await Promise.race([trust.waitFor({ timeout: 30_000 }), ok.waitFor({ timeout: 30_000 })]);
    if (await trust.isVisible()) await trust.click();
    await ok.waitFor({ timeout: 30_000 });
    await page.getByRole('button', { name: 'Continuer', exact: true }).last().click();

    await page.getByRole('heading', { level: 1, name: 'Vérifiez le déménagement avant de commencer' }).waitFor();
    await page.getByRole('table').waitFor({ timeout: 60_000 });
    await page.getByRole('button', { name: 'Commencer le déménagement' }).click();
    expect(await waitForJobEnd(page, 180_000)).toBe('verify');
    const verdict = page.locator('[data-verify]');
    expect(await verdict.getAttribute('data-verify')).toBe('ok');
    expect(await verdict.textContent()).toMatch(/Tout est arrivé : 5 messages/);
    // The new mailbox, read by password behind Arche's back: alice's five messages, once each.
    const bob = await testClient(d.url('bob'), 'bob-pass', d.caPem);
    try {
      expect(await bob.status('INBOX', { messages: true })).toMatchObject({ messages: 5 });
    } finally {
      await bob.logout();
    }
    expect(errors).toEqual([]);
  }, 300_000);
});

describe('an Outlook address', () => {
  it('goes straight to "Se connecter avec Microsoft", with no password field', async () => {
    const { page, errors } = await flow.newPage('fr');
    await page.goto(flow.serve.url);
    await page.getByRole('button', { name: /Mettre mon courrier à l'abri/ }).click();
    await page.getByLabel(/Votre adresse e-mail/).fill('marie@outlook.fr');
    await page.getByRole('button', { name: 'Continuer', exact: true }).first().click();
    await page.getByRole('button', { name: 'Se connecter avec Microsoft' }).waitFor();
    expect(await page.getByLabel(/^Mot de passe$/).count()).toBe(0);
    expect(await page.getByTestId('oauth-sign-in').textContent()).toContain('n’accepte plus de mot de passe');
    const violations = await checkScreen(page, '02-account-outlook');
    expect(violations).toEqual([]);
    expect(errors).toEqual([]);
  }, 120_000);
});

/** Signs in as `user` on the test provider's login page (its session may still be open: then no form is shown). */
async function signInOnProviderPage(provider: Page, user = 'alice'): Promise<void> {
  const back = provider.getByText('vous pouvez revenir dans Arche');
  const login = provider.getByLabel('User');
  await Promise.race([back.waitFor({ timeout: 30_000 }), login.waitFor({ timeout: 30_000 })]);
  if (await login.isVisible()) {
    await login.fill(user);
    await provider.getByLabel('Password').fill(`${user}-pass`);
    await provider.getByRole('button', { name: 'Sign in' }).click();
  }
  await back.waitFor({ timeout: 30_000 });
}

async function backupNow(page: Page): Promise<void> {
  await page.getByRole('button', { name: "Retour à l'accueil" }).first().click();
  await page.getByRole('button', { name: /Sauvegarder maintenant/ }).first().click();
}
