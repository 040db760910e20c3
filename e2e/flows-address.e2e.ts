/**
 * Issue 11, item 4: the browser-mode address. `npm start` (no Electron here) opens the default browser on the
 * launch address of a fixed local port; http://127.0.0.1:PORT/ then works again in that browser (a tab reopened
 * from the history, a bookmark) while this Arche runs; a tab without the code, or with a wrong one, says only
 * that it lost its access code, never "cannot reach Arche" nor "no account yet". Real `scripts/start.mjs`,
 * real `arche serve`, real Chromium.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync, watch } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { ROOT, ensureBuilt, launchBrowser, newPage, checkScreen } from './flows-support.ts';

let browser: Browser;
let start: ChildProcess;
let port: number;
let opened: string;
let startOutput = '';

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const p = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(p));
    });
  });
}

/** Resolves with the file's contents once something has written it (a watch, no polling sleep). */
function whenWritten(file: string, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const dir = path.dirname(file);
    const read = () => (existsSync(file) ? readFileSync(file, 'utf8').trim() : '');
    const timer = setTimeout(() => {
      w.close();
      reject(new Error(`nothing opened in the browser within ${timeoutMs} ms:\n${startOutput}`));
    }, timeoutMs);
    const w = watch(dir, () => {
      const text = read();
      if (text) {
        clearTimeout(timer);
        w.close();
        resolve(text);
      }
    });
    const now = read();
    if (now) {
      clearTimeout(timer);
      w.close();
      resolve(now);
    }
  });
}

beforeAll(async () => {
  ensureBuilt();
  port = await freePort();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'arche-e2e-start-'));
  // The "default browser": a program that writes down the address it was asked to open.
  const fakeBrowser = path.join(dir, 'browser.sh');
  const openedFile = path.join(dir, 'opened', 'url.txt');
  writeFileSync(fakeBrowser, `#!/bin/sh\nmkdir -p "${path.dirname(openedFile)}"\nprintf '%s' "$1" > "${openedFile}.tmp" && mv "${openedFile}.tmp" "${openedFile}"\n`);
  chmodSync(fakeBrowser, 0o755);
  mkdirSync(path.dirname(openedFile), { recursive: true });
  start = spawn(process.execPath, ['scripts/start.mjs', '--archive', path.join(dir, 'archive')], {
    cwd: ROOT,
    // No Electron on this machine as far as npm start knows: it falls back to the browser mode.
    env: { ...process.env, ELECTRON_OVERRIDE_DIST_PATH: path.join(dir, 'no-electron'), ARCHE_PORT: String(port), BROWSER: fakeBrowser, ARCHE_NO_OPEN: '', LANG: 'fr_FR.UTF-8', LC_ALL: 'fr_FR.UTF-8' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  start.stdout!.on('data', (d: Buffer) => (startOutput += d.toString()));
  start.stderr!.on('data', (d: Buffer) => (startOutput += d.toString()));
  opened = await whenWritten(openedFile, 240_000);
  browser = await launchBrowser();
}, 300_000);

afterAll(async () => {
  await browser?.close();
  if (start && start.exitCode === null) {
    const exited = new Promise((r) => start.once('exit', r));
    start.kill('SIGTERM');
    await exited;
  }
});

async function welcome(page: Page, lang: 'fr' | 'en') {
  await page.getByRole('heading', { level: 1, name: lang === 'fr' ? 'Bonjour ! Que voulez-vous faire ?' : 'Hello! What would you like to do?' }).waitFor();
}

const LOST = {
  fr: "Cette page a perdu son code d'accès : rouvrez Arche depuis son raccourci.",
  en: 'This page has lost its access code: open Arche again from its shortcut.',
};
const FALSE_WORDS = [/Aucun compte/, /No account/, /ne répond plus/, /not answering/, /Chargement/, /Loading/];

async function onlyLostAccess(page: Page, lang: 'fr' | 'en') {
  await page.getByRole('heading', { level: 1, name: LOST[lang] }).waitFor();
  const text = await page.locator('main').innerText();
  for (const w of FALSE_WORDS) expect(text, String(w)).not.toMatch(w);
  // Nothing else of the welcome screen: no choices that could not work anyway.
  expect(await page.getByRole('button', { name: /Mettre mon courrier|Keep my mail/ }).count()).toBe(0);
}

describe('The browser-mode address', () => {
  it('npm start opens the default browser on the launch address of the fixed port', async () => {
    expect(opened).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${port}/\\?token=[A-Za-z0-9_-]{43}$`));
    const { page, context } = await newPage(browser, 'fr');
    await page.goto(opened);
    await welcome(page, 'fr');
    // The code left the address bar (history, bookmarks, screenshots never show it).
    expect(page.url()).toBe(`http://127.0.0.1:${port}/`);
    await context.close();
  }, 120_000);

  it('http://127.0.0.1:PORT/ works again in the same browser: a tab reopened from the history, a bookmark', async () => {
    const { page, context } = await newPage(browser, 'fr');
    await page.goto(opened);
    await welcome(page, 'fr');
    await page.close();
    // A new tab (no sessionStorage of the first one) on the bare address.
    const again = await context.newPage();
    await again.goto(`http://127.0.0.1:${port}/`);
    await welcome(again, 'fr');
    await again.getByRole('heading', { level: 2, name: 'Dans vos archives' }).waitFor();
    await again.getByText(/Aucun compte n'est encore à l'abri/).waitFor();
    await context.close();
  }, 120_000);

  it('a tab without the code, or with a wrong one, says only that it lost its access code (French and English)', async () => {
    for (const lang of ['fr', 'en'] as const) {
      const { page, context, errors } = await newPage(browser, lang);
      await page.goto(`http://127.0.0.1:${port}/`);
      await onlyLostAccess(page, lang);
      await page.goto(`http://127.0.0.1:${port}/?token=wrong-code`);
      await onlyLostAccess(page, lang);
      if (lang === 'fr') expect(await checkScreen(page, '60-lost-access')).toEqual([]);
      expect(errors).toEqual([]);
      await context.close();
    }
  }, 180_000);
});
