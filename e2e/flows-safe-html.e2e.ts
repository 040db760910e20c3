/**
 * The message viewer's safety, in a real Chromium: a hostile HTML message shown the way MessageView shows it
 * (sanitized, sandbox="" frame, srcdoc with a CSP inside) makes NO request and runs NO script;
 * "Afficher les images" lets https images through, and nothing else.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { build } from 'esbuild';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, startRecordingProxy, ROOT, type RecordingProxy } from './flows-support.ts';

const HOSTILE = `
<html><head>
<link rel="stylesheet" href="https://evil.example/remote.css">
<style>@import url("https://evil.example/import.css"); body { background: url(http://evil.example/bg.png) } @font-face { font-family: x; src: url(https://evil.example/font.woff) }</style>
<style>div.e{background:u\\72l(https://evil.example/escaped.png)} p.e{background:\\75rl(https://evil.example/escaped2.png)} h2{background:ur/**/l(https://evil.example/comment.png)} h3{background-image:image-set("https://evil.example/set.png" 1x)} @\\69mport "https://evil.example/escaped-import.css";</style>
<meta http-equiv="refresh" content="0;url=https://evil.example/refresh">
<base href="https://evil.example/">
<script src="https://evil.example/script.js"></script>
<script>parent.postMessage('script-ran', '*')</script>
</head><body onload="parent.postMessage('onload-ran','*')">
<h1>Régate</h1>
<img src="https://evil.example/tracker-https.png" alt="pixel">
<img src="http://evil.example/tracker-http.png">
<img src="//evil.example/protocol-relative.png">
<img src="relative.png">
<img srcset="https://evil.example/srcset.png 2x">
<img src="x" onerror="parent.postMessage('onerror-ran','*')">
<img src="data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==" alt="inline">
<table background="https://evil.example/table-bg.png"><tr><td style="background-image:url('https://evil.example/td.png')">x</td></tr></table>
<div style="background: url(https://evil.example/div.png)">y</div>
<video poster="https://evil.example/poster.png" src="https://evil.example/v.mp4"></video>
<audio src="https://evil.example/a.mp3" autoplay></audio>
<iframe src="https://evil.example/frame.html"></iframe>
<object data="https://evil.example/o.swf"></object>
<embed src="https://evil.example/e.swf">
<form action="https://evil.example/form"><input type="image" src="https://evil.example/input.png"></form>
<svg><image href="https://evil.example/svg.png"/></svg>
<div class="e" style="background:u\\72l(https://evil.example/style-escaped.png)">e</div><p class="e">e</p><h2>c</h2><h3>s</h3>
<map name="m"><area href="https://evil.example/area" shape="rect" coords="0,0,10,10" alt="zone"></map>
<a href="https://club.example/">le site du club</a>
<a href="javascript:parent.postMessage('js-link','*')">js</a>
</body></html>`;

let browser: Browser;
let proxy: RecordingProxy;
let page: Page;
const requests: string[] = [];
const messages: string[] = [];

async function show(allowImages: boolean) {
  await page.evaluate(
    ({ html, allowImages }) => {
      const w = window as unknown as { safe: { buildSafeDocument: (h: string, o: { allowImages: boolean }) => string } };
      document.body.innerHTML = '';
      const f = document.createElement('iframe');
      // As MessageView: same origin (Arche catches link clicks), never allow-scripts.
      f.setAttribute('sandbox', 'allow-same-origin');
      f.setAttribute('referrerpolicy', 'no-referrer');
      f.srcdoc = w.safe.buildSafeDocument(html, { allowImages });
      return new Promise<void>((resolve) => {
        f.onload = () => resolve();
        document.body.appendChild(f);
      });
    },
    { html: HOSTILE, allowImages },
  );
}

/** Lets every pending load of the frame finish (loaded or failed) before looking at what went out. */
async function settle() {
  const frame = page.frames()[1];
  await frame.waitForFunction(() => document.readyState === 'complete' && [...document.images].every((i) => i.complete));
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0))));
}

describe('HTML messages are shown without reaching the Internet', () => {
  beforeAll(async () => {
    const bundle = await build({ entryPoints: [path.join(ROOT, 'renderer/lib/safe-html.dom.ts')], bundle: true, format: 'iife', globalName: 'safe', write: false, platform: 'browser' });
    proxy = await startRecordingProxy();
    browser = await launchBrowser(proxy);
    page = await browser.newPage();
    page.on('request', (r) => requests.push(r.url()));
    page.on('console', (m) => messages.push(m.text()));
    await page.setContent('<!doctype html><html><body></body></html>');
    await page.addScriptTag({ content: bundle.outputFiles[0].text });
    await page.evaluate(() => window.addEventListener('message', (e) => console.log(`posted:${String(e.data)}`)));
  });
  afterAll(async () => {
    await browser?.close();
    proxy?.close();
  });

  it('blocks every remote image, style, font, frame and script, and runs no script', async () => {
    requests.length = 0;
    proxy.seen.length = 0;
    await show(false);
    await settle();
    expect(proxy.fromPage()).toEqual([]);
    expect(requests.filter((u) => !u.startsWith('about:') && !u.startsWith('data:'))).toEqual([]);
    expect(messages.filter((m) => m.startsWith('posted:'))).toEqual([]);
    const frame = page.frames()[1];
    expect(await frame.locator('h1').textContent()).toBe('Régate');
    expect(await frame.locator('script, iframe, object, embed, form, link, base, video, audio, svg').count()).toBe(0);
    // The inline (data:) image is kept; the link lost its href but keeps its address as a tooltip.
    expect(await frame.locator('img[alt="inline"]').getAttribute('src')).toMatch(/^data:image\/png/);
    expect(await frame.locator('a', { hasText: 'le site du club' }).getAttribute('href')).toBeNull();
    expect(await frame.locator('a', { hasText: 'le site du club' }).getAttribute('title')).toBe('https://club.example/');
    // …and in data-href, which the viewer reads to ask "Ce lien mène à … Ouvrir ?"; the javascript: link keeps nothing.
    expect(await frame.locator('a', { hasText: 'le site du club' }).getAttribute('data-href')).toBe('https://club.example/');
    expect(await frame.locator('a', { hasText: 'js' }).getAttribute('data-href')).toBeNull();
  });

  it('the sanitizer alone already removes every remote address (the frame CSP is a second wall)', async () => {
    const clean = await page.evaluate((html) => (window as unknown as { safe: { sanitizeMessageHtml: (h: string, o: { allowImages: boolean }) => string } }).safe.sanitizeMessageHtml(html, { allowImages: false }), HOSTILE);
    expect(clean).not.toMatch(/evil\.example|javascript:|<script|onerror|onload/i);
    expect(clean).toContain('Régate');
  });

  it('"Afficher les images" lets https images through, and only them', async () => {
    proxy.seen.length = 0;
    await show(true);
    // The allowed image is fetched: wait for the proxy to see it (the image's load fails, which ends it).
    await page.frames()[1].waitForFunction(() => [...document.images].every((i) => i.complete));
    await settle();
    expect(proxy.fromPage()).toEqual(["CONNECT evil.example:443"]);
    expect(messages.filter((m) => m.startsWith('posted:'))).toEqual([]);
  });
});
