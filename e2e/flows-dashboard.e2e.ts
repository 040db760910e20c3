/**
 * The dashboard "Vos comptes à l'abri" in a real Chromium, against a real `arche serve` and a real private Dovecot:
 *  - each status in words and colour: à jour, en retard, alarme, échec (with the reason and what to do), pas encore
 *    sauvegardé; the last good backup in words ("hier à …"), the next planned one, messages and size kept;
 *  - a failure stays until "J'ai vu", and stays gone after a reload;
 *  - "Tout sauvegarder maintenant": one progress view; an account Arche cannot sign in to is named, the others run;
 *  - "Vérifier mes copies" and "Copier mes archives sur un disque externe" run for real and the dashboard then says when;
 *    a check while another process checks the archive is refused in words.
 * The saved accounts' past results are written in the accounts file (as a clock injected in a unit test would be):
 * they are what the scheduler records; the archive, the server, the page and the jobs are real.
 * Pictured in French and English (e2e/screenshots/{fr,en}/40-dashboard*.png), checked with axe-core.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { startDovecot, type Dovecot } from '../test/helpers/dovecot.ts';
import { callApi, startServeChild, type ServeChild } from './helpers/serve.ts';
import { createInterface } from 'node:readline';
import { checkLockFile } from '../main/engine/keep/work-locks.node.ts';
import { checkScreen, ensureBuilt, fillAccount, launchBrowser, makeMessage, newPage, portRefuses, ROOT, waitForJobEnd } from './flows-support.ts';

const USERS = ['alice', 'bob', 'carol', 'dave', 'erin'].map((u) => ({ user: u, password: `${u}-pass` }));
const HOUR = 3600_000;

let d: Dovecot;
let serve: ServeChild;
let browser: Browser;
let archiveDir: string;
let configDir: string;

function backup(user: string): void {
  execFileSync(process.execPath, ['bin/arche.mjs', 'backup', '--account', d.url(user), '--password-env', 'PW', '--archive', archiveDir, '--ca-file', d.caFile, '--json'], {
    cwd: ROOT,
    env: { ...process.env, PW: `${user}-pass` },
    stdio: 'pipe',
  });
}

beforeAll(async () => {
  ensureBuilt();
  d = await startDovecot({ flavour: 'slash', users: USERS });
  archiveDir = mkdtempSync(path.join(os.tmpdir(), 'arche-e2e-dash-archive-'));
  configDir = mkdtempSync(path.join(os.tmpdir(), 'arche-e2e-dash-config-'));
  await fillAccount(d, 'alice', { INBOX: Array.from({ length: 8 }, (_, i) => makeMessage(i, { subject: `Régate ${i}` })) });
  await fillAccount(d, 'bob', { INBOX: Array.from({ length: 3 }, (_, i) => makeMessage(20 + i, { subject: `Trésorerie ${i}` })) });
  backup('alice');
  backup('bob');
  const now = Date.now();
  // Alice's last good backup is yesterday at noon, local time, whatever the hour the test runs: "now - 26 h" read
  // "mardi dernier" when CI ran just after midnight. Noon yesterday is always "hier" and never late (< 48 h).
  const midnight = new Date(now);
  midnight.setHours(0, 0, 0, 0);
  const yesterdayNoon = midnight.getTime() - 12 * HOUR;
  const url = (u: string) => d.url(u);
  const accounts = [
    { url: url('alice'), email: 'alice@example.test', auth: 'password', schedule: 'daily@13:00', addedAt: now - 30 * 24 * HOUR, lastAttemptAt: yesterdayNoon, lastGoodAt: yesterdayNoon, last: { startedAt: yesterdayNoon - 60_000, finishedAt: yesterdayNoon, status: 'ok', messages: 8, new: 8 } },
    { url: url('bob'), email: 'bob@example.test', auth: 'password', schedule: 'daily@13:00', addedAt: now - 30 * 24 * HOUR, lastAttemptAt: now - 3 * HOUR, lastGoodAt: now - 3 * HOUR, last: { startedAt: now - 3 * HOUR - 60_000, finishedAt: now - 3 * HOUR, status: 'alarm', messages: 3, new: 0, error: { code: 'backup-alarm-lost', fields: { folder: 'INBOX', missing: 12, command: 'arche restore' } } } },
    { url: url('carol'), email: 'carol@example.test', auth: 'password', schedule: 'daily@13:00', addedAt: now - 30 * 24 * HOUR, lastAttemptAt: now - 4 * HOUR, lastGoodAt: now - 28 * HOUR, last: { startedAt: now - 4 * HOUR - 5000, finishedAt: now - 4 * HOUR, status: 'failed', error: { code: 'auth-failed', fields: { user: 'carol', host: '127.0.0.1' } } } },
    { url: url('dave'), email: 'dave@example.test', auth: 'password', schedule: 'daily@13:00', addedAt: now - 30 * 24 * HOUR, lastGoodAt: now - 5 * 24 * HOUR },
    { url: url('erin'), email: 'erin@example.test', auth: 'password', schedule: 'weekly@09:30', addedAt: now - HOUR },
  ];
  mkdirSync(configDir, { recursive: true });
  writeFileSync(path.join(configDir, 'accounts.json'), JSON.stringify({ version: 1, accounts }, null, 2));
  // The archive's monthly check was made a minute ago (as the scheduler records it): none is owed, so the scheduler of
  // `arche serve` starts none during this test (one check of an archive at a time: its own would refuse, or be refused
  // by, the hand-started ones below; that refusal is tested below with another process holding the check).
  writeFileSync(path.join(archiveDir, 'copies.json'), JSON.stringify({ lastCheck: { at: now - 60_000, ok: true, contents: 11, bytes: 1, repaired: 0, named: 0, integrityProblems: 0 } }));
  serve = await startServeChild({ archiveDir, args: ['--ca-file', d.caFile], env: { ARCHE_CONFIG_DIR: configDir, LANG: 'fr_FR.UTF-8', LC_ALL: 'fr_FR.UTF-8', ARCHE_NO_OPEN: '1', BROWSER: 'none' } });
  browser = await launchBrowser();
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await serve?.stop();
  d?.stop();
});

async function open(): Promise<Page> {
  const { page } = await newPage(browser, 'fr');
  await page.goto(serve.url);
  await page.getByRole('heading', { level: 2, name: "Vos comptes à l'abri" }).waitFor();
  return page;
}

const card = (page: Page, who: string) => page.locator('[data-testid="dash-account"]', { hasText: `${who}@example.test` });

describe('Dashboard: vos comptes à l’abri', () => {
  it('shows each account’s status in words and colour, what is kept, and a failure until it is seen', async () => {
    const page = await open();
    const violations: string[] = [];
    expect(await card(page, 'alice').getAttribute('data-status')).toBe('ok');
    expect(await card(page, 'bob').getAttribute('data-status')).toBe('alarm');
    expect(await card(page, 'carol').getAttribute('data-status')).toBe('failed');
    expect(await card(page, 'dave').getAttribute('data-status')).toBe('late');
    expect(await card(page, 'erin').getAttribute('data-status')).toBe('never');

    const alice = (await card(page, 'alice').textContent()) ?? '';
    expect(alice).toContain('À jour');
    expect(alice).toMatch(/Dernière sauvegarde réussie : hier à \d+\u00a0h\u00a0\d\d/);
    expect(alice).toMatch(/Prochaine sauvegarde : (aujourd’hui|demain) à \d+\u00a0h\u00a000/);
    expect(alice).toMatch(/8 messages gardés \(\d+(,\d)?\u00a0(ko|Ko|o)\)/);
    expect(await card(page, 'bob').textContent()).toContain('Alarme');
    expect(await card(page, 'bob').textContent()).toContain("Votre fournisseur n'a plus 12 messages du dossier INBOX");
    expect(await card(page, 'carol').textContent()).toContain('Échec');
    expect(await card(page, 'carol').textContent()).toContain('a refusé le mot de passe de carol');
    expect(await card(page, 'carol').textContent()).toContain('Que faire :');
    expect(await card(page, 'dave').textContent()).toContain('En retard');
    expect(await card(page, 'erin').textContent()).toContain('Pas encore sauvegardé');
    // The archive's monthly check by schedule: when the next one comes (the 1st of next month at 03:00).
    expect(await page.locator('[data-testid="next-check"]').textContent()).toMatch(/^Prochaine vérification automatique : .+ à \d+\u00a0h\u00a0\d\d$/);
    // The colour follows the status (and is never the only sign: the words above say it).
    const colour = (who: string) => card(page, who).locator('.status-pill').evaluate((e) => getComputedStyle(e).color);
    expect(await colour('alice')).toBe('rgb(29, 107, 47)');
    expect(await colour('carol')).toBe('rgb(161, 22, 28)');
    expect(await colour('dave')).toBe('rgb(122, 75, 0)');
    violations.push(...(await checkScreen(page, '40-dashboard')));

    // "J'ai vu": the failure's box goes, and stays gone after a reload; the status itself stays "Échec".
    await card(page, 'carol').getByRole('button', { name: /J’ai vu/ }).click();
    await card(page, 'carol').locator('[data-testid="dash-attention"]').waitFor({ state: 'detached' });
    await page.reload();
    await card(page, 'carol').waitFor();
    expect(await card(page, 'carol').locator('[data-testid="dash-attention"]').count()).toBe(0);
    expect(await card(page, 'carol').getAttribute('data-status')).toBe('failed');
    expect(await card(page, 'bob').locator('[data-testid="dash-attention"]').count()).toBe(1);
    expect(violations).toEqual([]);
  }, 240_000);

  it('"Tout sauvegarder maintenant" runs every account it can with one progress view and names the others', async () => {
    // Arche knows alice's password for this session (as after "Se souvenir"); not the others'.
    const r = await callApi(serve, 'accounts.remember', { url: d.url('alice'), password: 'alice-pass' });
    expect(r.status).toBe(200);
    await fillAccount(d, 'alice', { INBOX: [makeMessage(99, { subject: 'Nouvelle régate' })] });
    const page = await open();
    await page.getByRole('button', { name: 'Tout sauvegarder maintenant' }).click();
    const progress = page.locator('[data-testid="backup-all-progress"]');
    await progress.waitFor();
    await progress.getByText('Sauvegarde de vos 1 comptes terminée.').waitFor({ timeout: 120_000 });
    // The four others could not start without their passwords: each is named, none stopped alice's.
    expect(await progress.locator('[data-error-code="password-needed"]').count()).toBe(4);
    expect(await progress.getByRole('progressbar').getAttribute('aria-valuenow')).toBe('100');
    await checkScreen(page, '41-dashboard-backup-all');
  }, 240_000);

  it('"Vérifier mes copies" and the second copy run for real, and the dashboard then says when', async () => {
    const page = await open();
    await expect(page.getByTestId('last-check').textContent()).resolves.toMatch(/Dernière vérification de vos copies : aujourd’hui à .*, tout est intact\./);
    // Another process (`arche check` in a terminal, the OS scheduler's run) is checking this archive: refused in words.
    const holder = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'main/engine/base/lock-file.test-child.ts'), checkLockFile(archiveDir)], { cwd: ROOT, stdio: ['pipe', 'pipe', 'inherit'] });
    const said = createInterface({ input: holder.stdout! })[Symbol.asyncIterator]();
    expect((await said.next()).value).toBe('ready');
    holder.stdin!.write('go\n');
    expect((await said.next()).value).toBe('got');
    await page.getByRole('button', { name: 'Vérifier mes copies' }).click();
    await page.getByTestId('dashboard').waitFor({ state: 'detached' });
    await page.getByText(`Une vérification de ces archives est déjà en cours (programme n° ${holder.pid}).`).waitFor({ timeout: 120_000 });
    holder.stdin!.end(); // it ends and lets go
    await new Promise((r) => holder.once('exit', r));
    await page.getByRole('button', { name: "Retour à l'accueil" }).click();
    await page.getByRole('button', { name: 'Vérifier mes copies' }).click();
    // The job's screen first: bob's alarm box on the dashboard would otherwise read as the job's error.
    await page.getByTestId('dashboard').waitFor({ state: 'detached' });
    expect(await waitForJobEnd(page, 120_000)).toBe('done');
    expect(await page.locator('.box-ok').textContent()).toMatch(/1[12] messages relus un par un/);
    await page.getByRole('button', { name: "Retour à l'accueil" }).click();
    await page.getByTestId('last-check').getByText(/Dernière vérification de vos copies : aujourd’hui à .*, tout est intact\./).waitFor();

    const usb = path.join(mkdtempSync(path.join(os.tmpdir(), 'arche-e2e-usb-')), 'Arche');
    await page.getByLabel('Dossier sur le disque externe').fill(usb);
    await page.getByRole('button', { name: 'Copier mes archives sur un disque externe' }).click();
    await page.getByTestId('dashboard').waitFor({ state: 'detached' });
    expect(await waitForJobEnd(page, 120_000)).toBe('done');
    expect(await page.locator('.box-ok').textContent()).toContain(`Seconde copie faite dans ${usb} et vérifiée`);
    expect(existsSync(path.join(usb, 'arche.sqlite'))).toBe(true);
    await page.getByRole('button', { name: "Retour à l'accueil" }).click();
    await page.getByTestId('last-mirror').getByText(`Dernière seconde copie : `, { exact: false }).waitFor();
    expect(await page.getByTestId('last-mirror').textContent()).toContain(usb);
    const violations = await checkScreen(page, '42-dashboard-copies');
    expect(violations).toEqual([]);
  }, 300_000);
  it('an unreachable provider is no alarm, but the card offers to read the copy (issue 14)', async () => {
    // The provider goes away: its server stopped, its port closed for real.
    d.stop();
    await expect.poll(() => portRefuses(d.port), { timeout: 30_000 }).toBe(true);
    const page = await open();
    await page.getByRole('button', { name: 'Tout sauvegarder maintenant' }).click();
    await page.locator('[data-testid="backup-all-progress"]').getByText('Sauvegarde de vos 1 comptes terminée.').waitFor({ timeout: 120_000 });
    const offer = card(page, 'alice').getByTestId('read-copy');
    await offer.waitFor({ timeout: 30_000 });
    expect(await offer.textContent()).toContain('Votre fournisseur (127.0.0.1) ne répond pas. Vos messages sont lisibles ici, même sans Internet.');
    expect(await offer.textContent()).toContain('Arche réessaiera la sauvegarde plus tard.');
    // Retried later, quietly: not a failure to acknowledge.
    expect(await card(page, 'alice').locator('[data-testid="dash-attention"]').count()).toBe(0);
    await offer.getByRole('button', { name: 'Lire mes messages : alice@example.test' }).click();
    await page.getByText('Les messages de alice@example.test, du plus récent au plus ancien.').waitFor();
    await page.getByText('9 messages trouvés').waitFor();
    expect(await page.locator('.result .result-subject').first().textContent()).toBe('Nouvelle régate');
  }, 240_000);
});
