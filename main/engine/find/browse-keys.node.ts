/**
 * A filtered folder list's keys, kept from one page to the next (issue 14: each further page under 16 ms).
 *
 * With words in the search box, a page's query first gathers every match in the whole archive (the search's
 * `c.id IN (SELECT rowid FROM fts …)`, built again each time the statement runs), then walks the folder: 12–13 ms of
 * CPU a page for a word in half of 100,000 messages, whatever the page. Asking FTS5 message by message instead
 * (`EXISTS … rowid = c.id`) costs more, up to seconds for a rare word (measured in bench/browse-inprocess.mjs). So a
 * filtered page reads the keys of the next pages too (AHEAD pages at once, one gathering) and keeps them with the
 * archive's state; the following pages are then read by key. Any change to the archive, by this connection or another,
 * drops what was kept: a list is never older than the archive.
 */
import type { Database } from 'better-sqlite3';

/** A line of the list: its placement (the order's tie-break) and its sort date. */
export interface PageKey {
  id: number;
  sd: number | null;
}

interface Kept {
  state: string;
  keys: PageKey[];
  /** Where each key is in `keys`. */
  at: Map<number, number>;
  /** The list was read to its end. */
  done: boolean;
}

/** Pages of keys read at once. */
const AHEAD = 10;
/** Filtered lists kept per connection (the last ones browsed). */
const KEPT = 4;
const kept = new WeakMap<Database, Map<string, Kept>>();

/** The archive as this connection sees it: a commit here (total_changes) or by another connection (data_version). */
function stateOf(db: Database): string {
  return `${db.pragma('data_version', { simple: true }) as number}:${db.prepare('SELECT total_changes()').pluck().get() as number}`;
}

/**
 * The keys of the (at most) `limit` lines after `after` (null: the first page) of the list named `list`, from what
 * is kept when it holds them, else through `read(after, n)` (the next n keys in list order, fewer at the end).
 */
export function pageKeys(db: Database, list: string, after: PageKey | null, limit: number, read: (after: PageKey | null, n: number) => PageKey[]): PageKey[] {
  let lists = kept.get(db);
  if (!lists) {
    lists = new Map();
    kept.set(db, lists);
  }
  const state = stateOf(db);
  let k = lists.get(list);
  const fresh = (): Kept => {
    // a list browsed again moves to the end: the oldest is dropped first
    lists.delete(list);
    const n: Kept = { state, keys: [], at: new Map(), done: false };
    lists.set(list, n);
    while (lists.size > KEPT) lists.delete(lists.keys().next().value as string);
    return n;
  };
  if (!k || k.state !== state) k = fresh();
  let start = 0;
  if (after) {
    const i = k.at.get(after.id);
    if (i === undefined || k.keys[i].sd !== after.sd) {
      // a page key from before what is kept (or from an older list): the kept list starts again at it
      k = fresh();
      k.keys.push(after);
      k.at.set(after.id, 0);
      start = 1;
    } else start = i + 1;
  }
  while (k.keys.length - start < limit && !k.done) {
    const n = limit * AHEAD;
    const more = read(k.keys.length ? k.keys[k.keys.length - 1] : null, n);
    for (const key of more) {
      k.at.set(key.id, k.keys.length);
      k.keys.push(key);
    }
    if (more.length < n) k.done = true;
  }
  return k.keys.slice(start, start + limit);
}
