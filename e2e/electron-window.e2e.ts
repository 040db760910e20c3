/**
 * The desktop window through Playwright's `_electron`: its security settings and an IPC round trip.
 * Skipped, with the reason, when no Electron binary is installed (as on machines without network access:
 * the electron package downloads its binary on first use).
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { _electron, type ElectronApplication, type Page } from 'playwright-core';
import { electronBinary } from './helpers/electron.ts';
import { ROOT } from './helpers/serve.ts';

const found = electronBinary();
const reason = 'reason' in found ? found.reason : '';

describe('Electron window', () => {
  let app: ElectronApplication | undefined;
  let page: Page;
  let archiveDir: string;

  beforeAll(async () => {
    if (!('path' in found)) return;
    execFileSync(process.execPath, [path.join(ROOT, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build', '-c', 'electron.config.ts'], { cwd: ROOT, stdio: 'inherit' });
    archiveDir = mkdtempSync(path.join(os.tmpdir(), 'arche-electron-'));
    app = await _electron.launch({ executablePath: found.path, args: [ROOT], cwd: ROOT, env: { ...process.env, ARCHE_ARCHIVE_DIR: archiveDir } });
    page = await app.firstWindow();
    await page.waitForLoadState('domcontentloaded');
  });

  afterAll(async () => {
    await app?.close();
    if (archiveDir) rmSync(archiveDir, { recursive: true, force: true });
  });

  it('has contextIsolation and sandbox on, nodeIntegration off, webSecurity on, and a strict CSP', async (ctx) => {
    if (!app) return ctx.skip(`Skipped: ${reason}`);
    const prefs = await app.evaluate(({ BrowserWindow }) => ({
      ...(globalThis as unknown as { archeWindowPreferences: Record<string, unknown> }).archeWindowPreferences,
      url: BrowserWindow.getAllWindows()[0].webContents.getURL(),
      windows: BrowserWindow.getAllWindows().length,
    }));
    expect(prefs).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true, windows: 1 });
    expect(String(prefs.url).startsWith('app://arche/')).toBe(true);
    // The settings hold in fact: no Node in the page…
    expect(await page.evaluate(() => typeof (globalThis as { process?: unknown }).process)).toBe('undefined');
    // …and the preload lives in its own world: changing the page's built-ins does not reach its channel check.
    const isolated = await page.evaluate(async () => {
      Array.prototype.includes = () => true;
      return (window as unknown as { arche: { call(c: string, r: unknown): Promise<unknown> } }).arche.call('no.such', {});
    });
    expect(isolated).toEqual({ ok: false, error: { code: 'bad-request', fields: { detail: 'channel' } } });
    // Nothing of Node in the page; the preload's named functions only.
    expect(await page.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe('undefined');
    expect(await page.evaluate(() => Object.keys((window as unknown as { arche: object }).arche).sort())).toEqual(['call', 'on']);
    // An inline script is refused by the CSP.
    const inlineRan = await page.evaluate(() => {
      const s = document.createElement('script');
      s.textContent = 'window.__inline = 1';
      document.body.appendChild(s);
      return (window as unknown as { __inline?: number }).__inline === 1;
    });
    expect(inlineRan).toBe(false);
  });

  it('refuses navigation and new windows', async (ctx) => {
    if (!app) return ctx.skip(`Skipped: ${reason}`);
    const before = page.url();
    await page.evaluate(() => {
      window.location.href = 'https://example.com/';
    });
    await page.evaluate(() => window.open('https://example.com/', '_blank'));
    expect(page.url()).toBe(before);
    expect(app.windows()).toHaveLength(1);
  });

  it('IPC round trip: app.info through the preload, answered by the shared handlers', async (ctx) => {
    if (!app) return ctx.skip(`Skipped: ${reason}`);
    const r = await page.evaluate(() => (window as unknown as { arche: { call(c: string, r: unknown): Promise<unknown> } }).arche.call('app.info', {}));
    expect(r).toMatchObject({ ok: true, value: { host: 'electron', archiveDir } });
    const bad = await page.evaluate(() => (window as unknown as { arche: { call(c: string, r: unknown): Promise<unknown> } }).arche.call('no.such', {}));
    expect(bad).toEqual({ ok: false, error: { code: 'bad-request', fields: { detail: 'channel' } } });
  });
});
