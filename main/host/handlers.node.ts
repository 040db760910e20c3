/**
 * Every channel of the contract (shared/api.std.ts `Handlers`), over the engine, whatever the host:
 * Electron's main process (IPC) and `arche serve` (HTTP) both call `dispatch`. Results are data
 * ({ok, value} | {ok:false, error:{code, fields}}); an unexpected error becomes `internal` with no stack,
 * no message text and no secret.
 */
import { existsSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { ArcheError } from '../../shared/errors.std.ts';
import type { AccountInput, AutoconfigResult, Channel, CheckedReq, Res, Result } from '../../shared/api.std.ts';
import type { AccountSpec } from '../../shared/types.std.ts';
import { toErrorData } from '../engine/jobs/error-data.std.ts';
import type { JobRunner } from '../engine/jobs/runner.node.ts';
import type { AccountRef, JobSecrets } from '../engine/jobs/job-types.std.ts';
import { autoconfigure } from '../engine/accounts/autoconfig.node.ts';
import { canonicalAccountUrl } from '../engine/imap/account-url.std.ts';
import { basicNameProblem } from '../engine/move/user-mapping.std.ts';
import { engine as realEngine, type Engine } from './engine.node.ts';
import type { PasswordStore } from './passwords.node.ts';
import { checkRequest, isChannel } from './validate.std.ts';
import { SavedAccounts, viewOf } from '../engine/accounts/saved-accounts.node.ts';
import { parseSchedule } from '../engine/accounts/schedule.std.ts';
import { parseAccountUrl } from '../engine/imap/account-url.std.ts';
import { copiesStatus } from '../engine/keep/copies-status.node.ts';
import { OAuthSignIns } from './oauth-sign-in.node.ts';
import { savedArchives } from './saved-check.node.ts';
import { checkedLink } from '../../shared/link.std.ts';
import { distinctFileNames, isExecutableName, safeFileName } from '../../shared/file-name.std.ts';
import { BackupScheduler } from './scheduler.node.ts';
import { exportFileName, ownerOf } from './export-name.std.ts';

/** What differs between Electron and the browser: how files reach the user. */
export interface HostHooks {
  /** Electron: a save dialog, then writes the file; browser: a one-time download URL. */
  saveFile(name: string, contentType: string, open: () => NodeJS.ReadableStream): Promise<{ saved: boolean; url?: string }>;
  /** Where an export is written (Electron: the path the user chose; browser: a temp path, then a download URL). */
  exportTarget(format: 'mbox' | 'maildir' | 'eml', name: string): Promise<{ path: string; deliver(): Promise<{ saved: boolean; path?: string; url?: string }> } | null>;
  /**
   * "Tout enregistrer" (issue 14): files with safe, distinct names. Electron: into a folder the user chooses;
   * browser: one download address each.
   */
  saveFiles(files: { name: string; contentType: string; open: () => NodeJS.ReadableStream }[]): Promise<{ saved: boolean; count: number; path?: string; urls?: { name: string; url: string }[] }>;
  /** Electron (issue 14): the window printed into a PDF file the user names; browser mode: absent. */
  savePdf?(name: string): Promise<{ saved: boolean; path?: string }>;
  /**
   * "Ouvrir" an attachment with the computer's own program. Electron: written into a private temporary folder, then
   * opened (`opened`); browser: a one-time download address (`url`), which the browser then opens.
   */
  openFile(name: string, contentType: string, open: () => NodeJS.ReadableStream): Promise<{ opened: boolean; url?: string }>;
  /** Electron: opens a checked http(s)/mailto link in the user's browser, true when done; browser mode: absent. */
  openLink?(url: string): Promise<boolean>;
  /** Electron: the OS viewer; browser: a URL served by the bridge. */
  openReport(file: string): Promise<{ opened: boolean; url?: string }>;
  /** Electron: opens a sign-in page (checked https) in the user's browser, true when done; browser mode: absent. */
  openSignInPage?(url: string): Promise<boolean>;
}

export interface HostDeps {
  host: 'electron' | 'browser';
  version: string;
  archiveDir: string;
  locale: string;
  passwords: PasswordStore;
  runner: JobRunner;
  hooks: HostHooks;
  engine?: Engine;
  autoconfig?: (email: string) => Promise<AutoconfigResult>;
  /** Extra trusted CA certificates for every account (`arche serve --ca-file`, for private servers and tests). */
  ca?: string[];
  /** The saved accounts (issue 13); default: the list in Arche's config folder. */
  saved?: SavedAccounts;
  /** The clock (tests inject one). */
  now?: () => number;
  /**
   * The host's scheduler of saved accounts (started after the handlers, hence a getter), through which "Tout
   * sauvegarder maintenant" goes; none (a host started without one): a scheduler of these handlers that never runs
   * by itself and only keeps hand-started runs of one account from overlapping.
   */
  scheduler?: () => BackupScheduler | null;
}

/** One handler per channel of the contract, given the request once checked against the channel's schema. */
export type HandlerMap = { [K in Channel]: (req: CheckedReq<K>) => Promise<Res<K>> };

export { isChannel };

/** Only the fields given (exactOptionalPropertyTypes): the engine's defaults stand for the others. */
function given<T extends object>(req: T): { [K in keyof T]: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(req).filter(([, v]) => v !== undefined)) as { [K in keyof T]: Exclude<T[K], undefined> };
}

