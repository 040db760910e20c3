/**
 * Puts one message into its conversation, the one place that writes `threads` and `thread_ids` (migration 009).
 * A conversation is the set of messages connected through the ids they name (Message-ID, In-Reply-To, References),
 * like JWZ's threading without its subject merging: two messages with the same subject and no link stay apart (a
 * monthly "Compte rendu" is not one endless conversation). When a message names ids of two conversations (a late
 * reply whose References bridge them), they become one. The conversation's number is the smallest content id of its
 * messages, so the result does not depend on the order messages arrive in; cycles cannot hurt a union of sets.
 * Called inside the caller's transaction.
 */
import type { Db } from './db.node.ts';
import { readThreadHeaders, type ThreadHeaders } from './thread-ids.std.ts';

export interface ThreadWriter {
  /** Links a content into its conversation (again, harmlessly, if it already was). */
  link(contentId: number, headers: ThreadHeaders): void;
  /** Reads the ids from the message's first bytes and links it. */
  linkRaw(contentId: number, raw: Uint8Array): void;
}

export function threadWriter(db: Db): ThreadWriter {
  const convOfId = db.prepare('SELECT conv FROM thread_ids WHERE msgid = ?').pluck();
  const convOfContent = db.prepare('SELECT conv FROM threads WHERE content_id = ?').pluck();
  const moveThreads = db.prepare('UPDATE threads SET conv = ? WHERE conv = ?');
  const moveIds = db.prepare('UPDATE thread_ids SET conv = ? WHERE conv = ?');
  const putThread = db.prepare(
    `INSERT INTO threads (content_id, conv, msgid, in_reply_to, refs) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT(content_id) DO UPDATE SET conv = excluded.conv, msgid = excluded.msgid, in_reply_to = excluded.in_reply_to, refs = excluded.refs`,
  );
  const putId = db.prepare('INSERT INTO thread_ids (msgid, conv) VALUES (?, ?) ON CONFLICT(msgid) DO UPDATE SET conv = excluded.conv');

  function link(contentId: number, h: ThreadHeaders): void {
    const ids = [...new Set([h.messageId, h.inReplyTo, ...h.references].filter((x): x is string => !!x))];
    const convs = new Set<number>([contentId]);
    const own = convOfContent.get(contentId) as number | undefined;
    if (own !== undefined) convs.add(own);
    for (const id of ids) {
      const c = convOfId.get(id) as number | undefined;
      if (c !== undefined) convs.add(c);
    }
    const target = Math.min(...convs);
    for (const c of convs) {
      if (c === target) continue;
      moveThreads.run(target, c);
      moveIds.run(target, c);
    }
    putThread.run(contentId, target, h.messageId, h.inReplyTo, h.references.join(' '));
    for (const id of ids) putId.run(id, target);
  }

  return { link, linkRaw: (contentId, raw) => link(contentId, readThreadHeaders(raw)) };
}
