/**
 * Arche's desktop app (Electron main process), following Electron's security checklist:
 * contextIsolation + sandbox on, nodeIntegration off, webSecurity on; a strict CSP on every response;
 * no navigation and no new windows (https links open in the system browser, after parsing); every IPC
 * sender checked against the app's own page; the page reaches the engine only through the preload's named
 * functions. Engine jobs run in worker threads (main/engine/jobs), so the window never freezes.
 */
import { app, BrowserWindow, dialog, ipcMain, Notification, session, shell, type IpcMainInvokeEvent, type WebContents } from 'electron';
import Store from 'electron-store';
import { createWriteStream, mkdirSync, readdirSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { CHANNELS, type JobState } from '../../shared/api.std.ts';
import { JobRunner } from '../engine/jobs/runner.node.ts';
import { defaultArchiveDir } from '../engine/archive/archive.node.ts';
import { createHandlers, dispatch, type HostHooks } from '../host/handlers.node.ts';
import { closeReaders } from '../host/engine.node.ts';
import { contentSecurityPolicy } from '../host/csp.std.ts';
import { APP_ORIGIN, externalUrl, isAppUrl } from '../host/url-policy.std.ts';
import { langOf } from '../host/folder-names.std.ts';
import { KeychainPasswordStore, type KeychainData } from './keychain.main.ts';
import { firstOf } from '../host/passwords.node.ts';
import { openOsKeychain } from '../host/os-keychain.node.ts';
import { recordBackupJob } from '../host/saved-backup.node.ts';
import { SavedAccounts } from '../engine/accounts/saved-accounts.node.ts';
import { startHostScheduler } from '../host/host-scheduler.node.ts';
import type { BackupScheduler } from '../host/scheduler.node.ts';
import { createTray, startedAtLogin } from './tray.main.ts';
import { backupNotice } from './tray-words.std.ts';
import { handleAppScheme, registerAppScheme } from './protocol.main.ts';
import { attentionNotice } from './attention.std.ts';
import { jobSecretOf, keepJobGrant } from '../host/kept-grant.node.ts';
import { distinctFileNames } from '../../shared/file-name.std.ts';
import { PrivateFiles } from '../host/private-files.node.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
/** out/main → out/ */
const outDir = path.resolve(here, '..');
/** Under `electron-vite dev` the screens come from the dev server. */
const devUrl = !app.isPackaged ? process.env.ELECTRON_RENDERER_URL : undefined;
const allowedOrigins = [APP_ORIGIN, ...(devUrl ? [new URL(devUrl).origin] : [])];
/** A long job (over a minute) ends with a system notification: the user has probably gone to do something else. */
const NOTIFY_AFTER_MS = 60_000;

interface Settings extends KeychainData {
  archiveDir?: string;
}

registerAppScheme();

let win: BrowserWindow | null = null;
/** Issue 13: Arche stays in the tray when its window closes (kept here so that it is not garbage-collected). */
let tray: ReturnType<typeof createTray> | null = null;
/** Attachments opened with the system ("Ouvrir"), removed when Arche quits. */
const privateFiles = new PrivateFiles();

function senderAllowed(event: IpcMainInvokeEvent): boolean {
  // The frame that sent it, not just the window: a sub-frame (the message viewer) must never reach the engine.
  const frame = event.senderFrame;
  const main = event.sender.mainFrame;
  return !!frame && frame.processId === main.processId && frame.routingId === main.routingId && isAppUrl(frame.url, allowedOrigins);
}

function lockDown(contents: WebContents) {
  contents.on('will-navigate', (e) => e.preventDefault());
  contents.on('will-redirect', (e) => e.preventDefault());
  contents.on('will-attach-webview', (e) => e.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    const safe = externalUrl(url);
    if (safe) void shell.openExternal(safe);
    return { action: 'deny' };
  });
}

function notifyEnd(job: JobState, lang: 'fr' | 'en') {
  if (!Notification.isSupported() || Date.now() - job.startedAt < NOTIFY_AFTER_MS) return;
  const ok = job.status === 'done';
  const words = {
    fr: { title: ok ? 'Arche a terminé' : "Arche s'est arrêté", body: ok ? 'Votre courrier est à l’abri. Ouvrez Arche pour voir le résultat.' : 'Ouvrez Arche pour voir ce qui s’est passé et reprendre.' },
    en: { title: ok ? 'Arche has finished' : 'Arche has stopped', body: ok ? 'Your mail is safe. Open Arche to see the result.' : 'Open Arche to see what happened and carry on.' },
  }[lang];
  new Notification({ title: words.title, body: words.body }).show();
}

