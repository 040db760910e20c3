/**
 * The archive's contract: what the rest of the engine (keep, move, find) may ask of it.
 * Implemented by archive.node.ts (one SQLite database in WAL mode + content-addressed blob files).
 *
 * Vocabulary
 *  - content:   one distinct message, stored once, addressed by the SHA-256 of its exact raw bytes.
 *  - placement: where a content was seen: (account, folder, UIDVALIDITY, UID) plus flags and INTERNALDATE.
 *               A message in two folders is one content and two placements.
 *  - normHash:  SHA-256 of the bytes with line endings normalised to CRLF; matches the "same message" across
 *               servers that rewrite bare LF (used for restore/migrate skip-existing and verification).
 */

export interface AccountRow {
  id: number;
  /** imaps://user@host:port — never carries a password. */
  url: string;
  createdAt: number;
  lastBackupAt: number | null;
  /** 'ok' | 'alarm' | 'failed' | null (never backed up) */
  lastBackupStatus: string | null;
}

export interface FolderInfo {
  /** Full server path, decoded to UTF-8 (imapflow decodes modified UTF-7). */
  path: string;
  delimiter: string | null;
  /** '\\Sent', '\\Drafts', '\\Trash', '\\Junk', '\\Archive', '\\All', '\\Flagged', '\\Important', '\\Inbox' or null */
  specialUse: string | null;
}

export interface FolderRow extends FolderInfo {
  id: number;
  accountId: number;
  /** Sync cursor: UIDVALIDITY the cursor belongs to, and the next UID still to fetch. */
  uidvalidity: number | null;
  uidnext: number | null;
  /** CONDSTORE cursor, as a decimal string (64-bit). */
  highestModseq: string | null;
  /** How many messages the server reported at the end of the last backup (for the lost-mail alarm). */
  serverCount: number | null;
  /** When the folder was found missing on the server, else null. */
  goneAt: number | null;
}

/** One message fetched from a server, ready to be archived. */
export interface IncomingMessage {
  folderId: number;
  uidvalidity: number;
  uid: number;
  /** System flags and keywords, exactly as the server gave them (e.g. ['\\Seen', '$Label1']). */
  flags: string[];
  /** INTERNALDATE, ms since epoch. */
  internalDate: number;
  modseq?: string | null;
  /**
   * The raw RFC 822 bytes: in memory for ordinary messages, or a file the caller has already streamed to disk
   * (large messages, so that a 25 MB message is never held whole in memory). The archive takes ownership of the file.
   */
  raw: Buffer | { file: string; size: number };
  /**
   * What search needs, parsed beforehand (extractMeta() in extract-meta.node.ts, which is async, so it runs before
   * this synchronous call). Given: indexed in the same transaction as the content. Omitted: the content is stored
   * and waits for indexPending().
   */
  meta?: MessageMeta | null;
  /**
   * The in-memory raw bytes already hashed and encoded (prepareBytes(), in a parse worker): the archive stores them
   * without doing it again. Trusted only when `size` is the raw's length; omitted: the archive does it itself.
   */
  prepared?: PreparedBytes | null;
}

/** An in-memory message's address, normalised hash and (when compression saves room) its brotli encoding. */
export interface PreparedBytes {
  sha256: string;
  normHash: string;
  size: number;
  /** The brotli encoding, when it is worth keeping; absent: stored as is. */
  compressed?: Buffer;
}

/** Parsed metadata of one message, for search and display. */
export interface MessageMeta {
  messageId: string | null;
  /** Date header, ms since epoch; null when missing or unreadable. */
  date: number | null;
  /** "Name <address>" lists, decoded. */
  from: string;
  to: string;
  cc: string;
  /** Blind copies (kept in sent mail and drafts); searched with the copies. Absent in metadata from older code. */
  bcc?: string;
  subject: string;
  attachments: { filename: string; contentType: string; size: number }[];
  /**
   * Decoded text of every part a reader may see: the plain and the HTML versions merged (text-merge.std.ts) and
   * forwarded messages with their headers.
   */
  text: string;
  /**
   * stemText(subject, text), when computed already (the backup's parse worker does it, off the thread that commits);
   * absent, the index computes it.
   */
  stems?: string;
}

