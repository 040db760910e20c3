/**
 * Support for the screen flows (e2e/flows-*.e2e.ts, e2e/a11y-*.e2e.ts): build the app once, start a real
 * `arche serve` child on a temp archive, drive Debian's Chromium, fill real Dovecot accounts, check screens
 * with axe-core and keep screenshots. No fakes: everything the user would touch is real.
 */
import { execFileSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, existsSync, statSync, readdirSync, openSync, closeSync } from 'node:fs';
import net from 'node:net';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { chromium, type Browser, type BrowserContext, type Page, type Request } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';
import { ImapFlow } from 'imapflow';
import type { Dovecot } from '../test/helpers/dovecot.ts';
import { startServeChild } from './helpers/serve.ts';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const SCREENSHOTS = path.join(ROOT, 'e2e', 'screenshots');

export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
/** Fewer calls home from Chromium itself (they would only add noise to the recording proxy). */
const QUIET_ARGS = ['--disable-features=AutofillServerCommunication,OptimizationHints,MediaRouter,Translate,SigninInterceptBubble,ChromeWhatsNewUI', '--disable-domain-reliability', '--disable-client-side-phishing-detection', '--no-default-browser-check', '--disable-default-apps'];

function newestMtime(dir: string): number {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return t;
}

/**
 * Builds the CLI (dist/) and the renderer (out/renderer) when their sources are newer than the build
 * (`npm test` builds both first, so this is for running one e2e file by hand).
 * Several e2e files may start at once: an exclusive lock file makes the second wait for the first
 * (it retries when the lock is released, it never sleeps a fixed time).
 */
export function ensureBuilt(): void {
  const lock = path.join(os.tmpdir(), 'arche-e2e-build.lock');
  const take = () => {
    try {
      closeSync(openSync(lock, 'wx'));
      return true;
    } catch {
      return false;
    }
  };
  const deadline = Date.now() + 120_000;
  while (!take()) {
    // Another file is building: a stale lock (older than 2 min) is broken.
    try {
      if (Date.now() - statSync(lock).mtimeMs > 120_000) rmSync(lock, { force: true });
    } catch {
      /* released meanwhile */
    }
    if (Date.now() > deadline) throw new Error('build lock held too long');
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 50);
  }
  try {
    const sources = Math.max(newestMtime(path.join(ROOT, 'renderer')), newestMtime(path.join(ROOT, 'shared')));
    const built = path.join(ROOT, 'out', 'renderer', 'index.html');
    if (!existsSync(built) || statSync(built).mtimeMs < sources) {
      execFileSync(path.join(ROOT, 'node_modules', '.bin', 'vite'), ['build', '-c', 'renderer/vite.config.ts', '--logLevel', 'warn'], { cwd: ROOT, stdio: 'inherit' });
    }
    // The CLI bundle is rebuilt only when stale: rebuilding empties dist/, which other suites may be using.
    const cli = path.join(ROOT, 'dist', 'cli', 'arche.mjs');
    const engineSources = Math.max(newestMtime(path.join(ROOT, 'main')), newestMtime(path.join(ROOT, 'shared')));
    if (!existsSync(cli) || statSync(cli).mtimeMs < engineSources) execFileSync(process.execPath, ['scripts/build-cli.mjs'], { cwd: ROOT, stdio: 'inherit' });
  } finally {
    rmSync(lock, { force: true });
  }
}

export interface ArcheServe {
  /** http://127.0.0.1:PORT/?token=… as printed by `arche serve` */
  url: string;
  origin: string;
  archiveDir: string;
  proc: ChildProcess;
  output: () => string;
  stop(): Promise<void>;
}

/** Starts `arche serve` on a temp archive directory (French or English system locale) and waits for the URL it prints. */
export async function startServe(opts: { archiveDir?: string; lang?: 'fr' | 'en' } = {}): Promise<ArcheServe> {
  const archiveDir = opts.archiveDir ?? mkdtempSync(path.join(os.tmpdir(), 'arche-e2e-archive-'));
  const locale = opts.lang === 'en' ? 'en_GB.UTF-8' : 'fr_FR.UTF-8';
  const child = await startServeChild({ archiveDir, env: { LANG: locale, LC_ALL: locale, ARCHE_NO_OPEN: '1', BROWSER: 'none' } });
  return {
    url: child.url,
    origin: child.origin,
    archiveDir,
    proc: child.proc,
    output: child.output,
    async stop() {
      await child.stop();
    },
  };
}

