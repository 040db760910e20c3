/**
 * THE contract between the renderer and the engine host (Electron main via IPC, or `arche serve` via HTTP).
 * Every request and every event is defined here once. Both hosts implement `Handlers`; the renderer calls
 * them through one `Bridge` interface (renderer/bridge/*), whatever the host.
 * Errors cross as data: every call resolves to Result<T> ({ok, value} | {ok:false, error:{code, fields}}).
 */
import type { Result, ArcheErrorData } from './errors.std.ts';
import type { ProgressEvent, JobKind } from './events.std.ts';
import type { FolderRole } from './types.std.ts';
import { z } from 'zod';
import { accountInput, accountUrl, empty, fingerprint, folderList, jobRef, text } from './request-fields.std.ts';
import { scheduleText } from './request-fields.std.ts';

export type { Result } from './errors.std.ts';

/** What the renderer sends to name an account (the schema, with its fields' meaning, is in request-fields.std.ts). */
export type AccountInput = z.input<typeof accountInput>;

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
  /**
   * Sign-in with the provider (OAuth 2.0) instead of a password: `required` when the provider accepts no password
   * (Outlook.com, Hotmail, Microsoft 365), else offered (Gmail). `provider` is an id of
   * main/engine/accounts/oauth/providers.std.ts ("microsoft", "microsoft-work", "google").
   */
  signIn?: { method: 'oauth'; provider: string; required: boolean };
}

export interface AutoconfigResult {
  /** 'arche' (our own presets), 'ispdb' (Thunderbird's database), 'autoconfig' (the domain's autoconfig URL), 'none' */
  source: 'arche' | 'ispdb' | 'autoconfig' | 'none';
  settings: ProviderSettings | null;
  /** Nothing found, but the domain is a near-miss of a known provider's ("mailo.con" → "mailo.com"). */
  suggestion?: string;
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
  /**
   * Why this line cannot go as it is (a name the destination refuses: move-mapping-invalid, move-folder-name-refused,
   * move-folder-impossible), with a `proposed` full path in its fields: the Plan screen marks it and waits.
   */
  problem?: ArcheErrorData;
}

/** How a server files folders: the separator and the personal prefix ("INBOX." on Courier/Cyrus-style servers). */
export interface FolderNamespace {
  prefix: string;
  delimiter: string;
}

