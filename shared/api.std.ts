/**
 * THE contract between the renderer and the engine host (Electron main via IPC, or `arche serve` via HTTP).
 * Every request and every event is defined here once. Both hosts implement `Handlers`; the renderer calls
 * them through one `Bridge` interface (renderer/bridge/*), whatever the host.
 * Errors cross as data: every call resolves to Result<T> ({ok, value} | {ok:false, error:{code, fields}}).
 */
import type { Result, ArcheErrorData } from './errors.std.ts';
import type { ProgressEvent, JobKind } from './events.std.ts';
import type { FolderRole } from './types.std.ts';

export type { Result } from './errors.std.ts';

/** What the renderer sends to name an account. The password is sent once (accounts.remember) or inline. */
export interface AccountInput {
  /** imaps://USER@HOST:PORT or imap://USER@HOST:PORT */
  url: string;
  /** Omit to use the remembered password (OS keychain, or this session's memory in browser mode). */
  password?: string;
  /** Set only after the user clicked "Faire confiance à ce serveur" for this fingerprint. */
  trustedFingerprint?: string;
}

export interface ProviderHelp {
  /** 'app-password' (Gmail, Yahoo, iCloud...), 'bridge' (Proton Bridge), 'normal' */
  passwordKind: 'app-password' | 'bridge' | 'normal';
  /** Where to create an app password / enable IMAP (https URLs only) */
  passwordUrl?: string;
  enableImapUrl?: string;
}

export interface ProviderSettings {
  /** Display name, e.g. "Mailo", "Gmail", "Orange" */
  name: string;
  host: string;
  port: number;
  security: 'tls' | 'starttls';
  /** The login to use: the full address or its local part, as the provider wants */
  username: string;
  help: ProviderHelp;
  /** True when these settings are Arche's guess (e.g. a university's Zimbra server), not known settings: ask the user to check them. */
  guess?: boolean;
}

export interface AutoconfigResult {
  /** 'arche' (our own presets), 'ispdb' (Thunderbird's database), 'autoconfig' (the domain's autoconfig URL), 'none' */
  source: 'arche' | 'ispdb' | 'autoconfig' | 'none';
  settings: ProviderSettings | null;
}

export interface FolderSummary {
  path: string;
  /** Display name in the user's language (e.g. "Boîte de réception" for INBOX) */
  displayName: string;
  role: FolderRole | null;
  messages: number;
  bytes: number;
}

export interface AccountSummary {
  url: string;
  /** email address or user name, for display */
  label: string;
  /** Provider display name, e.g. "Mailo" */
  provider: string;
  lastBackupAt: number | null;
  lastBackupStatus: 'ok' | 'alarm' | 'failed' | null;
  messages: number;
  /** Present when the last backup raised the lost-mail alarm */
  alarm: { missing: number; folders: string[]; at: number } | null;
  /** Kept messages the server no longer has (below the alarm's threshold too), and since when (ms). */
  serverMissing: { count: number; since: number | null } | null;
  /** Messages the server lists but never handed over whole: named so that nothing is skipped in silence. */
  unreadable: { folder: string; subject: string | null; date: number | null; tries: number }[];
}

export interface MappingLine {
  source: string;
  destination: string;
  role: FolderRole | null;
  reason: 'special-use' | 'name' | 'converted' | 'substituted' | 'user';
  exists: boolean;
  messages: number;
  bytes: number;
  note?: ArcheErrorData;
}

export interface MigrationPlan {
  folders: MappingLine[];
  quotaOk: boolean;
  /** bytes needed / available at the destination, when the server tells */
  quota: { needed: number; available: number | null } | null;
  /** Messages that will not go, with why (too large for the destination...) */
  wontGo: { folder: string; subject: string; size: number; reason: ArcheErrorData }[];
  notes: ArcheErrorData[];
}

export type JobStatus = 'running' | 'paused' | 'done' | 'failed' | 'cancelled';

export interface JobState {
  id: string;
  kind: JobKind;
  /** Account the job is about (source) */
  account: string;
  /** Destination, for restore/migrate */
  destination?: string;
  status: JobStatus;
  startedAt: number;
  progress: ProgressEvent | null;
  /** Final result when done (shape depends on kind: BackupSummary, RestoreSummary, VerifySummary...) */
  result?: unknown;
  error?: ArcheErrorData;
}

export interface VerifyFolderLine {
  source: string;
  destination: string;
  expected: number;
  present: number;
  missing: number;
  changed: number;
  /** Plain explanations of every difference */
  notes: ArcheErrorData[];
}

export interface VerifySummary {
  expected: number;
  present: number;
  missing: number;
  changed: number;
  folders: VerifyFolderLine[];
  /** Path of the saved HTML report (JSON beside it) */
  report: string;
}