/**
 * Chromium sends every non-loopback request through this proxy, which writes it down and refuses it.
 * It sees what page.on('request') may not (requests from sandboxed frames run in their own process),
 * so "nothing left the page" is checked at the network's edge.
 */
export interface RecordingProxy {
  port: number;
  /** "GET http://host/path" or "CONNECT host:443" */
  seen: string[];
  /** What the page could have caused: `seen` without Chromium's own background calls to Google services. */
  fromPage(): string[];
  close(): void;
}

/**
 * Chromium itself calls home (component updates, sign-in, autofill hints) whatever the page does; those hosts
 * are Google's, never one a message or Arche could name in these tests (theirs are *.example).
 */
const BROWSER_SERVICES = /^(?:CONNECT |\w+ https?:\/\/)(?:[\w-]+\.)*(?:google\.com|googleapis\.com|gstatic\.com|gvt1\.com|googleusercontent\.com)(?::\d+)?(?:[/?]|$)/;

export async function startRecordingProxy(): Promise<RecordingProxy> {
  const seen: string[] = [];
  const sockets = new Set<net.Socket>();
  const server = http.createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    res.writeHead(502, { connection: 'close' }).end();
  });
  server.on('connect', (req: http.IncomingMessage, socket: net.Socket) => {
    seen.push(`CONNECT ${req.url}`);
    socket.end('HTTP/1.1 502 Refused\r\n\r\n');
  });
  server.on('connection', (s: net.Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as net.AddressInfo).port,
    seen,
    fromPage: () => seen.filter((l) => !BROWSER_SERVICES.test(l)),
    close() {
      for (const s of sockets) s.destroy();
      server.close();
    },
  };
}

export async function launchBrowser(proxy?: RecordingProxy): Promise<Browser> {
  // Loopback (arche serve) is never proxied by Chromium; everything else goes to the recording proxy.
  const args = proxy ? [...CHROMIUM_ARGS, ...QUIET_ARGS, `--proxy-server=http://127.0.0.1:${proxy.port}`] : CHROMIUM_ARGS;
  return chromium.launch({ executablePath: '/usr/bin/chromium', args });
}

/** Every request the page (and its frames) makes, to prove that nothing leaves for the Internet. */
export function recordRequests(page: Page): string[] {
  const seen: string[] = [];
  page.on('request', (r: Request) => seen.push(r.url()));
  return seen;
}

/** What a screen-flow file works with: a real `arche serve`, the proxy every outside request must go to, Chromium. */
export interface Flow {
  serve: ArcheServe;
  proxy: RecordingProxy;
  browser: Browser;
  /** A page in a fresh context, closed after the test (a picture of it kept first when the test failed). */
  newPage(lang: 'fr' | 'en'): ReturnType<typeof newPage>;
}

/**
 * Registers what every screen-flow file needs around its tests (call it at the top level of the file): the app
 * built and served, the recording proxy, Chromium; after a failed test, a picture of where it stopped
 * (/tmp/arche-e2e-failed-NAME-TEST.png) for whoever reads the failure; everything closed at the end.
 */
export function useFlow(name: string): Flow {
  const opened: { context: BrowserContext; page: Page }[] = [];
  const flow = {
    newPage: async (lang: 'fr' | 'en') => {
      const p = await newPage(flow.browser, lang);
      opened.push(p);
      return p;
    },
  } as Flow;
  beforeAll(async () => {
    ensureBuilt();
    flow.serve = await startServe();
    flow.proxy = await startRecordingProxy();
    flow.browser = await launchBrowser(flow.proxy);
  });
  afterEach(async (ctx) => {
    const last = opened.at(-1);
    if (ctx.task.result?.state === 'fail' && last) {
      const file = `/tmp/arche-e2e-failed-${name}-${ctx.task.name.slice(0, 40).replace(/\W+/g, '-')}.png`;
      await last.page.screenshot({ path: file, fullPage: true }).catch(() => undefined);
    }
    for (const p of opened.splice(0)) await p.context.close().catch(() => undefined);
  });
  afterAll(async () => {
    await flow.browser?.close();
    flow.proxy?.close();
    await flow.serve?.stop();
  });
  return flow;
}