/** Cursor advanced in the same transaction as the messages it describes. */
export interface FolderCursor {
  folderId: number;
  uidvalidity?: number;
  uidnext?: number;
  highestModseq?: string | null;
  serverCount?: number;
}

export interface AddResult {
  /** placements created by this call */
  placementsAdded: number;
  /** contents that were not in the archive before (new distinct messages) */
  contentsAdded: number;
  /** raw bytes of the new contents */
  bytesAdded: number;
  /** incoming messages that were already placed (same folder, UIDVALIDITY and UID): nothing written */
  alreadyPresent: number;
}

export interface PlacementRow {
  placementId: number;
  contentId: number;
  accountId: number;
  accountUrl: string;
  folderId: number;
  folderPath: string;
  delimiter: string | null;
  specialUse: string | null;
  uidvalidity: number;
  uid: number;
  flags: string[];
  internalDate: number;
  size: number;
  sha256: string;
  normHash: string;
  messageId: string | null;
  /** When Arche noticed the server no longer had it, else null. */
  serverGoneAt: number | null;
}

export interface AlarmRow {
  id: number;
  accountId: number;
  folderPath: string | null;
  /** 'uidvalidity-changed' | 'folder-gone' | 'mass-loss' */
  kind: string;
  /** messages the server no longer has (that the archive keeps) */
  missing: number;
  createdAt: number;
}

/** A message the server listed but did not hand over whole, as recorded by a backup. */
export interface UnreadableEntry {
  folderId: number;
  uidvalidity: number;
  uid: number;
  /** 'no-body': the FETCH answer left the body (or the UID) out; 'size-mismatch': not the RFC822.SIZE announced. */
  reason: 'no-body' | 'size-mismatch';
  subject?: string | null;
  /** The message's date (Date header, else INTERNALDATE), ms. */
  date?: number | null;
  size?: number | null;
}

export interface UnreadableRow extends Required<UnreadableEntry> {
  folderPath: string;
  /** Backups that asked for it in vain. */
  tries: number;
  firstAt: number;
  lastAt: number;
}

/** A stored content whose blob file is missing, or not the size (or hash) it was written with. */
export interface DamagedContent {
  contentId: number;
  sha256: string;
}

export interface ArchiveApi {
  readonly dir: string;
  close(): void;

  ensureAccount(url: string): AccountRow;
  getAccount(url: string): AccountRow | null;
  listAccounts(): AccountRow[];
  setBackupStatus(accountId: number, status: 'ok' | 'alarm' | 'failed', at: number): void;

  /** Insert or update a folder's info (path, delimiter, special-use); keeps its cursor. Clears goneAt. */
  upsertFolder(accountId: number, info: FolderInfo): FolderRow;
  listFolders(accountId: number): FolderRow[];
  markFolderGone(folderId: number, at: number): void;

  /**
   * Archive a batch in ONE transaction, together with the cursor that marks it done.
   * Idempotent: a placement already present is counted in alreadyPresent and not written again;
   * a content already stored (same bytes) is linked, not stored twice.
   * Files given as raw.file must have been prepared with prepareLargeMessage().
   */
  addMessages(batch: IncomingMessage[], cursor?: FolderCursor, unreadable?: UnreadableEntry[]): AddResult;

  /** Messages still unreadable (see UnreadableEntry): of a folder and UIDVALIDITY, or of a whole account. */
  unreadable(filter: { folderId: number; uidvalidity: number } | { accountId: number }): UnreadableRow[];
  /** The server no longer has these: nothing left to ask for (they were never stored, so nothing is marked gone). */
  forgetUnreadable(folderId: number, uidvalidity: number, uids: number[]): void;

  /**
   * Blob files of this account's contents that cannot be trusted: missing, or another size than written (checked by
   * hash once for files written before sizes were recorded). Their messages are fetched again by the next backup.
   */
  damagedContents(accountId: number): Promise<DamagedContent[]>;
  /** Rewrite a damaged content's file from bytes fetched again; false when they are not the same bytes (same hash). */
  repairContent(contentId: number, raw: Buffer | { file: string }): boolean;

