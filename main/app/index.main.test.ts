/**
 * The Electron main process cannot run on machines without an Electron binary, so this unit test runs
 * index.main.ts against a stand-in `electron` module and checks what it sets up: the window's security settings,
 * one IPC handler per channel with the sender check, navigation and new windows refused, the CSP, passwords
 * encrypted before they are stored. (The real window is tested by e2e/electron-window.e2e.ts where Electron exists.)
 */
import { describe, it, expect, vi, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createHash } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { CHANNELS } from '../../shared/api.std.ts';

type Handler = (event: unknown, req: unknown) => unknown;

const fake = vi.hoisted(() => {
  const state = {
    handlers: new Map<string, Handler>(),
    appEvents: new Map<string, (...a: unknown[]) => void>(),
    windows: [] as { options: { webPreferences: Record<string, unknown> }; loaded: string[] }[],
    opened: [] as string[],
    openedPaths: [] as string[],
    headersHook: null as null | ((d: { responseHeaders: Record<string, string[]> }, cb: (r: unknown) => void) => void),
    permissionHook: null as null | ((wc: unknown, p: string, cb: (ok: boolean) => void) => void),
    stored: {} as Record<string, unknown>,
    trays: [] as { tooltip: string; menu: { label?: string; type?: string; checked?: boolean; click?: (item: { checked: boolean }) => void }[] }[],
    loginItem: { openAtLogin: false, args: [] as string[] },
    quits: 0,
  };
  return state;
});

vi.mock('electron', () => {
  class BrowserWindow {
    webContents = { send: () => {}, mainFrame: { processId: 1, routingId: 1 } };
    constructor(options: { webPreferences: Record<string, unknown> }) {
      fake.windows.push({ options, loaded: [] });
    }
    async loadURL(url: string) {
      fake.windows[fake.windows.length - 1].loaded.push(url);
    }
    once() {}
    on() {}
    show() {}
  }
  return {
    app: {
      isPackaged: true,
      whenReady: async () => {},
      getLocale: () => 'fr-FR',
      getVersion: () => '9.9.9',
      getPath: () => os.tmpdir(),
      on: (name: string, cb: (...a: unknown[]) => void) => fake.appEvents.set(name, cb),
      quit: () => void fake.quits++,
      getLoginItemSettings: () => ({ openAtLogin: fake.loginItem.openAtLogin }),
      setLoginItemSettings: (s: { openAtLogin: boolean; args: string[] }) => (fake.loginItem = s),
    },
    Tray: class {
      entry = { tooltip: '', menu: [] as never[] };
      constructor() {
        fake.trays.push(this.entry);
      }
      setToolTip(t: string) {
        this.entry.tooltip = t;
      }
      setContextMenu(m: never[]) {
        this.entry.menu = m;
      }
      on() {}
    },
    Menu: { buildFromTemplate: (t: unknown[]) => t },
    nativeImage: { createFromBitmap: () => ({}) },
    BrowserWindow,
    ipcMain: { handle: (channel: string, fn: Handler) => fake.handlers.set(channel, fn) },
    session: {
      defaultSession: {
        webRequest: { onHeadersReceived: (fn: typeof fake.headersHook) => (fake.headersHook = fn) },
        setPermissionRequestHandler: (fn: typeof fake.permissionHook) => (fake.permissionHook = fn),
      },
    },
    protocol: { registerSchemesAsPrivileged: () => {}, handle: () => {} },
    net: { fetch: async () => new Response('') },
    shell: {
      openExternal: async (u: string) => void fake.opened.push(u),
      openPath: async (p: string) => {
        fake.openedPaths.push(p);
        return '';
      },
    },
    dialog: {},
    Notification: Object.assign(function Notification() {}, { isSupported: () => false }),
    safeStorage: {
      isEncryptionAvailable: () => true,
      getSelectedStorageBackend: () => 'gnome_libsecret',
      encryptString: (s: string) => Buffer.from(`sealed:${Buffer.from(s).toString('base64')}`),
      decryptString: (b: Buffer) => Buffer.from(b.toString().slice('sealed:'.length), 'base64').toString(),
    },
  };
});

vi.mock('electron-store', () => ({
  default: class Store {
    get(key: string, dflt?: unknown) {
      return fake.stored[key] ?? dflt;
    }
    set(key: string, value: unknown) {
      fake.stored[key] = value;
    }
  },
}));

let archiveDir: string;
const frame = (url: string, routingId = 1) => ({ senderFrame: { url, processId: 1, routingId }, sender: { mainFrame: { processId: 1, routingId: 1 } } });