export interface SearchHit {
  /** Content id: SHA-256 hex of the raw bytes */
  id: string;
  account: string;
  folders: string[];
  /** ISO-8601 */
  date: string | null;
  from: string;
  subject: string;
  /** HTML-escaped text where matched words are wrapped in <mark>…</mark> (only those tags). */
  snippet: string;
}

export interface SearchResults {
  total: number;
  results: SearchHit[];
}

export interface MessageView {
  id: string;
  account: string;
  folders: string[];
  date: string | null;
  from: string;
  to: string;
  cc: string;
  subject: string;
  flags: string[];
  /** Plain text body (decoded) */
  text: string;
  /** Raw HTML body, UNSANITIZED: the renderer sanitizes it (DOMPurify) and shows it in a sandboxed frame */
  html: string | null;
  attachments: { index: number; filename: string; contentType: string; size: number }[];
}

/** Request → response, for every call the renderer can make. */
export interface Handlers {
  'app.info': {
    req: Record<string, never>;
    res: { version: string; host: 'electron' | 'browser'; archiveDir: string; locale: string; passwordStore: 'keychain' | 'session' | 'basic_text' };
  };
  'accounts.list': { req: Record<string, never>; res: AccountSummary[] };
  'accounts.autoconfig': { req: { email: string }; res: AutoconfigResult };
  /** Connects, lists folders with counts and sizes. Fails with e.g. auth-failed, cert-untrusted {fingerprint}. */
  'accounts.test': { req: { account: AccountInput }; res: { folders: FolderSummary[] } };
  /** Keep the password: OS keychain (safeStorage) in Electron, memory for this session in browser mode. */
  'accounts.remember': { req: { url: string; password: string; trustedFingerprint?: string }; res: { storage: 'keychain' | 'session' | 'basic_text' } };
  'jobs.list': { req: Record<string, never>; res: JobState[] };
  'jobs.backup': { req: { account: AccountInput; folders?: string[] }; res: { jobId: string } };
  'jobs.restore': { req: { fromAccount: string; to: AccountInput; folders?: string[] }; res: { jobId: string } };
  'jobs.plan': { req: { from: AccountInput; to: AccountInput; folders?: string[] }; res: MigrationPlan };
  'jobs.migrate': {
    req: { from: AccountInput; to: AccountInput; folders?: string[]; mapping?: { source: string; destination: string }[] };
    res: { jobId: string };
  };
  'jobs.verify': { req: { fromAccount: string; against: AccountInput; folders?: string[] }; res: { jobId: string } };
  'jobs.pause': { req: { jobId: string }; res: JobState };
  'jobs.resume': { req: { jobId: string }; res: JobState };
  'jobs.cancel': { req: { jobId: string }; res: JobState };
  'archive.search': { req: { query: string; limit?: number; offset?: number; sort?: 'relevance' | 'date' }; res: SearchResults };
  'archive.message': { req: { id: string }; res: MessageView };
  /** Electron: save dialog; browser: returns a one-time download URL on the bridge. */
  'archive.saveAttachment': { req: { id: string; index: number }; res: { saved: boolean; url?: string } };
  'archive.export': { req: { query: string; format: 'mbox' | 'maildir' | 'eml' }; res: { saved: boolean; path?: string; url?: string; count: number } };
  /** Opens a saved verification report (Electron: the OS viewer; browser: a URL on the bridge). */
  'reports.open': { req: { path: string }; res: { opened: boolean; url?: string } };
}

export type Channel = keyof Handlers;
export type Req<K extends Channel> = Handlers[K]['req'];
export type Res<K extends Channel> = Handlers[K]['res'];

/** Events the host pushes to the renderer. */
export interface ServerEvents {
  'job.progress': { jobId: string; progress: ProgressEvent };
  'job.state': JobState;
}
export type EventName = keyof ServerEvents;

/** The one interface the renderer talks to (implemented over IPC and over HTTP). */
export interface Bridge {
  call<K extends Channel>(channel: K, req: Req<K>): Promise<Result<Res<K>>>;
  on<E extends EventName>(event: E, listener: (payload: ServerEvents[E]) => void): () => void;
}

/** Every channel name, for validating requests at the host boundary. */
export const CHANNELS: readonly Channel[] = [
  'app.info',
  'accounts.list',
  'accounts.autoconfig',
  'accounts.test',
  'accounts.remember',
  'jobs.list',
  'jobs.backup',
  'jobs.restore',
  'jobs.plan',
  'jobs.migrate',
  'jobs.verify',
  'jobs.pause',
  'jobs.resume',
  'jobs.cancel',
  'archive.search',
  'archive.message',
  'archive.saveAttachment',
  'archive.export',
  'reports.open',
] as const;
