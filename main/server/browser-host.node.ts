/**
 * Browser mode, assembled: the job runner, the password store (the OS keychain when this computer has one, else
 * this session's memory), the shared handlers, the scheduler of the saved accounts, and the HTTP bridge. Files reach
 * the user as one-time download URLs on the bridge.
 */
import { createReadStream, existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { WorkerOptions } from 'node:worker_threads';
import { JobRunner } from '../engine/jobs/runner.node.ts';
import { SessionPasswordStore } from '../host/passwords.node.ts';
import { openOsKeychain } from '../host/os-keychain.node.ts';
import { recordBackupJob } from '../host/saved-backup.node.ts';
import { SavedAccounts } from '../engine/accounts/saved-accounts.node.ts';
import { startHostScheduler } from '../host/host-scheduler.node.ts';
import type { BackupScheduler } from '../host/scheduler.node.ts';
import { createHandlers, dispatch, type HostHooks } from '../host/handlers.node.ts';
import { closeReaders, type Engine } from '../host/engine.node.ts';
import { reportSecurityPolicy } from '../host/csp.std.ts';
import { startServer, type ArcheServer, type HostEvent } from './server.node.ts';
import { Downloads } from './downloads.node.ts';
import { appRoot, appVersion } from './app-root.node.ts';
import { localeLanguage } from '../../shared/locale.std.ts';
import { jobSecretOf, keepJobGrant } from '../host/kept-grant.node.ts';

export interface BrowserHostOptions {
  archiveDir: string;
  port?: number;
  staticDir?: string;
  /** Extra trusted CA certificates (PEM) for every account. */
  ca?: string[];
  locale?: string;
  /** Tests: a fixed token, another engine, another job worker. */
  token?: string;
  engine?: Engine;
  worker?: () => { file: string | URL; options: WorkerOptions };
  /** Issue 13: false = no OS keychain (session memory only) and no scheduler (tests of other parts). */
  keychain?: boolean;
  scheduler?: boolean;
}

export interface BrowserHost {
  server: ArcheServer;
  runner: JobRunner;
  close(): Promise<void>;
}

/**
 * The system's language, or '' when it names none: the first locale variable set decides (POSIX order); C, POSIX and
 * C.UTF-8 are no preference, and then neither is Node's own default ("en-US" under C), so the browser's languages decide.
 */
export function systemLocale(env: NodeJS.ProcessEnv = process.env): string {
  const set = env.LC_ALL || env.LC_MESSAGES || env.LANG;
  if (set) return localeLanguage(set) ?? '';
  return localeLanguage(Intl.DateTimeFormat().resolvedOptions().locale) ?? '';
}

export async function startBrowserHost(opts: BrowserHostOptions): Promise<BrowserHost> {
  const root = appRoot();
  const listeners = new Set<(e: HostEvent) => void>();
  const keychain = opts.keychain === false ? null : openOsKeychain();
  const passwords = keychain ?? new SessionPasswordStore();
  const runner = new JobRunner({
    archiveDir: opts.archiveDir,
    passwordFor: (url) => jobSecretOf(passwords, url),
    onGrant: keepJobGrant(passwords),
    onEvent: (e) => {
      // A hand-started backup of a saved account is kept in the saved list first: the dashboard, told next, shows it.
      if (e.event === 'job.state') recordBackupJob(new SavedAccounts(), e.payload, Date.now());
      for (const l of listeners) l(e);
    },
    ...(opts.worker ? { worker: opts.worker } : {}),
  });
  const downloads = new Downloads();
  const hooks: HostHooks = {
    async saveFile(name, contentType, open) {
      return { saved: false, url: downloads.offer({ filename: name, contentType, open, disposition: 'attachment', once: true }) };
    },
    // "Tout enregistrer" in a browser: one download per attachment, into the browser's own downloads folder.
    async saveFiles(files) {
      const urls = files.map((f) => ({ name: f.name, url: downloads.offer({ filename: f.name, contentType: f.contentType, open: f.open, disposition: 'attachment', once: true }) }));
      return { saved: false, count: files.length, urls };
    },
    // "Ouvrir" in a browser: the file is downloaded (never shown on Arche's own origin, where a page could run),
    // and the browser opens it from its downloads.
    async openFile(name, contentType, open) {
      return { opened: false, url: downloads.offer({ filename: name, contentType, open, disposition: 'attachment', once: true }) };
    },
    async exportTarget(format, name) {
      const dir = path.join(opts.archiveDir, 'exports');
      mkdirSync(dir, { recursive: true });
      // A second export the same day gets "(2)", "(3)"… as a file manager would name it.
      const dot = name.endsWith('.mbox') ? name.length - '.mbox'.length : name.length;
      let out = path.join(dir, name);
      for (let i = 2; existsSync(out); i++) out = path.join(dir, `${name.slice(0, dot)} (${i})${name.slice(dot)}`);
      return {
        path: out,
        async deliver() {
          // An mbox is one file: the browser downloads it. Maildir and EML are folders: they stay in the archive
          // folder, and the screen says where.
          if (format !== 'mbox') return { saved: true, path: out };
          return { saved: true, path: out, url: downloads.offer({ filename: path.basename(out), contentType: 'application/mbox', open: () => createReadStream(out), disposition: 'attachment', once: true }) };
        },
      };
    },
    async openReport(file) {
      const url = downloads.offer({
        filename: path.basename(file),
        contentType: 'text/html; charset=utf-8',
        open: () => createReadStream(file),
        disposition: 'inline',
        once: false,
        ttlMs: 60 * 60_000,
        headers: { 'content-security-policy': reportSecurityPolicy() },
      });
      return { opened: false, url };
    },
  };
  // Started after the handlers (below); "Tout sauvegarder maintenant" goes through it once it is there.
  let scheduler: BackupScheduler | null = null;
  const handlers = createHandlers({
    scheduler: () => scheduler,
    host: 'browser',
    version: appVersion(root),
    archiveDir: opts.archiveDir,
    locale: opts.locale ?? systemLocale(),
    passwords,
    runner,
    hooks,
    ...(opts.engine ? { engine: opts.engine } : {}),
    ...(opts.ca?.length ? { ca: opts.ca } : {}),
  });
  const server = await startServer({
    dispatch: (channel, req) => dispatch(handlers, channel, req),
    subscribe: (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    staticDir: opts.staticDir ?? path.join(root, 'out', 'renderer'),
    downloads,
    ...(opts.port !== undefined ? { port: opts.port } : {}),
    ...(opts.token ? { token: opts.token } : {}),
  });
  // Saved accounts are backed up at their planned times while Arche runs (a backup missed while off runs soon).
  scheduler = opts.scheduler === false ? null : startHostScheduler({ archiveDir: opts.archiveDir, passwords: keychain, ...(opts.ca?.length ? { ca: opts.ca } : {}) });
  return {
    server,
    runner,
    async close() {
      // A scheduled backup under way stops with the process: a backup killed at any instant loses nothing.
      scheduler?.stop();
      await runner.close();
      await server.close();
      closeReaders();
    },
  };
}
