/**
 * Conversations read from the archive (issue 14): a whole conversation for the reading view, and pages of
 * conversations for a folder's list. The tables are written by archive/thread-write.node.ts (migration 009).
 * A message stored in several folders is one content; copies with different bytes but the same Message-ID (the
 * Sent copy and the one received back through a list) are shown once, with every folder that holds one.
 */
import type { Database } from 'better-sqlite3';
import type { ConversationCursor, ConversationMessage, ConversationPage, ConversationSummary, ConversationView } from '../../../shared/api.std.ts';
import { ArcheError } from '../../../shared/errors.std.ts';
import { FLAGGED_CONDITION, UNREAD_CONDITION } from '../archive/migrations/005-flag-indexes.node.ts';

interface MemberRow {
  content_id: number;
  sha256: Buffer;
  msgid: string | null;
  date: number | null;
  from_text: string | null;
  to_text: string | null;
  cc_text: string | null;
  subject: string | null;
  preview: string | null;
  has_attachment: number | null;
}
interface PlaceRow {
  content_id: number;
  url: string;
  path: string;
  unread: number;
  flagged: number;
}

const iso = (t: number | null): string | null => (t !== null && Number.isFinite(t) ? new Date(t).toISOString() : null);

/** "Marie Dupont <marie@example.fr>" → "Marie Dupont"; an address alone stays itself. */
export function personName(from: string): string {
  const first = from.split(/,(?=(?:[^"]*"[^"]*")*[^"]*$)/)[0]?.trim() ?? '';
  const m = /^"?(.*?)"?\s*<([^>]*)>$/.exec(first);
  if (!m) return first;
  return m[1].trim() || m[2].trim();
}

export interface Conversations {
  /** The conversation of the message `id` (SHA-256 hex), oldest first. */
  conversation(id: string): ConversationView;
  /** A page of conversations with a message in the chosen folders (all when neither is given), newest activity first. */
  page(req: { account?: string; folder?: string; after?: ConversationCursor; limit?: number }): ConversationPage;
}

export function conversations(db: Database): Conversations {
  const bySha = db.prepare('SELECT id FROM contents WHERE sha256 = ?').pluck();
  const convOf = db.prepare('SELECT conv FROM threads WHERE content_id = ?').pluck();
  const memberCols = `c.id AS content_id, c.sha256, t.msgid, m.date, m.from_text, m.to_text, m.cc_text, m.subject, m.preview, m.has_attachment`;
  const members = db.prepare(
    `SELECT ${memberCols} FROM threads t JOIN contents c ON c.id = t.content_id LEFT JOIN meta m ON m.content_id = t.content_id
     WHERE t.conv = ? ORDER BY m.date, c.id`,
  );
  const alone = db.prepare(`SELECT ${memberCols} FROM contents c LEFT JOIN threads t ON t.content_id = c.id LEFT JOIN meta m ON m.content_id = c.id WHERE c.id = ?`);
  const placesOfConv = db.prepare(
    `SELECT p.content_id, a.url, f.path, (${UNREAD_CONDITION}) AS unread, (${FLAGGED_CONDITION}) AS flagged
     FROM placements p JOIN folders f ON f.id = p.folder_id JOIN accounts a ON a.id = f.account_id
     WHERE p.content_id IN (SELECT content_id FROM threads WHERE conv = ?) ORDER BY a.id, p.server_gone_at IS NOT NULL, f.path`,
  );
  const placesOfOne = db.prepare(
    `SELECT p.content_id, a.url, f.path, (${UNREAD_CONDITION}) AS unread, (${FLAGGED_CONDITION}) AS flagged
     FROM placements p JOIN folders f ON f.id = p.folder_id JOIN accounts a ON a.id = f.account_id
     WHERE p.content_id = ? ORDER BY a.id, p.server_gone_at IS NOT NULL, f.path`,
  );
  const pending = db.prepare('SELECT count(*) FROM thread_backfill').pluck();
  const folderIds = db.prepare(
    `SELECT f.id FROM folders f JOIN accounts a ON a.id = f.account_id
     WHERE (@account IS NULL OR a.url = @account) AND (@folder IS NULL OR f.path = @folder)`,
  ).pluck();

  /** Members and their placements → one entry per Message-ID (or per content when it has none), oldest first. */
  function assemble(rows: MemberRow[], places: PlaceRow[]): ConversationMessage[] {
    const placesOf = new Map<number, PlaceRow[]>();
    for (const p of places) {
      const list = placesOf.get(p.content_id) ?? [];
      list.push(p);
      placesOf.set(p.content_id, list);
    }
    const out: ConversationMessage[] = [];
    const byMsgid = new Map<string, { view: ConversationMessage; seen: boolean }>();
    for (const r of rows) {
      const ps = placesOf.get(r.content_id) ?? [];
      const seen = ps.some((p) => !p.unread);
      const flagged = ps.some((p) => p.flagged);
      const folders = ps.map((p) => p.path);
      const known = r.msgid ? byMsgid.get(r.msgid) : undefined;
      if (known) {
        const v = known.view;
        v.copies++;
        for (const f of folders) if (!v.folders.includes(f)) v.folders.push(f);
        // read in one place (the Sent copy always is): read
        known.seen ||= seen;
        v.unread = (v.unread || ps.length > 0) && !known.seen;
        v.flagged ||= flagged;
        continue;
      }
      const view: ConversationMessage = {
        id: r.sha256.toString('hex'),
        account: ps[0]?.url ?? '',
        folders: [...new Set(folders)],
        date: iso(r.date),
        from: r.from_text ?? '',
        to: r.to_text ?? '',
        cc: r.cc_text ?? '',
        subject: r.subject ?? '',
        unread: ps.length > 0 && !seen,
        flagged,
        hasAttachment: !!r.has_attachment,
        preview: r.preview ?? '',
        copies: 1,
      };
      out.push(view);
      if (r.msgid) byMsgid.set(r.msgid, { view, seen });
    }
    return out;
  }

  function messagesOfConv(conv: number): ConversationMessage[] {
    return assemble(members.all(conv) as MemberRow[], placesOfConv.all(conv) as PlaceRow[]);
  }

  function summary(conv: number): ConversationSummary {
    const msgs = messagesOfConv(conv);
    const newest = msgs[msgs.length - 1];
    const participants: string[] = [];
    for (const m of msgs) {
      const name = personName(m.from);
      if (name && !participants.includes(name)) participants.push(name);
    }
    return {
      id: newest?.id ?? '',
      subject: msgs[0]?.subject ?? '',
      count: msgs.length,
      participants,
      lastDate: newest?.date ?? null,
      unread: msgs.filter((m) => m.unread).length,
      hasAttachment: msgs.some((m) => m.hasAttachment),
    };
  }

  return {
    conversation(id) {
      const cid = /^[0-9a-f]{64}$/i.test(id) ? (bySha.get(Buffer.from(id, 'hex')) as number | undefined) : undefined;
      if (cid === undefined) throw new ArcheError('archive-message-unknown', { id });
      const conv = convOf.get(cid) as number | undefined;
      // A message whose ids are not read yet (an older archive, being completed) is a conversation of its own.
      const messages = conv === undefined ? assemble(alone.all(cid) as MemberRow[], placesOfOne.all(cid) as PlaceRow[]) : messagesOfConv(conv);
      return { subject: messages[0]?.subject ?? '', messages };
    },
    page(req) {
      const limit = Math.min(Math.max(req.limit ?? 50, 1), 500);
      const scoped = req.account !== undefined || req.folder !== undefined;
      const ids = scoped ? (folderIds.all({ account: req.account ?? null, folder: req.folder ?? null }) as number[]) : [];
      if (scoped && ids.length === 0) return { conversations: [], next: null, pending: pending.get() as number };
      const inFolders = scoped
        ? `WHERE t.conv IN (SELECT t2.conv FROM placements p JOIN threads t2 ON t2.content_id = p.content_id WHERE p.folder_id IN (${ids.map(() => '?').join(',')}))`
        : '';
      const after = req.after ? 'HAVING (last < ? OR (last = ? AND conv < ?))' : '';
      const params: number[] = [...ids];
      if (req.after) params.push(req.after.last, req.after.last, req.after.conv);
      const rows = db
        .prepare(
          `SELECT t.conv AS conv, max(coalesce(m.date, 0)) AS last FROM threads t LEFT JOIN meta m ON m.content_id = t.content_id
           ${inFolders} GROUP BY t.conv ${after} ORDER BY last DESC, conv DESC LIMIT ${limit + 1}`,
        )
        .all(...params) as { conv: number; last: number }[];
      const more = rows.length > limit;
      const shown = more ? rows.slice(0, limit) : rows;
      const last = shown[shown.length - 1];
      return {
        conversations: shown.map((r) => summary(r.conv)),
        next: more && last ? { last: last.last, conv: last.conv } : null,
        pending: pending.get() as number,
      };
    },
  };
}
