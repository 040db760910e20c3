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
interface WalkRow {
  id: number;
  date: number | null;
  conv: number | null;
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

  function summaryOf(msgs: ConversationMessage[]): ConversationSummary {
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

  const WALK = 400;
  const walkers = new Map<string, (at: ConversationCursor | null) => WalkRow[]>();
  /** Messages of the folders (or all), newest first along meta's date index, after `at`; dated ones, then undated. */
  function pageWalker(ids: number[], scoped: boolean): (at: ConversationCursor | null) => WalkRow[] {
    const key = scoped ? ids.join(',') : '*';
    const known = walkers.get(key);
    if (known) return known;
    const inFolders = scoped ? `AND EXISTS (SELECT 1 FROM placements p WHERE p.content_id = m.content_id AND +p.folder_id IN (${ids.join(',')}))` : '';
    const cols = 'SELECT m.content_id AS id, m.date AS date, t.conv AS conv FROM meta m LEFT JOIN threads t ON t.content_id = m.content_id';
    const first = db.prepare(`${cols} WHERE m.date IS NOT NULL ${inFolders} ORDER BY m.date DESC, m.content_id DESC LIMIT ${WALK}`);
    const dated = db.prepare(`${cols} WHERE (m.date < @date OR (m.date = @date AND m.content_id < @id)) ${inFolders} ORDER BY m.date DESC, m.content_id DESC LIMIT ${WALK}`);
    const undated = db.prepare(`${cols} WHERE m.date IS NULL AND m.content_id < @id ${inFolders} ORDER BY m.content_id DESC LIMIT ${WALK}`);
    const walk = (at: ConversationCursor | null): WalkRow[] => {
      let rows: WalkRow[];
      if (at === null) rows = first.all() as WalkRow[];
      else if (at.date !== null) rows = dated.all({ date: at.date, id: at.id }) as WalkRow[];
      else return undated.all({ id: at.id }) as WalkRow[];
      // past the last dated message: the undated ones follow
      if (rows.length < WALK) rows = [...rows, ...(undated.all({ id: Number.MAX_SAFE_INTEGER }) as WalkRow[])].slice(0, WALK);
      return rows;
    };
    if (walkers.size > 64) walkers.clear();
    walkers.set(key, walk);
    return walk;
  }

  const newestAll = db.prepare(
    `SELECT m.content_id AS id FROM threads t JOIN meta m ON m.content_id = t.content_id WHERE t.conv = ?
     ORDER BY m.date IS NULL, m.date DESC, m.content_id DESC LIMIT 1`,
  );
  /** The conversation's newest message in the folders (same order as the walk). */
  function newestIn(conv: number, ids: number[], scoped: boolean): { id: number } | undefined {
    if (!scoped) return newestAll.get(conv) as { id: number } | undefined;
    return db
      .prepare(
        `SELECT m.content_id AS id FROM threads t JOIN meta m ON m.content_id = t.content_id WHERE t.conv = ?
         AND EXISTS (SELECT 1 FROM placements p WHERE p.content_id = m.content_id AND +p.folder_id IN (${ids.join(',')}))
         ORDER BY m.date IS NULL, m.date DESC, m.content_id DESC LIMIT 1`,
      )
      .get(conv) as { id: number } | undefined;
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
      const left = pending.get() as number;
      if (scoped && ids.length === 0) return { conversations: [], next: null, pending: left };
      const walk = pageWalker(ids, scoped);
      const out: ConversationSummary[] = [];
      const shown = new Set<number>();
      let at: ConversationCursor | null = req.after ?? null;
      // where each listed conversation was met: the next page starts after the last one shown
      const metAt: ConversationCursor[] = [];
      // Walk the folder's messages newest first; a conversation is listed where its newest message there is met
      // (later, older messages of it are passed over: on this page or an earlier one, it was already listed).
      for (;;) {
        const rows = walk(at);
        for (const r of rows) {
          at = { date: r.date, id: r.id };
          if (r.conv === null) {
            out.push(summaryOf(assemble(alone.all(r.id) as MemberRow[], placesOfOne.all(r.id) as PlaceRow[])));
          } else {
            if (shown.has(r.conv)) continue;
            const newest = newestIn(r.conv, ids, scoped);
            if (!newest || newest.id !== r.id) continue;
            shown.add(r.conv);
            out.push(summaryOf(messagesOfConv(r.conv)));
          }
          metAt.push(at);
          if (out.length > limit) break;
        }
        if (out.length > limit || rows.length < WALK) break;
      }
      const more = out.length > limit;
      if (more) out.pop();
      return { conversations: out, next: more ? metAt[limit - 1] : null, pending: left };
    },
  };
}