export function createHandlers(deps: HostDeps): HandlerMap {
  const engine = deps.engine ?? realEngine;
  const store = deps.passwords;
  const saved = deps.saved ?? new SavedAccounts();
  const now = deps.now ?? Date.now;
  let ownScheduler: BackupScheduler | null = null;
  const schedulerOf = (): BackupScheduler =>
    deps.scheduler?.() ?? (ownScheduler ??= new BackupScheduler({ saved, run: () => Promise.reject(new ArcheError('internal', {})) }));
  const signIns = new OAuthSignIns(store, (url) => deps.hooks.openSignInPage?.(url) ?? Promise.resolve(false));
  function savedView(url: string) {
    const a = saved.get(url);
    if (!a) throw new ArcheError('account-not-saved', { account: url });
    return viewOf(a, deps.archiveDir, now());
  }

  /** The password typed now, else the remembered one; the certificate choice likewise. */
  function resolve(input: AccountInput): { spec: AccountSpec; ref: AccountRef } {
    // One spelling per account (the archive's key), so that passwords, jobs and the archive agree.
    const url = canonicalAccountUrl(input.url);
    const remembered = store.get(url);
    // An account signed in with its provider (OAuth, issue 12) uses its kept grant unless a password is typed now.
    const oauth = input.password === undefined ? remembered?.oauth : undefined;
    const password = input.password ?? remembered?.password;
    if (password === undefined && !oauth) throw new ArcheError('password-needed', { account: url });
    const trustedFingerprint = input.trustedFingerprint ?? remembered?.trustedFingerprint;
    const ref: AccountRef = { url };
    if (trustedFingerprint) ref.trustedFingerprint = trustedFingerprint;
    if (deps.ca?.length) ref.ca = deps.ca;
    return { spec: oauth ? { ...ref, password: '', oauth } : { ...ref, password: password ?? '' }, ref };
  }

  function secretsOf(...specs: AccountSpec[]): JobSecrets {
    return Object.fromEntries(specs.map((s) => [s.url, s.oauth ? { oauth: s.oauth } : s.password]));
  }

  /**
   * The archive's accounts, titled by the e-mail address the user typed when Arche knows it (remembered, or a
   * saved account), not by the server's login name ("marie · 127.0.0.1").
   */
  async function listAccounts() {
    return (await engine.listAccounts(deps.archiveDir)).map((a) => {
      const email = store.get(a.url)?.email || saved.get(a.url)?.email;
      return email ? { ...a, label: email } : a;
    });
  }

  return {
    async 'app.info'() {
      return { version: deps.version, host: deps.host, archiveDir: deps.archiveDir, locale: deps.locale, passwordStore: store.storage };
    },
    async 'accounts.list'() {
      return listAccounts();
    },
    async 'accounts.autoconfig'({ email }) {
      return (deps.autoconfig ?? ((e: string) => autoconfigure(e)))(email);
    },
    async 'accounts.test'({ account }) {
      const { spec } = resolve(account);
      return { folders: await engine.testAccount(spec, deps.locale) };
    },
    async 'accounts.remember'({ url: typed, password, trustedFingerprint, email: typedEmail }) {
      const url = canonicalAccountUrl(typed);
      // A trust the user gave stays until they take it back (accounts.trust): a password typed again without
      // a fingerprint (the connection worked thanks to the remembered trust) must not erase it.
      const before = store.get(url);
      const kept = trustedFingerprint ?? before?.trustedFingerprint;
      const email = typedEmail?.trim() || before?.email;
      const extra = { ...(kept ? { trustedFingerprint: kept } : {}), ...(email ? { email } : {}) };
      // No password (an account signed in with its provider): only the certificate choice and the address join
      // what is kept (its sign-in stays as it is).
      if (password === '') {
        if (before) store.remember(url, { ...before, ...extra });
        return { storage: store.storage };
      }
      store.remember(url, { password, ...extra });
      return { storage: store.storage };
    },
    async 'accounts.known'() {
      // What the host already knows: the archive's accounts and the remembered ones (one source to swap later).
      const kept = await engine.listAccounts(deps.archiveDir);
      const urls = [...new Set([...kept.map((a) => a.url), ...(store.urls?.() ?? [])])];
      return urls.map((url) => {
        const r = store.get(url);
        const label = kept.find((a) => a.url === url)?.label ?? '';
        return { url, email: r?.email ?? (label.includes('@') ? label : null), kept: kept.some((a) => a.url === url), passwordKnown: !!r?.password };
      });
    },
    async 'accounts.trust'({ url: typed, fingerprint }) {
      const url = canonicalAccountUrl(typed);
      const remembered = store.get(url);
      // Nothing remembered yet: the trust travels with the account's input until its password is remembered.
      if (!remembered) return { remembered: false };
      const { trustedFingerprint: _old, ...rest } = remembered;
      store.remember(url, fingerprint ? { ...rest, trustedFingerprint: fingerprint } : rest);
      return { remembered: true };
    },
    async 'jobs.list'() {
      return deps.runner.list();
    },
    async 'jobs.backup'({ account, folders }) {
      const { spec, ref } = resolve(account);
      const state = deps.runner.start({ kind: 'backup', account: ref, ...(folders ? { folders } : {}) }, secretsOf(spec));
      return { jobId: state.id };
    },
    async 'jobs.restore'(req) {
      const fromAccount = canonicalAccountUrl(req.fromAccount);
      const { spec, ref } = resolve(req.to);
      const folders = req.folders;
      const state = deps.runner.start({ kind: 'restore', fromAccount, to: ref, ...(folders ? { folders } : {}) }, secretsOf(spec));
      return { jobId: state.id };
    },
    async 'jobs.plan'(req) {
      const from = resolve(req.from).spec;
      const to = resolve(req.to).spec;
      return engine.plan(deps.archiveDir, from, to, req.folders, req.mapping);
    },
    async 'jobs.migrate'(req) {
      const from = resolve(req.from);
      const to = resolve(req.to);
      const { folders, mapping } = req;
      // The user's destinations go to the engine, which checks them against the new provider before copying
      // anything; an empty name needs no server to be refused, so it is refused at once.
      for (const m of mapping ?? []) {
        const reason = basicNameProblem(m.destination);
        if (reason) throw new ArcheError('move-mapping-invalid', { source: m.source, destination: m.destination, reason });
      }
      const state = deps.runner.start(
        { kind: 'migrate', from: from.ref, to: to.ref, ...(folders ? { folders } : {}), ...(mapping ? { mapping } : {}), ...(typeof req.bringAlong === 'boolean' ? { bringAlong: req.bringAlong } : {}) },
        secretsOf(from.spec, to.spec),
      );
      return { jobId: state.id };
    },
    async 'jobs.verify'(req) {
      const fromAccount = canonicalAccountUrl(req.fromAccount);
      const { spec, ref } = resolve(req.against);
      const folders = req.folders;
      const state = deps.runner.start({ kind: 'verify', fromAccount, against: ref, ...(folders ? { folders } : {}) }, secretsOf(spec));
      return { jobId: state.id };
    },
    async 'jobs.pause'({ jobId }) {
      return deps.runner.pause(jobId);
    },
    async 'jobs.resume'({ jobId }) {
      // A job that stopped on a withdrawn permission (oauth-revoked) goes on with the grant the person just got by
      // signing in again ("Se reconnecter" on the progress screen): the kept grants of its accounts, fresh from the store.
      const job = deps.runner.get(jobId);
      const fresh: JobSecrets = {};
      for (const url of [job.account, job.destination]) {
        const oauth = url ? store.get(url)?.oauth : undefined;
        if (url && oauth) fresh[url] = { oauth };
      }
      return deps.runner.resume(jobId, fresh);
    },
    async 'jobs.cancel'({ jobId }) {
      return deps.runner.cancel(jobId);
    },
    async 'archive.search'(req) {
      const q: { query: string; limit?: number; offset?: number; sort?: 'relevance' | 'date' } = { query: req.query };
      if (req.limit !== undefined) q.limit = req.limit;
      if (req.offset !== undefined) q.offset = req.offset;
      if (req.sort) q.sort = req.sort;
      return engine.search(deps.archiveDir, q);
    },
    async 'archive.message'({ id }) {
      return engine.message(deps.archiveDir, id);
    },
    async 'archive.conversation'({ id }) {
      return engine.conversation(deps.archiveDir, id);
    },
    async 'archive.conversations'(req) {
      const q: { account?: string; folder?: string; after?: { date: number | null; id: number }; limit?: number } = {};
      if (req.account !== undefined) q.account = req.account;
      if (req.folder !== undefined) q.folder = req.folder;
      if (req.after) q.after = req.after;
      if (req.limit !== undefined) q.limit = req.limit;
      return engine.conversations(deps.archiveDir, q);
    },
    async 'print.savePdf'({ name }) {
      if (!deps.hooks.savePdf) return { saved: false };
      return deps.hooks.savePdf(`${safeFileName(name, 'conversation')}.pdf`);
    },
    async 'archive.folders'() {
      return engine.folders(deps.archiveDir);
    },
    async 'archive.list'(req) {
      return engine.list(deps.archiveDir, given(req));
    },
    async 'archive.count'(req) {
      return { count: await engine.count(deps.archiveDir, given(req)) };
    },
    async 'archive.saveAttachment'({ id, index }) {
      const att = await engine.attachment(deps.archiveDir, id, index);
      return deps.hooks.saveFile(att.filename, att.contentType, att.open);
    },
    async 'archive.saveAllAttachments'({ id }) {
      const all = await engine.attachments(deps.archiveDir, id);
      if (all.length === 0) return { saved: false, count: 0 };
      const names = distinctFileNames(all.map((a) => a.filename));
      return deps.hooks.saveFiles(all.map((a, i) => ({ name: names[i], contentType: a.contentType, open: a.open })));
    },
    async 'archive.openAttachment'({ id, index, confirmed }) {
      const att = await engine.attachment(deps.archiveDir, id, index);
      // The page asks first; the host checks again, so that no call opens a program the user was not warned about.
      if (isExecutableName(att.filename) && confirmed !== true) throw new ArcheError('attachment-program-unconfirmed', { filename: att.filename });
      return deps.hooks.openFile(att.filename, att.contentType, att.open);
    },
    async 'links.open'({ url }) {
      // Checked again here (the page is not trusted with it): only http, https and mailto leave Arche.
      const safe = checkedLink(url);
      if (!safe) throw new ArcheError('bad-request', { detail: 'url' });
      return { opened: (await deps.hooks.openLink?.(safe)) ?? false };
    },
    async 'archive.export'({ query, select, format }) {
      // A name a person reads: whose mail, which day ("Courrier de marie — 2 décembre 2026.mbox").
      const kept = await listAccounts();
      const owner = kept.length === 1 ? ownerOf(kept[0].label) : null;
      const target = await deps.hooks.exportTarget(format, exportFileName(owner, now(), deps.locale.startsWith('fr') ? 'fr' : 'en', format));
      if (!target) return { saved: false, count: 0 };
      const count = await engine.exportTo(deps.archiveDir, { query, ...(select ? { select: given(select) } : {}) }, format, target.path);
      return { ...(await target.deliver()), count };
    },
    async 'reports.open'(req) {
      return deps.hooks.openReport(reportPath(deps.archiveDir, req.path));
    },
    // Issue 13: saved accounts.
    async 'accounts.saved'() {
      const at = now();
      return saved.list().map((a) => viewOf(a, deps.archiveDir, at));
    },
    async 'accounts.save'({ account, schedule }) {
      const { spec } = resolve(account);
      // The sign-in is checked before anything is remembered: a wrong password is never saved.
      await engine.testAccount(spec, deps.locale);
      store.remember(spec.url, { password: spec.password, ...(spec.trustedFingerprint ? { trustedFingerprint: spec.trustedFingerprint } : {}), ...(spec.oauth ? { oauth: spec.oauth } : {}) });
      const sched = schedule ? parseSchedule(schedule) : null;
      saved.add({ url: spec.url, email: parseAccountUrl(spec.url).user, ...(spec.oauth ? { auth: 'oauth' as const } : {}), ...(spec.trustedFingerprint ? { trustedFingerprint: spec.trustedFingerprint } : {}), archiveDir: deps.archiveDir, ...(sched ? { schedule: sched } : {}) }, now());
      return { account: savedView(spec.url), storage: store.storage };
    },
    async 'accounts.setSchedule'({ url: typed, schedule }) {
      const url = canonicalAccountUrl(typed);
      const sched = parseSchedule(schedule);
      if (!sched) throw new ArcheError('bad-request', { detail: 'schedule' });
      savedView(url);
      saved.setSchedule(url, sched);
      return savedView(url);
    },
    async 'accounts.backupAll'() {
      // Each saved account as a backup job (progress on screen), its password as any hand-started backup finds it.
      return schedulerOf().backupAllNow((a) => {
        const { spec, ref } = resolve({ url: a.url });
        const state = deps.runner.start({ kind: 'backup', account: ref }, secretsOf(spec));
        return { jobId: state.id, stopped: deps.runner.stopped(state.id) };
      });
    },
    async 'accounts.forget'({ url: typed }) {
      const url = canonicalAccountUrl(typed);
      store.forget(url);
      return { removed: saved.remove(url) };
    },
    // Issue 13, part B: the archive's own care.
    async 'copies.status'() {
      // The next monthly check of this archive (the scheduler's and `backup --all --due`'s), when accounts are saved in it.
      const mine = savedArchives(saved.list(), deps.archiveDir, now()).find((c) => c.archiveDir === path.resolve(deps.archiveDir));
      return { ...copiesStatus(deps.archiveDir), nextCheckAt: mine?.nextAt ?? null };
    },
    async 'jobs.check'() {
      // Every account Arche can sign in to without asking: their damaged messages are fetched again; the others named.
      const urls = new Set([...saved.list().map((a) => a.url), ...(await engine.listAccounts(deps.archiveDir)).map((a) => a.url)]);
      const specs: AccountSpec[] = [];
      for (const url of urls) {
        const r = store.get(url);
        if (r?.password === undefined && !r?.oauth) continue;
        specs.push({ url, password: r.password ?? '', ...(r.oauth ? { oauth: r.oauth } : {}), ...(r.trustedFingerprint ? { trustedFingerprint: r.trustedFingerprint } : {}), ...(deps.ca?.length ? { ca: deps.ca } : {}) });
      }
      const refs: AccountRef[] = specs.map(({ password: _p, oauth: _o, ...ref }) => ref);
      const state = deps.runner.start({ kind: 'check', accounts: refs }, secretsOf(...specs));
      return { jobId: state.id };
    },
    async 'jobs.mirror'({ to }) {
      const state = deps.runner.start({ kind: 'mirror', to: path.resolve(to) });
      return { jobId: state.id };
    },
    // Issue 12: sign in with the provider (OAuth 2.0).
    async 'oauth.start'(req) {
      return signIns.start(req);
    },
    async 'oauth.status'({ signInId }) {
      return signIns.status(signInId);
    },
    async 'oauth.account'({ url }) {
      return signIns.signedInAs(url);
    },
  };
}

/** A report the page asks to open must be one of Arche's own HTML reports, inside the archive folder. */
export function reportPath(archiveDir: string, requested: string): string {
  const full = path.resolve(archiveDir, requested);
  if (!existsSync(full) || !/\.html?$/i.test(full)) throw new ArcheError('report-not-found', {});
  const real = realpathSync(full);
  const root = realpathSync(archiveDir);
  const rel = path.relative(root, real);
  if (rel.startsWith('..') || path.isAbsolute(rel)) throw new ArcheError('report-not-found', {});
  return real;
}

/** One request from a page: checks the channel and the request against the contract, runs it, and always answers with data. */
export async function dispatch(handlers: HandlerMap, channel: string, req: unknown): Promise<Result<unknown>> {
  if (!isChannel(channel)) return { ok: false, error: { code: 'bad-request', fields: { detail: 'channel' } } };
  try {
    const handler = handlers[channel] as (r: unknown) => Promise<unknown>;
    return { ok: true, value: await handler(checkRequest(channel, req)) };
  } catch (e) {
    return { ok: false, error: toErrorData(e) };
  }
}
