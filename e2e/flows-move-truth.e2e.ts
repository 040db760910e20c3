/**
 * The move tells the truth, on screen (issue 10), in a real Chromium against a real `arche serve` and real Dovecot
 * servers. The user kept a copy first (a backup), then changed the old mailbox: one message deleted, one moved to
 * another folder. The new account already holds one of the messages.
 * - The Plan screen counts what the old mailbox holds today, and names apart what only the archive still has, with a
 *   box to bring those along.
 * - Not ticked (French): the deleted message is not copied; the Verify screen's figures add up (source = copied +
 *   already there + not copied) and each group of differences is shown in words.
 * - Ticked (English, another new account): the deleted message arrives in "Retrouvés par Arche", never in INBOX.
 * Each destination is read back with an independent IMAP reader (countMessages), not with Arche's own check.
 */
import { describe, it, expect, afterAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { ImapFlow } from 'imapflow';
import { startDovecot, type Dovecot } from '../test/helpers/dovecot.ts';
import { useFlow, connectAccount, checkScreen, fillAccount, makeMessage, countMessages, waitForJobEnd, switchLanguage, ROOT } from './flows-support.ts';

const flow = useFlow('move-truth');
const servers: Dovecot[] = [];
const kept = makeMessage(3, { subject: 'Déjà chez le nouveau' });

/**
 * An old account as it was on the day of the backup (8 in INBOX, 2 in Work), backed up into the archive `arche serve`
 * works on (what "Mettre mon courrier à l'abri" does), then changed at the old provider: "Courrier 1" deleted,
 * "Courrier 2" moved into Work. And a new account, holding `already` beforehand. Each test has its own two servers.
 */
async function prepare(already: string[]): Promise<{ from: Dovecot; to: Dovecot }> {
  const [from, to] = await Promise.all([
    startDovecot({ flavour: 'slash', users: [{ user: 'marie', password: 'old-pass' }] }),
    startDovecot({ flavour: 'slash', users: [{ user: 'marie', password: 'new-pass' }] }),
  ]);
  servers.push(from, to);
  const inbox = Array.from({ length: 8 }, (_, i) => (i === 3 ? kept : makeMessage(i, { subject: `Courrier ${i}` })));
  await fillAccount(from, 'marie', { INBOX: inbox, Work: [makeMessage(50, { subject: 'Dossier 50' }), makeMessage(51, { subject: 'Dossier 51' })] });
  const backup = spawnSync(process.execPath, [path.join(ROOT, 'bin', 'arche.mjs'), 'backup', '--account', from.url('marie'), '--password-env', 'E2E_PW', '--archive', flow.serve.archiveDir, '--ca-file', from.caFile, '--json'], {
    env: { ...process.env, E2E_PW: 'old-pass' },
    encoding: 'utf8',
  });
  expect(backup.status, backup.stderr).toBe(0);
  const c = new ImapFlow({ host: from.host, port: from.port, secure: true, auth: { user: 'marie', pass: 'old-pass' }, tls: { ca: [from.caPem] }, logger: false });
  await c.connect();
  try {
    const lock = await c.getMailboxLock('INBOX');
    try {
      const uidOf = async (needle: string): Promise<string> => {
        for await (const m of c.fetch('1:*', { uid: true, envelope: true })) if (m.envelope?.subject === needle) return String(m.uid);
        throw new Error(`${needle} not found`);
      };
      // both found before either changes anything: no command inside a fetch loop
      const deleted = await uidOf('Courrier 1');
      const moved = await uidOf('Courrier 2');
      await c.messageDelete(deleted, { uid: true });
      await c.messageMove(moved, 'Work', { uid: true });
    } finally {
      lock.release();
    }
  } finally {
    await c.logout();
  }
  if (already.length) await fillAccount(to, 'marie', { INBOX: already });
  return { from, to };
}

afterAll(() => {
  for (const d of servers) d.stop();
});

/** From the welcome screen to the Plan screen, for the old account and one new account. */
async function toPlan(page: Page, { from, to }: { from: Dovecot; to: Dovecot }, lang: 'fr' | 'en'): Promise<void> {
  await page.goto(flow.serve.url);
  await switchLanguage(page, lang);
  await page.getByRole('button', { name: /Changer de fournisseur|Move to a new provider/ }).click();
  await page.getByRole('heading', { level: 1, name: /Depuis quel compte partez-vous \?|Which account are you leaving\?/ }).waitFor();
  expect(await connectAccount(page, { email: 'marie@ancien.example', host: '127.0.0.1', port: from.port, username: 'marie', password: 'old-pass' })).toEqual({ ok: true });
  await page.getByRole('button', { name: /^(Continuer|Continue)$/ }).click();
  await page.getByRole('heading', { level: 1, name: /Quels dossiers \?|Which folders\?/ }).waitFor();
  await page.getByRole('button', { name: /Continuer : le nouveau compte|Continue: the new account/ }).click();
  await page.getByRole('heading', { level: 1, name: /Vers quel nouveau compte \?|To which new account\?/ }).waitFor();
  expect(await connectAccount(page, { email: 'marie@nouveau.example', host: '127.0.0.1', port: to.port, username: 'marie', password: 'new-pass' })).toEqual({ ok: true });
  await page.getByRole('button', { name: /^(Continuer|Continue)$/ }).click();
  await page.getByRole('table').waitFor({ timeout: 60_000 });
}

/** The Verify screen's figures as numbers: "source = copied + already there + not copied". */
async function verifyFigures(page: Page): Promise<number[]> {
  const text = (await page.locator('[data-verify-counts]').textContent()) ?? '';
  return [...text.replace(/[\u202f\u00a0]/g, '').matchAll(/\d+/g)].map((m) => Number(m[0]));
}

async function groups(page: Page): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const li of await page.locator('[data-verify-groups] li[data-group]').all()) out[(await li.getAttribute('data-group'))!] = (await li.textContent()) ?? '';
  return out;
}