  /** Stream-hash (and compress) a large message file into the blob store before addMessages. */
  prepareLargeMessage(file: string): Promise<{ file: string; size: number }>;

  /** Replace flags of existing placements and advance the cursor, in one transaction. */
  updateFlags(folderId: number, uidvalidity: number, changes: { uid: number; flags: string[]; modseq?: string | null }[], cursor?: FolderCursor): number;

  /** UIDs archived for this folder and UIDVALIDITY that are not yet marked gone. */
  knownUids(folderId: number, uidvalidity: number): number[];
  /** UIDs archived for this folder and UIDVALIDITY that are marked gone from the server. */
  goneUids(folderId: number, uidvalidity: number): number[];
  /**
   * The server has these UIDs again under the same UIDVALIDITY: by IMAP's rules they are the same messages
   * (e.g. a folder restored and re-created within the same second keeps its UIDVALIDITY). Clears their gone mark.
   */
  markPresent(folderId: number, uidvalidity: number, uids: number[]): number;
  /** Mark placements gone from the server (never deletes anything). Returns how many were newly marked. */
  markGone(folderId: number, uidvalidity: number, uids: number[], at: number): number;

  /** Same exact bytes already stored? (content address = sha256 hex of raw bytes) */
  hasContent(sha256: string): boolean;
  /** Contents whose line-ending-normalised hash is one of these (hex). */
  findByNormHash(normHashes: string[]): Map<string, number[]>;

  /** Distinct (folder, message) pairs of an account, and those of them the server no longer has. */
  accountCounts(accountId: number): { messages: number; missing: number; missingSince: number | null };

  /** Placements matching a filter, in a stable order (account, folder path, uid). Iterates lazily. */
  placements(filter?: { accountId?: number; folderId?: number; includeGone?: boolean }): IterableIterator<PlacementRow>;

  /** The exact raw bytes of a content (small ones). */
  readRaw(contentId: number): Buffer;
  /** The exact raw bytes as a stream (any size). */
  openRaw(contentId: number): NodeJS.ReadableStream;

  addAlarm(alarm: Omit<AlarmRow, 'id'>): void;
  alarms(accountId?: number): AlarmRow[];

  /** Contents stored without metadata (added without `meta`), still to be indexed for search. */
  pendingIndexCount(): number;
  /** Parse and index contents stored without metadata; resumable (each batch is its own transaction). */
  indexPending(control?: { signal?: AbortSignal; onIndexed?: (done: number, total: number) => void }): Promise<number>;
  /** Messages whose search entry was made by an older version and waits to be made again (migration 007). */
  reindexCount(): number;
  /** Messages stored before conversations existed (migration 009) whose ids are still to be read. */
  threadBackfillCount(): number;
  /** Reads those messages' conversation ids from their header block, newest first; resumable; returns how many. */
  backfillThreads(control?: { signal?: AbortSignal; onLinked?: (done: number, total: number) => void }): Promise<number>;
  /**
   * Indexes those messages again from their stored bytes, newest first, while search keeps answering from the older
   * entries. Resumable: each batch is one transaction that also takes its messages off the queue, so stopping (the
   * signal, or the process ending) loses at most one batch of work, never a message.
   */
  reindexText(control?: { signal?: AbortSignal; onIndexed?: (done: number, total: number) => void }): Promise<number>;
  /** Messages whose attachments wait to be read for search (attachment-drain.node.ts, migration 008). */
  attachmentQueueCount(): number;
  /** Attachments whose text could not be read (too large, zip bomb, encrypted, broken, too slow): all, or one account's. */
  unreadableAttachments(accountId?: number): number;
  /**
   * Reads the text inside the queued messages' attachments, newest first, in a worker thread with a time and heap
   * limit per attachment; search keeps answering meanwhile. Resumable (one message, one transaction).
   */
  indexAttachments(control?: {
    signal?: AbortSignal;
    onProgress?: (done: number, total: number) => void;
    timeMs?: number;
    heapMb?: number;
  }): Promise<{ done: number; unreadable: number }>;
  /** The content id of a content address (sha256 hex), or null. */
  contentIdBySha(sha256: string): number | null;
}