export async function newPage(browser: Browser, lang: 'fr' | 'en') {
  const context = await browser.newContext({ locale: lang === 'fr' ? 'fr-FR' : 'en-GB', viewport: { width: 1100, height: 860 }, timezoneId: 'Europe/Paris', reducedMotion: 'reduce' });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  return { context, page, errors };
}

/** axe-core on the current screen: no serious or critical violation. Returns them for a readable assertion. */
export async function seriousViolations(page: Page): Promise<string[]> {
  // The message frame holds the sender's HTML, not Arche's screens, and it runs no script (sandbox, CSP):
  // axe could neither judge it nor run inside it. Its title is checked by the flow itself.
  const r = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']).exclude('iframe.message-frame').analyze();
  return r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
}

/** A screenshot with a deterministic name: e2e/screenshots/<lang>/<nn-screen>.png */
export async function shoot(page: Page, lang: 'fr' | 'en', name: string): Promise<string> {
  const dir = path.join(SCREENSHOTS, lang);
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name}.png`);
  // No caret, no running animation, no hover: the pictures stay the same from one run to the next.
  await page.mouse.move(0, 0);
  await page.screenshot({ path: file, fullPage: true, animations: 'disabled', caret: 'hide' });
  return file;
}

/** A message in RFC 822 form, generated here (no fixture needed). */
export function makeMessage(i: number, opts: { subject?: string; html?: string; from?: string; size?: number; date?: Date } = {}): string {
  const date = opts.date ?? new Date(Date.UTC(2023, 5, 1 + (i % 28), 9, i % 60));
  const filler = opts.size ? '\r\n' + 'Ligne de remplissage pour grossir le message. '.repeat(Math.ceil(opts.size / 48)).replace(/(.{70})/g, '$1\r\n') : '';
  const head = [
    `From: ${opts.from ?? `Paul Dupont <paul${i}@club.example>`}`,
    'To: Alice <alice@example.test>',
    `Subject: ${opts.subject ?? `Message ${i}`}`,
    `Date: ${date.toUTCString().replace('GMT', '+0000')}`,
    `Message-ID: <m${i}-${Math.random().toString(36).slice(2)}@club.example>`,
    'MIME-Version: 1.0',
  ];
  if (opts.html) {
    return [...head, 'Content-Type: text/html; charset=utf-8', 'Content-Transfer-Encoding: 8bit', '', opts.html, ''].join('\r\n');
  }
  return [...head, 'Content-Type: text/plain; charset=utf-8', 'Content-Transfer-Encoding: 8bit', '', `Bonjour, ceci est le message numéro ${i}.${filler}`, ''].join('\r\n');
}

/** Fills an account of a test Dovecot with messages, folder by folder (APPEND, as any mail program would). */
export async function fillAccount(d: Dovecot, user: string, folders: Record<string, string[]>): Promise<void> {
  const password = d.users.find((u) => u.user === user)?.password ?? '';
  const client = new ImapFlow({ host: d.host, port: d.port, secure: true, auth: { user, pass: password }, tls: { ca: [d.caPem] }, logger: false });
  await client.connect();
  try {
    for (const [folder, messages] of Object.entries(folders)) {
      if (folder.toUpperCase() !== 'INBOX') await client.mailboxCreate(folder).catch(() => undefined);
      for (const raw of messages) await client.append(folder, raw, ['\\Seen']);
    }
  } finally {
    await client.logout();
  }
}

/** Counts messages per folder on the server (for checking a restore or a move). */
export async function countMessages(d: Dovecot, user: string): Promise<Record<string, number>> {
  const password = d.users.find((u) => u.user === user)?.password ?? '';
  const client = new ImapFlow({ host: d.host, port: d.port, secure: true, auth: { user, pass: password }, tls: { ca: [d.caPem] }, logger: false });
  await client.connect();
  const counts: Record<string, number> = {};
  try {
    for (const box of await client.list({ statusQuery: { messages: true } })) counts[box.path] = box.status?.messages ?? 0;
  } finally {
    await client.logout();
  }
  return counts;
}

/** Deletes (and expunges) the first message of a folder on the server: a message lost at the new provider. */
export async function deleteFirstMessage(d: Dovecot, user: string, folder: string): Promise<void> {
  const password = d.users.find((u) => u.user === user)?.password ?? '';
  const client = new ImapFlow({ host: d.host, port: d.port, secure: true, auth: { user, pass: password }, tls: { ca: [d.caPem] }, logger: false });
  await client.connect();
  const lock = await client.getMailboxLock(folder);
  try {
    await client.messageDelete('1');
  } finally {
    lock.release();
    await client.logout();
  }
}

/**
 * A slow link between Arche and a test server: bytes from the server are passed on in small slices, one per
 * timer tick, like a provider that throttles. It lets a test press "Pause" while a backup really runs.
 */
export async function startSlowProxy(
  target: { host: string; port: number },
  bytesPerTick = 16 * 1024,
): Promise<{ port: number; close(): void; hold(): void; release(): void }> {
  const sockets = new Set<net.Socket>();
  // While held, nothing reaches Arche: a test can picture and pause a running job on a loaded machine without the
  // job finishing in the meantime (the link stays open, as on a stalled network).
  let held = false;
  const server = net.createServer((client) => {
    const upstream = net.connect(target.port, target.host);
    sockets.add(client).add(upstream);
    client.pipe(upstream);
    const queue: Buffer[] = [];
    let timer: NodeJS.Timeout | null = null;
    const pump = () => {
      let budget = held ? 0 : bytesPerTick;
      while (budget > 0 && queue.length) {
        const b = queue.shift()!;
        if (b.length > budget) {
          queue.unshift(b.subarray(budget));
          client.write(b.subarray(0, budget));
          budget = 0;
        } else {
          client.write(b);
          budget -= b.length;
        }
      }
      if (!queue.length && !held && timer) {
        clearInterval(timer);
        timer = null;
      }
    };
    upstream.on('data', (b: Buffer) => {
      queue.push(b);
      if (!timer) timer = setInterval(pump, 10);
    });
    const end = () => {
      if (timer) clearInterval(timer);
      client.destroy();
      upstream.destroy();
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const addr = server.address() as net.AddressInfo;
  return {
    port: addr.port,
    close() {
      for (const s of sockets) s.destroy();
      server.close();
    },
    hold() {
      held = true;
    },
    release() {
      held = false;
    },
  };
}

export function tempDir(prefix: string): string {
  return mkdtempSync(path.join(os.tmpdir(), prefix));
}


/** Which language the screen is in right now (the <html lang> the app sets). */
export async function currentLang(page: Page): Promise<'fr' | 'en'> {
  return (await page.locator('html').getAttribute('lang')) === 'en' ? 'en' : 'fr';
}

export async function switchLanguage(page: Page, to: 'fr' | 'en'): Promise<void> {
  if ((await currentLang(page)) === to) return;
  await page.locator('.lang-switch').click();
  await page.waitForFunction((l) => document.documentElement.lang === l, to);
}

/**
 * One screen, checked and pictured in both languages: axe-core (no serious/critical violation) and a PNG
 * e2e/screenshots/<lang>/<name>.png. Returns the violations found, to assert on.
 */
export async function checkScreen(page: Page, name: string): Promise<string[]> {
  const start = await currentLang(page);
  const violations: string[] = [];
  for (const lang of [start, start === 'fr' ? 'en' : 'fr'] as const) {
    await switchLanguage(page, lang);
    violations.push(...(await seriousViolations(page)).map((v) => `[${lang} ${name}] ${v}`));
    await shoot(page, lang, name);
  }
  await switchLanguage(page, start);
  return violations;
}

export interface ConnectOptions {
  email: string;
  host: string;
  port: number;
  username: string;
  password: string;
  /** Screens to picture on the way (names prefix), or none. */
  shots?: string;
  violations?: string[];
}

/**
 * The account screen as a user fills it for a server Arche does not know: email address, then the manual
 * fields, the password, "Tester la connexion", then the explicit "Faire confiance à ce serveur" for the test
 * server's self-signed certificate. Ends on "Connexion réussie" (or returns the error box's text).
 */
export async function connectAccount(page: Page, o: ConnectOptions): Promise<{ ok: true } | { ok: false; alert: string }> {
  const shots = async (name: string) => {
    if (o.shots) o.violations?.push(...(await checkScreen(page, `${o.shots}-${name}`)));
  };
  const email = page.getByLabel(/Votre adresse e-mail|Your email address/);
  await email.fill(o.email);
  await page.getByRole('button', { name: /^(Continuer|Continue)$/ }).first().click();
  const host = page.getByLabel(/Adresse du serveur|server address/);
  await host.waitFor();
  await shots('manual');
  await host.fill(o.host);
  await page.getByLabel(/Numéro de port|Port number/).fill(String(o.port));
  await page.getByLabel(/Nom d'utilisateur|User name/).fill(o.username);
  await page.getByLabel(/^(Mot de passe|Password)$/).fill(o.password);
  return testConnection(page, () => shots('certificate'), () => shots('connected'));
}

/**
 * "Tester la connexion" on the account screen, then the explicit "Faire confiance à ce serveur" when the test server's
 * self-signed certificate is shown. Ends on the connection test's own answer, or returns the error box's text.
 */
export async function testConnection(page: Page, onCertificate?: () => Promise<void>, onConnected?: () => Promise<void>): Promise<{ ok: true } | { ok: false; alert: string }> {
  await page.getByRole('button', { name: /Tester la connexion|Test the connection/ }).click();
  const trust = page.getByRole('button', { name: /Faire confiance à ce serveur|Trust this server/ });
  // The connection test's own answer: a provider's "Connecté en tant que …" is also a green box on this screen.
  const success = page.getByTestId('connection-ok');
  const failure = page.locator('.box-error');
  await Promise.race([trust.waitFor(), success.waitFor(), failure.waitFor()]);
  if (await trust.isVisible()) {
    await onCertificate?.();
    await trust.click();
    await Promise.race([success.waitFor(), failure.waitFor()]);
  }
  if (await failure.isVisible()) return { ok: false, alert: (await failure.textContent()) ?? '' };
  await onConnected?.();
  return { ok: true };
}

/**
 * Waits for a job to end on screen: "Terminé", the verification, or an error box. Fails at once, with the
 * error's words, instead of waiting for a heading that will never come.
 */
export async function waitForJobEnd(page: Page, timeout = 90_000): Promise<'done' | 'verify'> {
  const done = page.getByRole('heading', { level: 1, name: /^✓ (Terminé|Done)$/ });
  const verify = page.getByRole('heading', { level: 1, name: /Tout est-il arrivé \?|Did everything arrive\?/ });
  const failed = page.locator('.box-error');
  await Promise.race([done.waitFor({ timeout }), verify.waitFor({ timeout }), failed.waitFor({ timeout })]);
  // "Terminé" may carry a red notice (the lost-mail alarm), and the verification a red verdict: both are ends.
  if (await done.isVisible()) return 'done';
  if (await verify.isVisible()) return 'verify';
  throw new Error(`the job stopped: ${(await failed.first().textContent()) ?? ''}`);
}

/**
 * "Mettre mon courrier à l'abri" as a French user does it for a test server: the account screen (connectAccount),
 * "Continuer", "Mettre à l'abri", then the job's end. Returns how the job ended, or the sign-in's error.
 */
export async function keepAccount(page: Page, o: ConnectOptions): Promise<'done' | 'verify' | { ok: false; alert: string }> {
  await page.getByRole('button', { name: /Mettre mon courrier à l'abri/ }).click();
  const signedIn = await connectAccount(page, o);
  if (!signedIn.ok) return signedIn;
  await page.getByRole('button', { name: 'Continuer', exact: true }).click();
  await page.getByRole('button', { name: "Mettre à l'abri", exact: true }).click();
  return waitForJobEnd(page);
}

/** Whether nothing listens on this loopback port any more (a stopped test server: its port refuses at once). */
export function portRefuses(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.once('connect', () => {
      s.destroy();
      resolve(false);
    });
    s.once('error', (e: NodeJS.ErrnoException) => resolve(e.code === 'ECONNREFUSED'));
  });
}