async function start() {
  await app.whenReady();
  const settings = new Store<Settings>({ name: 'settings', defaults: { passwords: {} } });
  const archiveDir = process.env.ARCHE_ARCHIVE_DIR || settings.get('archiveDir') || defaultArchiveDir();
  mkdirSync(archiveDir, { recursive: true });
  const locale = app.getLocale();
  const lang = langOf(locale);
  const passwords = new KeychainPasswordStore(settings as unknown as Store<KeychainData>);
  if (passwords.storage === 'basic_text') {
    // The screens say it too (app.info → passwordStore); this line is for whoever reads the logs.
    console.warn(
      "Arche : cet ordinateur n'a pas de trousseau sécurisé ; les mots de passe retenus y sont peu protégés.\n" +
        'Arche: this computer has no secure keychain; remembered passwords are weakly protected there.',
    );
  }

  const runner = new JobRunner({
    archiveDir,
    passwordFor: (url) => jobSecretOf(passwords, url),
    onGrant: keepJobGrant(passwords),
    // The bundled worker sits beside the main bundle (see electron.config.ts).
    worker: () => ({ file: path.join(here, 'workers', 'job.worker.js'), options: {} }),
    onEvent: (e) => {
      // A hand-started backup of a saved account is kept in the saved list first: the dashboard, told next, shows it.
      if (e.event === 'job.state') recordBackupJob(new SavedAccounts(), e.payload, Date.now());
      win?.webContents.send('arche:event', e);
      if (e.event === 'job.state' && (e.payload.status === 'done' || e.payload.status === 'failed')) {
        // A failed backup or an alarm is told at once, with its reason (issue 13); other ends only after a long job.
        const attention = attentionNotice(e.payload, lang);
        if (attention && Notification.isSupported()) new Notification(attention).show();
        else notifyEnd(e.payload, lang);
      }
    },
  });

  const hooks: HostHooks = {
    async saveFile(name, _type, open) {
      const r = await dialog.showSaveDialog(win!, { defaultPath: path.join(app.getPath('downloads'), path.basename(name)) });
      if (r.canceled || !r.filePath) return { saved: false };
      await pipeline(open(), createWriteStream(r.filePath));
      return { saved: true };
    },
    // "Tout enregistrer": one folder the user chooses, every attachment under its safe, distinct name.
    async saveFiles(files) {
      const r = await dialog.showOpenDialog(win!, { defaultPath: app.getPath('downloads'), properties: ['openDirectory', 'createDirectory'] });
      const dir = r.filePaths[0];
      if (r.canceled || !dir) return { saved: false, count: 0 };
      // Never over a file already there: "a.pdf" becomes "a (2).pdf" (wx refuses to overwrite, should one appear meanwhile).
      const there = readdirSync(dir);
      const names = distinctFileNames([...there, ...files.map((f) => f.name)]).slice(there.length);
      for (const [i, f] of files.entries()) await pipeline(f.open(), createWriteStream(path.join(dir, path.basename(names[i])), { flags: 'wx' }));
      return { saved: true, count: files.length, path: dir };
    },
    // "Enregistrer en PDF" (issue 14): the page as printed (its print styles), nothing fetched: the page's own CSP holds.
    async savePdf(name) {
      const r = await dialog.showSaveDialog(win!, { defaultPath: path.join(app.getPath('documents'), path.basename(name)), filters: [{ name: 'PDF', extensions: ['pdf'] }] });
      if (r.canceled || !r.filePath) return { saved: false };
      const pdf = await win!.webContents.printToPDF({ printBackground: false });
      await writeFile(r.filePath, pdf);
      return { saved: true, path: r.filePath };
    },
    // "Ouvrir": a private copy (0600, in a 0700 folder), opened by the computer's own program.
    async openFile(name, _type, open) {
      const err = await shell.openPath(await privateFiles.write(name, open));
      return { opened: err === '' };
    },
    // A link of a message the user confirmed: checked again by the handler (http, https, mailto only).
    async openLink(url) {
      await shell.openExternal(url);
      return true;
    },
    async exportTarget(format, name) {
      const r =
        format === 'mbox'
          ? await dialog.showSaveDialog(win!, { defaultPath: path.join(app.getPath('documents'), name) })
          : await dialog.showOpenDialog(win!, { properties: ['openDirectory', 'createDirectory'] }).then((o) => ({ canceled: o.canceled, filePath: o.filePaths[0] }));
      if (r.canceled || !r.filePath) return null;
      const out = format === 'mbox' ? r.filePath : path.join(r.filePath, name);
      return { path: out, deliver: async () => ({ saved: true, path: out }) };
    },
    // Sign in with the provider (issue 12): its page opens in the user's own browser, only as a plain https URL.
    async openSignInPage(url) {
      const safe = externalUrl(url);
      if (!safe) return false;
      await shell.openExternal(safe);
      return true;
    },
    async openReport(file) {
      const err = await shell.openPath(file);
      return { opened: err === '' };
    },
  };

  // The scheduler starts later (after the window); "Tout sauvegarder maintenant" goes through it once it is there.
  let schedulerRef: BackupScheduler | null = null;
  const handlers = createHandlers({ host: 'electron', version: app.getVersion(), archiveDir, locale, passwords, runner, hooks, scheduler: () => schedulerRef });
  for (const channel of CHANNELS) {
    ipcMain.handle(`arche:${channel}`, (event, req: unknown) => {
      if (!senderAllowed(event)) return { ok: false, error: { code: 'forbidden', fields: {} } };
      return dispatch(handlers, channel, req);
    });
  }

  // The CSP also for the dev server's responses (app:// responses carry it already).
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [contentSecurityPolicy()], 'X-Content-Type-Options': ['nosniff'] } });
  });
  // No camera, microphone, notifications-from-page, etc.
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  handleAppScheme(path.join(outDir, 'renderer'));
  app.on('web-contents-created', (_e, contents) => lockDown(contents));

  const webPreferences = {
    preload: path.join(outDir, 'preload', 'index.cjs'),
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    spellcheck: false,
  } as const;
  // Readable from the main process only (the e2e test checks it through Playwright's app.evaluate).
  Object.defineProperty(globalThis, 'archeWindowPreferences', { value: Object.freeze({ ...webPreferences }) });
  const openWindow = async () => {
    if (win) return win.show();
    win = new BrowserWindow({ width: 1100, height: 780, title: 'Arche', show: false, webPreferences });
    win.once('ready-to-show', () => win?.show());
    win.on('closed', () => (win = null));
    await win.loadURL(devUrl ?? `${APP_ORIGIN}/index.html`);
  };
  // Started by the OS at login: in the tray only, the window opens from its menu.
  if (!startedAtLogin()) await openWindow();

  // Saved accounts are backed up at their times while Arche runs, the window open or not (issue 13). The app's
  // passwords (safeStorage) first, then those `arche accounts add` put in the OS keychain.
  const scheduler = (schedulerRef = startHostScheduler({
    archiveDir,
    passwords: firstOf(passwords, openOsKeychain()),
    onResult: (a, run) => {
      const notice = backupNotice(a.email, run, lang);
      if (notice && Notification.isSupported()) new Notification(notice).show();
    },
  }));
  try {
    tray = createTray({ lang, onOpen: () => void openWindow(), onBackupAll: () => void scheduler.backupAllNow() });
  } catch {
    // No tray on this desktop (some Linux sessions): closing the window quits, as before.
    tray = null;
  }

  // Jobs that were running when Arche closed carry on, if their passwords are in the keychain.
  for (const job of runner.interrupted()) {
    try {
      runner.resume(job.id);
    } catch {
      /* no password remembered: the Progress screen offers "Reprendre" and asks for it */
    }
  }

  let closing = false;
  app.on('before-quit', (e) => {
    if (closing) return;
    closing = true;
    e.preventDefault();
    // Stop jobs at a message boundary; they stay marked as running and carry on at the next launch.
    scheduler.stop();
    void runner.close().finally(() => {
      closeReaders();
      privateFiles.clear();
      app.quit();
    });
  });
  // With a tray, closing the window keeps Arche watching over the mail; "Quitter Arche" in the tray quits.
  app.on('window-all-closed', () => {
    if (!tray) app.quit();
  });
}

void start();
