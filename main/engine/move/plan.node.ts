/**
 * The migration plan, made before anything is copied: folders with counts and sizes, where each one goes,
 * whether the mail fits in the destination's quota, which messages are too big for it, and what happens to
 * Gmail's label views. If the mail will not fit, migrate stops here (exit 5) and nothing is copied.
 */
import type { ImapFlow } from 'imapflow';
import type { ArcheErrorData } from '../../../shared/errors.std.ts';
import type { JobControl } from '../../../shared/events.std.ts';
import type { MappingLine, MigrationPlan } from '../../../shared/api.std.ts';
import { mapFolders, type FolderMapping } from '../imap/mapping.std.ts';
import { destinationQuota, listFolders, namespaceOf, sizeLimit, type ListedFolder } from './listing.node.ts';
import { isGmailView } from '../transfer/selection.node.ts';
import { moveDays } from './daily-limits.std.ts';
import { headerMessageId } from '../transfer/destination.node.ts';
import { proposedName } from '../transfer/dest-folder.node.ts';
import { nameProbe, needsProbe } from '../transfer/name-probe.node.ts';
import { applyUserChoices, sortUserChoices, withoutForbidden, type RefusedChoice, type UserChoice } from './user-mapping.std.ts';

export interface FullPlan extends MigrationPlan {
  /** The mapping of every selectable source folder (views included, so that the copy can leave them out). */
  mapping: FolderMapping[];
  /** Largest message the destination accepts, if known. */
  sizeLimit: { limit: number; from: 'server' | 'provider' } | null;
  /** The user's destinations that differ from the computed ones (already applied in `mapping` and `folders`). */
  userMapping: UserChoice[];
}

export interface PlanOptions {
  destinationHost: string;
  /** The old provider's server, for its daily download limit (Gmail). */
  sourceHost?: string;
  /** Restrict to these source folders (the wizard's choice). */
  folders?: string[];
  /** Destinations the user chose (full destination paths); checked against the destination's namespace first. */
  userChoices?: UserChoice[];
  /**
   * The Plan screen's check: a chosen name the destination cannot hold is marked on its line (`problem`) instead of
   * stopping the whole plan, so that every line is checked before the start.
   */
  markInvalid?: boolean;
}

/** Identity of a message inside one Gmail account: X-GM-MSGID when offered, else its Message-ID. */
async function messageIdentities(client: ImapFlow, path: string, onEach: (id: string, uid: number) => void): Promise<void> {
  const lock = await client.getMailboxLock(path, { readOnly: true });
  try {
    const useEmailId = client.capabilities.has('X-GM-EXT-1') || client.capabilities.has('OBJECTID');
    const query = useEmailId ? { uid: true, emailId: true } : { uid: true, headers: ['message-id'] };
    for await (const m of client.fetch('1:*', query, { uid: true })) {
      const id = m.emailId ?? (m.headers ? headerMessageId(Buffer.concat([m.headers, Buffer.from('\r\n')])) : null);
      if (id) onEach(id, m.uid);
    }
  } finally {
    lock.release();
  }
}

/** All Mail's messages that another folder already brings (they will not be copied twice), by UID. */
async function allMailElsewhere(client: ImapFlow, allMail: string, others: string[]): Promise<Set<number>> {
  const seen = new Set<string>();
  for (const p of others) await messageIdentities(client, p, (id) => seen.add(id));
  const elsewhere = new Set<number>();
  await messageIdentities(client, allMail, (id, uid) => {
    if (seen.has(id)) elsewhere.add(uid);
  });
  return elsewhere;
}

/** Messages of a folder over the destination's limit, with their subject (SEARCH LARGER: no message is downloaded). */
async function tooBigIn(client: ImapFlow, path: string, limit: number): Promise<{ subject: string; size: number; uid: number }[]> {
  const lock = await client.getMailboxLock(path, { readOnly: true });
  try {
    const uids = (await client.search({ larger: limit }, { uid: true })) || [];
    if (!uids.length) return [];
    const out: { subject: string; size: number; uid: number }[] = [];
    for await (const m of client.fetch(uids.join(','), { uid: true, size: true, envelope: true }, { uid: true })) {
      out.push({ uid: m.uid, size: m.size ?? 0, subject: m.envelope?.subject ?? '' });
    }
    return out;
  } finally {
    lock.release();
  }
}

/** Bytes and messages already in the destination folders the mail goes to: on a re-run, they are already counted in the quota. */
async function alreadyThere(client: ImapFlow, destinations: string[], existing: ListedFolder[]): Promise<{ bytes: number; messages: number }> {
  const present = new Set(existing.map((f) => f.path));
  let bytes = 0;
  let messages = 0;
  for (const d of new Set(destinations)) {
    if (!present.has(d)) continue;
    if (client.capabilities.has('STATUS=SIZE')) {
      const s = await client.status(d, { size: true, messages: true });
      bytes += (s && s.size) || 0;
      messages += (s && s.messages) || 0;
    } else {
      const lock = await client.getMailboxLock(d, { readOnly: true });
      try {
        for await (const m of client.fetch('1:*', { size: true })) {
          bytes += m.size ?? 0;
          messages++;
        }
      } catch {
        /* empty folder: FETCH 1:* fails on some servers */
      } finally {
        lock.release();
      }
    }
  }
  return { bytes, messages };
}

