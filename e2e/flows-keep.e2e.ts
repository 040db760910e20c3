/**
 * The Keep journeys in a real Chromium, against a real `arche serve` and real private Dovecot servers:
 *  - from the email address to "Terminé" (unknown provider: manual fields, explicit certificate trust);
 *  - a wrong password shows the plain message;
 *  - pause and resume during a real (slowed-down) backup;
 *  - the lost-mail banner after the server is wiped, then "Remettre mes messages" puts everything back.
 * Every screen on the way is checked with axe-core and pictured in French and English.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import type { Page, BrowserContext } from 'playwright-core';
import { startDovecot, type Dovecot } from '../test/helpers/dovecot.ts';
import { useFlow, startSlowProxy, connectAccount, checkScreen, fillAccount, makeMessage, countMessages, waitForJobEnd } from './flows-support.ts';

const USERS = [
  { user: 'alice', password: 'alice-pass' },
  { user: 'bob', password: 'bob-pass' },
  { user: 'carol', password: 'carol-pass' },
  { user: 'dave', password: 'dave-pass' },
];

const flow = useFlow('keep');
let d: Dovecot;
let context: BrowserContext | null = null;
let page: Page;
let pageErrors: string[] = [];

async function open(): Promise<Page> {
  const p = await flow.newPage('fr');
  context = p.context;
  page = p.page;
  pageErrors = p.errors;
  await page.goto(flow.serve.url);
  await page.getByRole('heading', { level: 1, name: 'Bonjour ! Que voulez-vous faire ?' }).waitFor();
  return page;
}

/** The whole Keep journey for one account, ending on "Terminé". */
async function keep(user: string, violations?: string[], port = d.port): Promise<void> {
  await page.getByRole('button', { name: /Mettre mon courrier à l'abri/ }).click();
  const password = USERS.find((u) => u.user === user)!.password;
  const r = await connectAccount(page, { email: `${user}@example.test`, host: '127.0.0.1', port, username: user, password, shots: violations ? '02-account' : undefined, violations });
  expect(r).toEqual({ ok: true });
  await page.getByRole('button', { name: 'Continuer', exact: true }).click();
  await page.getByRole('heading', { level: 1, name: 'Quels dossiers ?' }).waitFor();
  if (violations) violations.push(...(await checkScreen(page, '03-folders')));
  await page.getByRole('button', { name: "Mettre à l'abri", exact: true }).click();
}

beforeAll(async () => {
  d = await startDovecot({ flavour: 'slash', users: USERS });
});

afterAll(() => {
  d?.stop();
});

describe('Keep: mettre mon courrier à l’abri', () => {
  it('goes from the email address to "Terminé", and the account is then listed as kept', async () => {
    await fillAccount(d, 'alice', {
      INBOX: Array.from({ length: 12 }, (_, i) => makeMessage(i, { subject: `Régate ${i}` })),
      Sent: Array.from({ length: 3 }, (_, i) => makeMessage(100 + i)),
    });
    await open();
    const violations: string[] = [];
    violations.push(...(await checkScreen(page, '01-welcome-empty')));
    await page.getByRole('button', { name: /Mettre mon courrier à l'abri/ }).click();
    await page.getByRole('heading', { level: 1, name: "Quel compte voulez-vous mettre à l'abri ?" }).waitFor();
    violations.push(...(await checkScreen(page, '02-account-email')));
    await page.getByRole('button', { name: 'Retour' }).click();
    await keep('alice', violations);
    expect(await waitForJobEnd(page)).toBe('done');
    expect(await page.locator('.box-ok').textContent()).toMatch(/15 nouveaux messages copiés|Vos messages sont à l’abri/);
    violations.push(...(await checkScreen(page, '06-done')));
    await page.getByRole('button', { name: "Retour à l'accueil" }).click();
    const account = page.locator('.account', { hasText: 'alice' });
    await account.waitFor();
    expect(await account.textContent()).toContain('15 messages gardés');
    violations.push(...(await checkScreen(page, '01-welcome-kept')));
    expect(violations).toEqual([]);
    expect(pageErrors).toEqual([]);
    expect(flow.proxy.fromPage()).toEqual([]);
  }, 300_000);

  it('shows a wrong password in plain words, with what to do', async () => {
    await open();
    await page.getByRole('button', { name: /Mettre mon courrier à l'abri/ }).click();
    const r = await connectAccount(page, { email: 'bob@example.test', host: '127.0.0.1', port: d.port, username: 'bob', password: 'not-the-password' });
    expect(r.ok).toBe(false);
    const alert = r.ok ? '' : r.alert;
    expect(alert).toMatch(/mot de passe/i);
    expect(alert).toMatch(/Que faire/);
    expect(alert).not.toMatch(/AUTHENTICATIONFAILED|IMAP|\bNO\b|LOGIN/);
    const violations = await checkScreen(page, '02-account-wrong-password');
    expect(violations).toEqual([]);
  });

  it('finds known providers by themselves and explains their passwords (Gmail app password, Proton Bridge)', async () => {
    await open();
    await page.getByRole('button', { name: /Mettre mon courrier à l'abri/ }).click();
    await page.getByLabel('Votre adresse e-mail').fill('marie.dupont@gmail.com');
    await page.getByRole('button', { name: 'Continuer', exact: true }).click();
    await page.getByText('Réglages trouvés pour Gmail.').waitFor();
    // Settings found: the technical fields stay folded away, the password is next.
    expect(await page.getByLabel(/Adresse du serveur/).count()).toBe(0);
    expect(await page.locator('.password-help').textContent()).toMatch(/mot de passe d'application/);
    const link = page.getByRole('link', { name: "Créer un mot de passe d'application chez Gmail" });
    expect(await link.getAttribute('href')).toMatch(/^https:\/\/myaccount\.google\.com\//);
    expect(await link.getAttribute('rel')).toContain('noopener');
    const violations = await checkScreen(page, '02-account-gmail-help');

    await page.getByLabel('Votre adresse e-mail').fill('marie@proton.me');
    await page.getByRole('button', { name: 'Continuer', exact: true }).click();
    await page.getByText(/Réglages trouvés pour Proton/).waitFor();
    expect(await page.locator('.password-help').textContent()).toMatch(/Proton Mail Bridge/);
    expect(await page.getByRole('link', { name: 'Télécharger Proton Mail Bridge' }).getAttribute('href')).toMatch(/^https:\/\/proton\.me\//);
    violations.push(...(await checkScreen(page, '02-account-proton-help')));
    expect(violations).toEqual([]);
    expect(pageErrors).toEqual([]);
  });

  it('pauses and resumes a running backup, and nothing is lost', async () => {
    // 600 messages of ~6 KB (Arche commits them by batches of 200) through a link of about 100 KB/s: more than
    // thirty seconds of real work, with a visible step every few seconds. At 200 KB/s, on a loaded machine the
    // accessibility check of the running screen outlasted the backup, and there was nothing left to pause.
    await fillAccount(d, 'carol', { INBOX: Array.from({ length: 600 }, (_, i) => makeMessage(i, { size: 6_000 })) });
    const slow = await startSlowProxy({ host: d.host, port: d.port }, 1024);
    try {
      await open();
      await keep('carol', undefined, slow.port);
      await page.getByRole('heading', { level: 1, name: "Mise à l'abri en cours" }).waitFor();
      // Wait for real progress (a first batch kept), picture the running job, then pause.
      const figures = page.getByTestId('progress-figures');
      await page.waitForFunction(() => /^[1-9]/.test(document.querySelector('[data-testid="progress-figures"]')?.textContent ?? ''), undefined, { timeout: 60_000 });
      // The link stalls while the test pictures the screen (an accessibility pass can outlast the backup on a loaded
      // machine), and flows again before Pause: a pause lets the message in flight arrive first.
      slow.hold();
      const violations = await checkScreen(page, '05-progress');
      slow.release();
      await page.getByRole('button', { name: 'Pause', exact: true }).click();
      await page.getByRole('button', { name: 'Reprendre' }).waitFor();
      expect(await page.locator('.lead').textContent()).toMatch(/En pause/);
      const doneWhenPaused = Number(((await figures.textContent()) ?? '').split(' sur ')[0].replace(/\D/g, ''));
      expect(doneWhenPaused).toBeGreaterThan(0);
      expect(doneWhenPaused).toBeLessThan(600);
      violations.push(...(await checkScreen(page, '05-progress-paused')));
      // Close the window and come back: the paused job is still there, and resumes from the welcome screen.
      await context?.close();
      await open();
      const paused = page.locator('[data-job-state="paused"]', { hasText: /En pause — sauvegarde de carol/ });
      await paused.waitFor();
      violations.push(...(await checkScreen(page, '01-welcome-job-paused')));
      await paused.getByRole('button', { name: /^Voir/ }).click();
      await page.getByRole('button', { name: 'Reprendre' }).waitFor();
      await page.getByRole('button', { name: 'Reprendre' }).click();
      await page.getByRole('button', { name: 'Pause', exact: true }).waitFor();
      expect(await waitForJobEnd(page)).toBe('done');
      await page.getByRole('button', { name: "Retour à l'accueil" }).click();
      const account = page.locator('.account', { hasText: 'carol' });
      await account.waitFor();
      // Every message once: the resumed run took up where the paused one stopped.
      expect(await account.textContent()).toContain('600 messages gardés');
      expect(violations).toEqual([]);
    } finally {
      slow.close();
    }
  }, 300_000);

  it('raises the lost-mail banner after the server is wiped, then puts every message back', async () => {
    await fillAccount(d, 'dave', {
      INBOX: Array.from({ length: 25 }, (_, i) => makeMessage(i)),
      Archive: Array.from({ length: 5 }, (_, i) => makeMessage(50 + i)),
    });
    await open();
    await keep('dave');
    expect(await waitForJobEnd(page)).toBe('done');
    await page.getByRole('button', { name: "Retour à l'accueil" }).click();

    // The provider loses everything.
    d.wipe('dave');
    await page.getByRole('button', { name: /Sauvegarder maintenant : dave/ }).click();
    expect(await waitForJobEnd(page)).toBe('done');
    await page.getByRole('button', { name: "Retour à l'accueil" }).click();
    const banner = page.getByTestId('alarm-banner');
    await banner.waitFor();
    expect(await banner.textContent()).toMatch(/n'a plus \d+ messages? que vous aviez/);
    const violations = await checkScreen(page, '01-welcome-alarm');

    await banner.getByRole('button', { name: /Remettre mes messages/ }).click();
    expect(await waitForJobEnd(page)).toBe('done');
    violations.push(...(await checkScreen(page, '06-done-restore')));
    const counts = await countMessages(d, 'dave');
    expect(counts.INBOX).toBe(25);
    expect(counts.Archive).toBe(5);
    expect(violations).toEqual([]);
  });
});
