/**
 * Issue 14, conversations and print, in a real Chromium against a real `arche serve` and a real Dovecot: a thread
 * whose messages are in the Inbox and in Sent (one of them in both) is backed up; the "Conversations" list shows it
 * once with its count, apart from an unrelated message with the same subject; the conversation shows its messages
 * in date order, the newest open, each one unfolds; "Imprimer la conversation" unfolds all and prints a document
 * holding every message with its headers (window.print is intercepted; print media hides the buttons), and nothing
 * is fetched from the Internet.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import type { Page } from 'playwright-core';
import { startDovecot, type Dovecot } from '../test/helpers/dovecot.ts';
import { useFlow, checkScreen, fillAccount, keepAccount } from './flows-support.ts';

function mail(o: { from: string; to: string; subject: string; date: string; id: string; refs?: string[]; body: string }): string {
  return [
    `From: ${o.from}`,
    `To: ${o.to}`,
    `Subject: ${o.subject}`,
    `Date: ${o.date}`,
    `Message-ID: <${o.id}>`,
    ...(o.refs?.length ? [`In-Reply-To: <${o.refs[o.refs.length - 1]}>`, `References: ${o.refs.map((r) => `<${r}>`).join(' ')}`] : []),
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: 8bit',
    '',
    o.body,
    '',
  ].join('\r\n');
}

const PAUL = 'Paul Dupont <paul@club.example>';
const ALICE = 'Alice Martin <alice@example.test>';
const first = mail({ from: PAUL, to: ALICE, subject: 'Sortie du dimanche', date: 'Mon, 5 Jun 2023 09:00:00 +0000', id: 's1@club.example', body: 'On part du ponton à 9 h ?' });
const answer = mail({ from: ALICE, to: PAUL, subject: 'Re: Sortie du dimanche', date: 'Mon, 5 Jun 2023 12:00:00 +0000', id: 's2@example.test', refs: ['s1@club.example'], body: 'Oui, j’apporte les gilets.' });
const last = mail({ from: PAUL, to: ALICE, subject: 'Re: Sortie du dimanche', date: 'Tue, 6 Jun 2023 08:00:00 +0000', id: 's3@club.example', refs: ['s1@club.example', 's2@example.test'], body: 'Parfait, à dimanche.' });
const other = mail({ from: 'Club <club@club.example>', to: ALICE, subject: 'Sortie du dimanche', date: 'Wed, 7 Jun 2023 08:00:00 +0000', id: 'other@club.example', body: 'Une autre sortie, sans lien.' });

const flow = useFlow('conversations');
let d: Dovecot;
let page: Page;

beforeAll(async () => {
  d = await startDovecot({ flavour: 'slash', users: [{ user: 'alice', password: 'alice-pass' }] });
});

afterAll(() => {
  d?.stop();
});

describe('Conversations et impression', () => {
  it('groups a thread across Inbox and Sent, shows it in order, and prints it whole with its headers', async () => {
    // The answer is in Sent and, copied to herself, in the Inbox: the same message, shown once.
    await fillAccount(d, 'alice', { INBOX: [first, last, other, answer], Sent: [answer] });
    ({ page } = await flow.newPage('fr'));
    await page.goto(flow.serve.url);
    expect(await keepAccount(page, { email: 'alice@example.test', host: '127.0.0.1', port: d.port, username: 'alice', password: 'alice-pass' })).toBe('done');
    await page.getByRole('button', { name: 'Chercher dans mes archives' }).click();
    flow.proxy.seen.length = 0;

    await page.getByRole('radio', { name: 'Conversations', exact: true }).click();
    const rows = page.locator('.conv-row');
    await expect.poll(() => rows.count(), { timeout: 30_000 }).toBe(2);
    // newest activity first; the unrelated message with the same subject stays apart
    const texts = await rows.allInnerTexts();
    expect(texts[0]).toContain('Club');
    expect(texts[0]).not.toContain('(');
    expect(texts[1]).toContain('Sortie du dimanche (3)');
    expect(texts[1]).toContain('Paul Dupont, Alice Martin');
    const violations = await checkScreen(page, '14-conversations');

    await rows.nth(1).click();
    const items = page.locator('.conv-message');
    await expect.poll(() => items.count(), { timeout: 30_000 }).toBe(3);
    const heads = page.locator('.conv-head');
    expect((await page.locator('.conv-from').allInnerTexts()).map((t) => t.trim())).toEqual([PAUL, ALICE, PAUL]);
    // the newest is open, the others folded to one line
    expect(await heads.evaluateAll((hs) => hs.map((h) => h.getAttribute('aria-expanded')))).toEqual(['false', 'false', 'true']);
    await items.nth(2).locator('pre.message-text', { hasText: 'Parfait, à dimanche.' }).waitFor();
    // the answer is in both folders, shown once
    expect(await heads.nth(1).innerText()).toContain('Boîte de réception');
    expect(await heads.nth(1).innerText()).toContain('Sent');
    // unfold the first one with the keyboard
    await heads.nth(0).focus();
    await page.keyboard.press('Enter');
    await items.nth(0).locator('pre.message-text', { hasText: 'On part du ponton à 9 h ?' }).waitFor();
    violations.push(...(await checkScreen(page, '14-conversation')));
    expect(violations).toEqual([]);

    // Print: every message unfolded and shown, with its headers; the print dialog is intercepted.
    await page.evaluate(() => {
      const w = window as unknown as { printed: string[] };
      w.printed = [];
      window.print = () => void w.printed.push((document.querySelector('.conversation') as HTMLElement).innerText);
    });
    await page.getByRole('button', { name: /Imprimer la conversation/ }).click();
    await expect.poll(() => page.evaluate(() => (window as unknown as { printed: string[] }).printed.length), { timeout: 30_000 }).toBe(1);
    const printed = await page.evaluate(() => (window as unknown as { printed: string[] }).printed[0]);
    for (const body of ['On part du ponton à 9 h ?', 'Oui, j’apporte les gilets.', 'Parfait, à dimanche.']) expect(printed).toContain(body);
    expect(printed.indexOf('On part du ponton')).toBeLessThan(printed.indexOf('j’apporte les gilets'));
    expect(printed.indexOf('j’apporte les gilets')).toBeLessThan(printed.indexOf('Parfait, à dimanche'));
    for (const header of ['De', 'À', 'Date', 'Re: Sortie du dimanche']) expect(printed).toContain(header);
    // What the paper shows: no buttons, no folded heads, every message open.
    await page.emulateMedia({ media: 'print' });
    expect(await page.getByRole('button', { name: /Imprimer la conversation/ }).isVisible()).toBe(false);
    expect(await heads.evaluateAll((hs) => hs.filter((h) => getComputedStyle(h).display !== 'none').length)).toBe(0);
    expect(await page.locator('.message-embedded').count()).toBe(3);
    await page.emulateMedia({ media: 'screen' });
    // nothing went to the Internet
    expect([...new Set(flow.proxy.fromPage())]).toEqual([]);
  });
});