/**
 * The plan's lines whose names the destination will refuse (name-probe.node.ts): a name with characters or a length
 * the server refuses, and, on a server whose folders cannot hold both messages and folders (mbox), a folder under
 * one that receives messages. Each said once, with the server's words or the reason, and a name to use.
 */
async function probeNames(destination: ImapFlow, lines: MappingLine[], dstFolders: ListedFolder[], ns: { prefix: string; delimiter: string }, impossible: Set<string>, notes: ArcheErrorData[]): Promise<void> {
  const sep = ns.delimiter;
  const existing = new Set(dstFolders.map((f) => f.path));
  const withMessages = new Set([...lines.filter((l) => l.messages > 0).map((l) => l.destination), ...dstFolders.filter((f) => f.selectable && f.messages > 0).map((f) => f.path)]);
  const probe = nameProbe(destination, ns.prefix, sep);
  for (const line of lines) {
    if (line.problem) continue;
    if (existing.has(line.destination) || impossible.has(line.destination) || line.destination.toUpperCase() === 'INBOX') continue;
    const rel = line.destination.startsWith(ns.prefix) ? line.destination.slice(ns.prefix.length) : line.destination;
    const cut = rel.lastIndexOf(sep);
    const leaf = cut >= 0 ? rel.slice(cut + sep.length) : rel;
    const parent = cut >= 0 ? ns.prefix + rel.slice(0, cut) : null;
    if (needsProbe(leaf)) {
      const refused = await probe.leaf(leaf);
      if (refused !== null) {
        line.problem = { code: 'move-folder-name-refused', fields: { folder: line.destination, detail: refused, proposed: proposedName(line.destination, sep), count: line.messages } };
        notes.push(line.problem);
        continue;
      }
    }
    if (parent && parent.toUpperCase() !== 'INBOX' && withMessages.has(parent) && !(await probe.subfoldersBesideMessages())) {
      const top = parent.slice(parent.lastIndexOf(sep) + 1);
      line.problem = { code: 'move-folder-impossible', fields: { folder: line.destination, parent, proposed: `${ns.prefix}${top} - ${leaf}`, count: line.messages } };
      notes.push(line.problem);
    }
  }
}

/** A refused choice as its line shows it: the user's name, marked, with a name to use instead. */
function refusedLine(line: MappingLine, choice: RefusedChoice, ns: { prefix: string; delimiter: string }): MappingLine {
  const name = choice.destination.trim();
  // Something the destination will take: the name without the characters it refuses, shortened, put under the
  // prefix, or, when there is no name to mend, where Arche would have put the folder.
  const proposed = choice.reason === 'characters' ? withoutForbidden(name) : choice.reason === 'too-long' ? proposedName(name, ns.delimiter) : choice.reason === 'outside-prefix' ? `${ns.prefix}${name}` : line.destination;
  const { note: _note, ...rest } = line;
  return {
    ...rest,
    destination: choice.destination,
    reason: 'user',
    exists: false,
    problem: { code: 'move-mapping-invalid', fields: { source: line.source, destination: choice.destination, reason: choice.reason, prefix: ns.prefix, delimiter: ns.delimiter, proposed } },
  };
}