beforeAll(async () => {
  archiveDir = mkdtempSync(path.join(os.tmpdir(), 'arche-electron-main-'));
  process.env.ARCHE_ARCHIVE_DIR = archiveDir;
  await import('./index.main.ts');
  // start() runs after whenReady: wait until the window exists and has loaded its page (no fixed sleep).
  await vi.waitFor(() => expect(fake.windows[0]?.loaded.length).toBe(1));
});

afterAll(() => {
  delete process.env.ARCHE_ARCHIVE_DIR;
  rmSync(archiveDir, { recursive: true, force: true });
});

describe('Electron main (against a stand-in electron module)', () => {
  it('stays in the tray, "Arche veille sur vos messages", when its window closes; starts with the computer on request', () => {
    expect(fake.trays).toHaveLength(1);
    const tray = fake.trays[0]!;
    expect(tray.tooltip).toBe('Arche veille sur vos messages');
    expect(tray.menu.map((m) => m.label).filter(Boolean)).toEqual(['Ouvrir Arche', 'Tout sauvegarder maintenant', "Démarrer Arche avec l'ordinateur", 'Quitter Arche']);
    const quits = fake.quits;
    fake.appEvents.get('window-all-closed')!();
    expect(fake.quits).toBe(quits);
    const atLogin = tray.menu.find((m) => m.type === 'checkbox')!;
    expect(atLogin.checked).toBe(false);
    atLogin.click!({ checked: true });
    expect(fake.loginItem).toEqual({ openAtLogin: true, args: ['--hidden'] });
    expect(fake.trays[0]!.menu.find((m) => m.type === 'checkbox')!.checked).toBe(true);
  });

  it('opens one window with the security settings on, loading the app page', () => {
    const w = fake.windows[0];
    expect(w.options.webPreferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, nodeIntegrationInSubFrames: false, webSecurity: true, webviewTag: false, allowRunningInsecureContent: false });
    // Built, main is out/main/index.js and the preload out/preload/index.cjs: a sibling folder of main's.
    expect(String(w.options.webPreferences.preload)).toBe(path.resolve(import.meta.dirname, '..', 'preload', 'index.cjs'));
    expect(w.loaded).toEqual(['app://arche/index.html']);
  });

  it('handles every channel, and only for the app page itself', async () => {
    expect([...fake.handlers.keys()].sort()).toEqual(CHANNELS.map((c) => `arche:${c}`).sort());
    const info = fake.handlers.get('arche:app.info')!;
    expect(await info(frame('app://arche/index.html'), {})).toMatchObject({ ok: true, value: { host: 'electron', version: '9.9.9', archiveDir, locale: 'fr-FR', passwordStore: 'keychain' } });
    for (const [url, routingId] of [['https://evil.example/', 1], ['app://arche.evil/', 1], ['file:///tmp/x.html', 1], ['app://arche/index.html', 2]] as const) {
      expect(await info(frame(url, routingId), {}), `${url} #${routingId}`).toEqual({ ok: false, error: { code: 'forbidden', fields: {} } });
    }
    expect(await info({ senderFrame: null, sender: { mainFrame: { processId: 1, routingId: 1 } } }, {})).toEqual({ ok: false, error: { code: 'forbidden', fields: {} } });
  });

  it('stores remembered passwords encrypted by the OS keychain, never in clear', async () => {
    const remember = fake.handlers.get('arche:accounts.remember')!;
    // Port 1 on this computer: nothing listens, so the connection is refused at once.
    const url = 'imaps://a@127.0.0.1:1';
    expect(await remember(frame('app://arche/'), { url, password: 'tres-secret' })).toEqual({ ok: true, value: { storage: 'keychain' } });
    const stored = JSON.stringify(fake.stored);
    expect(stored).toContain(url);
    expect(stored).not.toContain('tres-secret');
    expect(stored).not.toContain(Buffer.from('tres-secret').toString('base64'));
    // And it is found again (decrypted): without it the answer would be password-needed, not a refused connection.
    const test = fake.handlers.get('arche:accounts.test')!;
    const r = (await test(frame('app://arche/'), { account: { url } })) as { ok: boolean; error: { code: string } };
    expect(r.ok).toBe(false);
    expect(r.error.code).not.toBe('password-needed');
  });

  it('refuses navigation and new windows; opens only https links, outside', () => {
    const created = fake.appEvents.get('web-contents-created')!;
    const on = new Map<string, (e: { preventDefault(): void }) => void>();
    let openHandler: ((d: { url: string }) => { action: string }) | null = null;
    created({}, { on: (n: string, cb: (e: { preventDefault(): void }) => void) => on.set(n, cb), setWindowOpenHandler: (h: typeof openHandler) => (openHandler = h) });
    for (const name of ['will-navigate', 'will-redirect', 'will-attach-webview']) {
      let prevented = false;
      on.get(name)!({ preventDefault: () => (prevented = true) });
      expect(prevented, name).toBe(true);
    }
    expect(openHandler!({ url: 'https://myaccount.google.com/apppasswords' })).toEqual({ action: 'deny' });
    expect(openHandler!({ url: 'file:///etc/passwd' })).toEqual({ action: 'deny' });
    expect(openHandler!({ url: 'javascript:alert(1)' })).toEqual({ action: 'deny' });
    expect(fake.opened).toEqual(['https://myaccount.google.com/apppasswords']);
  });

  it('adds the strict CSP to responses and grants no permission', () => {
    let headers: Record<string, string[]> = {};
    fake.headersHook!({ responseHeaders: { 'content-type': ['text/html'] } }, (r) => (headers = (r as { responseHeaders: Record<string, string[]> }).responseHeaders));
    expect(headers['Content-Security-Policy'][0]).toContain("script-src 'self'");
    expect(headers['Content-Security-Policy'][0]).not.toMatch(/script-src[^;]*unsafe/);
    let granted: boolean | null = null;
    fake.permissionHook!({}, 'media', (ok) => (granted = ok));
    expect(granted).toBe(false);
  });

  it('opens a link of a message the user confirmed in the system browser: http(s) and mailto only (issue 14)', async () => {
    const call = fake.handlers.get('arche:links.open')!;
    const before = fake.opened.length;
    expect(await call(frame('app://arche/index.html'), { url: 'https://club.example/inscription' })).toEqual({ ok: true, value: { opened: true } });
    expect(await call(frame('app://arche/index.html'), { url: 'mailto:club@club.example' })).toEqual({ ok: true, value: { opened: true } });
    for (const url of ['javascript:alert(1)', 'file:///etc/passwd', 'https://bank.example@evil.example/']) expect(await call(frame('app://arche/index.html'), { url }), url).toMatchObject({ ok: false });
    // The message's own frame (a sub-frame) can never ask.
    expect(await call(frame('about:srcdoc', 2), { url: 'https://club.example/' })).toEqual({ ok: false, error: { code: 'forbidden', fields: {} } });
    expect(fake.opened.slice(before)).toEqual(['https://club.example/inscription', 'mailto:club@club.example']);
  });

  it('"Ouvrir" writes a private copy (0600) and opens it with the system; a program only once confirmed (issue 14)', async () => {
    const { openArchive } = await import('../engine/archive/archive.node.ts');
    const { extractMeta } = await import('../engine/archive/extract-meta.node.ts');
    const part = (name: string, body: string) => ['--b', `Content-Type: application/octet-stream; name="${name}"`, `Content-Disposition: attachment; filename="${name}"`, 'Content-Transfer-Encoding: base64', '', Buffer.from(body).toString('base64')];
    const raw = Buffer.from(['From: a@b.example', 'Subject: Pièces', 'MIME-Version: 1.0', 'Content-Type: multipart/mixed; boundary="b"', '', '--b', 'Content-Type: text/plain', '', 'Voici.', ...part('notes.txt', 'des notes'), ...part('outil.exe', 'MZ'), '--b--', ''].join('\r\n'));
    const archive = openArchive(archiveDir);
    const inbox = archive.upsertFolder(archive.ensureAccount('imaps://a@b.example:993').id, { path: 'INBOX', delimiter: '/', specialUse: null }).id;
    archive.addMessages([{ folderId: inbox, uidvalidity: 1, uid: 1, flags: [], internalDate: 0, raw, meta: await extractMeta(raw) }]);
    archive.close();
    const id = createHash('sha256').update(raw).digest('hex');
    const call = fake.handlers.get('arche:archive.openAttachment')!;
    const app = frame('app://arche/index.html');
    expect(await call(app, { id, index: 0 })).toEqual({ ok: true, value: { opened: true } });
    const file = fake.openedPaths.at(-1)!;
    expect(path.basename(file)).toBe('notes.txt');
    expect(readFileSync(file, 'utf8')).toBe('des notes');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(path.dirname(path.dirname(file))).mode & 0o777).toBe(0o700);
    const opened = fake.openedPaths.length;
    expect(await call(app, { id, index: 1 })).toEqual({ ok: false, error: { code: 'attachment-program-unconfirmed', fields: { filename: 'outil.exe' } } });
    expect(fake.openedPaths.length).toBe(opened);
    expect(await call(app, { id, index: 1, confirmed: true })).toEqual({ ok: true, value: { opened: true } });
    expect(path.basename(fake.openedPaths.at(-1)!)).toBe('outil.exe');
    rmSync(path.dirname(path.dirname(file)), { recursive: true, force: true });
  });
});
