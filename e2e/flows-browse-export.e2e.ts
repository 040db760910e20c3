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
import { ImapFlow } from 'imapflow';
import { startDovecot, type Dovecot } from '../test/helpers/dovecot.ts';
import { useFlow, checkScreen, fillAccount, makeMessage, keepAccount } from './flows-support.ts';

const flow = useFlow('browse-export');
let d: Dovecot;
let page: Page;
/** How long to keep looking for what the screen shows after a request (never a fixed wait); expect.poll's 1 s is short. */
const WAIT = { timeout: 30_000 };

beforeAll(async () => {
  d = await startDovecot({
    flavour: 'slash',
    users: [
      { user: 'alice', password: 'alice-pass' },
      { user: 'bob', password: 'bob-pass' },
    ],
  });
});

afterAll(() => {
  d?.stop();
});

/** ARCHE_E2E_LATENCY=700: every request of the page takes that long (ms), to rehearse a loaded machine. */
async function slowDownWhenAsked(p: Page): Promise<void> {
  if (!process.env.ARCHE_E2E_LATENCY) return;
  const cdp = await p.context().newCDPSession(p);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: Number(process.env.ARCHE_E2E_LATENCY), downloadThroughput: -1, uploadThroughput: -1 });
}

/** A new French page where the user keeps their account (its password is `<user>-pass`), then opens the archive's search. */
async function keepThenFind(user: 'alice' | 'bob'): Promise<Page> {
  const { page: p } = await flow.newPage('fr');
  await p.goto(flow.serve.url);
  expect(await keepAccount(p, { email: `${user}@example.test`, host: '127.0.0.1', port: d.port, username: user, password: `${user}-pass` })).toBe('done');
  await slowDownWhenAsked(p);
  await p.getByRole('button', { name: 'Chercher dans mes archives' }).click();
  return p;
}

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
    page = await keepThenFind('alice');

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

  it('shows the marks, the filters, the message below or beside the list, and prints one message with its headers', { timeout: 600_000 }, async () => {
    const at = (day: number) => new Date(Date.UTC(2024, 4, day, 9));
    const withAttachment = [
      'From: Club <club@voile.example>',
      'To: Bob <bob@example.test>',
      'Subject: Parcours joint',
      `Date: ${at(3).toUTCString().replace('GMT', '+0000')}`,
      'Message-ID: <parcours@voile.example>',
      'MIME-Version: 1.0',
      'Content-Type: multipart/mixed; boundary="b"',
      '',
      '--b',
      'Content-Type: text/plain; charset=utf-8',
      '',
      'Le parcours est joint.',
      '--b',
      'Content-Type: text/plain; name="parcours.txt"',
      'Content-Disposition: attachment; filename="parcours.txt"',
      '',
      'Bouée 1, bouée 2.',
      '--b--',
      '',
    ].join('\r\n');
    const sent = makeMessage(90, { subject: 'Inscription', from: 'Bob <bob@example.test>', date: at(4) }).replace('To: Alice <alice@example.test>', 'To: Hélène Martin <helene@voile.example>');
    await fillAccount(d, 'bob', {
      INBOX: [makeMessage(1, { subject: 'Pas encore lu', date: at(1) }), makeMessage(2, { subject: 'À suivre', date: at(2) }), withAttachment, makeMessage(5, { subject: 'Le dix mai', date: at(10) })],
      Sent: [sent],
    });
    // One unread, one flagged (fillAccount appends every message read).
    const client = new ImapFlow({ host: d.host, port: d.port, secure: true, auth: { user: 'bob', pass: 'bob-pass' }, tls: { ca: [d.caPem] }, logger: false });
    await client.connect();
    await client.mailboxOpen('INBOX');
    await client.messageFlagsRemove({ header: { subject: 'Pas encore lu' } }, ['\\Seen']);
    await client.messageFlagsAdd({ header: { subject: 'À suivre' } }, ['\\Flagged']);
    await client.logout();

    page = await keepThenFind('bob');
    const violations: string[] = [];
    const folders = page.getByRole('navigation', { name: 'Dossiers' });
    const list = page.getByRole('listbox');
    // Two accounts now (alice's, kept by the test above, and bob's): "Tous les comptes", then each account's own.
    const everyAccount = folders.getByRole('button', { name: /^Tous les comptes/ });
    await everyAccount.waitFor();
    expect(await everyAccount.getAttribute('aria-current')).toBe('true');
    const bob = folders.locator('section', { has: page.getByRole('heading', { name: 'bob' }) });
    const bobAll = bob.getByRole('button', { name: /^Tous les dossiers/ });
    expect(await bobAll.textContent()).toMatch(/5 messages/);
    expect(await bobAll.textContent()).toMatch(/1 non lu/);

    // The marks, said in words too; sent mail shows whom it went to.
    const inboxButton = bob.getByRole('button', { name: /Boîte de réception/ });
    await inboxButton.focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => list.getByRole('option').count(), WAIT).toBe(4);
    expect(await list.getByRole('option', { name: /Pas encore lu/ }).textContent()).toContain('non lu');
    expect(await list.getByRole('option', { name: /À suivre/ }).textContent()).toContain('suivi');
    expect(await list.getByRole('option', { name: /Parcours joint/ }).textContent()).toContain('pièce jointe');
    expect(await list.getByRole('option', { name: /Le dix mai/ }).textContent()).not.toMatch(/non lu|suivi|pièce jointe/);

    // The quick filters, with the keyboard, and the export says what they leave.
    const summary = page.locator('.browse-export summary');
    await summary.focus();
    await page.keyboard.press('Enter');
    const panel = page.locator('.browse-export');
    await expect.poll(() => panel.textContent(), WAIT).toContain('Exporter les 4 messages de « Boîte de réception ».');
    for (const [name, subject] of [
      ['Non lus', 'Pas encore lu'],
      ['Suivis', 'À suivre'],
      ['Avec pièce jointe', 'Parcours joint'],
    ] as const) {
      const toggle = page.getByRole('button', { name, exact: true });
      await toggle.focus();
      await page.keyboard.press('Enter');
      expect(await toggle.getAttribute('aria-pressed')).toBe('true');
      await expect.poll(() => list.getByRole('option').count(), WAIT).toBe(1);
      expect(await list.getByRole('option').textContent()).toContain(subject);
      await expect.poll(() => panel.textContent(), WAIT).toContain('Exporter le message de « Boîte de réception » que montrent la recherche et les filtres.');
      await page.keyboard.press('Enter');
      await expect.poll(() => list.getByRole('option').count(), WAIT).toBe(4);
    }
    // The dates, both days included.
    await page.getByLabel('Du', { exact: true }).fill('2024-05-02');
    await page.getByLabel('Au', { exact: true }).fill('2024-05-03');
    await expect.poll(() => list.getByRole('option').allTextContents(), WAIT).toEqual([expect.stringContaining('Parcours joint'), expect.stringContaining('À suivre')]);
    await expect.poll(() => panel.textContent(), WAIT).toContain('Exporter les 2 messages de « Boîte de réception » que montrent la recherche et les filtres.');
    await page.getByRole('button', { name: 'Enlever les filtres' }).click();
    await expect.poll(() => list.getByRole('option').count(), WAIT).toBe(4);

    // The Sent folder: "À : Hélène Martin", not bob himself.
    await bob.getByRole('button', { name: /Envoyés/ }).click();
    await expect.poll(() => list.getByRole('option').textContent(), WAIT).toMatch(/À : Hélène Martin.*Inscription/);

    // The message below the list in a narrow window, beside it in a wide one.
    await inboxButton.click();
    await list.getByRole('option', { name: /Le dix mai/ }).waitFor();
    await list.focus();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Le dix mai' }).waitFor();
    const box = async (sel: string) => (await page.locator(sel).boundingBox())!;
    expect((await box('.browse-pane')).y).toBeGreaterThanOrEqual((await box('.browse-list')).y + (await box('.browse-list')).height);
    violations.push(...(await checkScreen(page, '07-browse-marks')));
    await page.setViewportSize({ width: 1400, height: 900 });
    await expect.poll(async () => (await box('.browse-pane')).x, WAIT).toBeGreaterThan((await box('.browse-list')).x + (await box('.browse-list')).width - 1);
    expect((await box('.browse-pane')).y).toBeLessThan((await box('.browse-list')).y + (await box('.browse-list')).height);

    // Print one message: its headers and its text; on paper, no buttons.
    await page.evaluate(() => {
      const w = window as unknown as { printed: string[] };
      w.printed = [];
      window.print = () => void w.printed.push((document.querySelector('.browse-pane') as HTMLElement).innerText);
    });
    await page.locator('.browse-pane').getByRole('button', { name: 'Imprimer ou enregistrer en PDF' }).click();
    await expect.poll(() => page.evaluate(() => (window as unknown as { printed: string[] }).printed.length), WAIT).toBe(1);
    const printed = await page.evaluate(() => (window as unknown as { printed: string[] }).printed[0]);
    for (const words of ['De', 'À', 'Date', 'Le dix mai', 'Paul Dupont', 'Bonjour, ceci est le message numéro 5.']) expect(printed).toContain(words);
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('.browse-pane').getByRole('button', { name: 'Imprimer ou enregistrer en PDF' }).isVisible()).toBe(false);
    await page.emulateMedia({ media: 'screen' });
    expect(violations).toEqual([]);
  });
});
