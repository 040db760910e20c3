/**
 * The browser mode as a user opens it: Chromium loads the printed address, the page takes the token out of the
 * address bar, and its first calls go through the bridge (token header, same Origin) — while a page from another
 * origin, holding everything but the token, is refused.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { buildCli, startServeChild, type ServeChild } from './helpers/serve.ts';
import { launchChromium } from './helpers/browser.ts';

let s: ServeChild;
let browser: Browser;
let evil: http.Server;
let evilPort: number;

beforeAll(async () => {
  buildCli();
  s = await startServeChild();
  browser = await launchChromium();
  // Another site on this computer, trying to call Arche from the user's browser.
  evil = http.createServer((_req, res) => {
    res.setHeader('content-type', 'text/html');
    res.end('<!doctype html><title>evil</title>');
  });
  await new Promise<void>((r) => evil.listen(0, '127.0.0.1', r));
  evilPort = (evil.address() as AddressInfo).port;
});

afterAll(async () => {
  await browser?.close();
  evil?.close();
  await s?.stop();
  if (s) rmSync(s.archiveDir, { recursive: true, force: true });
});

describe('the page in Chromium', () => {
  it('keeps the token for the tab only, removes it from the address, and calls the bridge with it', async () => {
    const page = await browser.newPage();
    const calls: { url: string; token: string | undefined; status: number }[] = [];
    page.on('response', (r) => {
      if (r.url().includes('/api/') && !r.url().includes('/api/events')) calls.push({ url: r.url(), token: r.request().headers()['x-arche-token'], status: r.status() });
    });
    const info = page.waitForResponse((r) => r.url().endsWith('/api/app.info'));
    await page.goto(s.url);
    expect((await info).status()).toBe(200);
    expect(page.url()).not.toContain('token=');
    expect(await page.evaluate(() => sessionStorage.getItem('arche.token'))).toBe(s.token);
    expect(calls.length).toBeGreaterThan(0);
    for (const c of calls) {
      expect(c.token).toBe(s.token);
      expect(c.status).toBe(200);
    }
    await page.close();
  });

  // The server's own Origin refusal is checked at the HTTP level in serve-guard.test.ts; here, that a real browser
  // gives another site no way in (no CORS opening: a preflight to Arche is refused, so the call never happens).
  it('gives another origin no way in, even if it learnt the token', async () => {
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${evilPort}/`);
    const result = await page.evaluate(
      async ({ target, token }) => {
        try {
          const r = await fetch(`${target}/api/app.info`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-arche-token': token }, body: '{}' });
          return `status ${r.status}`;
        } catch {
          // The browser hides the 403 of a cross-origin call behind a network error: refused either way.
          return 'refused';
        }
      },
      { target: s.origin, token: s.token },
    );
    expect(['refused', 'status 403']).toContain(result);
    await page.close();
  });
});