export interface MigrationPlan {
  folders: MappingLine[];
  quotaOk: boolean;
  /** bytes needed / available at the destination, when the server tells */
  quota: { needed: number; available: number | null } | null;
  /** Messages that will not go, with why (too large for the destination...) */
  wontGo: { folder: string; subject: string; size: number; reason: ArcheErrorData }[];
  notes: ArcheErrorData[];
  /**
   * Messages the archive holds that the old server no longer has anywhere: not copied (the folders' counts are the
   * old mailbox as it is now), unless the user chooses to bring them into a folder of their own.
   */
  archiveOnly?: number;
  /** The two servers' ways of filing folders: to show paths as people read them, and to place a new folder. */
  namespaces?: { source: FolderNamespace; destination: FolderNamespace };
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

/**
 * The figures of a move, which add up: source = copied + copiedBefore + alreadyThere + notCopied, and
 * archiveOnly = broughtAlong + leftInArchive.
 */
export interface MoveCounts {
  /** Messages the old server holds (once per folder they are in), as the backup that started the move read them. */
  source: number;
  /** Copied by this run. */
  copied: number;
  /** Copied by an earlier run of this move (or identical to another message of the same folder, held once). */
  copiedBefore: number;
  /** Already in the new mailbox before the move (the user's own copies): not copied again, not an error. */
  alreadyThere: number;
  /** Refused by the new provider or too large for it, each with its reason. */
  notCopied: number;
  /** Messages the archive holds that the old server no longer has anywhere (each once). */
  archiveOnly: number;
  /** Of those, brought along into their own folder on the user's choice. */
  broughtAlong: number;
  /** Of those, left in the archive only. */
  leftInArchive: number;
}

export interface VerifyFolderLine {
  source: string;
  destination: string;
  expected: number;
  present: number;
  missing: number;
  changed: number;
  /** Of the present ones, messages the new mailbox held before the move (not copied by Arche; not an error). */
  alreadyThere: number;
  /**
   * Archived messages of the source folder not expected here, by reason: 'moved-at-source', 'deleted-at-source',
   * 'brought-along' (into the separate folder), or a refusal code of the new provider ('move-too-big'...).
   */
  notCopied: { reason: string; count: number }[];
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
  /**
   * Issue 14: the file name of the attachment whose text holds a searched word ("dans la pièce jointe « … »"); absent
   * when no searched word is inside an attachment. The snippet then comes from that attachment when the message's
   * own text shows none of the words.
   */
  attachment?: string;
}

export interface SearchResults {
  total: number;
  results: SearchHit[];
}

/** What the viewer and a conversation both show at the top of a message. */
export interface MessageHeaders {
  /** Content id (SHA-256 hex), as in SearchHit */
  id: string;
  account: string;
  folders: string[];
  /** ISO-8601 */
  date: string | null;
  from: string;
  to: string;
  cc: string;
  subject: string;
}

export interface MessageView extends MessageHeaders {
  flags: string[];
  /** Plain text body (decoded) */
  text: string;
  /** Raw HTML body, UNSANITIZED: the renderer sanitizes it (DOMPurify) and shows it in a sandboxed frame */
  html: string | null;
  /**
   * Attachments: `filename` is already made safe (shared/file-name.std.ts), `executable` says a program or script
   * (the viewer warns before saving or opening it), `preview` a data: URL of a small enough photo (jpeg, png, gif, webp).
   */
  attachments: { index: number; filename: string; contentType: string; size: number; executable?: boolean; preview?: string }[];
  /** Issue 14: the message's own inline images for its `cid:` addresses: Content-ID (without <>) → data: URL. */
  inlineImages?: Record<string, string>;
}

/** Issue 14: one message of a conversation, headers and a preview (its body comes from 'archive.message'). */
export interface ConversationMessage extends MessageHeaders {
  /** Every folder holding it or a copy with the same Message-ID (the Sent copy and the one received back): shown once. */
  folders: string[];
  unread: boolean;
  flagged: boolean;
  hasAttachment: boolean;
  preview: string;
  /** How many stored copies share its Message-ID (1: only this one). */
  copies: number;
}

/** Issue 14: a whole conversation, oldest message first. */
export interface ConversationView {
  subject: string;
  messages: ConversationMessage[];
}

/** Issue 14: one line of the conversations list. `id` is its newest message's id (any message's id names it). */
export interface ConversationSummary {
  id: string;
  /** The first message's subject */
  subject: string;
  /** Messages, each Message-ID once */
  count: number;
  /** Senders, first one first, each once (names when known) */
  participants: string[];
  /** ISO-8601: the newest message's date */
  lastDate: string | null;
  unread: number;
  hasAttachment: boolean;
}

/**
 * Where the next page of conversations starts: the newest message (in the folder) of the page's last conversation,
 * by date (null: a message with no date, listed after all dated ones) and content number. Opaque to the page.
 */
export interface ConversationCursor {
  date: number | null;
  id: number;
}

export interface ConversationPage {
  conversations: ConversationSummary[];
  next: ConversationCursor | null;
  /** Messages stored before conversations existed whose ids are still being read (they join as it goes). */
  pending: number;
}

/** Issue 14, browse: one folder of an account in the archive, with its counts (the side list). */
export interface BrowseFolder {
  /** Full server path (e.g. "INBOX.Club.Régates"); the renderer shows it as a tree by `delimiter`. */
  path: string;
  delimiter: string | null;
  role: FolderRole | null;
  /** Messages kept in this folder (those the server no longer has included: nothing hidden). */
  messages: number;
  unread: number;
}

/** Issue 14, browse: an account of the archive and its folders. */
export interface BrowseAccount {
  url: string;
  /** The address or user name, for display. */
  label: string;
  /** "Tous les dossiers" of this account: its messages, each once however many folders hold it. */
  messages: number;
  unread: number;
  folders: BrowseFolder[];
}

/** Issue 14, browse: one line of the message list. */
export interface BrowseRow {
  /** Content id (SHA-256 hex), for archive.message. */
  id: string;
  account: string;
  /** The folder this line stands for (null in "all folders", where a message is listed once). */
  folder: string | null;
  /** ISO-8601 */
  date: string | null;
  from: string;
  to: string;
  subject: string;
  size: number;
  unread: boolean;
  flagged: boolean;
  attachment: boolean;
  /** Sent by the account's owner (a \Sent folder, or the account's own address as sender): show the recipient. */
  sent: boolean;
}

/** Issue 14, browse: a page of the list, newest first, and the key of the next page (null at the end). */
export interface BrowsePage {
  rows: BrowseRow[];
  next: string | null;
  /**
   * How many lines the whole list has: with the first page, when nothing narrows the list (counting a filtered
   * list would read all of it first); null otherwise, and the list grows as it is read.
   */
  total: number | null;
}

/** Issue 13, saved accounts: how an account's automatic backups are doing, for the dashboard ("Vos comptes à l'abri"). */
export type SavedAccountStatus = 'ok' | 'late' | 'alarm' | 'failed' | 'never';

/** One saved account (nothing secret): what `accounts list --json` prints and the dashboard shows. */
export interface SavedAccountView {
  url: string;
  email: string;
  auth: 'password' | 'oauth';
  archiveDir: string;
  /** "daily@13:00" | "weekly@13:00" | "off" */
  schedule: string;
  /** 'ok' à jour; 'late' no good backup for twice the interval; 'alarm'; 'failed' (reason in last.error); 'never' not backed up yet. */
  status: SavedAccountStatus;
  /** End of the last backup that made a copy (ms), null when none yet. */
  lastGoodAt: number | null;
  /** The next planned backup (ms), null when the schedule is off. */
  nextAt: number | null;
  last: {
    startedAt: number;
    finishedAt: number;
    status: 'ok' | 'alarm' | 'failed';
    messages?: number;
    new?: number;
    error?: ArcheErrorData;
    /** The server could not be reached: retried later, quietly. */
    offline?: boolean;
    /** Stopped on the provider's daily limit: goes on by itself from this time (ms). */
    resumeAt?: number;
  } | null;
  trustedFingerprint?: string;
  caFiles?: string[];
}

/** Issue 13, part B: the archive's own care, for the dashboard: what each account keeps, the last check, the last second copy. */
export interface CopiesStatus {
  accounts: { url: string; messages: number; bytes: number }[];
  lastCheck: { at: number; ok: boolean; contents: number; bytes: number; repaired: number; named: number; integrityProblems: number } | null;
  lastMirror: { at: number; to: string; ok: boolean; blobsCopied: number; bytesCopied: number } | null;
  /** The next monthly check by schedule (ms), null when no saved account keeps its mail in this archive. */
  nextCheckAt?: number | null;
}

/** An account the host already knows, offered instead of being typed again (issue 11). */
export interface KnownAccount {
  url: string;
  /** The e-mail address the user typed, when known; else null (the URL's user name is then shown). */
  email: string | null;
  /** Kept in the archive ("déjà à l'abri"). */
  kept: boolean;
  /** Its password is remembered: choosing it needs no typing at all. */
  passwordKnown: boolean;
}

/** One request of the contract: without a schema for its request it does not type-check. */
export interface ContractEntry {
  req: z.ZodType;
  res: unknown;
}

/** A response type, named in the contract (responses are built by Arche itself, so only their type is needed). */
const res = <T>(): T => undefined as T;

/**
 * Every call the renderer can make, once: the request's schema (checked at the host boundary, so a call cannot
 * exist without its checks) and the response's type. The channel list, the `Handlers` type and the request checks
 * are all derived from this table: adding a request is one entry here, then its handler (the compiler asks for it).
 */
/** The destinations the user chose on the plan screen: full destination paths, one per source folder. */
const folderChoices = z.array(z.object({ source: text(2000), destination: text(2000) })).max(10_000).optional();

/**
 * Issue 14: what the reading view shows (a place, the search box, the filters), one definition for its list
 * (`archive.list`), its count and its export, so that "export what is shown" exports exactly that.
 */
const browseSelection = z.object({
  /** The account's address as the archive keeps it (local://… for imported mail). */
  account: text(2000).optional(),
  /** A folder of the account (its server path); without it, every folder of the account (or of every account). */
  folder: text(2000).optional(),
  query: text(2000).optional(),
  /** First and last day, YYYY-MM-DD (both included). */
  since: text(10).regex(/^\d{4}-\d{2}-\d{2}$/).optional(),
  until: text(10).regex(/^\d{4}-\d{2}-\d{2}$/).optional(),
  attachment: z.boolean().optional(),
  unread: z.boolean().optional(),
  flagged: z.boolean().optional(),
  /** "From this person": an address or a name. */
  sender: text(320).optional(),
});

export const CONTRACT = {
  'app.info': {
    req: empty,
    res: res<{ version: string; host: 'electron' | 'browser'; archiveDir: string; locale: string; passwordStore: 'keychain' | 'session' | 'basic_text' }>(),
  },
  'accounts.list': { req: empty, res: res<AccountSummary[]>() },
  'accounts.autoconfig': { req: z.object({ email: text(320) }), res: res<AutoconfigResult>() },
  /** Connects, lists folders with counts and sizes. Fails with e.g. auth-failed, cert-untrusted {fingerprint}. */
  'accounts.test': { req: z.object({ account: accountInput }), res: res<{ folders: FolderSummary[] }>() },
  /** Keep the password: OS keychain (safeStorage) in Electron, memory for this session in browser mode. */
  'accounts.remember': {
    req: z.object({ url: accountUrl, password: text(4096), trustedFingerprint: fingerprint.optional(), email: text(320).optional() }),
    res: res<{ storage: 'keychain' | 'session' | 'basic_text' }>(),
  },
  'jobs.list': { req: empty, res: res<JobState[]>() },
  'jobs.backup': { req: z.object({ account: accountInput, folders: folderList }), res: res<{ jobId: string }>() },
  'jobs.restore': { req: z.object({ fromAccount: accountUrl, to: accountInput, folders: folderList }), res: res<{ jobId: string }>() },
  /** `mapping`: the user's destinations, each checked against the new server and marked on its line when refused. */
  'jobs.plan': { req: z.object({ from: accountInput, to: accountInput, folders: folderList, mapping: folderChoices }), res: res<MigrationPlan>() },
  'jobs.migrate': {
    req: z.object({
      from: accountInput,
      to: accountInput,
      folders: folderList,
      /** The destinations the user chose on the plan screen. */
      mapping: folderChoices,
      /** Also copy what the archive holds that the old server no longer has, into a folder of its own. */
      bringAlong: z.boolean().optional(),
    }),
    res: res<{ jobId: string }>(),
  },
  'jobs.verify': { req: z.object({ fromAccount: accountUrl, against: accountInput, folders: folderList }), res: res<{ jobId: string }>() },
  'jobs.pause': { req: jobRef, res: res<JobState>() },
  'jobs.resume': { req: jobRef, res: res<JobState>() },
  'jobs.cancel': { req: jobRef, res: res<JobState>() },
  'archive.search': {
    req: z.object({
      query: text(2000),
      limit: z.number().int().min(1).max(1000).optional(),
      offset: z.number().int().min(0).max(10_000_000).optional(),
      sort: z.enum(['relevance', 'date']).optional(),
    }),
    res: res<SearchResults>(),
  },
  'archive.message': { req: z.object({ id: text(200) }), res: res<MessageView>() },
  /** Issue 14: the conversation a message belongs to (any of its messages' id), oldest first, each Message-ID once. */
  'archive.conversation': { req: z.object({ id: text(200) }), res: res<ConversationView>() },
  /**
   * Issue 14: conversations with a message in one folder (`account` and `folder` path) or in the whole archive,
   * ordered by their newest message there, newest first, a page at a time (`after`: the previous page's `next`).
   */
  'archive.conversations': {
    req: z.object({
      account: text(2000).optional(),
      folder: text(2000).optional(),
      after: z.object({ date: z.number().int().nullable(), id: z.number().int().min(0) }).optional(),
      limit: z.number().int().min(1).max(500).optional(),
    }),
    res: res<ConversationPage>(),
  },
  /**
   * Issue 14, "Enregistrer en PDF" in the app (Electron): the window as printed (print styles: headers, no buttons),
   * into a PDF file the user names (`name`: the subject, made safe). The browser answers saved: false; its own print
   * dialog offers PDF.
   */
  'print.savePdf': { req: z.object({ name: text(300) }), res: res<{ saved: boolean; path?: string }>() },
  /** Issue 14, browse: the archive's accounts and their folders, with counts of messages and of unread ones. */
  'archive.folders': { req: empty, res: res<BrowseAccount[]>() },
  /**
   * Issue 14, browse: a folder's messages (or all folders', each message once), newest first, a page at a time by
   * key (`after` = the previous page's `next`). `query` is the search box (empty: everything); the filters add up.
   */
  'archive.list': {
    req: browseSelection.extend({
      after: text(200).optional(),
      limit: z.number().int().min(1).max(500).optional(),
    }),
    res: res<BrowsePage>(),
  },
  /** Electron: save dialog; browser: returns a one-time download URL on the bridge. */
  'archive.saveAttachment': { req: z.object({ id: text(200), index: z.number().int().min(0).max(10_000) }), res: res<{ saved: boolean; url?: string }>() },
  /**
   * Issue 14, "Tout enregistrer": every attachment of a message, under safe and distinct names. Electron: into a
   * folder the user chooses (`path`); browser: one download address per file (`urls`, the browser's downloads).
   */
  'archive.saveAllAttachments': {
    req: z.object({ id: text(200) }),
    res: res<{ saved: boolean; count: number; path?: string; urls?: { name: string; url: string }[] }>(),
  },
  /**
   * Issue 14, "Ouvrir": one attachment opened with the computer's own program. Electron writes it into a private
   * temporary folder (safe name, readable by the user only) and opens it (`opened`); browser mode answers a one-time
   * download address (`url`): the browser then opens it. A program or script (shared/file-name.std.ts) is opened
   * only with `confirmed`, once the user has read the warning; without it: `attachment-program-unconfirmed`.
   */
  'archive.openAttachment': {
    req: z.object({ id: text(200), index: z.number().int().min(0).max(10_000), confirmed: z.boolean().optional() }),
    res: res<{ opened: boolean; url?: string }>(),
  },
  /** Issue 14: a link of a message, confirmed by the user. Electron opens a checked http(s)/mailto address in the
   * user's browser (`opened`); browser mode answers opened: false and the page opens a new tab (noopener). */
  'links.open': { req: z.object({ url: text(8192) }), res: res<{ opened: boolean }>() },
  /** Issue 14: how many messages the reading view's selection holds, said before exporting them. */
  'archive.count': { req: browseSelection, res: res<{ count: number }>() },
  /**
   * A search's results (`query` alone), or with `select` what the reading view shows (a folder or an account's
   * folders, its search box and filters: the rule of `archive.list`). An empty query alone is the whole archive.
   */
  'archive.export': {
    req: z.object({ query: text(2000), select: browseSelection.optional(), format: z.enum(['mbox', 'maildir', 'eml']) }),
    res: res<{ saved: boolean; path?: string; url?: string; count: number }>(),
  },
  /** Opens a saved verification report (Electron: the OS viewer; browser: a URL on the bridge). */
  'reports.open': { req: z.object({ path: text(4096) }), res: res<{ opened: boolean; url?: string }>() },
  // Issue 13 (saved accounts, schedules): the same list as `arche accounts list`.
  /** Every saved account with its last good backup, next planned one and status. */
  'accounts.saved': { req: empty, res: res<SavedAccountView[]>() },
  /** Checks the sign-in, keeps the password in the keychain and saves the account with its schedule. */
  'accounts.save': {
    req: z.object({ account: accountInput, schedule: scheduleText.optional() }),
    res: res<{ account: SavedAccountView; storage: 'keychain' | 'session' | 'basic_text' }>(),
  },
  /**
   * "Tout sauvegarder maintenant": a backup job of every saved account, through the host's scheduler (never under a
   * planned run of the same account); those it could not start are named with why (backup-running, no password).
   */
  'accounts.backupAll': {
    req: empty,
    res: res<{ started: { url: string; jobId: string | null }[]; refused: { url: string; error: ArcheErrorData }[] }>(),
  },
  'accounts.setSchedule': { req: z.object({ url: accountUrl, schedule: scheduleText }), res: res<SavedAccountView>() },
  /** Removes the account from the saved list and its password from the keychain (its archived mail stays). */
  'accounts.forget': { req: z.object({ url: accountUrl }), res: res<{ removed: boolean }>() },
  // Issue 13, part B: copies that check themselves ("Vérifier mes copies"), a second copy elsewhere, the dashboard.
  'copies.status': { req: empty, res: res<CopiesStatus>() },
  /** Re-hashes the whole archive; damaged messages are fetched again from the accounts whose password Arche keeps. */
  'jobs.check': { req: empty, res: res<{ jobId: string }>() },
  /** A second copy of the archive in this folder (a USB disk), then checked. */
  'jobs.mirror': { req: z.object({ to: text(4096).min(1) }), res: res<{ jobId: string }>() },
  // issue 11 (wizard) ---------------------------------------------------------------------------------
  /** The accounts Arche already knows (kept in the archive, or remembered this session), by their e-mail address. */
  'accounts.known': { req: empty, res: res<KnownAccount[]>() },
  /**
   * The user's answer to "Faire confiance à ce serveur ?" for a remembered account: a fingerprint to trust, or
   * null to take the trust back ("Ne pas faire confiance"). The trust stays until taken back.
   */
  'accounts.trust': { req: z.object({ url: accountUrl, fingerprint: fingerprint.nullable() }), res: res<{ remembered: boolean }>() },
  // Issue 12 (OAuth 2.0 in the app): "Se connecter avec Microsoft/Google/…", loopback flow (RFC 8252).
  /**
   * Starts a sign-in with the account's provider (or `issuer`, any OpenID Connect issuer): Arche listens once on
   * 127.0.0.1; Electron opens `authorizationUrl` in the user's browser (`opened`), the browser page opens it itself.
   */
  'oauth.start': {
    req: z.object({ url: accountUrl, provider: z.enum(['microsoft', 'microsoft-work', 'google', 'oidc']).optional(), issuer: text(2000).regex(/^https?:\/\/\S+$/).optional() }),
    res: res<{ signInId: string; authorizationUrl: string; opened: boolean; provider: string }>(),
  },
  /** Waiting, done (the grant is kept in the keychain; `signedInAs` for "Connecté en tant que …") or failed. */
  'oauth.status': { req: z.object({ signInId: text(100) }), res: res<OAuthSignInStatus>() },
  /** Whether Arche keeps a sign-in with the provider for this account, and whose. */
  'oauth.account': { req: z.object({ url: accountUrl }), res: res<{ oauth: boolean; signedInAs?: string }>() },
} satisfies Record<string, ContractEntry>;

/** Where a sign-in with the provider stands (oauth.status). */
export interface OAuthSignInStatus {
  state: 'waiting' | 'done' | 'failed';
  signedInAs?: string;
  error?: ArcheErrorData;
}

export type Channel = keyof typeof CONTRACT;
/** What the page sends. */
export type Req<K extends Channel> = z.input<(typeof CONTRACT)[K]['req']>;
/** What a handler receives: the request once checked (bounded, fingerprints in one form). */
export type CheckedReq<K extends Channel> = z.output<(typeof CONTRACT)[K]['req']>;
export type Res<K extends Channel> = (typeof CONTRACT)[K]['res'];
/** Request → response, for every call the renderer can make (derived from CONTRACT). */
export type Handlers = { [K in Channel]: { req: Req<K>; res: Res<K> } };

/** Every channel name, for the hosts (IPC handlers, preload, HTTP). */
export const CHANNELS = Object.keys(CONTRACT) as readonly Channel[];

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