describe('Move tells the truth: Plan and Verify screens', () => {
  it('French, box not ticked: what the old server no longer has stays in the archive; the figures add up, each group in words', async () => {
    const accounts = await prepare([kept]);
    const { page } = await flow.newPage('fr');
    const violations: string[] = [];
    await toPlan(page, accounts, 'fr');
    // The old mailbox today: 6 in INBOX + 3 in Work = 9 to copy; the deleted one only in the archive.
    expect(await page.locator('[data-plan-total]').textContent()).toMatch(/aujourd’hui : 9 messages à copier/);
    const box = page.locator('[data-plan-archive-only]');
    expect(await box.textContent()).toMatch(/1 message que votre ancienne messagerie n'a plus : Arche le garde, il ne sera pas recopié/);
    const tick = page.getByLabel(/Retrouvés par Arche/);
    expect(await tick.isChecked()).toBe(false);
    // One message: said in the singular ("L'emporter", not "Les emporter").
    expect(await box.textContent()).toMatch(/L'emporter quand même, dans un dossier à part « Retrouvés par Arche » \(jamais mélangé à/);
    violations.push(...(await checkScreen(page, '04-plan-archive-only')));

    await page.getByRole('button', { name: 'Commencer le déménagement' }).click();
    expect(await waitForJobEnd(page)).toBe('verify');
    expect(await page.locator('[data-verify]').getAttribute('data-verify')).toBe('ok');
    // source 9 = copied 8 + already there 1 + not copied 0
    const [source, copied, already, notCopied] = await verifyFigures(page);
    expect({ source, copied, already, notCopied }).toEqual({ source: 9, copied: 8, already: 1, notCopied: 0 });
    expect(source).toBe(copied + already + notCopied);
    const g = await groups(page);
    expect(Object.keys(g).sort()).toEqual(['alreadyThere', 'deleted-at-source', 'moved-at-source']);
    expect(g['deleted-at-source']).toMatch(/Supprimés chez l’ancien fournisseur : 1 \(Arche les garde\)/);
    expect(g['moved-at-source']).toMatch(/Déplacés dans un autre dossier chez l’ancien fournisseur \(copiés là-bas\) : 1/);
    expect(g.alreadyThere).toMatch(/Déjà dans la nouvelle messagerie avant le déménagement : 1 \(pas une erreur\)/);
    violations.push(...(await checkScreen(page, '06-verify-groups')));

    // The new account, read with an independent IMAP client: the old mailbox as it is today, once each.
    const counts = await countMessages(accounts.to, 'marie');
    expect(counts.INBOX).toBe(6);
    expect(counts.Work).toBe(3);
    expect(Object.keys(counts).filter((k) => k.includes('Retrouvés'))).toEqual([]);
    expect(violations).toEqual([]);
  });

  it('English, box ticked: the message the old server no longer has arrives in "Retrouvés par Arche", never in INBOX', async () => {
    const accounts = await prepare([]);
    const { page } = await flow.newPage('en');
    await toPlan(page, accounts, 'en');
    expect(await page.locator('[data-plan-total]').textContent()).toMatch(/Your old mailbox today: 9 messages to copy/);
    expect(await page.locator('[data-plan-archive-only]').textContent()).toMatch(/1 message your old mailbox no longer has: Arche keeps it, it will not be copied/);
    await page.getByLabel(/Take it anyway, into a folder of its own.*Retrouvés par Arche/).check();
    await page.getByRole('button', { name: /Start the move/ }).click();
    expect(await waitForJobEnd(page)).toBe('verify');
    expect(await page.locator('[data-verify]').getAttribute('data-verify')).toBe('ok');
    const [source, copied, already, notCopied] = await verifyFigures(page);
    expect({ source, copied, already, notCopied }).toEqual({ source: 9, copied: 9, already: 0, notCopied: 0 });
    const g = await groups(page);
    expect(Object.keys(g).sort()).toEqual(['brought-along', 'moved-at-source']);
    expect(g['brought-along']).toMatch(/No longer at the old provider, taken into "Retrouvés par Arche": 1/);
    expect(g['moved-at-source']).toMatch(/Moved to another folder at the old provider \(copied there\): 1/);

    const counts = await countMessages(accounts.to, 'marie');
    expect(counts.INBOX).toBe(6);
    expect(counts.Work).toBe(3);
    expect(counts['Retrouvés par Arche']).toBe(1);
    expect(flow.proxy.fromPage()).toEqual([]);
  });
});