export async function planMigration(source: ImapFlow, destination: ImapFlow, opts: PlanOptions, control: JobControl = {}): Promise<FullPlan> {
  const progress = (done: number, total: number, folder?: string): void =>
    control.onProgress?.({ job: 'migrate', phase: 'plan', folder, done, total, bytesDone: 0, bytesTotal: 0 });
  progress(0, 0);
  const srcFolders = (await listFolders(source, true)).filter((f) => f.selectable);
  const dstFolders = await listFolders(destination, false);
  const destinationNs = namespaceOf(destination, dstFolders);
  const sourceNs = namespaceOf(source, srcFolders);
  // A name the destination cannot hold is refused here, before anything is copied, with what to type instead
  // (the Plan screen's check marks it on its line and leaves the computed destination for the others).
  const sorted = opts.markInvalid ? sortUserChoices(opts.userChoices ?? [], destinationNs) : { usable: opts.userChoices ?? [], refused: [] };
  const refusedBySource = new Map(sorted.refused.map((c) => [c.source, c]));
  const applied = applyUserChoices(
    mapFolders(srcFolders, sourceNs, dstFolders, destinationNs),
    sorted.usable,
    destinationNs,
    new Set(dstFolders.map((f) => f.path)),
  );
  const mapping = applied.mapping;
  const chosen = mapping.filter((m) => !opts.folders || opts.folders.includes(m.source));
  const byPath = new Map(srcFolders.map((f) => [f.path, f]));
  const notes: ArcheErrorData[] = [];
  const lines: MappingLine[] = [];

  const regular = chosen.filter((m) => !isGmailView(m) && m.role !== 'all');
  const skippedUids = new Map<string, Set<number>>();
  for (const m of chosen) {
    const f = byPath.get(m.source)!;
    if (isGmailView(m)) {
      notes.push({ code: 'move-gmail-view-skipped', fields: { folder: m.source, flag: m.role === 'flagged' } });
      continue;
    }
    let messages = f.messages;
    let bytes = f.bytes;
    if (m.role === 'all' && regular.length) {
      const elsewhere = await allMailElsewhere(source, m.source, regular.map((r) => r.source));
      skippedUids.set(m.source, elsewhere);
      const skipped = elsewhere.size;
      // Sizes are proportional estimates: the exact bytes are known after the backup.
      bytes = messages ? Math.round((bytes * (messages - skipped)) / messages) : 0;
      messages -= skipped;
      notes.push({ code: 'move-gmail-all-mail', fields: { folder: m.source, skipped, copied: messages } });
    }
    const line: MappingLine = { ...m, ...(applied.changed.has(m.source) ? { reason: 'user' as const } : {}), messages, bytes };
    const refused = refusedBySource.get(m.source);
    lines.push(refused ? refusedLine(line, refused, destinationNs) : line);
    progress(lines.length, chosen.length, m.source);
  }
  for (const m of chosen) if (m.note) notes.push(m.note);
  // A folder that cannot be created, known before anything is copied: its parent says \NoInferiors (GNU imap4d's
  // INBOX, any folder of an mbox server). Said here with a name to use instead; the copy would say it too.
  const closed = new Set(dstFolders.filter((f) => f.noInferiors).map((f) => f.path));
  const impossible = new Set<string>();
  const sep = destinationNs.delimiter;
  for (const line of lines) {
    if (line.problem) continue;
    if (!sep || dstFolders.some((f) => f.path === line.destination)) continue;
    const cut = line.destination.lastIndexOf(sep);
    const parent = cut > 0 ? line.destination.slice(0, cut) : null;
    if (!parent || !closed.has(parent)) continue;
    const leaf = line.destination.slice(cut + sep.length);
    const top = parent.slice(parent.lastIndexOf(sep) + 1);
    line.problem = { code: 'move-folder-impossible', fields: { folder: line.destination, parent, proposed: `${destinationNs.prefix}${top} - ${leaf}`, count: line.messages } };
    notes.push(line.problem);
    impossible.add(line.destination);
  }
  // Names the destination will refuse, asked of the server itself (a temporary folder created and deleted).
  if (sep) await probeNames(destination, lines, dstFolders, destinationNs, impossible, notes);

  // Messages over the destination's size limit: listed with the reason, never attempted.
  const limit = sizeLimit(destination, opts.destinationHost);
  const wontGo: MigrationPlan['wontGo'] = [];
  if (limit) {
    for (const line of lines) {
      if (!line.messages) continue;
      for (const big of await tooBigIn(source, line.source, limit.limit)) {
        if (skippedUids.get(line.source)?.has(big.uid)) continue; // goes with another folder: listed there
        wontGo.push({
          folder: line.source,
          subject: big.subject,
          size: big.size,
          reason: { code: 'move-too-big', fields: { subject: big.subject, size: big.size, folder: line.source, limit: limit.limit } },
        });
      }
    }
  }

  // Quota: what still has to go (minus what is already in the target folders, for a re-run) against what is left,
  // in bytes and, where the provider also limits it, in number of messages.
  const quota = await destinationQuota(destination);
  const totalBytes = lines.reduce((n, l) => n + l.bytes, 0) - wontGo.reduce((n, w) => n + w.size, 0);
  const totalMessages = lines.reduce((n, l) => n + l.messages, 0) - wontGo.length;
  let planQuota: MigrationPlan['quota'] = null;
  let quotaOk = true;
  if (quota) {
    const there = await alreadyThere(destination, lines.map((l) => l.destination), dstFolders);
    if (quota.storage) {
      const needed = Math.max(0, totalBytes - there.bytes);
      const available = Math.max(0, quota.storage.limit - quota.storage.usage);
      planQuota = { needed, available };
      if (needed > available) {
        quotaOk = false;
        notes.unshift({ code: 'move-wont-fit', fields: { needed, available, limit: quota.storage.limit } });
      }
    }
    if (quota.messages) {
      const needed = Math.max(0, totalMessages - there.messages);
      const available = Math.max(0, quota.messages.limit - quota.messages.usage);
      if (needed > available) {
        quotaOk = false;
        notes.unshift({ code: 'move-wont-fit-count', fields: { needed, available, limit: quota.messages.limit } });
      }
    }
  }
  // A daily IMAP limit (Gmail) makes a big move last several days: said before anything is copied.
  const span = moveDays(Math.max(0, totalBytes), opts.sourceHost ?? '', opts.destinationHost);
  if (span.days > 1 && span.provider) notes.push({ code: 'move-takes-days', fields: { days: span.days, provider: span.provider, bytes: totalBytes } });
  const userMapping = mapping.filter((m) => applied.changed.has(m.source)).map((m) => ({ source: m.source, destination: m.destination }));
  return { folders: lines, quotaOk, quota: planQuota, wontGo, notes, mapping, sizeLimit: limit, userMapping, namespaces: { source: sourceNs, destination: destinationNs } };
}
